import rule from '../../rules/istio-remote-secret.js';
import { ruleTester } from '../helpers/rule-tester.js';
import { docs } from '../helpers/manifests.js';
import { operator, secret } from '../helpers/istio-remote.js';

const key = (file: string, cluster: string, line = 11) => ({ file, line, column: 3, cluster });

/**
 * A remote installed as istio.io's primary-remote guides install it: no clusterName, its cluster ID
 * and network in the injection path (line 7, the path at column 35; an `injectionURL` at column 34).
 */
const injected = (path: string, field: 'injectionPath' | 'injectionURL' = 'injectionPath') =>
  [
    'apiVersion: install.istio.io/v1alpha1',
    'kind: IstioOperator',
    'metadata: {name: remote, namespace: istio-system}',
    'spec:',
    '  profile: remote',
    '  values:',
    `    istiodRemote: {${field}: ${path}}`,
    '    global: {remotePilotAddress: 203.0.113.10}',
    '',
  ].join('\n');

ruleTester(rule, {
  valid: [
    {
      name: 'multi-primary: each primary holds the other one secret (stringData and base64 data)',
      files: {
        'cluster1/istio.yaml': docs(operator({ clusterName: 'cluster1' }), secret({ cluster: 'cluster2' })),
        'cluster2/istio.yaml': docs(operator({ clusterName: 'cluster2' }), secret({ cluster: 'cluster1', base64: true })),
      },
    },
    {
      name: 'no cluster of the mesh holds a remote secret: managed out of band, nothing reported',
      files: {
        'cluster1/istio.yaml': operator({ clusterName: 'cluster1' }),
        'cluster2/istio.yaml': operator({ clusterName: 'cluster2' }),
        'cluster3/istio.yaml': operator({ clusterName: 'cluster3', profile: 'remote' }),
      },
    },
    {
      name: 'primary-remote: the primary holds the remote one; a secret without namespace is applied with -n',
      files: {
        'primary/istio.yaml': docs(operator({ clusterName: 'primary' }), secret({ cluster: 'remote', namespace: null })),
        'remote/istio.yaml': operator({ clusterName: 'remote', profile: 'remote' }),
      },
    },
    {
      name: "istio.io primary-remote: the remote's cluster ID is its injection path's cluster, which its secret names (not its folder name)",
      files: {
        'cluster1/istio.yaml': docs(operator({ clusterName: 'cluster1' }), secret({ cluster: 'cluster2' })),
        'remote/istio.yaml': injected('/inject/cluster/cluster2/net/network2'),
        'other/istio.yaml': injected('/inject/net/network1/cluster/cluster3'),
        'cluster1/other.yaml': secret({ cluster: 'cluster3' }),
      },
    },
    {
      name: 'a secret whose key is a placeholder names no known cluster: its holder is not checked',
      files: {
        'cluster1/istio.yaml': docs(operator({ clusterName: 'cluster1' }), secret({ cluster: '${PEER}' })),
        'cluster2/istio.yaml': docs(operator({ clusterName: 'cluster2' }), secret({ cluster: 'cluster1' })),
      },
    },
    {
      name: 'a custom istiod namespace (global.istioNamespace) holds the secret',
      files: {
        'cluster1/istio.yaml': docs(operator({ clusterName: 'cluster1', extra: ['      istioNamespace: mesh-system'] }), secret({ cluster: 'cluster2', namespace: 'mesh-system' })),
        'cluster2/istio.yaml': docs(operator({ clusterName: 'cluster2' }), secret({ cluster: 'cluster1' })),
      },
    },
    {
      name: 'garbage never crashes: stringData as a list, data that is not base64, kubeconfigs that do not parse or hold no server',
      files: {
        'cluster1/istio.yaml': docs(
          operator({ clusterName: 'cluster1' }),
          'apiVersion: v1\nkind: Secret\nmetadata:\n  name: junk\n  namespace: istio-system\n  labels: {istio/multiCluster: "true"}\nstringData: [1, 2]\ndata:\n  cluster3: "!!! not base64 !!!"\n',
          secret({ cluster: 'cluster2' }),
        ),
        'cluster2/istio.yaml': docs(
          operator({ clusterName: 'cluster2' }),
          'apiVersion: v1\nkind: Secret\nmetadata:\n  name: odd\n  namespace: istio-system\n  labels: {istio/multiCluster: "true"}\nstringData:\n  cluster1: "clusters: [{cluster: {server: 12}}, 5, {cluster: []}]"\ndata:\n  cluster1: OiA6IFs=\n',
        ),
      },
    },
  ],
  invalid: [
    {
      name: 'multi-primary: the second primary holds no secret for the first',
      files: {
        'cluster1/istio.yaml': docs(operator({ clusterName: 'cluster1' }), secret({ cluster: 'cluster2' })),
        'cluster2/istio.yaml': operator({ clusterName: 'cluster2' }),
      },
      findings: [
        {
          file: 'cluster2/istio.yaml',
          line: 9,
          column: 22,
          severity: 2,
          cluster: 'cluster2',
          messageId: 'missing',
          data: { cluster: 'cluster2', target: 'cluster1', namespace: 'istio-system' },
          related: [
            { file: 'cluster1/istio.yaml', line: 9, column: 22, cluster: 'cluster1' },
            { file: 'cluster1/istio.yaml', line: 22, column: 3, cluster: 'cluster1' },
          ],
        },
      ],
    },
    {
      name: 'primary-remote: the secret sits in the remote, for the primary',
      files: {
        'primary/istio.yaml': operator({ clusterName: 'primary' }),
        'remote/istio.yaml': docs(operator({ clusterName: 'remote', profile: 'remote' }), secret({ cluster: 'primary' })),
      },
      findings: [
        {
          file: 'remote/istio.yaml',
          line: 16,
          column: 9,
          severity: 1,
          cluster: 'remote',
          messageId: 'remoteHolds',
          data: { cluster: 'remote', secret: 'istio-remote-secret-primary' },
          related: [{ file: 'remote/istio.yaml', line: 5, column: 12, cluster: 'remote' }],
        },
        {
          file: 'primary/istio.yaml',
          line: 9,
          column: 22,
          severity: 2,
          cluster: 'primary',
          messageId: 'missing',
          data: { cluster: 'primary', target: 'remote' },
          related: [
            { file: 'remote/istio.yaml', line: 10, column: 22, cluster: 'remote' },
            { file: 'remote/istio.yaml', line: 23, column: 3, cluster: 'remote' },
          ],
        },
      ],
    },
    {
      name: 'loopback and cluster-local kubeconfig servers (istio/istio#58047); a mesh of one cluster names clusters kept elsewhere',
      files: {
        'c1/istio.yaml': docs(operator({ clusterName: 'c1' }), secret({ cluster: 'c2', server: 'https://127.0.0.1:60535' })),
        'c2/istio.yaml': docs(operator({ clusterName: 'c2' }), secret({ cluster: 'c1', server: 'https://kubernetes.default.svc' })),
        'c3/istio.yaml': docs(operator({ clusterName: 'c3', meshID: 'other' }), secret({ cluster: 'c4', server: 'https://[::1]:6443', base64: true })),
      },
      findings: [
        {
          file: 'c1/istio.yaml',
          line: 22,
          column: 7,
          severity: 2,
          cluster: 'c1',
          messageId: 'localServer',
          data: { cluster: 'c1', secret: 'istio-remote-secret-c2', clusterID: 'c2', server: 'https://127.0.0.1:60535', reason: 'a loopback' },
        },
        {
          file: 'c2/istio.yaml',
          line: 22,
          column: 7,
          severity: 2,
          cluster: 'c2',
          messageId: 'localServer',
          data: { clusterID: 'c1', server: 'https://kubernetes.default.svc', reason: 'a cluster-local' },
        },
        {
          file: 'c3/istio.yaml',
          line: 22,
          column: 7,
          severity: 2,
          cluster: 'c3',
          messageId: 'localServer',
          data: { clusterID: 'c4', server: 'https://[::1]:6443', reason: 'a loopback' },
        },
      ],
    },
    {
      name: 'one cluster: wrong namespace, two secrets for one cluster, a secret for itself, a directory name instead of the clusterName, a cluster outside the set',
      files: {
        'east/istio.yaml': docs(
          operator({ clusterName: 'east' }),
          secret({ cluster: 'west-1' }),
          secret({ cluster: 'west-1', name: 'west-again' }),
          secret({ cluster: 'east' }),
          secret({ cluster: 'west-1', name: 'misplaced', namespace: 'default' }),
          secret({ cluster: 'north' }),
        ),
        'west/istio.yaml': docs(operator({ clusterName: 'west-1' }), secret({ cluster: 'west' }), secret({ cluster: 'east' })),
      },
      findings: [
        {
          file: 'east/istio.yaml',
          line: 79,
          column: 14,
          severity: 2,
          cluster: 'east',
          messageId: 'wrongNamespace',
          data: { cluster: 'east', secret: 'misplaced', namespace: 'default', istioNamespace: 'istio-system' },
          related: [{ file: 'east/istio.yaml', line: 1, column: 1 }],
        },
        { ...key('east/istio.yaml', 'east', 43), severity: 2, messageId: 'duplicate', data: { secret: 'west-again', first: 'istio-remote-secret-west-1', clusterID: 'west-1' } },
        { ...key('east/istio.yaml', 'east', 64), severity: 1, messageId: 'self', data: { cluster: 'east', clusterID: 'east' } },
        { ...key('east/istio.yaml', 'east', 106), severity: 1, messageId: 'unknownCluster', data: { clusterID: 'north', known: '"east", "west-1"' } },
        {
          ...key('west/istio.yaml', 'west', 22),
          severity: 2,
          messageId: 'nameMismatch',
          data: { cluster: 'west', clusterID: 'west', clusterName: 'west-1' },
          related: [{ file: 'west/istio.yaml', line: 9, column: 22 }],
        },
      ],
    },
    {
      name: "a secret keyed by the remote's folder name while its injection path (or injectionURL) names another cluster ID",
      files: {
        'cluster1/istio.yaml': docs(operator({ clusterName: 'cluster1' }), secret({ cluster: 'remote' })),
        'cluster1/other.yaml': secret({ cluster: 'other' }),
        'remote/istio.yaml': injected('/inject/cluster/cluster2/net/network2'),
        'other/istio.yaml': injected('https://203.0.113.10:15017/inject/cluster/cluster3/net/network2', 'injectionURL'),
      },
      findings: [
        {
          ...key('cluster1/istio.yaml', 'cluster1', 22),
          severity: 2,
          messageId: 'nameMismatch',
          data: { cluster: 'cluster1', secret: 'istio-remote-secret-remote', clusterID: 'remote', clusterName: 'cluster2' },
          related: [{ file: 'remote/istio.yaml', line: 7, column: 35, cluster: 'remote' }],
        },
        {
          ...key('cluster1/other.yaml', 'cluster1'),
          severity: 2,
          messageId: 'nameMismatch',
          data: { cluster: 'cluster1', secret: 'istio-remote-secret-other', clusterID: 'other', clusterName: 'cluster3' },
          related: [{ file: 'other/istio.yaml', line: 7, column: 34, cluster: 'other' }],
        },
      ],
    },
  ],
});
