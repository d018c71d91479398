/**
 * The connectivity model (src/model/connectivity.ts) through a whole run: which link each pair of
 * clusters gets (flat, remapped, gateway, unknown) and from what evidence, how cidr-overlap words
 * overlaps for each, the `connectivity:` config key and its validation, and `--print-clusterset`.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import cidrOverlap from '../rules/cidr-overlap.js';
import { loadConfigFile } from '../src/config/index.js';
import { lint } from '../src/lint.js';
import { clusterSetJson, formatClusterSet } from '../src/report/clusterset.js';
import { lintScenario, writeScenario, type Files } from './helpers/scenario.js';
import { submariner } from './helpers/manifests.js';

const root = join(import.meta.dirname, '..');
const kind = (name: string) => `kind: Cluster\napiVersion: kind.x-k8s.io/v1alpha4\nname: ${name}\n`;
const twoKind: Files = { 'east/kind.yaml': kind('east'), 'west/kind.yaml': kind('west') };
const istio = (network: string) => `global:\n  meshID: mesh1\n  network: ${network}\n`;
const cilium = (id: number) => `cluster:\n  name: c${id}\n  id: ${id}\nipam:\n  mode: cluster-pool\n  operator:\n    clusterPoolIPv4PodCIDRList: ["10.244.0.0/16"]\n`;
const exportOf = (name: string) => `apiVersion: multicluster.x-k8s.io/v1alpha1\nkind: ServiceExport\nmetadata:\n  name: ${name}\n  namespace: shop\n`;
const fc = (id: string) => `apiVersion: core.liqo.io/v1beta1\nkind: ForeignCluster\nmetadata:\n  name: ${id}\nspec:\n  clusterID: ${id}\n`;
const linkerdLink = (target: string, gateway: boolean) =>
  `apiVersion: multicluster.linkerd.io/v1alpha1\nkind: Link\nmetadata:\n  name: ${target}\n  namespace: linkerd-multicluster\nspec:\n  targetClusterName: ${target}\n  targetClusterDomain: cluster.local\n` +
  (gateway ? `  gatewayAddress: 203.0.113.7\n  gatewayPort: "4143"\n  gatewayIdentity: linkerd-gateway.linkerd-multicluster.serviceaccount.identity.linkerd.cluster.local\n` : '');
const site = `apiVersion: skupper.io/v2alpha1\nkind: Site\nmetadata:\n  name: site\n`;

/** Lints `files` with cidr-overlap alone: the set's one link, the findings and the notes as `ruleId messageId line:column`. */
async function run(files: Files) {
  const r = await lintScenario(files, { rules: [cidrOverlap] });
  expect(r.internalErrors).toEqual([]);
  const [pair] = r.clusterSets[0].connectivity!.pairs;
  const at = (f: { messageId?: string; line: number; column: number }) => `${f.messageId} ${f.line}:${f.column}`;
  return { link: pair, findings: r.findings.map(at), notes: r.notes.map(at), result: r };
}

