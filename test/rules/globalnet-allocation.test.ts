import { describe, expect, it } from 'vitest';
import rule from '../../rules/globalnet-allocation.js';
import { ruleTester } from '../helpers/rule-tester.js';
import { lintScenario } from '../helpers/scenario.js';
import { broker, submariner } from '../helpers/manifests.js';

const sub = (clusterID: string, clusterCIDR: string, globalCIDR?: string) => submariner({ clusterID, clusterCIDR, serviceCIDR: '10.96.0.0/16', globalCIDR });
// Positions: submariner() globalCIDR value at 10:15, clusterCIDR value at 8:16, `spec:` at 6:1;
// broker() globalnetEnabled at 7:21, the extra line (8) values as noted per case.
const GLOBAL = { line: 10, column: 15 };
const ERROR = 2 as const;
const WARN = 1 as const;
const RANGE = (range: string) => `  globalnetCIDRRange: "${range}"`; // value at 8:23
const SIZE = (size: number) => `  defaultGlobalnetClusterSize: ${size}`; // value at 8:32
/** A Broker with `spec` lines verbatim (line 6 `spec:`, then the lines from 7). */
const brokerWith = (...spec: string[]) =>
  [
    'apiVersion: submariner.io/v1alpha1',
    'kind: Broker',
    'metadata:',
    '  name: submariner-broker',
    '  namespace: submariner-k8s-broker',
    'spec:',
    ...spec.map((l) => `  ${l}`),
    '',
  ].join('\n');

