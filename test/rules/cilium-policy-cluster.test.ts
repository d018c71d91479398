import rule from '../../rules/cilium-policy-cluster.js';
import { ruleTester } from '../helpers/rule-tester.js';

const values = (name: string, id: number) => `cluster:\n  name: ${name}\n  id: ${id}\nclustermesh:\n  useAPIServer: false\n`;
// A CiliumNetworkPolicy allowing ingress from `from` (lines 10+ of the document).
const policy = (from: string[]) =>
  [
    'apiVersion: cilium.io/v2',
    'kind: CiliumNetworkPolicy',
    'metadata: {name: allow-cross-cluster, namespace: shop}',
    'spec:',
    '  endpointSelector:',
    '    matchLabels: {name: x-wing}',
    '  ingress:',
    '  - fromEndpoints:',
    ...from,
    '',
  ].join('\n');
const MESH = { 'east/cilium-values.yaml': values('cluster1', 1), 'west/cilium-values.yaml': values('cluster2', 2) };
const POLICY = 'CiliumNetworkPolicy "shop/allow-cross-cluster"';

ruleTester(rule, {
  valid: [
    {
      name: 'selectors naming clusters of the mesh (Cilium docs example), with a source prefix and in expressions',
      files: {
        ...MESH,
        'east/policy.yaml': policy([
          '    - matchLabels:',
          '        name: rebel-base',
          '        io.cilium.k8s.policy.cluster: cluster2',
          '    - matchLabels:',
          '        k8s:io.cilium.k8s.policy.cluster: cluster1',
          '    - matchExpressions:',
          '      - {key: io.cilium.k8s.policy.cluster, operator: In, values: [cluster1, cluster2]}',
        ]),
      },
    },
    {
      name: 'no cluster states its Cilium name: not checked',
      files: { 'east/policy.yaml': policy(['    - matchLabels:', '        io.cilium.k8s.policy.cluster: somewhere']) },
    },
    {
      name: 'placeholders and garbage are skipped',
      files: {
        ...MESH,
        'east/policy.yaml': policy([
          '    - matchLabels:',
          '        io.cilium.k8s.policy.cluster: ${REMOTE_CLUSTER}',
          '    - matchExpressions: [{key: io.cilium.k8s.policy.cluster, operator: Exists}, 7, {key: io.cilium.k8s.policy.cluster, operator: In, values: 3}]',
        ]),
      },
    },
  ],
  invalid: [
    {
      name: 'a cluster name no cluster of the mesh has',
      files: {
        ...MESH,
        'east/policy.yaml': policy([
          '    - matchLabels:',
          '        io.cilium.k8s.policy.cluster: west',
          '    - matchExpressions:',
          '      - key: any:io.cilium.k8s.policy.cluster',
          '        operator: NotIn',
          '        values: [cluster2, cluster3]',
        ]),
      },
      findings: [
        {
          file: 'east/policy.yaml',
          line: 10,
          column: 39,
          severity: 2,
          cluster: 'east',
          messageId: 'unknownCluster',
          data: { policy: POLICY, cluster: 'east', key: 'io.cilium.k8s.policy.cluster', value: 'west', known: '"cluster1", "cluster2"' },
        },
        { file: 'east/policy.yaml', line: 14, column: 28, messageId: 'unknownCluster', data: { key: 'any:io.cilium.k8s.policy.cluster', value: 'cluster3' } },
      ],
    },
    {
      name: 'CiliumClusterwideNetworkPolicy specs[] egress toEndpoints',
      files: {
        ...MESH,
        'west/ccnp.yaml':
          'apiVersion: cilium.io/v2\nkind: CiliumClusterwideNetworkPolicy\nmetadata: {name: to-db}\nspecs:\n- endpointSelector: {}\n  egress:\n  - toEndpoints:\n    - matchLabels: {io.cilium.k8s.policy.cluster: cluster-3}\n',
      },
      findings: [{ file: 'west/ccnp.yaml', line: 8, column: 51, messageId: 'unknownCluster', data: { policy: 'CiliumClusterwideNetworkPolicy "to-db"', value: 'cluster-3' } }],
    },
  ],
});
