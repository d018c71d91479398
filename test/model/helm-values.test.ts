/**
 * Helm values wherever they live: umbrella charts' sub-chart keys (with `global` propagation),
 * Flux HelmRelease `spec.values` + `valuesFrom`, Argo CD Application `helm` values and
 * parameters, helmfile releases' values files; layered in the order each tool applies them, each
 * fact pointing at the layer that set it.
 */
import { describe, expect, it } from 'vitest';
import clusterIdentity from '../../rules/cluster-identity.js';
import cidrOverlap from '../../rules/cidr-overlap.js';
import istioMeshIdentity from '../../rules/istio-mesh-identity.js';
import { findConfig } from '../../src/config/index.js';
import { discover } from '../../src/discover/index.js';
import { loadFile } from '../../src/load/index.js';
import type { LoadedFile } from '../../src/load/types.js';
import { READ_TYPES, buildModel, type ClusterModel } from '../../src/model/index.js';
import { LayeredValues, chartName, setPath, setValue, subchartKeys } from '../../src/model/values.js';
import { ruleTester } from '../helpers/rule-tester.js';
import { lintScenario, writeScenario, yaml, type Files } from '../helpers/scenario.js';

/** The model of a scenario, built through discovery, the loader and the model builder. */
async function clustersOf(files: Files): Promise<{ root: string; clusters: Map<string, ClusterModel> }> {
  const root = writeScenario(files);
  const config = await findConfig(root);
  const discovery = await discover({ root, config });
  const loaded = new Map<string, LoadedFile>();
  for (const path of [...new Set(discovery.sets.flatMap((s) => s.clusters.flatMap((c) => c.files)))].sort()) {
    loaded.set(path, await loadFile(path, { retainTypes: READ_TYPES }));
  }
  const model = buildModel(discovery, loaded, config);
  return { root, clusters: new Map(model.sets.flatMap((s) => s.clusters).map((c) => [c.name, c])) };
}

const rel = (root: string, file: string) => file.slice(root.length + 1);

