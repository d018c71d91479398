import { resolve, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import rule from '../../rules/prometheus-external-labels.js';
import { lint } from '../../src/lint.js';
import { shortenReleaseName } from '../../src/model/sources/helm-release.js';
import { submariner } from '../helpers/manifests.js';
import { ruleTester } from '../helpers/rule-tester.js';

/**
 * A Prometheus CR: `name` on line 4, `spec:` on line 6; with labels, `externalLabels:` on line 7
 * (findings about the set point at its key, line 7, column 3) and the labels from line 8 on, values at column 7 + name length.
 */
function cr(labels: Record<string, string> | undefined, name = 'k8s', extra = ''): string {
  let out = `apiVersion: monitoring.coreos.com/v1\nkind: Prometheus\nmetadata:\n  name: ${name}\n  namespace: monitoring\nspec:\n`;
  if (labels)
    out += `  externalLabels:\n${Object.entries(labels)
      .map(([k, v]) => `    ${k}: ${JSON.stringify(v)}\n`)
      .join('')}`;
  return out + extra;
}
const LABELS = { line: 7, column: 3 };
/** Label `i` (0-based) of `cr(labels)`: its value. */
const label = (name: string, i = 0) => ({ line: 8 + i, column: 7 + name.length });

/** A ConfigMap holding prometheus.yml: the `prometheus.yml` value on line 6, column 19. */
const configMap = (labels: string) =>
  `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: prometheus-server\ndata:\n  prometheus.yml: |\n    global:\n      scrape_interval: 30s\n      external_labels:\n${labels
    .split('\n')
    .map((l) => `        ${l}`)
    .join('\n')}\n    scrape_configs: []\n`;
const PROM_YML = { line: 6, column: 19 };

/** kube-prometheus-stack values: `externalLabels:` on line 3, column 5 (where findings about the set point). */
const stack = (labels: Record<string, string>) =>
  `prometheus:\n  prometheusSpec:\n    externalLabels:\n${Object.entries(labels)
    .map(([k, v]) => `      ${k}: ${v}\n`)
    .join('')}`;
const STACK = { line: 3, column: 5 };

/**
 * A Flux HelmRelease of kube-prometheus-stack: `name` on line 4, `namespace` on line 5, the values'
 * `externalLabels:` on line 14, column 9 (where findings about the set point), its labels from
 * line 15 on (values at column 13 + name length); more `prometheusSpec` lines, top-level values
 * lines (`top`) and `spec` lines (`releaseName: x`) follow.
 */
function helmRelease(o: { name?: string; namespace?: string; labels: Record<string, string>; spec?: string[]; values?: string[]; top?: string[] }): string {
  return [
    'apiVersion: helm.toolkit.fluxcd.io/v2',
    'kind: HelmRelease',
    'metadata:',
    `  name: ${o.name ?? 'kube-prometheus-stack'}`,
    `  namespace: ${o.namespace ?? 'monitoring'}`,
    'spec:',
    '  interval: 30m',
    '  chart:',
    '    spec: {chart: kube-prometheus-stack, sourceRef: {kind: HelmRepository, name: prometheus-community}}',
    '  values:',
    '    fullnameOverride: ""',
    '    prometheus:',
    '      prometheusSpec:',
    '        externalLabels:',
    ...Object.entries(o.labels).map(([k, v]) => `          ${k}: ${v}`),
    ...(o.values ?? []).map((l) => `        ${l}`),
    ...(o.top ?? []).map((l) => `    ${l}`),
    ...(o.spec ?? []).map((l) => `  ${l}`),
    '',
  ].join('\n');
}
const RELEASE = { line: 14, column: 9 };
/** A ClusterProperty `cluster.clusterset.k8s.io`: its value on line 6, column 10. */
const clusterProperty = (value: string) => `apiVersion: about.k8s.io/v1alpha1\nkind: ClusterProperty\nmetadata:\n  name: cluster.clusterset.k8s.io\nspec:\n  value: ${value}\n`;
/** A Submariner CR: its `clusterID` value on line 7, column 14. */
const sub = (clusterID: string) => submariner({ clusterID, clusterCIDR: '10.0.0.0/16', serviceCIDR: '10.96.0.0/16' });

ruleTester(rule, {
  valid: [
    {
      name: 'every cluster labels its Prometheus with its own name',
      files: { 'east/prom.yaml': cr({ cluster: 'east' }), 'west/prom.yaml': cr({ cluster: 'west' }) },
    },
    {
      name: "an HA pair in one cluster (same labels, told apart by the operator's replica label)",
      files: { 'east/a.yaml': cr({ region: 'eu' }, 'k8s'), 'east/b.yaml': cr({ region: 'eu' }, 'k8s') },
    },
    {
      name: "no external labels, but differently named CRs: the operator's prometheus label differs",
      files: { 'east/prom.yaml': cr(undefined, 'prometheus-east'), 'west/prom.yaml': cr(undefined, 'prometheus-west') },
    },
    {
      name: 'placeholders are unknown: never compared, never a wrong cluster label',
      files: { 'east/prom.yaml': cr({ cluster: '${CLUSTER_NAME}' }), 'west/prom.yaml': cr({ cluster: '${CLUSTER_NAME}' }), 'west/cm.yaml': configMap('cluster: ${CLUSTER}') },
    },
    {
      name: 'prometheus.yml and kube-prometheus-stack values with distinct labels; the cluster label may carry a ClusterProperty id',
      files: {
        'east/cm.yaml': configMap('cluster: east\nenv: prod'),
        'west/cm.yaml': configMap('cluster: west\nenv: prod'),
        'west/values.yaml': stack({ cluster: 'west' }),
        'north/values.yaml': stack({ cluster: 'prod-north-1' }),
        'north/id.yaml': 'apiVersion: about.k8s.io/v1alpha1\nkind: ClusterProperty\nmetadata:\n  name: cluster.clusterset.k8s.io\nspec:\n  value: prod-north-1\n',
      },
    },
    {
      name: 'cluster labels that name no cluster of the set, in clusters that declare no identity: folder names are layout (thanos-io/thanos tutorial)',
      files: {
        'europe/prometheus0_eu1.yaml': configMap('cluster: eu1\nreplica: 0'),
        'usa/prometheus0_us1.yaml': configMap('cluster: us1\nreplica: 0'),
        'usa/prometheus1_us1.yaml': configMap('cluster: us1\nreplica: 1'),
      },
    },
    {
      name: 'a cluster label may hold any declared identity: Istio clusterName, Karmada Cluster name, config-declared name, Submariner clusterID',
      files: {
        'mclint.config.yaml': 'clusters:\n  - name: europe\n    path: eu\n  - name: hub\n    path: hub\n  - name: member1\n    path: member1\n  - name: north\n    path: north\n',
        'eu/cm.yaml': configMap('cluster: europe'),
        'north/istio.yaml': 'global:\n  meshID: mesh1\n  multiCluster:\n    clusterName: prod-north\n  network: n1\n',
        'north/prom.yaml': cr({ cluster: 'prod-north' }, 'k8s-north'),
        'hub/members.yaml': 'apiVersion: cluster.karmada.io/v1alpha1\nkind: Cluster\nmetadata:\n  name: member1\nspec:\n  syncMode: Push\n',
        'member1/prom.yaml': cr({ cluster: 'member1' }, 'k8s-member1'),
        'member1/submariner.yaml': sub('m1'),
        'member1/prom2.yaml': cr({ cluster: 'm1', shard: '2' }, 'k8s-member1-shard2'),
      },
    },
    {
      name: 'Flux HelmReleases of kube-prometheus-stack with the same values but different releases are different servers',
      files: {
        'east/release.yaml': helmRelease({ labels: { env: 'prod' } }),
        'west/release.yaml': helmRelease({ labels: { env: 'prod' }, spec: ['targetNamespace: observability'] }),
        'north/release.yaml': helmRelease({ labels: { env: 'prod' }, spec: ['releaseName: kps'] }),
        'south/release.yaml': helmRelease({ labels: { env: 'prod' }, values: ['prometheusExternalLabelName: ""'], spec: ['releaseName: ${RELEASE}'] }),
      },
    },
    {
      name: 'garbage never crashes: labels as a list or a string, a broken prometheus.yml, values without a spec mapping',
      files: {
        'east/prom.yaml': 'apiVersion: monitoring.coreos.com/v1\nkind: Prometheus\nmetadata:\n  name: k8s\n  namespace: monitoring\nspec:\n  externalLabels: [a, b]\n',
        'west/prom.yaml':
          'apiVersion: monitoring.coreos.com/v1\nkind: Prometheus\nmetadata:\n  name: k8s2\n  namespace: monitoring\nspec:\n  externalLabels: nope\n  replicaExternalLabelName: 7\n',
        'west/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: p\ndata:\n  prometheus.yml: "global: [: {"\n',
        'west/values.yaml': 'prometheus:\n  prometheusSpec: 3\n',
      },
    },
  ],
  invalid: [
    {
      name: 'the same Prometheus CR (name, namespace, labels) in two clusters',
      files: { 'east/prom.yaml': cr({ region: 'eu' }), 'west/prom.yaml': cr({ region: 'eu' }) },
      findings: [
        {
          file: 'west/prom.yaml',
          ...LABELS,
          severity: 1,
          cluster: 'west',
          messageId: 'duplicate',
          data: { origin: 'Prometheus CR', cluster: 'west', firstOrigin: 'Prometheus CR', firstCluster: 'east', labels: 'prometheus="monitoring/k8s", region="eu"' },
          related: [{ file: 'east/prom.yaml', ...LABELS, cluster: 'east' }],
        },
      ],
    },
    {
      name: 'a cluster label copied from another cluster: wrong label, and the sets collide',
      files: { 'east/prom.yaml': cr({ cluster: 'east' }), 'west/prom.yaml': cr({ cluster: 'east' }) },
      findings: [
        {
          file: 'west/prom.yaml',
          ...label('cluster'),
          messageId: 'clusterLabel',
          data: { origin: 'Prometheus CR', cluster: 'west', label: 'cluster', value: 'east', other: 'east' },
          // "east" is a folder name: no line to point at.
          related: [],
        },
        { file: 'west/prom.yaml', ...LABELS, messageId: 'duplicate', data: { firstCluster: 'east' } },
      ],
    },
    {
      name: 'labels that differ only in replica labels (default `replica`, a CR replicaExternalLabelName, the replicaLabels option)',
      files: {
        'mclint.config.yaml': 'rules:\n  prometheus-external-labels: [warn, { replicaLabels: [ha_member] }]\n',
        'east/prom.yaml': cr({ region: 'eu', replica: 'a', ha_member: '1', pod: 'x' }, 'k8s', '  replicaExternalLabelName: pod\n'),
        'west/prom.yaml': cr({ region: 'eu', replica: 'b', ha_member: '2' }),
      },
      findings: [{ file: 'west/prom.yaml', ...LABELS, messageId: 'duplicate', data: { labels: 'prometheus="monitoring/k8s", region="eu"' } }],
    },
    {
      name: 'prometheus.yml ConfigMaps and kube-prometheus-stack values copied between clusters',
      files: {
        'east/cm.yaml': configMap('env: prod'),
        'west/cm.yaml': configMap('env: prod'),
        'east/values.yaml': stack({ env: 'prod' }),
        'west/values.yaml': stack({ env: 'prod' }),
      },
      findings: [
        {
          file: 'west/cm.yaml',
          ...PROM_YML,
          messageId: 'duplicate',
          data: { origin: 'prometheus.yml in ConfigMap prometheus-server', labels: 'env="prod"' },
          related: [{ file: 'east/cm.yaml', ...PROM_YML, cluster: 'east' }],
        },
        {
          file: 'west/values.yaml',
          ...STACK,
          messageId: 'duplicate',
          data: {
            origin: 'kube-prometheus-stack Prometheus',
            labels: 'env="prod", prometheus="<release namespace>/<release>-prometheus" (assuming the same Helm release name and namespace)',
          },
          related: [{ file: 'east/values.yaml', ...STACK, cluster: 'east' }],
        },
      ],
    },
    {
      name: 'PrometheusAgent CRs and prometheus chart values (server.global.external_labels) copied between clusters',
      files: {
        'east/agent.yaml': cr({ env: 'prod' }, 'agent').replace('kind: Prometheus', 'kind: PrometheusAgent').replace('/v1', '/v1alpha1'),
        'west/agent.yaml': cr({ env: 'prod' }, 'agent').replace('kind: Prometheus', 'kind: PrometheusAgent').replace('/v1', '/v1alpha1'),
        'east/values.yaml': 'server:\n  global:\n    external_labels:\n      cluster: east\n',
        'west/values.yaml': 'server:\n  global:\n    external_labels:\n      cluster: east\n',
      },
      findings: [
        { file: 'west/agent.yaml', ...LABELS, messageId: 'duplicate', data: { origin: 'PrometheusAgent CR', labels: 'env="prod", prometheus="monitoring/agent"' } },
        {
          file: 'west/values.yaml',
          line: 3,
          column: 5,
          messageId: 'duplicate',
          data: { origin: 'prometheus chart server', labels: 'cluster="east"' },
          related: [{ file: 'east/values.yaml', line: 3, column: 5, cluster: 'east' }],
        },
        { file: 'west/values.yaml', line: 4, column: 16, messageId: 'clusterLabel', data: { origin: 'prometheus chart server', value: 'east', other: 'east' } },
      ],
    },
    {
      name: 'the clusterLabel option names the label read',
      files: {
        'mclint.config.yaml': 'rules:\n  prometheus-external-labels: [warn, { clusterLabel: k8s_cluster }]\n',
        'east/prom.yaml': cr({ k8s_cluster: 'staging', cluster: 'x' }),
        'staging/prom.yaml': cr({ k8s_cluster: 'staging' }, 'k8s-staging'),
      },
      findings: [{ file: 'east/prom.yaml', ...label('k8s_cluster'), messageId: 'clusterLabel', data: { label: 'k8s_cluster', value: 'staging', other: 'staging' } }],
    },
    {
      name: "a cluster label that differs from the cluster's declared identity (Submariner clusterID), and one holding another cluster's ClusterProperty id",
      files: {
        'east/prom.yaml': cr({ cluster: 'eu1' }),
        'east/submariner.yaml': sub('prod-east'),
        'west/prom.yaml': cr({ cluster: 'prod-east-2' }, 'k8s-west'),
        'north/id.yaml': clusterProperty('prod-east-2'),
      },
      findings: [
        {
          file: 'east/prom.yaml',
          ...label('cluster'),
          severity: 1,
          cluster: 'east',
          messageId: 'clusterIdentity',
          data: { origin: 'Prometheus CR', cluster: 'east', label: 'cluster', value: 'eu1', claim: 'Submariner spec.clusterID "prod-east"', identity: 'prod-east' },
          related: [{ file: 'east/submariner.yaml', line: 7, column: 14, cluster: 'east' }],
        },
        {
          file: 'west/prom.yaml',
          ...label('cluster'),
          severity: 1,
          cluster: 'west',
          messageId: 'clusterLabel',
          data: { cluster: 'west', value: 'prod-east-2', other: 'north' },
          related: [{ file: 'north/id.yaml', line: 6, column: 10, cluster: 'north' }],
        },
      ],
    },
    {
      name: 'a cluster whose name the config file declares: a cluster label naming something else is reported against it',
      files: {
        'mclint.config.yaml': 'clusters:\n  - name: europe\n    path: eu\n',
        'eu/cm.yaml': configMap('cluster: eu1\nreplica: 0'),
      },
      findings: [
        {
          file: 'eu/cm.yaml',
          ...PROM_YML,
          cluster: 'europe',
          messageId: 'clusterIdentity',
          data: { cluster: 'europe', value: 'eu1', claim: 'config clusters[].name "europe"', identity: 'europe' },
          related: [{ file: 'mclint.config.yaml', line: 2, column: 11, cluster: 'europe' }],
        },
      ],
    },
    {
      name: 'Flux HelmReleases: the CR name and namespace come from the release (same HelmRelease in two clusters), the chart drops the label only with prometheusExternalLabelNameClear',
      files: {
        'east/release.yaml': helmRelease({ labels: { env: 'prod' } }),
        'west/release.yaml': helmRelease({ labels: { env: 'prod' } }),
        'east/cleared.yaml': helmRelease({ name: 'other', labels: { env: 'dev' }, values: ['prometheusExternalLabelNameClear: true'] }),
        'west/cleared.yaml': helmRelease({ name: 'other2', namespace: 'obs', labels: { env: 'dev' }, values: ['prometheusExternalLabelNameClear: true'] }),
      },
      findings: [
        {
          file: 'west/release.yaml',
          ...RELEASE,
          messageId: 'duplicate',
          data: { origin: 'kube-prometheus-stack Prometheus', firstCluster: 'east', labels: 'env="prod", prometheus="monitoring/kube-prometheus-stack-prometheus"' },
          related: [{ file: 'east/release.yaml', ...RELEASE, cluster: 'east' }],
        },
        { file: 'west/cleared.yaml', ...RELEASE, messageId: 'duplicate', data: { labels: 'env="dev"' }, related: [{ file: 'east/cleared.yaml', ...RELEASE, cluster: 'east' }] },
      ],
    },
    {
      name: 'Flux HelmReleases: releaseName, targetNamespace, nameOverride and cleanPrometheusOperatorObjectNames name the CR; namespaceOverride and fullnameOverride win',
      files: {
        'a/release.yaml': helmRelease({ name: 'kps', namespace: 'flux-system', labels: { env: 'prod' }, spec: ['targetNamespace: monitoring'] }),
        'b/release.yaml': helmRelease({ name: 'kps', namespace: 'flux-system', labels: { env: 'prod' }, spec: ['targetNamespace: monitoring', 'releaseName: metrics'] }),
        'c/release.yaml': helmRelease({ labels: { env: 'prod' }, spec: ['releaseName: metrics', 'targetNamespace: monitoring'] }),
        'd/release.yaml': helmRelease({ name: 'mon', labels: { env: 'prod' }, top: ['nameOverride: mon', 'cleanPrometheusOperatorObjectNames: true'] }),
        'e/values.yaml':
          'fullnameOverride: mon\nnamespaceOverride: monitoring\ncleanPrometheusOperatorObjectNames: true\nprometheus:\n  prometheusSpec:\n    externalLabels:\n      env: prod\n',
      },
      findings: [
        {
          file: 'c/release.yaml',
          ...RELEASE,
          messageId: 'duplicate',
          data: { firstCluster: 'b', labels: 'env="prod", prometheus="monitoring/metrics-kube-prometheus-st-prometheus"' },
        },
        { file: 'e/values.yaml', line: 6, column: 5, messageId: 'duplicate', data: { firstCluster: 'd', labels: 'env="prod", prometheus="monitoring/mon"' } },
      ],
    },
  ],
});

describe('shortenReleaseName (fluxcd/helm-controller internal/release ShortenName)', () => {
  it('keeps names of up to 53 characters and cuts longer ones to 40 characters, a dash and 12 hex digits of their SHA-256', () => {
    expect(shortenReleaseName('a'.repeat(53))).toBe('a'.repeat(53));
    const long = `${'monitoring-'.repeat(5)}kube-prometheus-stack`;
    const short = shortenReleaseName(long);
    expect(short).toMatch(/^monitoring-monitoring-monitoring-monitor-[0-9a-f]{12}$/);
    expect(short).toHaveLength(53);
  });
});

describe('fixtures/prometheus-fleet (kube-prometheus manifests copied between clusters)', () => {
  it('reports the copied labels and the wrong cluster label, each at its line', async () => {
    const root = resolve(import.meta.dirname, '..', '..', 'fixtures', 'prometheus-fleet');
    const result = await lint({ dirs: [root], rules: [rule] });
    const rel = (f: string) => relative(root, f).split('\\').join('/');
    const found = result.findings.map((f) => `${rel(f.file)}:${f.line}:${f.column} ${f.messageId} ${f.related.map((r) => `${rel(r.file)}:${r.line}:${r.column}`).join(' ')}`);
    expect(found.sort()).toEqual(FIXTURE_FINDINGS.sort());
  });
});

const FIXTURE_FINDINGS = ['us-east-1/prometheus.yaml:10:14 clusterLabel ', 'us-east-1/prometheus.yaml:9:3 duplicate eu-west-1/prometheus.yaml:9:3'];
