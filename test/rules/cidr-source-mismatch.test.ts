import rule from '../../rules/cidr-source-mismatch.js';
import { ruleTester } from '../helpers/rule-tester.js';
import { yaml } from '../helpers/scenario.js';

// Fixed layouts. submariner(): clusterCIDR value at 8:16, serviceCIDR value at 9:16.
const submariner = (id: string, pod: string, service: string) => yaml`
  apiVersion: submariner.io/v1alpha1
  kind: Submariner
  metadata:
    name: submariner
    namespace: submariner-operator
  spec:
    clusterID: ${id}
    clusterCIDR: "${pod}"
    serviceCIDR: "${service}"
`;
// kubeadm(): podSubnet value at 5:14, serviceSubnet value at 6:18.
const kubeadm = (pod: string, service: string) => yaml`
  apiVersion: kubeadm.k8s.io/v1beta3
  kind: ClusterConfiguration
  clusterName: east
  networking:
    podSubnet: "${pod}"
    serviceSubnet: "${service}"
`;
// kind(): podSubnet value at 5:14, serviceSubnet value at 6:18; kindDefaults() states neither.
const kind = (pod: string, service: string) => yaml`
  kind: Cluster
  apiVersion: kind.x-k8s.io/v1alpha4
  name: east
  networking:
    podSubnet: "${pod}"
    serviceSubnet: "${service}"
`;
const kindDefaults = 'kind: Cluster\napiVersion: kind.x-k8s.io/v1alpha4\nname: east\n';
// ippool(): cidr value at 6:9, the extra spec lines from line 7.
const ippool = (name: string, cidr: string, ...extra: string[]) =>
  ['apiVersion: projectcalico.org/v3', 'kind: IPPool', 'metadata:', `  name: ${name}`, 'spec:', `  cidr: ${cidr}`, ...extra.map((l) => `  ${l}`), ''].join('\n');
// ciliumValues(): the first list item of clusterPoolIPv4PodCIDRList at 7:7.
const ciliumValues = (pod: string) => yaml`
  cluster:
    name: east
    id: 1
  ipam:
    operator:
      clusterPoolIPv4PodCIDRList:
      - "${pod}"
`;
const ERROR = 2 as const;
const WARN = 1 as const;

