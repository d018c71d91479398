/**
 * Flux post-build substitution (src/render/flux.ts) and fleet references (src/render/pulls.ts):
 * tables of what kustomize-controller would substitute, and of where references lead.
 */
import { describe, expect, it } from 'vitest';
import { postBuildVariables, substituteDocument, substituteText } from '../../src/render/flux.js';
import { argoDestinationCluster, resolveReference, type FleetReference } from '../../src/render/pulls.js';
import { lintScenario, writeScenario, yaml } from '../helpers/scenario.js';

const vars = new Map([
  ['cluster', 'east'],
  ['empty', ''],
]);

describe('substituteText', () => {
  it.each([
    ['${cluster}', 'east'],
    ['prefix-${cluster}-suffix', 'prefix-east-suffix'],
    ['${missing}', '${missing}'],
    ['${missing:=fallback}', 'fallback'],
    ['${missing:-fallback}', 'fallback'],
    ['${missing=fallback}', 'fallback'],
    ['${missing-fallback}', 'fallback'],
    ['${cluster:=fallback}', 'east'],
    ['${empty:=fallback}', 'fallback'],
    ['${empty=fallback}', ''],
    ['$${cluster}', '${cluster}'],
    ['$cluster', '$cluster'],
    ['${cluster/east/west}', '${cluster/east/west}'],
    ['no variables', 'no variables'],
  ])('%s → %s', (input, output) => {
    expect(substituteText(input, vars)).toBe(output);
  });
});

describe('substituteDocument', () => {
  it('substitutes every string of an object, leaving the original untouched', () => {
    const doc = { kind: 'Submariner', spec: { clusterID: '${cluster}', list: ['${cluster}', 1] } };
    expect(substituteDocument(doc, vars)).toEqual({ kind: 'Submariner', spec: { clusterID: 'east', list: ['east', 1] } });
    expect(doc.spec.clusterID).toBe('${cluster}');
  });

  it.each([
    ['label', { labels: { 'kustomize.toolkit.fluxcd.io/substitute': 'disabled' } }],
    ['annotation', { annotations: { 'kustomize.toolkit.fluxcd.io/substitute': 'disabled' } }],
  ])('an object opting out by %s keeps its text', (_, metadata) => {
    const doc = { kind: 'ConfigMap', metadata, data: { script: '${cluster}' } };
    expect(substituteDocument(doc, vars)).toBe(doc);
  });

  it('judges kind: List items one by one', () => {
    const optOut = { kind: 'ConfigMap', metadata: { annotations: { 'kustomize.toolkit.fluxcd.io/substitute': 'disabled' } }, data: { a: '${cluster}' } };
    const doc = { kind: 'List', items: [{ kind: 'ConfigMap', data: { a: '${cluster}' } }, optOut] };
    expect(substituteDocument(doc, vars)).toEqual({ kind: 'List', items: [{ kind: 'ConfigMap', data: { a: 'east' } }, optOut] });
  });
});

describe('postBuildVariables', () => {
  const lookup = (kind: string, name: string): Record<string, string> | undefined =>
    kind === 'ConfigMap' && name === 'vars'
      ? { a: 'from-configmap', b: 'from-configmap', 'not a name': 'x' }
      : kind === 'Secret' && name === 'secret'
        ? { b: 'from-secret' }
        : undefined;

  it('substitute wins over substituteFrom; later substituteFrom entries win over earlier ones', () => {
    const { vars: v, missing } = postBuildVariables(
      {
        substitute: { a: 'inline', n: 3 },
        substituteFrom: [
          { kind: 'ConfigMap', name: 'vars' },
          { kind: 'Secret', name: 'secret' },
          { kind: 'ConfigMap', name: 'absent', optional: true },
        ],
      },
      lookup,
    );
    expect(Object.fromEntries(v!)).toEqual({ a: 'inline', b: 'from-secret', n: '3' });
    expect(missing).toEqual([{ kind: 'ConfigMap', name: 'absent', optional: true }]);
  });

  it.each([
    ['no postBuild', undefined],
    ['an empty postBuild', {}],
    ['an empty substitute map', { substitute: {} }],
  ])('%s: Flux does not substitute at all', (_, postBuild) => {
    expect(postBuildVariables(postBuild, lookup).vars).toBeUndefined();
  });

  it('a substituteFrom entry alone turns substitution on (defaults apply)', () => {
    expect(postBuildVariables({ substituteFrom: [{ kind: 'ConfigMap', name: 'absent' }] }, lookup).vars).toEqual(new Map());
  });
});