describe('LayeredValues', () => {
  const layer = (body: unknown, mount: (string | number)[] = [], path: (string | number)[] = []) => ({ file: '/v.yaml', doc: 0, path, mount, body });

  it.each([
    ['a later scalar wins', [{ a: 1 }, { a: 2 }], ['a'], 2, 1],
    ['mappings merge key by key', [{ m: { x: 1 } }, { m: { y: 2 } }], ['m'], { x: 1, y: 2 }, 1],
    ['an earlier key survives a later mapping without it', [{ m: { x: 1 } }, { m: { y: 2 } }], ['m', 'x'], 1, 0],
    ['a later list replaces', [{ l: [1, 2] }, { l: [3] }], ['l'], [3], 1],
    ['null removes the key', [{ a: 1 }, { a: null }], ['a'], undefined, -1],
    ['a later mapping replaces a scalar', [{ a: 1 }, { a: { b: 2 } }], ['a'], { b: 2 }, 1],
    ['absent everywhere', [{ a: 1 }], ['b'], undefined, -1],
  ])('%s', (_name, bodies, path, value, winner) => {
    const values = new LayeredValues(
      (bodies as unknown[]).map((b, i) => ({ ...layer(b), file: `/v${i}.yaml` })),
      { file: '/anchor.yaml', doc: 0, path: [] },
    );
    expect(values.get(path)).toEqual(value);
    expect(values.place(path).file).toBe(winner < 0 ? (path.length > 1 ? `/v${winner}.yaml` : '/anchor.yaml') : `/v${winner}.yaml`);
  });

  it('mounted layers (--set) replace one leaf, or one list element, and point at their own place', () => {
    const values = new LayeredValues(
      [layer({ cluster: { id: 1, name: 'east' }, list: ['a', 'b'] }), layer(7, ['cluster', 'id'], ['parameters', 0, 'value']), layer('z', ['list', 1], ['parameters', 1, 'value'])],
      { file: '/v.yaml', doc: 0, path: [] },
    );
    expect(values.get(['cluster'])).toEqual({ id: 7, name: 'east' });
    expect(values.get(['list'])).toEqual(['a', 'z']);
    expect(values.place(['cluster', 'id']).path).toEqual(['parameters', 0, 'value']);
    expect(values.place(['cluster', 'name']).path).toEqual(['cluster', 'name']);
  });

  it('embedded layers (values in a string) resolve every field to the key holding the string', () => {
    const values = new LayeredValues([{ ...layer({ ipam: { mode: 'x' } }, [], ['data', 'values.yaml']), embedded: true }], { file: '/v.yaml', doc: 0, path: [] });
    expect(values.place(['ipam', 'mode']).path).toEqual(['data', 'values.yaml']);
  });

  it("a sub-chart sees its own section plus the parent's global, the parent's keys winning (Helm coalesceGlobals)", () => {
    const values = LayeredValues.of('/u.yaml', 0, {
      global: { meshID: 'parent-mesh', network: 'n1' },
      istiod: { global: { meshID: 'own-mesh', multiCluster: { clusterName: 'east' } }, pilot: { x: 1 } },
      cilium: { cluster: { name: 'east' } },
      replicaCount: 2,
    });
    expect(subchartKeys(values)).toEqual(['istiod', 'cilium']);
    const istiod = values.subchart('istiod');
    expect(istiod.get(['global'])).toEqual({ meshID: 'parent-mesh', network: 'n1', multiCluster: { clusterName: 'east' } });
    expect(istiod.place(['global', 'meshID']).path).toEqual(['global', 'meshID']);
    expect(istiod.place(['global', 'multiCluster', 'clusterName']).path).toEqual(['istiod', 'global', 'multiCluster', 'clusterName']);
    expect(istiod.get(['pilot', 'x'])).toBe(1);
    expect(istiod.get(['replicaCount'])).toBeUndefined();
  });

  it.each([
    ['cilium', true],
    ['cilium-east', true],
    ['istiod', true],
    ['istio-base', true],
    ['base', true],
    ['gateway', true],
    ['istio-ingressgateway', true],
    ['eastwest-gateway', true],
    ['egressGateway', false],
    ['gatewayAPI', false],
    ['gateways', false],
    ['istiodRemote', false],
    ['cni', false],
    ['global', false],
  ])('sub-chart key %j: %s', (key, expected) => {
    expect(subchartKeys(LayeredValues.of('/v.yaml', 0, { [key]: { enabled: true } }))).toEqual(expected ? [key] : []);
  });

  it.each([
    ['cluster.id', ['cluster', 'id']],
    ['ipam.operator.clusterPoolIPv4PodCIDRList[0]', ['ipam', 'operator', 'clusterPoolIPv4PodCIDRList', 0]],
    ['podAnnotations.prometheus\\.io/scrape', ['podAnnotations', 'prometheus.io/scrape']],
    ['a[1].b', ['a', 1, 'b']],
    ['', undefined],
    ['a..b', undefined],
    ['a[x]', undefined],
    ['a[1', undefined],
  ])('--set key %j', (name, path) => expect(setPath(name)).toEqual(path));

  it.each([
    ['1', false, 1],
    ['0', false, 0],
    ['007', false, '007'],
    ['TRUE', false, true],
    ['null', false, null],
    ['east', false, 'east'],
    ['{10.1.0.0/16,10.2.0.0/16}', false, ['10.1.0.0/16', '10.2.0.0/16']],
    ['1', true, '1'],
  ])('--set value %j (string: %s)', (text, forceString, value) => expect(setValue(text, forceString)).toEqual(value));

  it.each([
    ['cilium/cilium', 'cilium'],
    ['oci://quay.io/cilium/charts/cilium', 'cilium'],
    ['./charts/istiod/', 'istiod'],
    ['istio/gateway', 'gateway'],
    [42, undefined],
  ])('chart name of %j', (ref, name) => expect(chartName(ref)).toBe(name));
});