ruleTester(rule, {
  valid: [
    {
      name: 'Submariner CR and kubeadm name the same ranges',
      files: { 'east/submariner.yaml': submariner('east', '10.1.0.0/16', '10.96.0.0/12'), 'east/kubeadm.yaml': kubeadm('10.1.0.0/16', '10.96.0.0/12') },
    },
    {
      name: 'defaults are not statements: kind without networking and a Submariner CR with other ranges',
      files: { 'east/kind.yaml': kindDefaults, 'east/submariner.yaml': submariner('east', '10.1.0.0/16', '10.2.0.0/16') },
    },
    {
      name: 'dual-stack kubeadm and an IPv4-only Submariner CR: only families both state are compared',
      files: { 'east/kubeadm.yaml': kubeadm('10.1.0.0/16,fd00:1::/56', '10.96.0.0/12,fd00:96::/112'), 'east/submariner.yaml': submariner('east', '10.1.0.0/16', '10.96.0.0/12') },
    },
    {
      name: 'several Calico pools inside the pod CIDR, and a disabled pool for a remote cluster outside it',
      files: {
        'east/kubeadm.yaml': kubeadm('10.1.0.0/16', '10.96.0.0/12'),
        'east/pools.yaml': [ippool('a', '10.1.0.0/17'), ippool('b', '10.1.128.0/17'), ippool('west-pods', '10.2.0.0/16', 'disabled: true', 'natOutgoing: false')].join('---\n'),
      },
    },
    {
      name: 'a placeholder range is unknown, not a disagreement',
      files: { 'east/kubeadm.yaml': kubeadm('10.1.0.0/16', '10.96.0.0/12'), 'east/submariner.yaml': submariner('east', '${CLUSTER_CIDR}', '10.96.0.0/12') },
    },
    {
      name: 'one range written in two clusters differently is compared per cluster only',
      files: { 'east/kubeadm.yaml': kubeadm('10.1.0.0/16', '10.96.0.0/12'), 'west/submariner.yaml': submariner('west', '10.2.0.0/16', '10.97.0.0/16') },
    },
    {
      name: 'garbage CIDRs give no facts and no findings',
      files: { 'east/kubeadm.yaml': kubeadm('not-a-cidr', '10.96.0.0/12'), 'east/submariner.yaml': submariner('east', '10.1.0.0/16', 'x,,') },
    },
  ],
  invalid: [
    {
      name: 'the Submariner CR names another pod CIDR than kubeadm (subctl: provided does not match discovered)',
      files: { 'east/submariner.yaml': submariner('east', '10.2.0.0/16', '10.96.0.0/12'), 'east/kubeadm.yaml': kubeadm('10.1.0.0/16', '10.96.0.0/12') },
      findings: [
        {
          file: 'east/submariner.yaml',
          line: 8,
          column: 16,
          messageId: 'differs',
          severity: ERROR,
          cluster: 'east',
          data: { role: 'pod', cidrs: '10.2.0.0/16', origin: 'Submariner spec.clusterCIDR', referenceCidrs: '10.1.0.0/16', referenceField: 'kubeadm networking.podSubnet' },
          related: [{ file: 'east/kubeadm.yaml', line: 5, column: 14 }],
        },
      ],
    },
    {
      name: 'the Submariner CR names another Service CIDR than kind',
      files: { 'east/kind.yaml': kind('10.1.0.0/16', '10.96.0.0/16'), 'east/submariner.yaml': submariner('east', '10.1.0.0/16', '10.96.0.0/12') },
      findings: [
        {
          file: 'east/submariner.yaml',
          line: 9,
          column: 16,
          messageId: 'differs',
          severity: ERROR,
          data: { role: 'Service', cidrs: '10.96.0.0/12', referenceCidrs: '10.96.0.0/16', referenceField: 'kind networking.serviceSubnet' },
          related: [{ file: 'east/kind.yaml', line: 6, column: 18 }],
        },
      ],
    },
    {
      name: 'dual-stack: the IPv6 pod ranges differ, the IPv4 ones agree',
      files: { 'east/kubeadm.yaml': kubeadm('10.1.0.0/16,fd00:1::/56', '10.96.0.0/12'), 'east/submariner.yaml': submariner('east', '10.1.0.0/16,fd00:2::/56', '10.96.0.0/12') },
      findings: [{ file: 'east/submariner.yaml', line: 8, column: 16, messageId: 'differs', data: { cidrs: 'fd00:2::/56', referenceCidrs: 'fd00:1::/56' } }],
    },
    {
      name: 'each family has its own reference: IPv4-only kubeadm, IPv6 compared between the config file and the Submariner CR',
      files: {
        'mclint.config.yaml': yaml`
          clusters:
            - name: east
              podCIDRs: [10.1.0.0/16, fd00:1::/56]
        `,
        'east/kubeadm.yaml': kubeadm('10.1.0.0/16', '10.96.0.0/12'),
        'east/submariner.yaml': submariner('east', '10.1.0.0/16,fd00:2::/56', '10.96.0.0/12'),
      },
      findings: [
        {
          file: 'east/submariner.yaml',
          line: 8,
          column: 16,
          messageId: 'differs',
          severity: ERROR,
          data: { cidrs: 'fd00:2::/56', referenceCidrs: 'fd00:1::/56', referenceField: 'config podCIDRs' },
          related: [{ file: 'mclint.config.yaml', line: 3, column: 29 }],
        },
      ],
    },
    {
      name: 'the config file and kubeadm disagree (no Submariner: a warning)',
      files: {
        'mclint.config.yaml': yaml`
          clusters:
            - name: east
              podCIDRs: [10.1.0.0/16, 10.3.0.0/16]
        `,
        'east/kubeadm.yaml': kubeadm('10.1.0.0/16', '10.96.0.0/12'),
      },
      findings: [
        {
          file: 'mclint.config.yaml',
          line: 3,
          column: 29,
          messageId: 'differs',
          severity: WARN,
          data: { cidrs: '10.1.0.0/16, 10.3.0.0/16', origin: 'config podCIDRs', referenceCidrs: '10.1.0.0/16' },
          related: [{ file: 'east/kubeadm.yaml', line: 5, column: 14 }],
        },
      ],
    },
    {
      name: 'an enabled Calico pool outside the kubeadm pod CIDR',
      files: { 'east/kubeadm.yaml': kubeadm('10.1.0.0/16', '10.96.0.0/12'), 'east/pools.yaml': [ippool('a', '10.1.0.0/17'), ippool('default', '192.168.0.0/16')].join('---\n') },
      findings: [
        {
          file: 'east/pools.yaml',
          line: 13,
          column: 9,
          messageId: 'poolOutside',
          severity: WARN,
          data: { cidrs: '192.168.0.0/16', referenceCidrs: '10.1.0.0/16' },
          related: [{ file: 'east/kubeadm.yaml', line: 5, column: 14 }],
        },
      ],
    },
    {
      name: 'Cilium cluster-pool values and kind name different pod CIDRs',
      files: { 'east/kind.yaml': kind('10.1.0.0/16', '10.96.0.0/16'), 'east/values.yaml': ciliumValues('10.5.0.0/16') },
      findings: [
        { file: 'east/values.yaml', line: 7, column: 7, messageId: 'differs', severity: WARN, data: { cidrs: '10.5.0.0/16', referenceField: 'kind networking.podSubnet' } },
      ],
    },
  ],
});