describe('fleet references', () => {
  const ref = (over: Partial<FleetReference>): FleetReference => ({
    tool: 'argocd',
    label: 'Application argocd/web',
    holder: 'hub',
    at: { file: '/x', doc: 0, path: [] },
    path: 'apps',
    ...over,
  });

  it.each([
    [{ name: 'east' }, 'east'],
    [{ name: 'in-cluster' }, 'hub'],
    [{ server: 'https://kubernetes.default.svc' }, 'hub'],
    [{ server: 'https://kubernetes.default.svc/' }, 'hub'],
    [{ server: 'https://east.example.com:6443' }, 'east.example.com'],
    [{}, 'hub'],
  ])('Argo CD destination %j is cluster %s', (destination, cluster) => {
    expect(argoDestinationCluster(ref({ destination }))).toBe(cluster);
  });

  it('paths resolve against the repository root; missing paths and paths leaving it are not followed', () => {
    const root = writeScenario({ 'apps/prod/a.yaml': 'kind: ConfigMap\n' });
    expect(resolveReference(ref({ path: './apps/prod' }), root)).toEqual({ dir: `${root}/apps/prod` });
    expect(resolveReference(ref({ path: '/apps/prod/' }), root)).toEqual({ dir: `${root}/apps/prod` });
    expect(resolveReference(ref({ path: 'apps/staging' }), root)).toMatchObject({ unresolved: expect.stringContaining('not in this repository') });
    expect(resolveReference(ref({ path: '../elsewhere' }), root)).toMatchObject({ unresolved: expect.stringContaining('leaves the repository') });
  });
});

describe('suppression comments in the files a kustomization is rendered from', () => {
  it('a mclint-disable-next-line comment in an overlay patch suppresses the finding located there', async () => {
    const submariner = (cidr: string) => yaml`
      apiVersion: submariner.io/v1alpha1
      kind: Submariner
      metadata:
        name: submariner
        namespace: submariner-operator
      spec:
        broker: k8s
        brokerK8sApiServer: 192.0.2.1:6443
        brokerK8sApiServerToken: token
        brokerK8sRemoteNamespace: submariner-k8s-broker
        brokerK8sCA: ca
        clusterID: base
        clusterCIDR: ${cidr}
        serviceCIDR: 10.96.0.0/16
        namespace: submariner-operator
        natEnabled: false
        debug: false
    `;
    const patch = (id: string, cidr: string, comment = '') =>
      yaml`
      apiVersion: submariner.io/v1alpha1
      kind: Submariner
      metadata:
        name: submariner
        namespace: submariner-operator
      spec:
        clusterID: ${id}
        serviceCIDR: ${id === 'east' ? '10.96.0.0/16' : '10.97.0.0/16'}
    ` +
      (comment ? `  ${comment}\n` : '') +
      `  clusterCIDR: ${cidr}\n`;
    const overlay = 'resources: [../../base]\npatches:\n  - path: patch.yaml\n';
    const files = {
      'k8s/base/kustomization.yaml': 'resources: [submariner.yaml]\n',
      'k8s/base/submariner.yaml': submariner('10.0.0.0/16'),
      'k8s/clusters/east/kustomization.yaml': overlay,
      'k8s/clusters/east/patch.yaml': patch('east', '10.10.0.0/16'),
      'k8s/clusters/west/kustomization.yaml': overlay,
    };
    const plain = await lintScenario({ ...files, 'k8s/clusters/west/patch.yaml': patch('west', '10.10.0.0/16') }, { ruleFlags: [] });
    const overlaps = plain.relFindings.filter((f) => f.ruleId === 'cidr-overlap' && f.message.startsWith('Pod CIDR'));
    expect(overlaps.map((f) => `${f.file}:${f.line}`)).toEqual(['k8s/clusters/west/patch.yaml:9']);
    const suppressed = await lintScenario({ ...files, 'k8s/clusters/west/patch.yaml': patch('west', '10.10.0.0/16', '# mclint-disable-next-line cidr-overlap -- migrating') });
    expect(suppressed.relFindings.filter((f) => f.ruleId === 'cidr-overlap' && f.message.startsWith('Pod CIDR'))).toEqual([]);
    expect(suppressed.suppressed.map((f) => f.ruleId)).toContain('cidr-overlap');
  });
});

describe('files below a rendered kustomization that it does not read', () => {
  it('are never applied: listed as skipped, not linted and not dropped silently', async () => {
    const r = await lintScenario({
      'clusters/east/kustomization.yaml': 'resources: [ns.yaml]\n',
      'clusters/east/ns.yaml': 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n',
      'clusters/east/stray/export.yaml': 'apiVersion: multicluster.x-k8s.io/v1alpha1\nkind: ServiceExport\nmetadata:\n  name: nothing\n  namespace: shop\n',
      'clusters/west/ns.yaml': 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n',
    });
    // The stray ServiceExport would be a service-export-pairing error if it were read.
    expect(r.relFindings).toEqual([]);
    expect(r.stats.skipped.unreferenced.map((f) => f.slice(r.root.length + 1))).toEqual(['clusters/east/stray/export.yaml']);
  });
});
