import rule from '../../rules/cilium-global-service.js';
import { ruleTester } from '../helpers/rule-tester.js';
import { svc } from '../helpers/mcs.js';

// svc() with a namespace and `meta` lines: line 6 `annotations:`, annotation k on line 7+k with its
// value after `    <key>: `; the ports follow two lines after the last meta line.
const annotated = (annotations: Record<string, string>, ports = ['name: http, port: 80'], name = 'rebel-base', namespace = 'rebels') =>
  svc({ name, namespace, ports, meta: ['annotations:', ...Object.entries(annotations).map(([k, v]) => `  ${k}: ${JSON.stringify(v)}`)] });
const value = (k: number, key: string) => ({ line: 7 + k, column: 5 + key.length + 2 });
const GLOBAL = { 'service.cilium.io/global': 'true' };
const SERVICE = 'Service "rebels/rebel-base"';
const EXPORT = 'apiVersion: multicluster.x-k8s.io/v1alpha1\nkind: ServiceExport\nmetadata: {name: rebel-base, namespace: rebels}\n';

ruleTester(rule, {
  valid: [
    {
      name: 'a global service in both clusters (cilium global-service-example)',
      files: { 'cluster1/svc.yaml': annotated(GLOBAL), 'cluster2/svc.yaml': annotated({ ...GLOBAL, 'service.cilium.io/shared': 'false', 'service.cilium.io/affinity': 'local' }) },
    },
    {
      name: 'legacy io.cilium/global-service and "True" in any case',
      files: { 'cluster1/svc.yaml': annotated({ 'io.cilium/global-service': 'True' }), 'cluster2/svc.yaml': annotated(GLOBAL) },
    },
    {
      name: 'ports of a global service also exported with MCS from both clusters are left to serviceimport-port-conflict',
      files: {
        'cluster1/svc.yaml': `${annotated(GLOBAL, ['name: http, port: 80'])}---\n${EXPORT}`,
        'cluster2/svc.yaml': `${annotated(GLOBAL, ['name: web, port: 80'])}---\n${EXPORT}`,
      },
    },
    {
      name: 'a single-cluster set is not compared',
      files: { 'svc.yaml': annotated(GLOBAL) },
    },
  ],
  invalid: [
    {
      name: 'annotation values Cilium does not recognise',
      files: {
        'cluster1/svc.yaml': annotated({ 'service.cilium.io/global': 'true', 'service.cilium.io/affinity': 'nearest' }),
        'cluster2/svc.yaml': annotated({ 'service.cilium.io/global': 'yes' }),
      },
      findings: [
        {
          file: 'cluster1/svc.yaml',
          ...value(1, 'service.cilium.io/affinity'),
          severity: 2,
          messageId: 'badAffinity',
          data: { service: SERVICE, cluster: 'cluster1', key: 'service.cilium.io/affinity', value: '"nearest"' },
        },
        {
          file: 'cluster2/svc.yaml',
          ...value(0, 'service.cilium.io/global'),
          severity: 2,
          messageId: 'notBoolean',
          data: { service: SERVICE, cluster: 'cluster2', key: 'service.cilium.io/global', value: '"yes"' },
        },
        {
          file: 'cluster1/svc.yaml',
          ...value(0, 'service.cilium.io/global'),
          severity: 1,
          messageId: 'globalHereOnly',
          data: { service: SERVICE, cluster: 'cluster1', others: '"cluster2"', global: 'service.cilium.io/global' },
          related: [{ file: 'cluster2/svc.yaml', line: 4, column: 9, cluster: 'cluster2' }],
        },
      ],
    },
    {
      name: 'shared or affinity without global is ignored',
      files: { 'cluster1/svc.yaml': annotated({ 'service.cilium.io/shared': 'false' }), 'cluster2/svc.yaml': annotated({}) },
      findings: [
        {
          file: 'cluster1/svc.yaml',
          ...value(0, 'service.cilium.io/shared'),
          severity: 1,
          messageId: 'withoutGlobal',
          data: { service: SERVICE, cluster: 'cluster1', key: 'service.cilium.io/shared', global: 'service.cilium.io/global' },
        },
      ],
    },
    {
      name: 'a global service in one cluster only',
      files: { 'cluster1/svc.yaml': annotated(GLOBAL), 'cluster2/other.yaml': annotated({}, ['port: 80'], 'x-wing') },
      findings: [
        {
          file: 'cluster1/svc.yaml',
          ...value(0, 'service.cilium.io/global'),
          severity: 1,
          messageId: 'noRemoteService',
          data: { service: SERVICE, cluster: 'cluster1', name: 'rebels/rebel-base' },
          related: [],
        },
      ],
    },
    {
      name: 'a global Service in a Namespace annotated clustermesh.cilium.io/global: "false"',
      files: {
        'cluster1/ns.yaml': 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: rebels\n  annotations:\n    clustermesh.cilium.io/global: "false"\n',
        'cluster1/svc.yaml': annotated(GLOBAL),
        'cluster2/svc.yaml': annotated(GLOBAL),
      },
      findings: [
        {
          file: 'cluster1/svc.yaml',
          ...value(0, 'service.cilium.io/global'),
          severity: 2,
          messageId: 'namespaceNotGlobal',
          data: { service: SERVICE, cluster: 'cluster1', key: 'service.cilium.io/global', namespace: 'rebels', because: 'Namespace annotation clustermesh.cilium.io/global' },
          related: [{ file: 'cluster1/ns.yaml', line: 6, column: 35 }],
        },
        {
          file: 'cluster2/svc.yaml',
          ...value(0, 'service.cilium.io/global'),
          severity: 1,
          messageId: 'globalHereOnly',
          data: { service: SERVICE, cluster: 'cluster2', others: '"cluster1"' },
        },
      ],
    },
    {
      name: 'no cluster shares the global service',
      files: {
        'cluster1/svc.yaml': annotated({ ...GLOBAL, 'service.cilium.io/shared': 'false' }),
        'cluster2/svc.yaml': annotated({ ...GLOBAL, 'service.cilium.io/shared': 'false' }),
      },
      findings: [
        {
          file: 'cluster1/svc.yaml',
          ...value(0, 'service.cilium.io/global'),
          severity: 1,
          messageId: 'notShared',
          data: { service: SERVICE, clusters: '"cluster1", "cluster2"', shared: 'service.cilium.io/shared' },
          related: [{ file: 'cluster2/svc.yaml', ...value(0, 'service.cilium.io/global'), cluster: 'cluster2' }],
        },
      ],
    },
    {
      name: 'ports join by name: a renamed port is an error, reported once; a missing one a warning',
      files: {
        'cluster1/svc.yaml': annotated(GLOBAL, ['name: http, port: 80', 'name: metrics, port: 9090']),
        'cluster2/svc.yaml': annotated(GLOBAL, ['name: web, port: 80']),
      },
      findings: [
        {
          file: 'cluster1/svc.yaml',
          line: 10,
          column: 7,
          severity: 2,
          messageId: 'portRenamed',
          data: { port: 'http 80/TCP', service: SERVICE, cluster: 'cluster1', portName: 'http', missing: '"cluster2"', renamed: '"cluster2" names 80/TCP "web"' },
          related: [{ file: 'cluster2/svc.yaml', line: 9, column: 3, cluster: 'cluster2' }],
        },
        {
          file: 'cluster1/svc.yaml',
          line: 11,
          column: 7,
          severity: 1,
          messageId: 'portMissing',
          data: { port: 'metrics 9090/TCP', service: SERVICE, cluster: 'cluster1', portName: 'metrics', missing: '"cluster2"' },
        },
      ],
    },
  ],
});