ruleTester(rule, {
  valid: [
    {
      // submariner-globalnet: subctl join --globalnet-cidr 120.1.0.0/24 checks validity and overlaps only.
      name: 'explicit blocks smaller or larger than the cluster size are no problem (notes at most), a /28 holds the cluster egress IPs',
      files: {
        'broker/broker.yaml': broker(true, RANGE('120.0.0.0/8')),
        'g1/submariner.yaml': sub('g1', '10.7.0.0/16', '120.1.0.0/24'),
        'g2/submariner.yaml': sub('g2', '10.7.0.0/16', '120.2.0.0/28'),
        'g3/submariner.yaml': sub('g3', '10.7.0.0/16', '120.4.0.0/15'),
      },
    },
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
        {
          file: 'broker/broker.yaml',
          line: 8,
          column: 23,
          severity: ERROR,
          cluster: 'broker',
          messageId: 'rangeInvalid',
          data: { error: "169.254.0.0/16 can't be in link-local range" },
        },
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
          severity: ERROR,
          cluster: 'west',
          messageId: 'globalCIDROverlap',
          data: { cluster: 'west', cidr: '242.0.0.0/16', written: '242.0.0.0/16', other: 'east', otherCidr: '242.0.0.0/16' },
          related: [{ file: 'east/submariner.yaml', ...GLOBAL, cluster: 'east' }],
        },
      ],
    },
    {
      name: 'a globalCIDR with host bits set overlaps once masked (its size, below the cluster size, is no note: that join is refused)',
      files: {
        'broker/broker.yaml': broker(true),
        'east/submariner.yaml': sub('east', '10.1.0.0/16', '242.0.0.0/16'),
        'west/submariner.yaml': sub('west', '10.2.0.0/16', '242.0.200.0/17'),
      },
      findings: [
        {
          file: 'west/submariner.yaml',
          ...GLOBAL,
          severity: ERROR,
          messageId: 'globalCIDROverlap',
          data: { cidr: '242.0.200.0/17 (= 242.0.128.0/17)', written: '242.0.200.0/17', other: 'east' },
        },
      ],
    },
    {
      name: 'a globalCIDR too small for the 8 cluster egress IPs: a warning (a /30 has 2 usable, a /32 none)',
      files: {
        'broker/broker.yaml': broker(true),
        'east/submariner.yaml': sub('east', '10.1.0.0/16', '242.0.0.0/30'),
        'west/submariner.yaml': sub('west', '10.2.0.0/16', '242.1.0.1/32'),
      },
      findings: [
        { file: 'east/submariner.yaml', ...GLOBAL, severity: WARN, cluster: 'east', messageId: 'globalCIDRTooSmall', data: { cidr: '242.0.0.0/30', count: 2 } },
        { file: 'west/submariner.yaml', ...GLOBAL, severity: WARN, cluster: 'west', messageId: 'globalCIDRTooSmall', data: { cidr: '242.1.0.1/32', count: 0 } },
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
          severity: ERROR,
          cluster: 'west',
          messageId: 'overlapsOtherRange',
          data: {
            cluster: 'west',
            cidr: '242.1.0.0/16',
            other: 'east',
            role: 'pod',
            otherCidr: '242.1.0.0/16',
            otherOrigin: expect.stringMatching(/^Submariner spec\.clusterCIDR in .*east\/submariner\.yaml$/),
          },
          related: [{ file: 'east/submariner.yaml', line: 8, column: 16, cluster: 'east' }],
        },
      ],
    },
    {
      name: "a globalCIDR overlapping its own cluster's service CIDR",
      files: { 'broker/broker.yaml': broker(true), 'east/submariner.yaml': sub('east', '10.1.0.0/16', '10.96.0.0/16') },
      findings: [
        {
          file: 'east/submariner.yaml',
          ...GLOBAL,
          severity: ERROR,
          cluster: 'east',
          messageId: 'overlapsOwnRange',
          data: { cluster: 'east', cidr: '10.96.0.0/16', role: 'service', otherCidr: '10.96.0.0/16' },
          related: [{ file: 'east/submariner.yaml', line: 9, column: 16, cluster: 'east' }],
        },
        {
          file: 'east/submariner.yaml',
          ...GLOBAL,
          severity: WARN,
          messageId: 'outsideRange',
          data: { cidr: '10.96.0.0/16', range: '242.0.0.0/8 (default)', network: '242.0.0.0/8' },
          related: [{ file: 'broker/broker.yaml', line: 6, column: 1 }],
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
        {
          file: 'broker/broker.yaml',
          line: 8,
          column: 23,
          severity: ERROR,
          cluster: 'broker',
          messageId: 'rangeInvalid',
          data: { error: "127.0.0.0/8 can't be in loopback range" },
        },
        {
          file: 'east/submariner.yaml',
          ...GLOBAL,
          severity: ERROR,
          cluster: 'east',
          messageId: 'globalCIDRInvalid',
          data: { cluster: 'east', error: "169.254.0.0/16 can't be in link-local range" },
        },
        {
          file: 'west/submariner.yaml',
          ...GLOBAL,
          severity: WARN,
          cluster: 'west',
          messageId: 'outsideRange',
          data: { cluster: 'west', cidr: '243.0.0.0/16', range: '127.0.0.0/8', network: '127.0.0.0/8' },
          related: [{ file: 'broker/broker.yaml', line: 8, column: 23 }],
        },
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
        {
          file: 'broker/broker.yaml',
          line: 9,
          column: 32,
          severity: WARN,
          cluster: 'broker',
          messageId: 'sizeTight',
          data: { size: '40000, rounded up to 65536', range: '242.0.0.0/16', available: 65536, fits: 1, refusal: 'cluster size 40000, should be <= 32768' },
        },
        {
          file: 'b/submariner.yaml',
          line: 6,
          column: 1,
          severity: ERROR,
          cluster: 'b',
          messageId: 'exhausted',
          data: { cluster: 'b', range: '242.0.0.0/16', size: 65536, error: 'no more allocations available in "242.0.0.0/16"' },
          related: [{ file: 'broker/broker.yaml', line: 8, column: 23, cluster: 'broker' }],
        },
      ],
    },
    {
      name: 'a Broker cluster size larger than the range',
      files: {
        'broker/broker.yaml': broker(true, `${RANGE('242.0.0.0/24')}\n${SIZE(1024)}`),
        'a/submariner.yaml': sub('a', '10.1.0.0/16'),
      },
      findings: [
        {
          file: 'broker/broker.yaml',
          line: 9,
          column: 32,
          severity: ERROR,
          cluster: 'broker',
          messageId: 'sizeTooLarge',
          data: { size: '1024', range: '242.0.0.0/24', available: 256 },
        },
      ],
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
          severity: WARN,
          cluster: 'east',
          messageId: 'ignored',
          data: { cidr: '242.0.0.0/16', cluster: 'east', enabledField: expect.stringMatching(/^Broker spec\.globalnetEnabled in .*broker\/broker\.yaml$/), enabled: 'false' },
          related: [{ file: 'broker/broker.yaml', line: 7, column: 21, cluster: 'broker' }],
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
          messageId: 'exhausted',
          data: { cluster: 'c', range: '242.0.0.0/15', error: 'no more allocations available in "242.0.0.0/15"' },
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
    expect(notes.map((n) => [n.cluster, n.line, n.column, n.messageId, n.data])).toEqual([
      ['b', 6, 1, 'allocated', { cluster: 'b', range: '169.0.0.0/16', size: 8192, cidr: '169.0.0.0/19' }],
      ['broker', 9, 32, 'sizeRounded', { size: 5000, rounded: 8192 }],
      ['c', 6, 1, 'allocated', { cluster: 'c', range: '169.0.0.0/16', size: 8192, cidr: '169.0.64.0/19' }],
    ]);
    expect(notes[0].message).toBe('Cluster "b" has no globalCIDR: subctl join will allocate 169.0.0.0/19, the first free block of 8192 addresses in 169.0.0.0/16.');
  });

  it('an explicit globalCIDR of another size than the cluster size is a note whose hint says what really runs out (submariner-globalnet)', async () => {
    const { notes, findings } = await lintScenario(
      {
        'broker/broker.yaml': broker(true, RANGE('120.0.0.0/8')),
        'g1/submariner.yaml': sub('g1', '10.7.0.0/16', '120.1.0.0/24'),
        'g2/submariner.yaml': sub('g2', '10.7.0.0/16', '120.4.0.0/15'),
        'g3/submariner.yaml': sub('g3', '10.7.0.0/16'),
      },
      { rules: [rule] },
    );
    expect(findings).toEqual([]);
    expect(notes.map((n) => [n.cluster, n.line, n.column, n.messageId, n.data])).toEqual([
      ['g1', 10, 15, 'globalCIDRSmall', { cluster: 'g1', cidr: '120.1.0.0/24', addresses: 256, clusterSize: '65536 (default)' }],
      ['g2', 10, 15, 'globalCIDRLarge', { cluster: 'g2', cidr: '120.4.0.0/15', addresses: 131072, clusterSize: '65536 (default)' }],
      // The allocator skips the explicit blocks, whatever their size.
      ['g3', 6, 1, 'allocated', { cluster: 'g3', range: '120.0.0.0/8', size: 65536, cidr: '120.0.0.0/16' }],
    ]);
    expect(notes[0].message).toBe('globalCIDR 120.1.0.0/24 of cluster "g1" has 256 addresses, fewer than the cluster size 65536 (default).');
    expect(notes[0].hint).toMatch(/^subctl join accepts any valid globalCIDR .* one per exported ClusterIP Service .* new exports and egress policies get no global IP/);
    expect(notes[0].hint).not.toMatch(/equal blocks|Use a \//);
  });
});
