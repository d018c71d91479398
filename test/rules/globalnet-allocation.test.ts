import { describe, expect, it } from 'vitest';
import rule from '../../rules/globalnet-allocation.js';
import { ruleTester } from '../helpers/rule-tester.js';
import { lintScenario } from '../helpers/scenario.js';
import { broker, submariner } from '../helpers/manifests.js';

const sub = (clusterID: string, clusterCIDR: string, globalCIDR?: string) => submariner({ clusterID, clusterCIDR, serviceCIDR: '10.96.0.0/16', globalCIDR });
// Positions: submariner() globalCIDR value at 10:15, clusterCIDR value at 8:16, `spec:` at 6:1;
// broker() globalnetEnabled at 7:21, the extra line (8) values as noted per case.
const GLOBAL = { line: 10, column: 15 };
const RANGE = (range: string) => `  globalnetCIDRRange: "${range}"`; // value at 8:23
const SIZE = (size: number) => `  defaultGlobalnetClusterSize: ${size}`; // value at 8:32
/** A Broker with `spec` lines verbatim (line 6 `spec:`, then the lines from 7). */
const brokerWith = (...spec: string[]) =>
  ['apiVersion: submariner.io/v1alpha1', 'kind: Broker', 'metadata:', '  name: submariner-broker', '  namespace: submariner-k8s-broker', 'spec:', ...spec.map((l) => `  ${l}`), ''].join('\n');