/** An umbrella chart's values: Cilium under `cilium:`; `cluster.id` value at 5:9. */
const umbrella = (name: string, id: number) => yaml`
  global:
    imageRegistry: mirror.example
  cilium:
    cluster:
      id: ${id}
      name: ${name}
    clustermesh:
      useAPIServer: true
  other:
    replicas: 2
`;

ruleTester(clusterIdentity, {
  valid: [
    { name: 'umbrella values with distinct Cilium IDs', files: { 'east/values.yaml': umbrella('east', 1), 'west/values.yaml': umbrella('west', 2) } },
    {
      name: 'an Argo CD parameter overrides valuesObject: the effective IDs differ',
      files: {
        'east/app.yaml': yaml`
          apiVersion: argoproj.io/v1alpha1
          kind: Application
          metadata:
            name: cilium
            namespace: argocd
          spec:
            project: default
            source:
              repoURL: https://helm.cilium.io
              chart: cilium
              targetRevision: 1.16.0
              helm:
                valuesObject:
                  cluster:
                    name: east
                    id: 2
                parameters:
                  - name: cluster.id
                    value: "3"
            destination:
              server: https://kubernetes.default.svc
              namespace: kube-system
        `,
        'west/values.yaml': 'cluster:\n  name: west\n  id: 2\nclustermesh:\n  useAPIServer: true\n',
      },
    },
  ],
  invalid: [
    {
      name: 'umbrella values (cilium: sub-chart key) with duplicate Cilium IDs: reported at the umbrella file',
      files: { 'east/values.yaml': umbrella('east', 1), 'west/values.yaml': umbrella('west', 1) },
      findings: [
        {
          file: 'west/values.yaml',
          line: 5,
          column: 9,
          message: ['Cilium cluster.id 1 of cluster "west" is also the ID of cluster "east"'],
          related: [{ file: 'east/values.yaml', line: 5, column: 9, cluster: 'east' }],
        },
      ],
    },
    {
      name: 'an Argo CD parameter overrides valuesObject: the parameter duplicates the other cluster (line of its value)',
      files: {
        'east/app.yaml': yaml`
          apiVersion: argoproj.io/v1alpha1
          kind: Application
          metadata:
            name: cilium
            namespace: argocd
          spec:
            project: default
            source:
              repoURL: https://helm.cilium.io
              chart: cilium
              targetRevision: 1.16.0
              helm:
                valuesObject:
                  cluster:
                    name: east
                    id: 3
                parameters:
                  - name: cluster.id
                    value: "2"
            destination:
              server: https://kubernetes.default.svc
              namespace: kube-system
        `,
        'west/values.yaml': 'cluster:\n  name: west\n  id: 2\nclustermesh:\n  useAPIServer: true\n',
      },
      findings: [
        {
          file: 'west/values.yaml',
          line: 3,
          column: 7,
          message: ['Cilium cluster.id 2 of cluster "west" is also the ID of cluster "east"'],
          related: [{ file: 'east/app.yaml', line: 19, column: 18, cluster: 'east' }],
        },
      ],
    },
    {
      name: 'helmfile: the later values file wins (its ID duplicates the other cluster)',
      files: {
        'east/helmfile.yaml': yaml`
          repositories:
            - name: cilium
              url: https://helm.cilium.io
          releases:
            - name: cilium
              namespace: kube-system
              chart: cilium/cilium
              values:
                - values/common.yaml
                - values/east.yaml
        `,
        'east/values/common.yaml': 'cluster:\n  name: east\n  id: 9\nclustermesh:\n  useAPIServer: true\n',
        'east/values/east.yaml': 'cluster:\n  id: 2\n',
        'west/values.yaml': 'cluster:\n  name: west\n  id: 2\nclustermesh:\n  useAPIServer: true\n',
      },
      findings: [
        {
          file: 'west/values.yaml',
          line: 3,
          column: 7,
          message: ['Cilium cluster.id 2 of cluster "west" is also the ID of cluster "east"'],
          related: [{ file: 'east/values/east.yaml', line: 2, column: 7, cluster: 'east' }],
        },
      ],
    },
  ],
});

