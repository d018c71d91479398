import rule from '../../rules/kubefed-placement.js';
import { ruleTester } from '../helpers/rule-tester.js';

/** `KubeFedCluster` objects, one document each: document i's name on line 4 + 9i, column 9. */
const kubefedClusters = (...names: string[]) =>
  names
    .map(
      (n) =>
        `apiVersion: core.kubefed.io/v1beta1\nkind: KubeFedCluster\nmetadata:\n  name: ${n}\n  namespace: kube-federation-system\nspec:\n  apiEndpoint: https://${n}.example.com:6443\n  secretRef: {name: ${n}-secret}\n`,
    )
    .join('---\n');
const clusterAt = (i: number) => ({ line: 4 + 9 * i, column: 9 });

/** A FederatedDeployment: placement item i's name on line 9 + i, column 13; override i's clusterName on line 10 + placed + i, column 18. */
const federated = (placed: string[], overridden: string[] = []) =>
  [
    'apiVersion: types.kubefed.io/v1beta1',
    'kind: FederatedDeployment',
    'metadata:',
    '  name: web',
    '  namespace: shop',
    'spec:',
    '  placement:',
    '    clusters:',
    ...placed.map((n) => `    - name: ${n}`),
    '  overrides:',
    ...overridden.map((n) => `  - clusterName: ${n}`),
  ].join('\n') + '\n';

const ns = 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n';

ruleTester(rule, {
  valid: [
    {
      name: 'placement and overrides name KubeFedClusters',
      files: { 'host/clusters.yaml': kubefedClusters('cluster-east', 'cluster-west'), 'host/web.yaml': federated(['cluster-east', 'cluster-west'], ['cluster-east']) },
    },
    {
      name: 'without KubeFedClusters, the folders of the set are the members',
      files: { 'host/web.yaml': federated(['east', 'west'], ['west']), 'east/ns.yaml': ns, 'west/ns.yaml': ns },
    },
    {
      name: 'garbage and placeholders never count',
      files: {
        'host/clusters.yaml': kubefedClusters('cluster-east'),
        'host/web.yaml': federated(['cluster-east', '${CLUSTER}', '7']),
        'host/bad.yaml': 'apiVersion: types.kubefed.io/v1beta1\nkind: FederatedService\nmetadata:\n  name: x\nspec:\n  placement: [1, 2]\n  overrides: {clusterName: nope}\n',
      },
    },
  ],
  invalid: [
    {
      name: 'a typo in placement and an override for an unregistered cluster',
      files: { 'host/clusters.yaml': kubefedClusters('cluster-east', 'cluster-west'), 'host/web.yaml': federated(['cluster-east', 'cluster-wset'], ['us-central']) },
      findings: [
        {
          file: 'host/web.yaml',
          line: 10,
          column: 13,
          severity: 2,
          cluster: 'host',
          messageId: 'unknownCluster',
          data: { object: 'FederatedDeployment "web"', name: 'cluster-wset', field: 'spec.placement.clusters.name', suggestion: ' (did you mean "cluster-west"?)' },
          related: [{ file: 'host/clusters.yaml', ...clusterAt(1), cluster: 'host' }],
        },
        {
          file: 'host/web.yaml',
          line: 12,
          column: 18,
          messageId: 'unknownCluster',
          data: { name: 'us-central', field: 'spec.overrides.clusterName', suggestion: '', members: 'cluster-east, cluster-west' },
          related: [
            { file: 'host/clusters.yaml', ...clusterAt(0) },
            { file: 'host/clusters.yaml', ...clusterAt(1) },
          ],
        },
      ],
    },
    {
      name: 'without KubeFedClusters, a name that is no cluster of the set: warning',
      files: { 'host/web.yaml': federated(['east', 'cluster-north']), 'east/ns.yaml': ns, 'west/ns.yaml': ns },
      findings: [{ file: 'host/web.yaml', line: 10, column: 13, severity: 1, messageId: 'notInSet', data: { name: 'cluster-north', members: 'east, host, west' } }],
    },
  ],
});