ruleTester(rule, {
  valid: [
    {
      name: 'GlobalNet on, each cluster its own default-sized block of the default range (pod CIDRs may repeat)',
      files: {
        'broker/broker.yaml': broker(true),
        'east/submariner.yaml': sub('east', '10.244.0.0/16', '242.0.0.0/16'),
        'west/submariner.yaml': sub('west', '10.244.0.0/16', '242.1.0.0/16'),
      },
    },
    {
      name: 'GlobalNet off and no globalCIDR anywhere',
      files: { 'broker/broker.yaml': broker(false), 'east/submariner.yaml': sub('east', '10.1.0.0/16'), 'west/submariner.yaml': sub('west', '10.2.0.0/16') },
    },
    {
      name: 'a custom range and cluster size, blocks of that size',
      files: {
        'broker/broker.yaml': broker(true, `${RANGE('169.0.0.0/16')}\n${SIZE(8192)}`),
        'east/submariner.yaml': sub('east', '10.1.0.0/16', '169.0.0.0/19'),
        'west/submariner.yaml': sub('west', '10.2.0.0/16', '169.0.32.0/19'),
      },
    },
    // Placeholders are unknowns: no default range or cluster size is assumed in their place.
    {
      name: 'a placeholder Broker range: globalCIDRs outside the default 242.0.0.0/8 are not called outside it',
      files: {
        'broker/broker.yaml': brokerWith('globalnetEnabled: true', 'globalnetCIDRRange: ${GLOBALNET_CIDR_RANGE}'),
        'east/submariner.yaml': sub('east', '10.1.0.0/16', '169.0.0.0/16'),
        'west/submariner.yaml': sub('west', '10.2.0.0/16', '169.1.0.0/16'),
      },
    },
    {
      name: 'a placeholder cluster size: globalCIDRs of any size, no default size 65536 assumed',
      files: {
        'broker/broker.yaml': brokerWith('globalnetEnabled: true', 'globalnetCIDRRange: 242.0.0.0/16', 'defaultGlobalnetClusterSize: ${CLUSTER_SIZE}'),
        'east/submariner.yaml': sub('east', '10.1.0.0/16', '242.0.0.0/19'),
        'west/submariner.yaml': sub('west', '10.2.0.0/16', '242.0.32.0/19'),
      },
    },
    {
      name: 'a placeholder globalnetEnabled: globalCIDRs are not called ignored',
      files: {
        'broker/broker.yaml': brokerWith('globalnetEnabled: ${GLOBALNET}'),
        'east/submariner.yaml': sub('east', '10.1.0.0/16', '242.0.0.0/16'),
        'west/submariner.yaml': sub('west', '10.2.0.0/16', '242.1.0.0/16'),
      },
    },
  ],
  invalid: [
    {
      name: 'a placeholder globalnetEnabled hides nothing: the Broker range is still checked (as if GlobalNet were on)',
      files: {
        'broker/broker.yaml': brokerWith('globalnetEnabled: ${GLOBALNET}', 'globalnetCIDRRange: 169.254.0.0/16', 'defaultGlobalnetClusterSize: 8192'),
        'east/submariner.yaml': sub('east', '10.1.0.0/16'),
      },
      findings: [
        { file: 'broker/broker.yaml', line: 8, column: 23, message: ["Broker globalnetCIDRRange is invalid: 169.254.0.0/16 can't be in link-local range", 'subctl refuses to join clusters'] },
      ],
    },
    {
      name: 'globalCIDRs of two clusters overlap',
      files: {
        'broker/broker.yaml': broker(true),
        'east/submariner.yaml': sub('east', '10.1.0.0/16', '242.0.0.0/16'),
        'west/submariner.yaml': sub('west', '10.2.0.0/16', '242.0.0.0/16'),
      },
      findings: [
        {
          file: 'west/submariner.yaml',
          ...GLOBAL,
          cluster: 'west',
          message: ['globalCIDR 242.0.0.0/16 of cluster "west" overlaps globalCIDR 242.0.0.0/16 of cluster "east"', 'invalid CIDR "242.0.0.0/16" overlaps with cluster "east"'],
          related: [{ file: 'east/submariner.yaml', ...GLOBAL, cluster: 'east' }],
        },
      ],
    },
    {
      name: 'a globalCIDR with host bits set overlaps once masked; its size differs from the cluster size',
      files: {
        'broker/broker.yaml': broker(true),
        'east/submariner.yaml': sub('east', '10.1.0.0/16', '242.0.0.0/16'),
        'west/submariner.yaml': sub('west', '10.2.0.0/16', '242.0.200.0/17'),
      },
      findings: [
        { file: 'west/submariner.yaml', ...GLOBAL, message: ['globalCIDR 242.0.200.0/17 (= 242.0.128.0/17) of cluster "west" overlaps'] },
        { file: 'west/submariner.yaml', ...GLOBAL, severity: 1, message: ['has 32768 addresses, but the GlobalNet cluster size is 65536 (default)', 'Use a /16'] },
      ],
    },
    {
      name: 'a globalCIDR overlapping another cluster pod CIDR',
      files: {
        'broker/broker.yaml': broker(true),
        'east/submariner.yaml': sub('east', '242.1.0.0/16', '242.0.0.0/16'),
        'west/submariner.yaml': sub('west', '10.2.0.0/16', '242.1.0.0/16'),
      },
      findings: [
        {
          file: 'west/submariner.yaml',
          ...GLOBAL,
          message: ['globalCIDR 242.1.0.0/16 of cluster "west" overlaps cluster "east"\'s pod CIDR 242.1.0.0/16'],
          related: [{ file: 'east/submariner.yaml', line: 8, column: 16, cluster: 'east' }],
        },
      ],
    },
    {
      name: 'a globalCIDR outside the Broker range, an invalid one, and the Broker range itself invalid',
      files: {
        'broker/broker.yaml': broker(true, RANGE('127.0.0.0/8')),
        'east/submariner.yaml': sub('east', '10.1.0.0/16', '169.254.0.0/16'),
        'west/submariner.yaml': sub('west', '10.2.0.0/16', '243.0.0.0/16'),
      },
      findings: [
        { file: 'broker/broker.yaml', line: 8, column: 23, message: ["Broker globalnetCIDRRange is invalid: 127.0.0.0/8 can't be in loopback range"] },
        { file: 'east/submariner.yaml', ...GLOBAL, message: ["globalCIDR of cluster \"east\" is invalid: 169.254.0.0/16 can't be in link-local range"] },
        { file: 'west/submariner.yaml', ...GLOBAL, severity: 1, message: ['globalCIDR 243.0.0.0/16 of cluster "west" is outside the Broker\'s globalnetCIDRRange 127.0.0.0/8'], related: [{ file: 'broker/broker.yaml', line: 8, column: 23 }] },
      ],
    },
    {
      name: 'a Broker cluster size over half the range: one cluster fits, the second join fails',
      files: {
        'broker/broker.yaml': broker(true, `${RANGE('242.0.0.0/16')}\n${SIZE(40000)}`),
        'a/submariner.yaml': sub('a', '10.1.0.0/16'),
        'b/submariner.yaml': sub('b', '10.2.0.0/16'),
      },
      findings: [
        { file: 'broker/broker.yaml', line: 9, column: 32, severity: 1, message: ['GlobalNet cluster size 40000, rounded up to 65536 leaves room for 1 cluster in 242.0.0.0/16', 'cluster size 40000, should be <= 32768'] },
        { file: 'b/submariner.yaml', line: 6, column: 1, message: ['Cluster "b" has no globalCIDR and the GlobalNet range is exhausted', 'unable to allocate global CIDR: no more allocations available in "242.0.0.0/16"'] },
      ],
    },
    {
      name: 'a Broker cluster size larger than the range',
      files: {
        'broker/broker.yaml': broker(true, `${RANGE('242.0.0.0/24')}\n${SIZE(1024)}`),
        'a/submariner.yaml': sub('a', '10.1.0.0/16'),
      },
      findings: [{ file: 'broker/broker.yaml', line: 9, column: 32, message: ['GlobalNet cluster size 1024 is larger than the range 242.0.0.0/24 (256 addresses): no cluster can be given a globalCIDR'] }],
    },
    {
      name: 'globalCIDRs while GlobalNet is off on the Broker',
      files: {
        'broker/broker.yaml': broker(false),
        'east/submariner.yaml': sub('east', '10.1.0.0/16', '242.0.0.0/16'),
      },
      findings: [
        {
          file: 'east/submariner.yaml',
          ...GLOBAL,
          severity: 1,
          message: ['is ignored: GlobalNet is not enabled on the Broker', 'Globalnet is not enabled on the Broker - ignoring the specified global CIDR'],
          related: [{ file: 'broker/broker.yaml', line: 7, column: 21 }],
        },
      ],
    },
    {
      name: 'the range is full for a cluster joined without globalCIDR',
      files: {
        'broker/broker.yaml': broker(true, RANGE('242.0.0.0/15')),
        'a/submariner.yaml': sub('a', '10.1.0.0/16', '242.0.0.0/16'),
        'b/submariner.yaml': sub('b', '10.2.0.0/16', '242.1.0.0/16'),
        'c/submariner.yaml': sub('c', '10.3.0.0/16'),
      },
      findings: [
        {
          file: 'c/submariner.yaml',
          line: 6,
          column: 1,
          cluster: 'c',
          message: ['Cluster "c" has no globalCIDR and the GlobalNet range is exhausted', 'no more allocations available in "242.0.0.0/15"'],
          related: [{ file: 'broker/broker.yaml', line: 8, column: 23 }],
        },
      ],
    },
  ],
});

