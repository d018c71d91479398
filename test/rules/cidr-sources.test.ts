/**
 * cidr-overlap over every CIDR source of the model: kubeadm, kind (with its defaults), Cilium
 * Helm values and cilium-config, Calico, Nodes, and the connectivity the manifests declare.
 */
import { expect } from 'vitest';
import rule from '../../rules/cidr-overlap.js';
import { ruleTester } from '../helpers/rule-tester.js';
import { yaml } from '../helpers/scenario.js';
import { submariner } from '../helpers/manifests.js';

const kubeadm = (podSubnet: string, serviceSubnet?: string) => yaml`
  apiVersion: kubeadm.k8s.io/v1beta4
  kind: ClusterConfiguration
  clusterName: prod
  networking:
    podSubnet: "${podSubnet}"
  ${serviceSubnet ? `  serviceSubnet: "${serviceSubnet}"` : ''}
`;
// kubeadm(): `networking` key at 4:1, podSubnet value at 5:14, serviceSubnet value at 6:18.

/** A kind cluster config; `networking` lines verbatim (indented by two spaces). */
const kind = (name: string, ...networking: string[]) =>
  [
    'kind: Cluster',
    'apiVersion: kind.x-k8s.io/v1alpha4',
    `name: ${name}`,
    ...(networking.length ? ['networking:', ...networking.map((l) => `  ${l}`)] : []),
    'nodes:',
    '- role: control-plane',
    '',
  ].join('\n');

/** Cilium Helm values with a cluster name and id; `extra` lines appended verbatim. */
const ciliumValues = (name: string, id: number, ...extra: string[]) =>
  [`cluster:`, `  name: ${name}`, `  id: ${id}`, 'clustermesh:', '  useAPIServer: true', ...extra, ''].join('\n');

const node = (name: string, podCIDR: string, address?: string) => yaml`
  apiVersion: v1
  kind: Node
  metadata:
    name: ${name}
  spec:
    podCIDR: ${podCIDR}
  ${address ? `status:\n    addresses:\n      - type: InternalIP\n        address: ${address}` : ''}
`;
// node(): podCIDR value at 6:12; InternalIP address value at 10:16.

/** The config saying east and west route pods flat: their overlaps are errors (cidr-overlap is silent or a note otherwise). */
const FLAT = 'connectivity:\n  - clusters: [east, west]\n    kind: flat\n';

