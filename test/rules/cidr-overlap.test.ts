import { expect } from 'vitest';
import rule from '../../rules/cidr-overlap.js';
import { ruleTester } from '../helpers/rule-tester.js';
import { yaml } from '../helpers/scenario.js';
import { broker, submariner } from '../helpers/manifests.js';

const sub = (clusterID: string, clusterCIDR: string, serviceCIDR: string, globalCIDR?: string) => submariner({ clusterID, clusterCIDR, serviceCIDR, globalCIDR });

// Positions in `submariner()`: clusterCIDR value at 8:16, serviceCIDR at 9:16.
const POD = { line: 8, column: 16 };
const SVC = { line: 9, column: 16 };

ruleTester(rule, {
  valid: [
    {
      name: 'disjoint pod and service CIDRs across three Submariner clusters',
      files: {
        'cluster-a/submariner.yaml': sub('cluster-a', '10.0.0.0/16', '172.16.0.0/16'),
        'cluster-b/submariner.yaml': sub('cluster-b', '10.1.0.0/16', '172.17.0.0/16'),
        'cluster-c/submariner.yaml': sub('cluster-c', '10.2.0.0/16', '172.18.0.0/16'),
      },
    },
    {
      name: 'service CIDRs may repeat when no Submariner connects the clusters (DNS/gateway discovery)',
      files: {
        'mclint.config.yaml': yaml`
          clusters:
            - name: east
              podCIDRs: [10.0.0.0/16]
              serviceCIDRs: [10.96.0.0/12]
            - name: west
              podCIDRs: [10.1.0.0/16]
              serviceCIDRs: [10.96.0.0/12]
        `,
      },
    },
    {
      name: 'GlobalNet on the Broker and a globalCIDR per cluster make overlaps safe',
      files: {
        'east/broker.yaml': broker(true),
        'east/submariner.yaml': sub('east', '10.244.0.0/16', '10.96.0.0/12', '242.0.0.0/16'),
        'west/submariner.yaml': sub('west', '10.244.0.0/16', '10.96.0.0/12', '242.1.0.0/16'),
      },
    },
    {
      name: 'without a Broker in the repository, a globalCIDR in every cluster means GlobalNet is on',
      files: {
        'east/submariner.yaml': sub('east', '10.244.0.0/16', '10.96.0.0/12', '242.0.0.0/16'),
        'west/submariner.yaml': sub('west', '10.244.0.0/16', '10.96.0.0/12', '242.1.0.0/16'),
      },
    },
    {
      name: 'the same range from the config file and the Submariner CR is one range',
      files: {
        'mclint.config.yaml': yaml`
          clusters:
            - name: east
              podCIDRs: [10.0.0.0/16]
              serviceCIDRs: [172.16.0.0/16]
            - name: west
        `,
        'east/submariner.yaml': sub('east', '10.0.0.0/16', '172.16.0.0/16'),
        'west/submariner.yaml': sub('west', '10.1.0.0/16', '172.17.0.0/16'),
      },
    },
    {
      name: 'dual-stack lists with disjoint IPv4 and IPv6 ranges',
      files: {
        'east/submariner.yaml': sub('east', '10.0.0.0/16,fd00:10:244::/56', '10.96.0.0/16,fd00:10:96::/112'),
        'west/submariner.yaml': sub('west', '10.1.0.0/16,fd00:10:245::/56', '10.97.0.0/16,fd00:10:97::/112'),
      },
    },
    {
      name: 'clusters of different ClusterSets are never compared',
      files: {
        'mclint.config.yaml': yaml`
          clusters:
            - name: prod-a
              podCIDRs: [10.0.0.0/16]
            - name: stag-a
              podCIDRs: [10.0.0.0/16]
          clusterSets:
            - name: prod
              clusters: [prod-a]
            - name: staging
              clusters: [stag-a]
        `,
      },
    },
    {
      name: 'unrendered placeholders are not ranges',
      files: {
        'east/submariner.yaml': sub('east', '$(CLUSTER_CIDR)', '${SERVICE_CIDR}'),
        'west/submariner.yaml': sub('west', '$(CLUSTER_CIDR)', '${SERVICE_CIDR}'),
      },
    },
    {
      name: 'GlobalNet on the Broker: a cluster without globalCIDR gets one when it joins (globalnet-allocation says which)',
      files: {
        'east/broker.yaml': broker(true),
        'east/submariner.yaml': sub('east', '10.244.0.0/16', '10.96.0.0/16', '242.0.0.0/16'),
        'west/submariner.yaml': sub('west', '10.244.0.0/16', '10.96.0.0/16'),
      },
    },
    {
      name: 'GlobalNet inferred from other clusters globalCIDRs covers a cluster that has none yet',
      files: {
        'east/submariner.yaml': sub('east', '10.244.0.0/16', '10.96.0.0/16', '242.0.0.0/16'),
        'west/submariner.yaml': sub('west', '10.244.0.0/16', '10.97.0.0/16'),
      },
    },
    {
      name: 'adjacent ranges touch but do not overlap',
      files: {
        'east/submariner.yaml': sub('east', '10.0.0.0/17', '172.16.0.0/16'),
        'west/submariner.yaml': sub('west', '10.0.128.0/17', '172.17.0.0/16'),
      },
    },
  ],
  invalid: [
    {
      name: 'Submariner installed with the submariner-operator chart (HelmRelease values): the same service CIDR in two clusters',
      files: Object.fromEntries(
        [
          ['cluster-a', '10.0.0.0/16'],
          ['cluster-b', '10.1.0.0/16'],
        ].map(([c, pods]) => [
          `${c}/submariner.yaml`,
          yaml`
            apiVersion: helm.toolkit.fluxcd.io/v2
            kind: HelmRelease
            metadata: {name: submariner-operator, namespace: submariner-operator}
            spec:
              chart:
                spec: {chart: submariner-operator, sourceRef: {kind: HelmRepository, name: submariner-latest}}
              values:
                broker: {server: broker.example.com:6443, namespace: submariner-k8s-broker}
                submariner:
                  clusterId: ${c}
                  clusterCidr: ${pods}
                  serviceCidr: 172.16.0.0/16
          `,
        ]),
      ),
      findings: [
        {
          file: 'cluster-b/submariner.yaml',
          line: 12,
          column: 20,
          cluster: 'cluster-b',
          severity: 2,
          messageId: 'submariner',
          data: { what: 'Service CIDR', cidr: '172.16.0.0/16', other: 'cluster-a' },
          related: [{ file: 'cluster-a/submariner.yaml', line: 12, column: 20, cluster: 'cluster-a' }],
        },
      ],
    },
    {
      name: 'service CIDR reused across Submariner clusters without GlobalNet',
      files: {
        'cluster-a/submariner.yaml': sub('cluster-a', '10.0.0.0/16', '172.16.0.0/16'),
        'cluster-b/submariner.yaml': sub('cluster-b', '10.1.0.0/16', '172.17.0.0/16'),
        'cluster-c/submariner.yaml': sub('cluster-c', '10.2.0.0/16', '172.16.0.0/16'),
      },
      findings: [
        {
          file: 'cluster-c/submariner.yaml',
          ...SVC,
          endLine: 9,
          endColumn: 31,
          cluster: 'cluster-c',
          severity: 2,
          messageId: 'submariner',
          data: {
            what: 'Service CIDR',
            cidr: '172.16.0.0/16',
            cluster: 'cluster-c',
            role: 'service CIDR',
            otherCidr: '172.16.0.0/16',
            other: 'cluster-a',
            otherOrigin: expect.stringMatching(/^Submariner spec\.serviceCIDR in .*cluster-a\/submariner\.yaml$/),
            localRole: 'Service',
            written: '172.16.0.0/16',
            remoteSubnets: '[172.16.0.0/16 10.0.0.0/16]',
            fixRole: 'service CIDR',
          },
          related: [{ file: 'cluster-a/submariner.yaml', ...SVC, cluster: 'cluster-a' }],
        },
      ],
    },
    {
      name: 'pod CIDRs overlap between Submariner clusters',
      files: {
        'east/submariner.yaml': sub('east', '10.0.0.0/16', '172.16.0.0/16'),
        'west/submariner.yaml': sub('west', '10.0.128.0/17', '172.17.0.0/16'),
      },
      findings: [
        {
          file: 'west/submariner.yaml',
          ...POD,
          cluster: 'west',
          messageId: 'submariner',
          data: { what: 'Pod CIDR', cidr: '10.0.128.0/17', cluster: 'west', role: 'pod CIDR', otherCidr: '10.0.0.0/16', other: 'east', localRole: 'Pod', fixRole: 'pod CIDR' },
          related: [{ file: 'east/submariner.yaml', ...POD, cluster: 'east' }],
        },
      ],
    },
    {
      name: 'a pod CIDR overlapping another cluster service CIDR under Submariner',
      files: {
        'east/submariner.yaml': sub('east', '10.0.0.0/16', '10.96.0.0/12'),
        'west/submariner.yaml': sub('west', '10.100.0.0/16', '172.17.0.0/16'),
      },
      findings: [
        {
          file: 'west/submariner.yaml',
          ...POD,
          messageId: 'submariner',
          data: { what: 'Pod CIDR', cidr: '10.100.0.0/16', role: 'service CIDR', otherCidr: '10.96.0.0/12', other: 'east' },
          related: [{ file: 'east/submariner.yaml', ...SVC }],
        },
      ],
    },
    {
      name: 'pod CIDRs overlap in config facts, the config saying pods are routed flat',
      files: {
        'mclint.config.yaml': yaml`
          clusters:
            - name: east
              podCIDRs: [10.244.0.0/16]
            - name: west
              podCIDRs: ["10.244.128.0/17"]
          connectivity:
            - clusters: [east, west]
              kind: flat
              via: routed underlay
        `,
      },
      findings: [
        {
          file: 'mclint.config.yaml',
          line: 5,
          column: 16,
          endColumn: 33,
          cluster: 'west',
          messageId: 'flat',
          data: {
            what: 'Pod CIDR',
            cidr: '10.244.128.0/17',
            cluster: 'west',
            role: 'pod CIDR',
            otherCidr: '10.244.0.0/16',
            other: 'east',
            otherOrigin: expect.stringMatching(/^config podCIDRs in /),
            link: 'flat by the config file',
            evidence: expect.stringMatching(/^config connectivity\[0\]: routed underlay in .*mclint\.config\.yaml$/),
          },
          related: [{ file: 'mclint.config.yaml', line: 3, column: 16, cluster: 'east' }],
        },
      ],
    },
    {
      // Fails before the connectivity model: one stray globalCIDR turned GlobalNet on for the whole set.
      name: 'without a Broker, a globalCIDR in one cluster leaves the others routed flat: their service CIDRs still overlap',
      files: {
        'clusters/a/sub.yaml': submariner({ clusterID: 'a', clusterCIDR: '10.1.0.0/16', serviceCIDR: '10.96.0.0/16', globalCIDR: '242.0.0.0/16' }),
        'clusters/b/sub.yaml': submariner({ clusterID: 'b', clusterCIDR: '10.2.0.0/16', serviceCIDR: '10.97.0.0/16' }),
        'clusters/c/sub.yaml': submariner({ clusterID: 'c', clusterCIDR: '10.3.0.0/16', serviceCIDR: '10.97.0.0/16' }),
      },
      findings: [
        {
          file: 'clusters/c/sub.yaml',
          line: 9,
          column: 16,
          cluster: 'c',
          messageId: 'submariner',
          data: {
            cidr: '10.97.0.0/16',
            other: 'b',
            link: 'flat by Submariner without GlobalNet',
            evidence: expect.stringMatching(/^Submariner CR in \S*clusters\/b\/sub\.yaml; Submariner CR in \S*clusters\/c\/sub\.yaml$/),
          },
          related: [{ file: 'clusters/b/sub.yaml', line: 9, column: 16, cluster: 'b' }],
        },
      ],
    },
    {
      name: 'pod and service CIDR overlap inside one cluster',
      files: {
        'east/submariner.yaml': sub('east', '10.0.0.0/8', '10.96.0.0/12'),
      },
      findings: [
        {
          file: 'east/submariner.yaml',
          ...SVC,
          cluster: 'east',
          messageId: 'podsAndServices',
          data: { cidr: '10.96.0.0/12', cluster: 'east', role: 'pod CIDR', otherCidr: '10.0.0.0/8' },
          related: [{ file: 'east/submariner.yaml', ...POD }],
        },
      ],
    },
    {
      name: 'host bits are masked before comparing (10.10.30.0/16 is 10.10.0.0/16)',
      files: {
        'east/submariner.yaml': sub('east', '10.10.10.0/24', '172.16.0.0/16'),
        'west/submariner.yaml': sub('west', '10.10.30.0/16', '172.17.0.0/16'),
      },
      findings: [
        { file: 'west/submariner.yaml', ...POD, messageId: 'submariner', data: { cidr: '10.10.30.0/16 (= 10.10.0.0/16)', cluster: 'west', otherCidr: '10.10.10.0/24' } },
        { file: 'west/submariner.yaml', ...POD, severity: 1, cluster: 'west', messageId: 'hostBits', data: { what: 'Pod CIDR', cidr: '10.10.30.0/16', network: '10.10.0.0/16' } },
      ],
    },
    {
      name: 'IPv6 pod ranges of a dual-stack list overlap',
      files: {
        'east/submariner.yaml': sub('east', '10.0.0.0/16,fd00:10:244::/56', '10.96.0.0/16'),
        'west/submariner.yaml': sub('west', '10.1.0.0/16,fd00:10:244::/56', '10.97.0.0/16'),
      },
      findings: [
        { file: 'west/submariner.yaml', ...POD, messageId: 'submariner', data: { cidr: 'fd00:10:244::/56', cluster: 'west', otherCidr: 'fd00:10:244::/56', other: 'east' } },
      ],
    },
    {
      name: 'three clusters sharing one pod CIDR give one finding per pair',
      files: {
        'a/submariner.yaml': sub('a', '10.0.0.0/16', '172.16.0.0/16'),
        'b/submariner.yaml': sub('b', '10.0.0.0/16', '172.17.0.0/16'),
        'c/submariner.yaml': sub('c', '10.0.0.0/16', '172.18.0.0/16'),
      },
      findings: [
        { file: 'b/submariner.yaml', ...POD, messageId: 'submariner', data: { cluster: 'b', other: 'a' }, related: [{ file: 'a/submariner.yaml', ...POD }] },
        { file: 'c/submariner.yaml', ...POD, messageId: 'submariner', data: { cluster: 'c', other: 'a' } },
        { file: 'c/submariner.yaml', ...POD, messageId: 'submariner', data: { cluster: 'c', other: 'b' } },
      ],
    },
  ],
});