/** A HelmRelease of the cilium chart with `spec.values.cluster` and a valuesFrom ConfigMap. */
const helmRelease = (name: string, id: number, configMap: string) => yaml`
  apiVersion: helm.toolkit.fluxcd.io/v2
  kind: HelmRelease
  metadata:
    name: cilium
    namespace: kube-system
  spec:
    interval: 10m
    chart:
      spec:
        chart: cilium
        sourceRef:
          kind: HelmRepository
          name: cilium
    valuesFrom:
      - kind: ConfigMap
        name: ${configMap}
    values:
      cluster:
        name: ${name}
        id: ${id}
`;

/**
 * A ConfigMap holding Cilium values under `values.yaml`. Values inside the block scalar are a
 * nested document the locator cannot enter: findings point at the block scalar (`|`, 7:16) on
 * the `values.yaml` key's line.
 */
const valuesConfigMap = (name: string, cidr: string) => yaml`
  apiVersion: v1
  kind: ConfigMap
  metadata:
    name: ${name}
    namespace: kube-system
  data:
    values.yaml: |
      ipam:
        operator:
          clusterPoolIPv4PodCIDRList:
            - ${cidr}
`;

ruleTester(cidrOverlap, {
  valid: [
    {
      name: 'HelmReleases whose valuesFrom ConfigMaps give distinct cluster pools',
      files: {
        'east/cilium.yaml': helmRelease('east', 1, 'cilium-values'),
        'east/values.yaml': valuesConfigMap('cilium-values', '10.1.0.0/16'),
        'west/cilium.yaml': helmRelease('west', 2, 'cilium-values'),
        'west/values.yaml': valuesConfigMap('cilium-values', '10.2.0.0/16'),
      },
    },
  ],
  invalid: [
    {
      name: "HelmRelease spec.values + a valuesFrom ConfigMap in the repository: overlapping pools, reported at the ConfigMap's values key",
      files: {
        'east/cilium.yaml': helmRelease('east', 1, 'cilium-values'),
        'east/values.yaml': valuesConfigMap('cilium-values', '10.1.0.0/16'),
        'west/cilium.yaml': helmRelease('west', 2, 'cilium-west'),
        'west/values.yaml': valuesConfigMap('cilium-west', '10.1.128.0/17'),
      },
      findings: [
        {
          file: 'west/values.yaml',
          line: 7,
          column: 16,
          messageId: 'cilium',
          data: { cidr: '10.1.128.0/17', cluster: 'west', otherOrigin: expect.stringMatching(/clusterPoolIPv4PodCIDRList/) },
          related: [{ file: 'east/values.yaml', line: 7, column: 16, cluster: 'east' }],
        },
      ],
    },
  ],
});

