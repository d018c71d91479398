import rule from '../../rules/submariner-cni.js';
import { ruleTester } from '../helpers/rule-tester.js';
import { yaml } from '../helpers/scenario.js';

// submariner(): `kind` value at 2:7, clusterCIDR value at 8:16, serviceCIDR value at 9:16, globalCIDR (when given) at 10:15.
const submariner = (id: string, pod: string, service: string, global?: string) =>
  [
    'apiVersion: submariner.io/v1alpha1',
    'kind: Submariner',
    'metadata:',
    '  name: submariner',
    '  namespace: submariner-operator',
    'spec:',
    `  clusterID: ${id}`,
    `  clusterCIDR: "${pod}"`,
    `  serviceCIDR: "${service}"`,
    ...(global ? [`  globalCIDR: "${global}"`] : []),
    '',
  ].join('\n');
// ippool(): cidr value at 6:9, the extra spec lines from line 7 (values of `natOutgoing: ` at column 16, `ipipMode: ` at 13).
// The kube-proxy ConfigMap finding points at the `config.conf` value (the mode is inside its text).
const ippool = (name: string, cidr: string, ...extra: string[]) =>
  ['apiVersion: projectcalico.org/v3', 'kind: IPPool', 'metadata:', `  name: ${name}`, 'spec:', `  cidr: ${cidr}`, ...extra.map((l) => `  ${l}`), ''].join('\n');
const REMOTE = ['disabled: true', 'natOutgoing: false'];
const own = (cidr: string) => ippool('default', cidr, 'vxlanMode: Always');
/** East's pools: its own VXLAN pool, then pools for west's pod (10.2.0.0/16) and Service (10.97.0.0/16) CIDRs. */
const eastPools = (...remote: string[][]) => [own('10.1.0.0/16'), ippool('west-pods', '10.2.0.0/16', ...remote[0]), ippool('west-svc', '10.97.0.0/16', ...remote[1])].join('---\n');
const westPools = [own('10.2.0.0/16'), ippool('east-pods', '10.1.0.0/16', ...REMOTE), ippool('east-svc', '10.96.0.0/16', ...REMOTE)].join('---\n');
const EAST = submariner('east', '10.1.0.0/16', '10.96.0.0/16');
const WEST = submariner('west', '10.2.0.0/16', '10.97.0.0/16');
// daemonSet(): the kube-proxy container's command items from line 15 (values at column 11).
const daemonSet = (name: string, ...args: string[]) =>
  [
    'apiVersion: apps/v1',
    'kind: DaemonSet',
    'metadata:',
    `  name: ${name}`,
    '  namespace: kube-system',
    'spec:',
    '  selector: {matchLabels: {k8s-app: kube-proxy}}',
    '  template:',
    '    metadata: {labels: {k8s-app: kube-proxy}}',
    '    spec:',
    '      containers:',
    '      - name: kube-proxy',
    '        image: registry.k8s.io/kube-proxy:v1.30.0',
    '        command:',
    '        - /usr/local/bin/kube-proxy',
    ...args.map((a) => `        - ${a}`),
    '',
  ].join('\n');
const ERROR = 2 as const;
const WARN = 1 as const;