describe('globalnet-allocation notes', () => {
  it('says which block the first-fit allocator gives each cluster without a globalCIDR, in name order (notes sorted by file)', async () => {
    const { notes, findings } = await lintScenario(
      {
        'broker/broker.yaml': broker(true, `${RANGE('169.0.0.0/16')}\n${SIZE(5000)}`),
        'a/submariner.yaml': sub('a', '10.1.0.0/16', '169.0.32.0/19'),
        'b/submariner.yaml': sub('b', '10.2.0.0/16'),
        'c/submariner.yaml': sub('c', '10.3.0.0/16'),
      },
      { rules: [rule] },
    );
    expect(findings).toEqual([]);
    expect(notes.map((n) => [n.cluster, n.line, n.message])).toEqual([
      ['b', 6, 'Cluster "b" has no globalCIDR: subctl join will allocate 169.0.0.0/19, the first free block of 8192 addresses in 169.0.0.0/16.'],
      ['broker', 9, 'defaultGlobalnetClusterSize 5000 is not a power of two: Submariner rounds it up and gives each cluster 8192 addresses.'],
      ['c', 6, 'Cluster "c" has no globalCIDR: subctl join will allocate 169.0.64.0/19, the first free block of 8192 addresses in 169.0.0.0/16.'],
    ]);
  });
});