describe('connectivity model: one link per pair, and what cidr-overlap makes of it', () => {
  const cases: { name: string; files: Files; kind: string; via?: string; evidence: RegExp[]; findings: string[]; notes: string[] }[] = [
    { name: 'two default kind clusters, nothing said: unknown, the overlap is a note', files: twoKind, kind: 'unknown', evidence: [], findings: [], notes: ['unconnected 1:7'] },
    {
      name: 'Istio multi-network (different global.network): gateway, silent',
      files: { ...twoKind, 'east/istio-values.yaml': istio('network1'), 'west/istio-values.yaml': istio('network2') },
      kind: 'gateway',
      via: 'network',
      evidence: [/^network network1$/, /^network network2$/],
      findings: [],
      notes: [],
    },
    {
      name: 'Liqo peering: remapped, silent',
      files: { ...twoKind, 'east/fc.yaml': fc('west') },
      kind: 'remapped',
      via: 'liqo',
      evidence: [/^Liqo ForeignCluster west$/],
      findings: [],
      notes: [],
    },
    {
      name: 'a Liqo network Configuration for the peer: remapped, silent',
      files: {
        ...twoKind,
        'west/net.yaml':
          'apiVersion: networking.liqo.io/v1beta1\nkind: Configuration\nmetadata:\n  name: east\n  labels:\n    liqo.io/remote-cluster-id: east\nspec:\n  remote:\n    cidr:\n      pod: [10.244.0.0/16]\n',
      },
      kind: 'remapped',
      via: 'liqo',
      evidence: [/^Liqo Configuration east$/],
      findings: [],
      notes: [],
    },
    {
      name: 'Cilium Cluster Mesh: flat, an error',
      files: { 'east/cilium-values.yaml': cilium(1), 'west/cilium-values.yaml': cilium(2) },
      kind: 'flat',
      via: 'cilium',
      evidence: [/^Cilium cluster\.id 1$/, /^Cilium cluster\.id 2$/],
      findings: ['cilium 7:34'],
      notes: [],
    },
    {
      name: 'ServiceExports under generic KEP-1645 behaviour: flat, an error',
      files: { ...twoKind, 'east/export.yaml': exportOf('cart'), 'west/export.yaml': exportOf('cart') },
      kind: 'flat',
      via: 'mcs',
      evidence: [/^ServiceExport$/, /^ServiceExport$/],
      findings: ['flat 1:7'],
      notes: [],
    },
    {
      name: 'a Linkerd Link in gateway mode: gateway, silent',
      files: { ...twoKind, 'east/link.yaml': linkerdLink('west', true) },
      kind: 'gateway',
      via: 'linkerd',
      evidence: [/^Linkerd Link$/],
      findings: [],
      notes: [],
    },
    {
      name: 'a Linkerd Link without a gateway (pod-to-pod mode) says nothing here: unknown',
      files: { ...twoKind, 'east/link.yaml': linkerdLink('west', false) },
      kind: 'unknown',
      evidence: [],
      findings: [],
      notes: ['unconnected 1:7'],
    },
    {
      name: 'Skupper sites in both clusters: gateway, silent',
      files: { ...twoKind, 'east/site.yaml': site, 'west/site.yaml': site },
      kind: 'gateway',
      via: 'skupper',
      evidence: [/^Skupper Site$/, /^Skupper Site$/],
      findings: [],
      notes: [],
    },
    {
      name: 'the config overrides the manifests: Submariner clusters stated as gateway-only are silent',
      files: {
        'east/sub.yaml': submariner({ clusterID: 'east', clusterCIDR: '10.1.0.0/16', serviceCIDR: '10.96.0.0/16' }),
        'west/sub.yaml': submariner({ clusterID: 'west', clusterCIDR: '10.1.0.0/16', serviceCIDR: '10.96.0.0/16' }),
        'mclint.config.yaml': 'connectivity:\n  - clusters: [east, west]\n    kind: gateway\n',
      },
      kind: 'gateway',
      via: 'config',
      evidence: [/^config connectivity\[0\]$/],
      findings: [],
      notes: [],
    },
    {
      name: 'Submariner without GlobalNet: flat, pod and service overlaps are errors',
      files: {
        'east/sub.yaml': submariner({ clusterID: 'east', clusterCIDR: '10.1.0.0/16', serviceCIDR: '10.96.0.0/16' }),
        'west/sub.yaml': submariner({ clusterID: 'west', clusterCIDR: '10.1.0.0/16', serviceCIDR: '10.96.0.0/16' }),
      },
      kind: 'flat',
      via: 'submariner',
      evidence: [/^Submariner CR$/, /^Submariner CR$/],
      findings: ['submariner 8:16', 'submariner 9:16'],
      notes: [],
    },
    {
      name: 'Submariner with a globalCIDR in every cluster and no Broker: remapped, silent',
      files: {
        'east/sub.yaml': submariner({ clusterID: 'east', clusterCIDR: '10.1.0.0/16', serviceCIDR: '10.96.0.0/16', globalCIDR: '242.0.0.0/16' }),
        'west/sub.yaml': submariner({ clusterID: 'west', clusterCIDR: '10.1.0.0/16', serviceCIDR: '10.96.0.0/16', globalCIDR: '242.1.0.0/16' }),
      },
      kind: 'remapped',
      via: 'globalnet',
      evidence: [/^Submariner globalCIDR 242\.0\.0\.0\/16$/, /^Submariner globalCIDR 242\.1\.0\.0\/16$/],
      findings: [],
      notes: [],
    },
  ];
  for (const c of cases) {
    it(c.name, async () => {
      const { link, findings, notes } = await run(c.files);
      expect(link.clusters).toEqual(['east', 'west']);
      expect(link.kind).toBe(c.kind);
      expect(link.via).toBe(c.via);
      expect(link.evidence).toHaveLength(c.evidence.length);
      link.evidence.forEach((e, i) => expect(e.what).toMatch(c.evidence[i]));
      expect(findings.sort()).toEqual(c.findings);
      expect(notes).toEqual(c.notes);
    });
  }

  it('a note names both clusters and says the connectivity is unknown; an error names the link and its evidence', async () => {
    const note = (await run(twoKind)).result.notes[0];
    expect(note).toMatchObject({ ruleId: 'cidr-overlap', cluster: 'west', messageId: 'unconnected', data: { cidr: '10.244.0.0/16', other: 'east' } });
    expect(note.message).toBe('Pod CIDR 10.244.0.0/16 of cluster "west" overlaps pod CIDR 10.244.0.0/16 of cluster "east" (how they connect is unknown).');
    const error = (await run({ ...twoKind, 'east/export.yaml': exportOf('cart'), 'west/export.yaml': exportOf('cart') })).result.findings[0];
    expect(error.message).toBe(
      'Pod CIDR 10.244.0.0/16 of cluster "west" overlaps pod CIDR 10.244.0.0/16 of cluster "east", routed flat by MCS ServiceExports (generic KEP-1645: imported endpoints are pod IPs).',
    );
    expect(error.data?.evidence).toMatch(/^ServiceExport in \S*east\/export\.yaml; ServiceExport in \S*west\/export\.yaml$/);
  });
});