ruleTester(rule, {
  valid: [
    {
      name: "both clusters have disabled, non-NAT pools for the other one's pod and Service CIDRs, and VXLAN pools of their own",
      files: { 'east/submariner.yaml': EAST, 'east/pools.yaml': eastPools(REMOTE, REMOTE), 'west/submariner.yaml': WEST, 'west/pools.yaml': westPools },
    },
    { name: 'no Calico pools in the repository: nothing to check', files: { 'east/submariner.yaml': EAST, 'west/submariner.yaml': WEST } },
    {
      name: 'GlobalNet: remote ranges are global IPs, pools are not checked',
      files: { 'east/submariner.yaml': submariner('east', '10.1.0.0/16', '10.96.0.0/16', '242.0.0.0/16'), 'east/pools.yaml': own('10.1.0.0/16'), 'west/submariner.yaml': WEST },
    },
    {
      name: 'kube-proxy in iptables mode with Submariner, ipvs in a cluster without Submariner',
      files: {
        'east/submariner.yaml': EAST,
        'east/kube-proxy.yaml': 'apiVersion: kubeproxy.config.k8s.io/v1alpha1\nkind: KubeProxyConfiguration\nmode: iptables\n',
        'west/kube-proxy.yaml': 'apiVersion: kubeproxy.config.k8s.io/v1alpha1\nkind: KubeProxyConfiguration\nmode: ipvs\n',
      },
    },
    {
      name: 'kube-proxy DaemonSet flags in iptables mode, and --proxy-mode=ipvs on a DaemonSet that is not kube-proxy',
      files: {
        'east/submariner.yaml': EAST,
        'east/kube-proxy-ds.yaml': daemonSet('kube-proxy', '--proxy-mode', 'iptables'),
        'east/other-ds.yaml': daemonSet('my-proxy', '--proxy-mode=ipvs'),
      },
    },
    {
      name: 'placeholders are unknown: a remote pool whose disabled/natOutgoing are left to apply time, a mode placeholder',
      files: {
        'east/submariner.yaml': EAST,
        'east/pools.yaml': eastPools(['disabled: ${DISABLED}', 'natOutgoing: ${NAT}'], REMOTE),
        'east/kube-proxy.yaml': 'apiVersion: kubeproxy.config.k8s.io/v1alpha1\nkind: KubeProxyConfiguration\nmode: ${MODE}\n',
        'west/submariner.yaml': WEST,
      },
    },
    {
      name: 'garbage: a kube-proxy ConfigMap whose config.conf is not YAML, a pool with a non-boolean natOutgoing',
      files: {
        'east/submariner.yaml': EAST,
        'east/cm.yaml': yaml`
          apiVersion: v1
          kind: ConfigMap
          metadata:
            name: kube-proxy
            namespace: kube-system
          data:
            config.conf: "mode: [ipvs"
        `,
        'east/pools.yaml': eastPools(['disabled: true', 'natOutgoing: maybe'], REMOTE),
        'west/submariner.yaml': WEST,
      },
    },
  ],
  invalid: [
    {
      name: 'no pool for the remote Service CIDR (a warning: Submariner creates it only with the Calico API server)',
      files: { 'east/submariner.yaml': EAST, 'east/pools.yaml': [own('10.1.0.0/16'), ippool('west-pods', '10.2.0.0/16', ...REMOTE)].join('---\n'), 'west/submariner.yaml': WEST },
      findings: [
        {
          file: 'east/submariner.yaml',
          line: 2,
          column: 7,
          messageId: 'missingPool',
          severity: WARN,
          cluster: 'east',
          data: { cluster: 'east', remote: 'west', role: 'Service', remoteCidr: '10.97.0.0/16' },
          related: [{ file: 'west/submariner.yaml', line: 9, column: 16, cluster: 'west' }],
        },
      ],
    },
    {
      name: 'a pool for the remote pod CIDR left enabled (by default), one for its Service CIDR with natOutgoing on',
      files: { 'east/submariner.yaml': EAST, 'east/pools.yaml': eastPools(['natOutgoing: false'], ['disabled: true', 'natOutgoing: true']), 'west/submariner.yaml': WEST },
      findings: [
        {
          file: 'east/pools.yaml',
          line: 14,
          column: 9,
          messageId: 'poolEnabled',
          severity: ERROR,
          data: { pool: '10.2.0.0/16', remote: 'west', role: 'pod', remoteCidr: '10.2.0.0/16' },
          related: [{ file: 'west/submariner.yaml', line: 8, column: 16 }],
        },
        {
          file: 'east/pools.yaml',
          line: 24,
          column: 16,
          messageId: 'poolNatOutgoing',
          severity: ERROR,
          data: { pool: '10.97.0.0/16', role: 'Service' },
          related: [{ file: 'west/submariner.yaml', line: 9, column: 16 }],
        },
      ],
    },
    {
      name: 'own pools with IP-in-IP or without encapsulation (default), and an Installation pool with the default IPIP',
      files: {
        'east/submariner.yaml': EAST,
        'east/pools.yaml': [ippool('ipip', '10.1.0.0/17', 'ipipMode: Always'), ippool('bgp', '10.1.128.0/17')].join('---\n'),
        'east/installation.yaml': yaml`
          apiVersion: operator.tigera.io/v1
          kind: Installation
          metadata:
            name: default
          spec:
            calicoNetwork:
              ipPools:
              - cidr: 10.1.0.0/16
        `,
      },
      findings: [
        { file: 'east/pools.yaml', line: 7, column: 13, messageId: 'notVxlan', severity: WARN, data: { cidr: '10.1.0.0/17', encapsulation: 'IPIP', default: '' } },
        { file: 'east/pools.yaml', line: 14, column: 9, messageId: 'notVxlan', severity: WARN, data: { cidr: '10.1.128.0/17', encapsulation: 'None', default: ' (default)' } },
        { file: 'east/installation.yaml', line: 8, column: 13, messageId: 'notVxlan', severity: WARN, data: { cidr: '10.1.0.0/16', encapsulation: 'IPIP', default: ' (default)' } },
      ],
    },
    {
      name: 'kube-proxy in ipvs mode: KubeProxyConfiguration, the kube-proxy ConfigMap, kind kubeProxyMode, the kube-proxy DaemonSet flag',
      files: {
        'east/submariner.yaml': EAST,
        'east/kube-proxy.yaml': 'apiVersion: kubeproxy.config.k8s.io/v1alpha1\nkind: KubeProxyConfiguration\nmode: ipvs\n',
        'west/submariner.yaml': WEST,
        'west/cm.yaml': yaml`
          apiVersion: v1
          kind: ConfigMap
          metadata:
            name: kube-proxy
            namespace: kube-system
          data:
            config.conf: |
              apiVersion: kubeproxy.config.k8s.io/v1alpha1
              kind: KubeProxyConfiguration
              mode: ipvs
        `,
        'west/kind.yaml': 'kind: Cluster\napiVersion: kind.x-k8s.io/v1alpha4\nname: west\nnetworking:\n  kubeProxyMode: ipvs\n',
        'west/kube-proxy-ds.yaml': daemonSet('kube-proxy', '--config=/var/lib/kube-proxy/config.conf', '--proxy-mode', 'ipvs'),
      },
      findings: [
        { file: 'east/kube-proxy.yaml', line: 3, column: 7, messageId: 'ipvs', severity: ERROR, cluster: 'east', data: { origin: 'KubeProxyConfiguration mode' } },
        { file: 'west/cm.yaml', line: 7, column: 16, messageId: 'ipvs', severity: ERROR, cluster: 'west', data: { origin: 'kube-proxy ConfigMap config.conf mode' } },
        { file: 'west/kind.yaml', line: 5, column: 18, messageId: 'ipvs', severity: ERROR, cluster: 'west', data: { origin: 'kind networking.kubeProxyMode' } },
        { file: 'west/kube-proxy-ds.yaml', line: 18, column: 11, messageId: 'ipvs', severity: ERROR, cluster: 'west', data: { origin: 'kube-proxy DaemonSet --proxy-mode' } },
      ],
    },
  ],
});
