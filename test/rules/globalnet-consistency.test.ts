import rule from '../../rules/globalnet-consistency.js';
import { ruleTester } from '../helpers/rule-tester.js';
import { broker, submariner } from '../helpers/manifests.js';

const sub = (id: string, n: number, globalCIDR?: string) => submariner({ clusterID: id, clusterCIDR: `10.${n}.0.0/16`, serviceCIDR: `10.9${n}.0.0/16`, globalCIDR });

ruleTester(rule, {
  valid: [
    { name: 'no cluster has a globalCIDR', files: { 'a/sub.yaml': sub('a', 1), 'b/sub.yaml': sub('b', 2) } },
    { name: 'every cluster has a globalCIDR', files: { 'a/sub.yaml': sub('a', 1, '242.0.0.0/16'), 'b/sub.yaml': sub('b', 2, '242.1.0.0/16') } },
    {
      name: 'a Broker in the repository decides (globalnet-allocation judges the plan)',
      files: { 'a/sub.yaml': sub('a', 1, '242.0.0.0/16'), 'a/broker.yaml': broker(true), 'b/sub.yaml': sub('b', 2) },
    },
    {
      name: 'a cluster without Submariner is not part of it',
      files: { 'a/sub.yaml': sub('a', 1, '242.0.0.0/16'), 'b/svc.yaml': 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: x\n' },
    },
  ],
  invalid: [
    {
      name: 'two of three clusters join without a globalCIDR: each is reported at its spec, the GlobalNet cluster related',
      files: { 'a/sub.yaml': sub('a', 1), 'b/sub.yaml': sub('b', 2, '242.1.0.0/16'), 'c/sub.yaml': sub('c', 3) },
      findings: [
        {
          file: 'a/sub.yaml',
          line: 6,
          column: 1,
          cluster: 'a',
          severity: 2,
          messageId: 'missingGlobalCIDR',
          data: { cluster: 'a', other: 'b', globalCIDR: '242.1.0.0/16' },
          related: [{ file: 'b/sub.yaml', line: 10, column: 15, cluster: 'b' }],
        },
        {
          file: 'c/sub.yaml',
          line: 6,
          column: 1,
          cluster: 'c',
          messageId: 'missingGlobalCIDR',
          data: { cluster: 'c', other: 'b', globalCIDR: '242.1.0.0/16' },
          related: [{ file: 'b/sub.yaml', line: 10, column: 15, cluster: 'b' }],
        },
      ],
    },
  ],
});
