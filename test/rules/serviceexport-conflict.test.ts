import rule from '../../rules/serviceexport-conflict.js';
import { ruleTester } from '../helpers/rule-tester.js';
import { exported, svc, svcExport } from '../helpers/mcs.js';
import { docs, submariner } from '../helpers/manifests.js';

// A Service with namespace, one port and `spec` lines: spec line k (0-based) is on line 9+k,
// its value after `key: ` (column 3 + key length + 2).
const specLine = (k: number, key: string) => ({ line: 9 + k, column: 3 + key.length + 2 });
const HTTP = ['name: http, port: 80'];
const lighthouse = (clusterID: string) => submariner({ clusterID, clusterCIDR: '10.0.0.0/16', serviceCIDR: '172.16.0.0/16', serviceDiscovery: true });

ruleTester(rule, {
  valid: [
    {
      name: 'the same settings everywhere; absent internalTrafficPolicy equals Cluster',
      files: {
        'a/web.yaml': exported({ name: 'web', namespace: 'shop', ports: HTTP, spec: ['sessionAffinity: ClientIP', 'internalTrafficPolicy: Cluster'] }),
        'b/web.yaml': exported({ name: 'web', namespace: 'shop', ports: HTTP, spec: ['sessionAffinity: ClientIP', 'sessionAffinityConfig: {clientIP: {timeoutSeconds: 10800}}'] }),
      },
    },
    {
      name: 'IP families with one in common',
      files: {
        'a/web.yaml': exported({ name: 'web', namespace: 'shop', ports: HTTP, spec: ['ipFamilies: [IPv4, IPv6]'] }),
        'b/web.yaml': exported({ name: 'web', namespace: 'shop', ports: HTTP, spec: ['ipFamilies: [IPv6]'] }),
        'c/web.yaml': exported({ name: 'web', namespace: 'shop', ports: HTTP }),
      },
    },
    {
      name: 'Lighthouse does not compare traffic policies or exported labels',
      files: {
        'a/submariner.yaml': lighthouse('a'),
        'a/web.yaml': exported({ name: 'web', namespace: 'shop', ports: HTTP, spec: ['internalTrafficPolicy: Local'] }),
        'b/submariner.yaml': lighthouse('b'),
        'b/web.yaml': exported({ name: 'web', namespace: 'shop', ports: HTTP }),
      },
    },
    {
      name: 'a headless Service exported from one cluster only',
      files: {
        'a/web.yaml': exported({ name: 'web', namespace: 'shop', ports: HTTP, spec: ['clusterIP: None'] }),
        'b/web.yaml': svc({ name: 'web', namespace: 'shop', ports: HTTP }),
      },
    },
  ],
  invalid: [
    {
      // mcs-api conformance testServiceTypeConflict: the second cluster's Service is headless.
      name: 'TypeConflict: headless vs ClusterSetIP, the oldest export decides',
      files: {
        'a/hello.yaml': exported({ name: 'hello', namespace: 'demo', ports: HTTP }),
        'b/hello.yaml': exported({ name: 'hello', namespace: 'demo', ports: HTTP, spec: ['clusterIP: None'] }),
      },
      findings: [
        {
          file: 'b/hello.yaml',
          ...specLine(0, 'clusterIP'),
          cluster: 'b',
          messageId: 'typeConflict',
          data: { service: '"demo/hello"', property: 'type', value: 'Headless', cluster: 'b', winnerValue: 'ClusterSetIP', winner: 'a' },
          related: [{ file: 'a/hello.yaml', line: 4, column: 9, cluster: 'a' }],
        },
      ],
    },
    {
      name: 'TypeConflict under Lighthouse: the later cluster is not exported; its other conflicts are not reported',
      files: {
        'a/submariner.yaml': lighthouse('a'),
        'a/db.yaml': exported({ name: 'db', namespace: 'data', ports: HTTP, spec: ['clusterIP: None'], created: '2024-01-01T00:00:00Z' }),
        'b/submariner.yaml': lighthouse('b'),
        'b/db.yaml': exported({ name: 'db', namespace: 'data', ports: HTTP, spec: ['sessionAffinity: ClientIP'], created: '2024-02-01T00:00:00Z' }),
      },
      findings: [
        {
          file: 'b/db.yaml',
          line: 4,
          column: 9,
          messageId: 'typeConflictLighthouse',
          data: {
            value: 'ClusterSetIP',
            cluster: 'b',
            winnerValue: 'Headless',
            winner: 'a',
            precedence: 'whose ServiceExport is the oldest (creationTimestamp 2024-01-01T00:00:00Z)',
          },
          related: [{ file: 'a/db.yaml', ...specLine(0, 'clusterIP'), cluster: 'a' }],
        },
      ],
    },
    {
      name: 'Lighthouse words session affinity conflicts as its own; traffic policies are not compared',
      files: {
        'a/submariner.yaml': lighthouse('a'),
        'a/web.yaml': exported({ name: 'web', namespace: 'shop', ports: HTTP, spec: ['sessionAffinity: ClientIP', 'sessionAffinityConfig: {clientIP: {timeoutSeconds: 60}}'] }),
        'b/submariner.yaml': lighthouse('b'),
        'b/web.yaml': exported({ name: 'web', namespace: 'shop', ports: HTTP, spec: ['sessionAffinity: ClientIP', 'internalTrafficPolicy: Local'] }),
        'c/submariner.yaml': lighthouse('c'),
        'c/web.yaml': exported({ name: 'web', namespace: 'shop', ports: HTTP }),
      },
      findings: [
        { file: 'c/web.yaml', line: 4, column: 9, cluster: 'c', messageId: 'sessionAffinityConflictLighthouse', data: { value: 'None', winnerValue: 'ClientIP', winner: 'a' } },
        {
          file: 'b/web.yaml',
          ...specLine(0, 'sessionAffinity'),
          cluster: 'b',
          messageId: 'sessionAffinityConfigConflictLighthouse',
          data: { value: '10800', winnerValue: '60', winner: 'a' },
          related: [{ file: 'a/web.yaml', line: 10, column: 54, cluster: 'a' }],
        },
      ],
    },
    {
      name: 'SessionAffinityConflict and SessionAffinityConfigConflict (default 10800 s)',
      files: {
        'a/web.yaml': exported({ name: 'web', namespace: 'shop', ports: HTTP, spec: ['sessionAffinity: ClientIP'] }),
        'b/web.yaml': exported({ name: 'web', namespace: 'shop', ports: HTTP }),
        'c/web.yaml': exported({ name: 'web', namespace: 'shop', ports: HTTP, spec: ['sessionAffinity: ClientIP', 'sessionAffinityConfig: {clientIP: {timeoutSeconds: 60}}'] }),
      },
      findings: [
        {
          file: 'b/web.yaml',
          line: 4,
          column: 9,
          messageId: 'sessionAffinityConflict',
          data: { property: 'sessionAffinity', value: 'None', cluster: 'b', winnerValue: 'ClientIP', winner: 'a' },
          related: [{ file: 'a/web.yaml', ...specLine(0, 'sessionAffinity'), cluster: 'a' }],
        },
        {
          file: 'c/web.yaml',
          line: 10,
          column: 54,
          messageId: 'sessionAffinityConfigConflict',
          data: { property: 'sessionAffinityConfig.clientIP.timeoutSeconds', value: '60', cluster: 'c', winnerValue: '10800' },
        },
      ],
    },
    {
      name: 'InternalTrafficPolicyConflict and TrafficDistributionConflict',
      files: {
        'a/web.yaml': exported({ name: 'web', namespace: 'shop', ports: HTTP }),
        'b/web.yaml': exported({ name: 'web', namespace: 'shop', ports: HTTP, spec: ['internalTrafficPolicy: Local', 'trafficDistribution: PreferClose'] }),
      },
      findings: [
        {
          file: 'b/web.yaml',
          ...specLine(0, 'internalTrafficPolicy'),
          messageId: 'internalTrafficPolicyConflict',
          data: { property: 'internalTrafficPolicy', value: 'Local', winnerValue: 'Cluster' },
        },
        {
          file: 'b/web.yaml',
          ...specLine(1, 'trafficDistribution'),
          messageId: 'trafficDistributionConflict',
          data: { property: 'trafficDistribution', value: 'PreferClose', winnerValue: '(unset)' },
        },
      ],
    },
    {
      name: 'IPFamilyConflict: no family in common',
      files: {
        'a/web.yaml': exported({ name: 'web', namespace: 'shop', ports: HTTP, spec: ['ipFamilies: [IPv4]'] }),
        'b/web.yaml': exported({ name: 'web', namespace: 'shop', ports: HTTP, spec: ['ipFamilies: [IPv6]'] }),
      },
      findings: [
        {
          file: 'b/web.yaml',
          ...specLine(0, 'ipFamilies'),
          messageId: 'ipFamilyConflict',
          data: { service: '"shop/web"', ipFamilies: '["IPv6"]', cluster: 'b', common: '["IPv4"]', from: 'a' },
          related: [{ file: 'a/web.yaml', ...specLine(0, 'ipFamilies'), cluster: 'a' }],
        },
      ],
    },
    {
      // mcs-api conformance: conflicting exported labels and annotations, the first export's win.
      name: 'LabelsConflict and AnnotationsConflict on the ServiceExports',
      files: {
        'a/web.yaml': docs(
          svc({ name: 'web', namespace: 'shop', ports: HTTP }),
          svcExport({
            name: 'web',
            namespace: 'shop',
            apiVersion: 'multicluster.x-k8s.io/v1beta1',
            spec: ['exportedLabels: {dummy-label: "true"}', 'exportedAnnotations: {dummy-annotation: "true"}'],
          }),
        ),
        'b/web.yaml': docs(
          svc({ name: 'web', namespace: 'shop', ports: HTTP }),
          svcExport({ name: 'web', namespace: 'shop', apiVersion: 'multicluster.x-k8s.io/v1beta1', spec: ['exportedLabels: {dummy-label2: "true"}'] }),
        ),
      },
      findings: [
        {
          file: 'b/web.yaml',
          line: 16,
          column: 19,
          messageId: 'labelsConflict',
          data: { property: 'exported labels', value: '{dummy-label2: "true"}', winnerValue: '{dummy-label: "true"}' },
          related: [{ file: 'a/web.yaml', line: 16, column: 19, cluster: 'a' }],
        },
        {
          file: 'b/web.yaml',
          line: 13,
          column: 9,
          messageId: 'annotationsConflict',
          data: { property: 'exported annotations', value: '{}', winnerValue: '{dummy-annotation: "true"}' },
          related: [{ file: 'a/web.yaml', line: 17, column: 24, cluster: 'a' }],
        },
      ],
    },
  ],
});