describe('facts from values wherever they live', () => {
  it('umbrella values: a sub-chart section gives the facts once, the parent global winning over the sub-chart one', async () => {
    const { root, clusters } = await clustersOf({
      'east/values.yaml': yaml`
        global:
          meshID: mesh1
          network: parent-net
        istio-base:
          global:
            istioNamespace: istio-system
        istiod:
          global:
            network: own-net
            multiCluster:
              clusterName: east
        gateway:
          networkGateway: parent-net
      `,
      'west/values.yaml': 'replicaCount: 1\n',
    });
    const east = clusters.get('east')!;
    expect(east.istio).toHaveLength(1);
    const install = east.istio[0];
    expect(install.meshID?.value).toBe('mesh1');
    expect(install.network?.value).toBe('parent-net');
    expect(install.network?.source.path).toEqual(['global', 'network']);
    expect(install.clusterName?.value).toBe('east');
    expect(install.clusterName?.source.path).toEqual(['istiod', 'global', 'multiCluster', 'clusterName']);
    expect(rel(root, install.clusterName!.source.file)).toBe('east/values.yaml');
    expect(east.istioConfig.gatewayInstalls.map((g) => g.network?.value)).toEqual(['parent-net']);
  });

  it("a chart's own values with keys like sub-charts' are still read as a whole (Cilium egressGateway)", async () => {
    const { clusters } = await clustersOf({
      'east/values.yaml': 'cluster:\n  name: east\n  id: 1\nclustermesh:\n  useAPIServer: true\negressGateway:\n  enabled: true\ncilium-extra:\n  x: 1\n',
      'west/values.yaml': 'replicaCount: 1\n',
    });
    expect(clusters.get('east')!.cilium.map((c) => [c.clusterName?.value, c.clusterID?.value])).toEqual([['east', 1]]);
  });

  it('HelmRelease: valuesFrom in order (Secret stringData, base64 data, targetPath), spec.values last; references of other clusters are not used', async () => {
    const secret = Buffer.from('cluster:\n  id: 5\n').toString('base64');
    const { root, clusters } = await clustersOf({
      'east/release.yaml': yaml`
        apiVersion: helm.toolkit.fluxcd.io/v2beta2
        kind: HelmRelease
        metadata:
          name: cilium
          namespace: kube-system
        spec:
          chart:
            spec:
              chart: cilium
          valuesFrom:
            - kind: Secret
              name: cilium-secret
            - kind: ConfigMap
              name: cilium-pool
              valuesKey: pool
              targetPath: ipam.operator.clusterPoolIPv4PodCIDRList[0]
            - kind: ConfigMap
              name: missing
              optional: true
            - kind: ConfigMap
              name: west-only
          values:
            cluster:
              name: east
      `,
      'east/refs.yaml': yaml`
        apiVersion: v1
        kind: Secret
        metadata:
          name: cilium-secret
          namespace: kube-system
        data:
          values.yaml: ${secret}
        ---
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: cilium-pool
          namespace: kube-system
        data:
          pool: 10.7.0.0/16
      `,
      'west/refs.yaml': yaml`
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: west-only
          namespace: kube-system
        data:
          values.yaml: "cluster: {id: 99}"
      `,
    });
    const east = clusters.get('east')!;
    expect(east.cilium).toHaveLength(1);
    const cilium = east.cilium[0];
    expect(cilium.clusterName?.value).toBe('east');
    expect(cilium.clusterID?.value).toBe(5);
    expect(rel(root, cilium.clusterID!.source.file)).toBe('east/refs.yaml');
    expect(cilium.clusterID!.source.path).toEqual(['data', 'values.yaml']);
    expect(cilium.clusterID!.source.object?.kind).toBe('Secret');
    expect(east.network.podCIDRs.map((f) => [f.value.text, f.source.doc, f.source.path])).toEqual([['10.7.0.0/16', 1, ['data', 'pool']]]);
    expect(rel(root, cilium.at.file)).toBe('east/release.yaml');
  });

  it('Argo CD: valueFiles relative to the source path, then values, then parameters; facts go to the destination cluster of the set', async () => {
    const { root, clusters } = await clustersOf({
      'clusters/hub/apps/cilium-west.yaml': yaml`
        apiVersion: argoproj.io/v1alpha1
        kind: Application
        metadata:
          name: cilium-west
        spec:
          source:
            repoURL: https://git.example/fleet.git
            path: charts/cilium
            helm:
              valueFiles:
                - values-west.yaml
                - missing.yaml
              values: |
                clustermesh:
                  useAPIServer: true
              parameters:
                - name: cluster.name
                  value: west
          destination:
            name: west
      `,
      'clusters/west/ns.yaml': 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: kube-system\n',
      'charts/cilium/values-west.yaml': 'cluster:\n  name: from-file\n  id: 4\n',
    });
    expect(clusters.get('hub')!.cilium).toEqual([]);
    const west = clusters.get('west')!;
    expect(west.cilium).toHaveLength(1);
    const cilium = west.cilium[0];
    expect(cilium.clusterName?.value).toBe('west');
    expect(cilium.clusterName?.source.cluster).toBe('west');
    expect(cilium.clusterName?.source.path).toEqual(['spec', 'source', 'helm', 'parameters', 0, 'value']);
    expect(cilium.clusterID?.value).toBe(4);
    expect(rel(root, cilium.clusterID!.source.file)).toBe('charts/cilium/values-west.yaml');
    expect(cilium.clusterMesh).toBe(true);
  });

  it('helmfile: a values file read as a release layer is not also a stand-alone values document; inline values and set follow', async () => {
    const { clusters } = await clustersOf({
      'east/helmfile.yaml': yaml`
        releases:
          - name: cilium
            chart: cilium/cilium
            values:
              - cilium-values.yaml
              - clustermesh:
                  useAPIServer: true
              - "{{ .Environment.Name }}.yaml"
            set:
              - name: cluster.id
                value: 7
          - name: istiod
            chart: istio/istiod
            installed: false
            values:
              - global: {meshID: m}
      `,
      'east/cilium-values.yaml': 'cluster:\n  name: east\n  id: 1\nipam:\n  mode: kubernetes\n',
      'west/values.yaml': 'replicaCount: 1\n',
    });
    const east = clusters.get('east')!;
    expect(east.cilium.map((c) => [c.clusterName?.value, c.clusterID?.value, c.clusterMesh])).toEqual([['east', 7, true]]);
    expect(east.istio).toEqual([]);
  });

  it('the chart name keeps one project from reading the values of the other', async () => {
    const { clusters } = await clustersOf({
      'east/release.yaml': yaml`
        apiVersion: helm.toolkit.fluxcd.io/v2
        kind: HelmRelease
        metadata:
          name: gw
        spec:
          chart:
            spec:
              chart: gateway
          values:
            cluster: {name: east, id: 1}
            clustermesh: {}
      `,
      'west/values.yaml': 'replicaCount: 1\n',
    });
    expect(clusters.get('east')!.cilium).toEqual([]);
  });

  it('bad input never crashes: malformed carriers and references give no values', async () => {
    const { clusters } = await clustersOf({
      'east/bad.yaml': yaml`
        apiVersion: helm.toolkit.fluxcd.io/v2
        kind: HelmRelease
        metadata:
          name: bad
        spec:
          valuesFrom: [1, {kind: ConfigMap}, {kind: Secret, name: s}, {kind: ConfigMap, name: c, targetPath: "a[x"}]
          values: 3
        ---
        apiVersion: argoproj.io/v1alpha1
        kind: Application
        metadata:
          name: bad
        spec:
          source: {helm: {valueFiles: [1, "$values", "/etc/passwd"], values: "- a", parameters: [{name: "", value: x}, 3]}}
          sources: 4
        ---
        apiVersion: v1
        kind: Secret
        metadata:
          name: s
        data:
          values.yaml: "!!!not base64"
        ---
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: c
        data:
          values.yaml: "a: [unclosed"
      `,
      'east/helmfile.yaml': 'releases:\n  - 1\n  - name: x\n    values: [3, ../../../nowhere.yaml]\n',
      'west/values.yaml': 'replicaCount: 1\n',
    });
    expect(clusters.get('east')!.cilium).toEqual([]);
  });
});

describe('end to end', () => {
  it('istio-mesh-identity reads clusterName from an umbrella istiod section (global under the sub-chart key)', async () => {
    const values = (name: string) => yaml`
      istio-base:
        enabled: true
      istiod:
        global:
          meshID: mesh1
          multiCluster:
            clusterName: ${name}
          network: net1
    `;
    const { relFindings, internalErrors } = await lintScenario({ 'east/values.yaml': values('shared'), 'west/values.yaml': values('shared') }, { rules: [istioMeshIdentity] });
    expect(internalErrors).toEqual([]);
    expect(relFindings.map((f) => `${f.file}:${f.line}:${f.column}`)).toEqual(['west/values.yaml:7:20']);
  });
});