ruleTester(rule, {
  valid: [
    {
      name: 'kubeadm clusters with distinct pod subnets (service subnets may repeat without Submariner)',
      files: { 'east/kubeadm.yaml': kubeadm('10.1.0.0/16'), 'west/kubeadm.yaml': kubeadm('10.2.0.0/16') },
    },
    {
      name: 'two kind clusters with their own pod subnets',
      files: {
        'east/kind.yaml': kind('east', 'podSubnet: "10.10.0.0/16"', 'serviceSubnet: "10.110.0.0/16"'),
        'west/kind.yaml': kind('west', 'podSubnet: "10.20.0.0/16"', 'serviceSubnet: "10.120.0.0/16"'),
      },
    },
    {
      name: 'two default kind clusters declared on different networks (Istio multi-network, gateways only)',
      files: {
        'mclint.config.yaml': yaml`
          clusters:
            - name: east
              network: network1
            - name: west
              network: network2
        `,
        'east/kind.yaml': kind('east'),
        'west/kind.yaml': kind('west'),
      },
    },
    {
      name: 'Cilium Cluster Mesh with distinct cluster pools and a native-routing CIDR covering both',
      files: {
        'east/cilium-values.yaml': ciliumValues(
          'east',
          1,
          'routingMode: native',
          'ipv4NativeRoutingCIDR: 10.0.0.0/8',
          'ipam:',
          '  operator:',
          '    clusterPoolIPv4PodCIDRList: ["10.1.0.0/16"]',
        ),
        'west/cilium-values.yaml': ciliumValues(
          'west',
          2,
          'routingMode: native',
          'ipv4NativeRoutingCIDR: 10.0.0.0/8',
          'ipam:',
          '  operator:',
          '    clusterPoolIPv4PodCIDRList: ["10.2.0.0/16"]',
        ),
      },
    },
    {
      name: 'Cilium with ipam mode kubernetes takes no cluster-pool default',
      files: {
        'east/cilium-values.yaml': ciliumValues('east', 1, 'ipam:', '  mode: kubernetes'),
        'west/cilium-values.yaml': ciliumValues('west', 2, 'ipam:', '  mode: kubernetes'),
      },
    },
    // A placeholder field (or parent) is unknown: no default CIDR is invented for it, so nothing overlaps.
    {
      name: 'kind: a placeholder podSubnet gives no default 10.244.0.0/16',
      files: { 'east/kind.yaml': kind('east', 'podSubnet: ${POD_SUBNET}'), 'west/kind.yaml': kind('west') },
    },
    {
      name: 'kind: a placeholder networking section or ipFamily gives no default subnets',
      files: {
        'east/kind.yaml': 'kind: Cluster\napiVersion: kind.x-k8s.io/v1alpha4\nname: east\nnetworking: ${NET}\n',
        'west/kind.yaml': kind('west', 'ipFamily: ${IP_FAMILY}'),
        'north/kind.yaml': kind('north'),
      },
    },
    {
      name: 'kubeadm: a placeholder serviceSubnet gives no default 10.96.0.0/12',
      files: { 'east/kubeadm.yaml': kubeadm('10.96.0.0/16', '${SERVICE_SUBNET}') },
    },
    {
      name: 'Cilium: a placeholder cluster pool, IPAM mode or ipam section gives no default 10.0.0.0/8',
      files: {
        'east/values.yaml': ciliumValues('east', 1, 'ipam:', '  operator:', '    clusterPoolIPv4PodCIDRList: ${POD_CIDRS}'),
        'west/values.yaml': ciliumValues('west', 2, 'ipam:', '  mode: ${IPAM_MODE}'),
        'north/values.yaml': ciliumValues('north', 3, 'ipam: ${IPAM}'),
        'south/values.yaml': ciliumValues('south', 4),
      },
    },
    {
      name: 'the same placeholder pod CIDR in two clusters is no overlap',
      files: {
        'east/submariner.yaml': submariner({ clusterID: 'east', clusterCIDR: '${CLUSTER_CIDR}', serviceCIDR: '10.96.0.0/16' }),
        'west/submariner.yaml': submariner({ clusterID: 'west', clusterCIDR: '${CLUSTER_CIDR}', serviceCIDR: '10.97.0.0/16' }),
      },
    },
    {
      name: 'a disabled Calico IPPool is not a range',
      files: {
        'east/pool.yaml': yaml`
          apiVersion: projectcalico.org/v3
          kind: IPPool
          metadata:
            name: old
          spec:
            cidr: 10.5.0.0/16
            disabled: true
        `,
        'west/pool.yaml': yaml`
          apiVersion: crd.projectcalico.org/v1
          kind: IPPool
          metadata:
            name: default
          spec:
            cidr: 10.5.0.0/16
        `,
      },
    },
    {
      name: 'nodes with slices of their cluster pod CIDR',
      files: {
        'east/kubeadm.yaml': kubeadm('10.1.0.0/16', '10.96.0.0/12'),
        'east/nodes.yaml': `${node('a', '10.1.0.0/24', '192.168.1.10')}---\n${node('b', '10.1.1.0/24')}`,
      },
    },
    {
      name: 'allow-all CIDRs in network policies are not ranges',
      files: {
        'east/policy.yaml': yaml`
          apiVersion: networking.k8s.io/v1
          kind: NetworkPolicy
          metadata:
            name: egress
          spec:
            podSelector: {}
            egress:
              - to:
                  - ipBlock:
                      cidr: 0.0.0.0/0
        `,
        'west/policy.yaml': yaml`
          apiVersion: networking.k8s.io/v1
          kind: NetworkPolicy
          metadata:
            name: egress
          spec:
            podSelector: {}
            egress:
              - to:
                  - ipBlock:
                      cidr: 0.0.0.0/0
        `,
      },
    },
  ],
  invalid: [
    {
      name: 'two default kind clusters share the default pod subnet 10.244.0.0/16',
      files: { 'mclint.config.yaml': FLAT, 'east/kind.yaml': kind('east'), 'west/kind.yaml': kind('west') },
      findings: [
        {
          file: 'west/kind.yaml',
          line: 1,
          column: 7,
          cluster: 'west',
          messageId: 'flat',
          data: {
            what: 'Pod CIDR',
            cidr: '10.244.0.0/16',
            cluster: 'west',
            role: 'pod CIDR',
            otherCidr: '10.244.0.0/16',
            other: 'east',
            otherOrigin: expect.stringMatching(/^kind default podSubnet/),
          },
          related: [{ file: 'east/kind.yaml', line: 1, column: 7, cluster: 'east' }],
        },
      ],
    },
    {
      name: 'two dual-stack kind clusters with default subnets overlap in IPv4 and IPv6',
      files: { 'mclint.config.yaml': FLAT, 'east/kind.yaml': kind('east', 'ipFamily: dual'), 'west/kind.yaml': kind('west', 'ipFamily: dual') },
      findings: [
        { file: 'west/kind.yaml', line: 4, column: 1, messageId: 'flat', data: { cidr: '10.244.0.0/16', cluster: 'west' } },
        { file: 'west/kind.yaml', line: 4, column: 1, messageId: 'flat', data: { cidr: 'fd00:10:244::/56', cluster: 'west' } },
      ],
    },
    {
      name: 'IPv6 kind clusters with explicit overlapping pod subnets',
      files: {
        'mclint.config.yaml': FLAT,
        'east/kind.yaml': kind('east', 'ipFamily: ipv6', 'podSubnet: "fd00:10:244::/56"'),
        'west/kind.yaml': kind('west', 'ipFamily: ipv6', 'podSubnet: "fd00:10:244:80::/57"'),
      },
      findings: [
        { file: 'west/kind.yaml', line: 6, column: 14, messageId: 'flat', data: { cidr: 'fd00:10:244:80::/57', cluster: 'west', otherCidr: 'fd00:10:244::/56', other: 'east' } },
      ],
    },
    {
      name: 'kubeadm dual-stack pod subnets overlap in IPv6',
      files: { 'mclint.config.yaml': FLAT, 'east/kubeadm.yaml': kubeadm('10.1.0.0/16,fd00:1::/64'), 'west/kubeadm.yaml': kubeadm('10.2.0.0/16,fd00:1::/64') },
      findings: [
        {
          file: 'west/kubeadm.yaml',
          line: 5,
          column: 14,
          messageId: 'flat',
          data: { cidr: 'fd00:1::/64', cluster: 'west', otherOrigin: expect.stringMatching(/^kubeadm networking\.podSubnet/) },
        },
      ],
    },
    {
      name: 'kubeadm pod subnet overlapping its default service subnet 10.96.0.0/12',
      files: { 'east/kubeadm.yaml': kubeadm('10.96.0.0/16') },
      findings: [
        {
          file: 'east/kubeadm.yaml',
          line: 4,
          column: 1,
          messageId: 'podsAndServices',
          data: { cidr: '10.96.0.0/12', cluster: 'east', role: 'pod CIDR', otherCidr: '10.96.0.0/16' },
          related: [{ file: 'east/kubeadm.yaml', line: 5, column: 14 }],
        },
      ],
    },
    {
      name: 'a placeholder serviceSubnet leaves the pod subnet beside it in use',
      files: { 'mclint.config.yaml': FLAT, 'east/kubeadm.yaml': kubeadm('10.1.0.0/16', '${SERVICE_SUBNET}'), 'west/kubeadm.yaml': kubeadm('10.1.0.0/16', '10.97.0.0/16') },
      findings: [{ file: 'west/kubeadm.yaml', line: 5, column: 14, messageId: 'flat', data: { cidr: '10.1.0.0/16', cluster: 'west', otherCidr: '10.1.0.0/16', other: 'east' } }],
    },
    {
      name: 'two default Cilium installs share the cluster-pool default 10.0.0.0/8',
      files: { 'east/values.yaml': ciliumValues('east', 1), 'west/values.yaml': ciliumValues('west', 2) },
      findings: [
        {
          file: 'west/values.yaml',
          line: 1,
          column: 1,
          messageId: 'cilium',
          data: { cidr: '10.0.0.0/8', cluster: 'west', otherCidr: '10.0.0.0/8', other: 'east', otherOrigin: expect.stringMatching(/^Cilium default clusterPoolIPv4PodCIDRList/) },
          related: [{ file: 'east/values.yaml', line: 1, column: 1 }],
        },
      ],
    },
    {
      name: 'cilium-config ConfigMaps with overlapping cluster pools',
      files: {
        'east/cilium-config.yaml': yaml`
          apiVersion: v1
          kind: ConfigMap
          metadata:
            name: cilium-config
            namespace: kube-system
          data:
            cluster-name: east
            cluster-id: "1"
            cluster-pool-ipv4-cidr: "10.1.0.0/16 10.3.0.0/16"
        `,
        'west/cilium-config.yaml': yaml`
          apiVersion: v1
          kind: ConfigMap
          metadata:
            name: cilium-config
            namespace: kube-system
          data:
            cluster-name: west
            cluster-id: "2"
            cluster-pool-ipv4-cidr: "10.3.0.0/16"
        `,
      },
      findings: [
        {
          file: 'west/cilium-config.yaml',
          line: 9,
          column: 27,
          messageId: 'cilium',
          data: { cidr: '10.3.0.0/16', cluster: 'west', otherOrigin: expect.stringMatching(/^cilium-config cluster-pool-ipv4-cidr/) },
        },
      ],
    },
    {
      name: 'a native-routing CIDR that misses the other cluster pod CIDR',
      files: {
        'east/cilium-values.yaml': ciliumValues(
          'east',
          1,
          'routingMode: native',
          'ipv4NativeRoutingCIDR: 10.1.0.0/16',
          'ipam:',
          '  operator:',
          '    clusterPoolIPv4PodCIDRList: ["10.1.0.0/16"]',
        ),
        'west/cilium-values.yaml': ciliumValues(
          'west',
          2,
          'routingMode: native',
          'ipv4NativeRoutingCIDR: 10.0.0.0/8',
          'ipam:',
          '  operator:',
          '    clusterPoolIPv4PodCIDRList: ["10.2.0.0/16"]',
        ),
      },
      findings: [
        {
          file: 'east/cilium-values.yaml',
          line: 7,
          column: 24,
          severity: 2,
          cluster: 'east',
          messageId: 'nativeRouting',
          data: {
            cidr: '10.1.0.0/16',
            cluster: 'east',
            podCIDR: '10.2.0.0/16',
            other: 'west',
            podOrigin: expect.stringMatching(/^Cilium values ipam\.operator\.clusterPoolIPv4PodCIDRList in .*west\/cilium-values\.yaml$/),
          },
          related: [{ file: 'west/cilium-values.yaml', line: 10, column: 34, cluster: 'west' }],
        },
      ],
    },
    {
      name: 'Calico pools of two clusters overlap; the operator Installation counts too',
      files: {
        'mclint.config.yaml': FLAT,
        'east/installation.yaml': yaml`
          apiVersion: operator.tigera.io/v1
          kind: Installation
          metadata:
            name: default
          spec:
            calicoNetwork:
              ipPools:
                - cidr: 192.168.0.0/16
        `,
        'west/pool.yaml': yaml`
          apiVersion: projectcalico.org/v3
          kind: IPPool
          metadata:
            name: default
          spec:
            cidr: 192.168.128.0/17
        `,
      },
      findings: [
        {
          file: 'west/pool.yaml',
          line: 6,
          column: 9,
          messageId: 'flat',
          data: { cidr: '192.168.128.0/17', otherCidr: '192.168.0.0/16', other: 'east', otherOrigin: expect.stringMatching(/^Installation calicoNetwork\.ipPools\[0\]\.cidr/) },
        },
      ],
    },
    {
      name: 'Nodes: two nodes with one pod range, a node range outside the pod CIDR, a node address inside it',
      files: {
        'east/kubeadm.yaml': kubeadm('10.1.0.0/16', '10.96.0.0/12'),
        'east/nodes.yaml': `${node('a', '10.1.0.0/24', '10.1.200.7')}---\n${node('b', '10.1.0.0/24')}---\n${node('c', '10.2.0.0/24')}`,
      },
      findings: [
        {
          file: 'east/nodes.yaml',
          line: 10,
          column: 16,
          cluster: 'east',
          messageId: 'addressInPodCIDR',
          data: { address: '10.1.200.7', origin: 'Node "a" InternalIP', role: 'pod CIDR', otherCidr: '10.1.0.0/16', other: 'east' },
          related: [{ file: 'east/kubeadm.yaml', line: 5, column: 14 }],
        },
        {
          file: 'east/nodes.yaml',
          line: 17,
          column: 12,
          messageId: 'nodeSlices',
          data: { cidr: '10.1.0.0/24', origin: 'Node "b" spec.podCIDR', otherCidr: '10.1.0.0/24' },
          related: [{ file: 'east/nodes.yaml', line: 6, column: 12 }],
        },
        {
          file: 'east/nodes.yaml',
          line: 25,
          column: 12,
          severity: 1,
          messageId: 'nodeOutsidePodCIDR',
          data: { cidr: '10.2.0.0/24', origin: 'Node "c" spec.podCIDR', cluster: 'east', podCIDRs: '10.1.0.0/16' },
          related: [{ file: 'east/kubeadm.yaml', line: 5, column: 14 }],
        },
      ],
    },
    {
      name: 'ranges that cannot hold pods or Services',
      files: {
        'mclint.config.yaml': yaml`
          clusters:
            - name: east
              podCIDRs: [127.0.0.0/16, 169.254.0.0/16]
              serviceCIDRs: [224.0.0.0/4, 0.0.0.0/0]
        `,
      },
      findings: [
        {
          file: 'mclint.config.yaml',
          line: 3,
          column: 16,
          severity: 2,
          cluster: 'east',
          messageId: 'unusableRange',
          data: { what: 'Pod CIDR', cidr: '127.0.0.0/16', cluster: 'east', origin: 'config podCIDRs', range: 'the loopback range' },
        },
        { file: 'mclint.config.yaml', line: 3, column: 30, messageId: 'unusableRange', data: { cidr: '169.254.0.0/16', range: 'the link-local range' } },
        {
          file: 'mclint.config.yaml',
          line: 4,
          column: 20,
          messageId: 'unusableRange',
          data: { what: 'Service CIDR', cidr: '224.0.0.0/4', origin: 'config serviceCIDRs', range: 'the multicast range' },
        },
        { file: 'mclint.config.yaml', line: 4, column: 33, messageId: 'coversAll', data: { what: 'Service CIDR', cidr: '0.0.0.0/0', cluster: 'east' } },
        // 0.0.0.0/0 holds every other range of the cluster.
        { file: 'mclint.config.yaml', line: 4, column: 33, messageId: 'podsAndServices', data: { cidr: '0.0.0.0/0', otherCidr: '127.0.0.0/16' } },
        { file: 'mclint.config.yaml', line: 4, column: 33, messageId: 'podsAndServices', data: { cidr: '0.0.0.0/0', otherCidr: '169.254.0.0/16' } },
      ],
    },
    {
      name: 'Submariner pod CIDR overlapping another cluster kubeadm service subnet',
      files: {
        'east/submariner.yaml': submariner({ clusterID: 'east', clusterCIDR: '10.100.0.0/16', serviceCIDR: '10.200.0.0/16' }),
        'west/submariner.yaml': submariner({ clusterID: 'west', clusterCIDR: '10.1.0.0/16', serviceCIDR: '10.210.0.0/16' }),
        'west/kubeadm.yaml': kubeadm('10.1.0.0/16', '10.100.0.0/20'),
      },
      findings: [
        {
          file: 'west/kubeadm.yaml',
          line: 6,
          column: 18,
          messageId: 'submariner',
          data: {
            what: 'Service CIDR',
            cidr: '10.100.0.0/20',
            cluster: 'west',
            role: 'pod CIDR',
            otherCidr: '10.100.0.0/16',
            other: 'east',
            localRole: 'Service',
            written: '10.100.0.0/20',
            remoteSubnets: '[10.200.0.0/16 10.100.0.0/16]',
            fixRole: 'service CIDR',
          },
        },
      ],
    },
  ],
});