describe('connectivity: config key', () => {
  const load = (text: string) => loadConfigFile(join(writeScenario({ 'mclint.config.yaml': text }), 'mclint.config.yaml'));

  it('reads entries with their index; clusterSet and via are optional', async () => {
    const config = await load('connectivity:\n  - clusters: [a, b, c]\n    kind: remapped\n    via: NAT gateway\n');
    expect(config.connectivity).toEqual([{ index: 0, clusters: ['a', 'b', 'c'], kind: 'remapped', via: 'NAT gateway' }]);
  });

  it.each([
    [
      'an unknown kind',
      'connectivity:\n  - clusters: [a, b]\n    kind: routed\n',
      /3:11 {2}"connectivity\[0\]\.kind" must be one of "flat", "remapped", "gateway", found string "routed"/,
    ],
    ['a single cluster', 'connectivity:\n  - clusters: [a]\n    kind: flat\n', /2:15 .*must NOT have fewer than 2 items/],
    ['a missing kind', 'connectivity:\n  - clusters: [a, b]\n', /2:5 {2}missing required field "connectivity\[0\]\.kind"/],
    ['an unknown key', 'connectivity:\n  - clusters: [a, b]\n    kind: flat\n    cidrs: []\n', /4:5 {2}unknown field "connectivity\[0\]\.cidrs"/],
  ])('refuses %s (schema)', async (_name, text, message) => {
    await expect(load(text)).rejects.toThrow(message);
  });

  it('refuses a cluster that "clusters" does not declare, and a clusterSet that "clusterSets" does not', async () => {
    await expect(load('clusters:\n  - name: a\n  - name: b\nconnectivity:\n  - clusters: [a, c]\n    kind: flat\n')).rejects.toThrow(
      'connectivity[0] names cluster "c", which "clusters" does not declare',
    );
    await expect(load('clusterSets:\n  - name: prod\n    clusters: [a, b]\nconnectivity:\n  - clusterSet: dev\n    clusters: [a, b]\n    kind: flat\n')).rejects.toThrow(
      'connectivity[0] names clusterSet "dev", which "clusterSets" does not declare',
    );
    await expect(load('clusterSets:\n  - name: prod\n    clusters: [a, b]\nconnectivity:\n  - clusterSet: prod\n    clusters: [a, x]\n    kind: flat\n')).rejects.toThrow(
      'connectivity[0]: cluster "x" is not in clusterSet "prod"',
    );
  });
});

describe('--print-clusterset shows the connectivity model', () => {
  it('text: pairs grouped by kind with the fabric and the evidence; unknown pairs on one line', async () => {
    const result = await lint({ dirs: [join(root, 'fixtures/connectivity-config')] });
    const text = formatClusterSet(result);
    expect(text).toContain(
      '  connectivity:\n' +
        '    flat: dc1 <-> dc2 by the config file (config connectivity[0]: Calico BGP peering with the top-of-rack routers in fixtures/connectivity-config/mclint.config.yaml)\n' +
        '    unknown (nothing says how they connect): dc1 <-> lab, dc2 <-> lab\n',
    );
  });

  it('JSON: every pair with kind, via and evidence (absolute file paths)', async () => {
    const result = await lint({ dirs: [join(root, 'fixtures/connectivity-liqo')] });
    const json = clusterSetJson(result) as { clusterSets: { connectivity: unknown[] }[] };
    expect(json.clusterSets[0].connectivity).toEqual([
      {
        clusters: ['milan', 'rome'],
        kind: 'remapped',
        via: 'liqo',
        evidence: [{ what: 'Liqo ForeignCluster milan', filePath: join(root, 'fixtures/connectivity-liqo/rome/foreignclusters.yaml') }],
      },
    ]);
  });

  it('fixtures: Istio multi-network kind clusters and Liqo-peered kind clusters give no overlap finding', async () => {
    for (const fixture of ['connectivity-istio-kind', 'connectivity-liqo']) {
      const result = await lint({ dirs: [join(root, 'fixtures', fixture)] });
      expect([...result.findings, ...result.notes].filter((f) => f.ruleId === 'cidr-overlap')).toEqual([]);
    }
    const config = await lint({ dirs: [join(root, 'fixtures/connectivity-config')] });
    expect(config.findings.map((f) => [f.ruleId, f.cluster, f.line, f.column])).toEqual([['cidr-overlap', 'dc2', 7, 16]]);
    expect(config.notes.map((f) => [f.ruleId, f.cluster, f.line, f.column])).toEqual([
      ['cidr-overlap', 'lab', 9, 16],
      ['cidr-overlap', 'lab', 9, 16],
    ]);
  });
});
