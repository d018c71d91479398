/**
 * unrendered-placeholder: each cross-cluster field (identity, CIDR, remote address) holding an
 * unrendered placeholder is reported once, as a warning, at the placeholder; the placeholder
 * syntax itself; and, over all rules, that placeholders give no schema error, no tool default and
 * no duplicate while the rest of the object still counts.
 */
import { describe, expect, it } from 'vitest';
import rule from '../../rules/unrendered-placeholder.js';
import { findPlaceholder, isPlaceholder } from '../../src/base/placeholder.js';
import { ruleTester } from '../helpers/rule-tester.js';
import { lintScenario, yaml } from '../helpers/scenario.js';
import { broker, submariner } from '../helpers/manifests.js';

const sub = (clusterID: string, clusterCIDR = '10.0.0.0/16', globalCIDR?: string) => submariner({ clusterID, clusterCIDR, serviceCIDR: '10.96.0.0/16', globalCIDR });
// submariner(): clusterID value at 7:14, clusterCIDR at 8:16, globalCIDR at 10:15.

/** A kind cluster config; `networking` lines verbatim (indented by two spaces) from line 5. */
const kind = (name: string, ...networking: string[]) =>
  ['kind: Cluster', 'apiVersion: kind.x-k8s.io/v1alpha4', `name: ${name}`, ...(networking.length ? ['networking:', ...networking.map((l) => `  ${l}`)] : []), ''].join('\n');

/** Cilium values; `cluster.name` value at 2:9, `cluster.id` at 3:7, extra lines from line 6. */
const cilium = (name: string, id: number | string, ...extra: string[]) =>
  ['cluster:', `  name: ${name}`, `  id: ${id}`, 'clustermesh:', '  useAPIServer: true', ...extra, ''].join('\n');

const WARN = 1 as const;

ruleTester(rule, {
  valid: [
    {
      name: 'rendered identities and CIDRs',
      files: { 'east/submariner.yaml': sub('east'), 'west/submariner.yaml': sub('west', '10.1.0.0/16'), 'east/kind.yaml': kind('east', 'podSubnet: 10.244.0.0/16') },
    },
    {
      name: 'placeholders in fields no cross-cluster check depends on (a port, a namespace, a label)',
      files: {
        'east/svc.yaml': yaml`
          apiVersion: v1
          kind: Service
          metadata:
            name: web
            namespace: \${APP_NAMESPACE}
            labels: {version: "\${VERSION}"}
          spec:
            ports:
              - port: \${PORT}
        `,
      },
    },
    {
      name: 'absent fields are not placeholders (kind and Cilium defaults apply)',
      files: { 'east/kind.yaml': kind('east'), 'west/values.yaml': cilium('west', 2) },
    },
    {
      name: "rendered injection paths and URLs (istio.io's primary-remote and external control plane guides)",
      files: {
        'east/values.yaml': 'profile: remote\nistiodRemote: {injectionPath: /inject/cluster/east/net/network1}\n',
        'west/values.yaml': 'profile: remote\nistiodRemote: {injectionURL: "https://203.0.113.10:15017/inject/:ENV:cluster=west:ENV:net=network2"}\n',
      },
    },
  ],
  invalid: [
    {
      name: 'one file two clusters read (a folder both pull, not substituted): one warning, at the first cluster',
      files: {
        ...Object.fromEntries(
          ['east', 'west'].map((c) => [
            `clusters/${c}/infra.yaml`,
            yaml`
              apiVersion: kustomize.toolkit.fluxcd.io/v1
              kind: Kustomization
              metadata: {name: infra, namespace: flux-system}
              spec: {interval: 10m, path: ./infra, prune: true, sourceRef: {kind: GitRepository, name: flux-system}}
            `,
          ]),
        ),
        'infra/submariner.yaml': sub('${CLUSTER_ID}'),
      },
      findings: [{ file: 'infra/submariner.yaml', line: 7, column: 14, severity: WARN, cluster: 'east', messageId: 'identity' }],
    },
    {
      name: 'the same placeholder cluster ID in two clusters: one warning each, not a duplicate',
      files: { 'east/submariner.yaml': sub('${CLUSTER_ID}'), 'west/submariner.yaml': sub('${CLUSTER_ID}', '10.1.0.0/16') },
      findings: [
        {
          file: 'east/submariner.yaml',
          line: 7,
          column: 14,
          severity: WARN,
          cluster: 'east',
          messageId: 'identity',
          data: { field: 'Submariner spec.clusterID', value: '${CLUSTER_ID}' },
        },
        {
          file: 'west/submariner.yaml',
          line: 7,
          column: 14,
          severity: WARN,
          cluster: 'west',
          messageId: 'identity',
          data: { field: 'Submariner spec.clusterID', value: '${CLUSTER_ID}' },
        },
      ],
    },
    {
      name: 'a kind podSubnet placeholder, at its line (no default assumed)',
      files: { 'east/kind.yaml': kind('east', 'podSubnet: ${POD_SUBNET}', 'serviceSubnet: 10.96.0.0/16'), 'west/kind.yaml': kind('west') },
      findings: [
        {
          file: 'east/kind.yaml',
          line: 5,
          column: 14,
          severity: WARN,
          messageId: 'cidr',
          data: { field: 'kind networking.podSubnet', value: '${POD_SUBNET}' },
        },
      ],
    },
    {
      name: 'a placeholder parent (networking: ${NET}) in kind and kubeadm is reported once, at the parent',
      files: {
        'east/kind.yaml': ['kind: Cluster', 'apiVersion: kind.x-k8s.io/v1alpha4', 'name: east', 'networking: ${NET}', ''].join('\n'),
        'west/kubeadm.yaml': yaml`
          apiVersion: kubeadm.k8s.io/v1beta4
          kind: ClusterConfiguration
          clusterName: west
          networking: "{{ networking }}"
        `,
      },
      findings: [
        { file: 'east/kind.yaml', line: 4, column: 13, messageId: 'cidrParent', data: { parent: 'networking', value: '${NET}', field: 'kind networking.podSubnet' } },
        { file: 'west/kubeadm.yaml', line: 4, column: 13, messageId: 'cidrParent', data: { parent: 'networking', value: '{{ networking }}' } },
      ],
    },
    {
      name: 'Cilium: a placeholder cluster.id, a cilium-config name, and one placeholder item of a CIDR list',
      files: {
        'east/values.yaml': cilium('east', '${CLUSTER_ID}', 'ipam:', '  operator:', '    clusterPoolIPv4PodCIDRList: ["10.1.0.0/16", "${EXTRA_POD_CIDR}"]'),
        'west/cilium-config.yaml': yaml`
          apiVersion: v1
          kind: ConfigMap
          metadata: {name: cilium-config, namespace: kube-system}
          data:
            cluster-name: <cluster-name>
            cluster-id: "2"
            cluster-pool-ipv4-cidr: "10.2.0.0/16"
        `,
      },
      findings: [
        { file: 'east/values.yaml', line: 3, column: 7, messageId: 'identity', data: { field: 'Cilium values cluster.id', value: '${CLUSTER_ID}' } },
        { file: 'east/values.yaml', line: 8, column: 49, messageId: 'cidr', data: { field: 'Cilium values ipam.operator.clusterPoolIPv4PodCIDRList', value: '${EXTRA_POD_CIDR}' } },
        { file: 'west/cilium-config.yaml', line: 5, column: 17, messageId: 'identity', data: { field: 'cilium-config cluster-name', value: '<cluster-name>' } },
      ],
    },
    {
      name: 'Istio: meshID, clusterName, network and remotePilotAddress (IstioOperator and Helm values)',
      files: {
        'east/istio.yaml': yaml`
          apiVersion: install.istio.io/v1alpha1
          kind: IstioOperator
          metadata: {name: istio, namespace: istio-system}
          spec:
            values:
              global:
                meshID: \${MESH_ID}
                multiCluster: {clusterName: "[YOUR-CLUSTER]"}
                network: \${NETWORK}
                remotePilotAddress: \${DISCOVERY_ADDRESS}
        `,
        'west/values.yaml': yaml`
          global:
            meshID: mesh1
            multiCluster: {clusterName: west}
            network: network1
            remotePilotAddress: x.x.x.x
        `,
      },
      findings: [
        { file: 'east/istio.yaml', line: 7, column: 15, messageId: 'identity', data: { field: 'IstioOperator spec.values global.meshID', value: '${MESH_ID}' } },
        {
          file: 'east/istio.yaml',
          line: 8,
          column: 35,
          messageId: 'identity',
          data: { field: 'IstioOperator spec.values global.multiCluster.clusterName', value: '[YOUR-CLUSTER]' },
        },
        { file: 'east/istio.yaml', line: 9, column: 16, messageId: 'identity', data: { field: 'IstioOperator spec.values global.network', value: '${NETWORK}' } },
        {
          file: 'east/istio.yaml',
          line: 10,
          column: 27,
          messageId: 'address',
          data: { field: 'IstioOperator spec.values global.remotePilotAddress', value: '${DISCOVERY_ADDRESS}' },
        },
        { file: 'west/values.yaml', line: 5, column: 23, messageId: 'address', data: { field: 'Helm values global.remotePilotAddress', value: 'x.x.x.x' } },
      ],
    },
    {
      name: "Istio remotes: the injection path's cluster ID and network (injectionPath, an injectionURL's path) are identities; a placeholder in the URL's host only is an address",
      files: {
        'east/istio.yaml': yaml`
          apiVersion: install.istio.io/v1alpha1
          kind: IstioOperator
          metadata: {name: remote, namespace: istio-system}
          spec:
            profile: remote
            values:
              istiodRemote:
                injectionPath: /inject/cluster/\${CLUSTER}/net/\${NETWORK}
              global:
                remotePilotAddress: 203.0.113.10
        `,
        'west/values.yaml': yaml`
          profile: remote
          istiodRemote:
            injectionURL: https://\${EXTERNAL_ISTIOD_ADDR}:15017/inject/:ENV:cluster=\${SECOND_CLUSTER_NAME}:ENV:net=network2
        `,
        'north/values.yaml': yaml`
          profile: remote
          istiodRemote:
            injectionURL: https://\${EXTERNAL_ISTIOD_ADDR}:15017/inject/cluster/north/net/network3
        `,
      },
      findings: [
        {
          file: 'east/istio.yaml',
          line: 8,
          column: 22,
          messageId: 'identity',
          data: { field: 'IstioOperator spec.values istiodRemote.injectionPath', value: '/inject/cluster/${CLUSTER}/net/${NETWORK}' },
        },
        {
          file: 'west/values.yaml',
          line: 3,
          column: 17,
          messageId: 'identity',
          data: { field: 'Helm values istiodRemote.injectionURL', value: 'https://${EXTERNAL_ISTIOD_ADDR}:15017/inject/:ENV:cluster=${SECOND_CLUSTER_NAME}:ENV:net=network2' },
        },
        {
          file: 'north/values.yaml',
          line: 3,
          column: 17,
          messageId: 'address',
          data: { field: 'Helm values istiodRemote.injectionURL', value: 'https://${EXTERNAL_ISTIOD_ADDR}:15017/inject/cluster/north/net/network3' },
        },
      ],
    },
    {
      name: 'other CIDR and identity sources: Submariner CIDRs, the Broker range, a Node, a Calico pool, a ClusterProperty, kubeadm and kind names',
      files: {
        'east/submariner.yaml': sub('east', '$(CLUSTER_CIDR)', '${GLOBAL_CIDR:=242.1.0.0/16}'),
        'east/broker.yaml': broker(true, '  globalnetCIDRRange: "<globalnet-range>"'),
        'east/node.yaml': yaml`
          apiVersion: v1
          kind: Node
          metadata: {name: worker-1}
          spec:
            podCIDR: x.x.x.x/24
        `,
        'west/pool.yaml': yaml`
          apiVersion: projectcalico.org/v3
          kind: IPPool
          metadata: {name: default}
          spec:
            cidr: \${POD_CIDR:-10.2.0.0/16}
        `,
        'west/id.yaml': yaml`
          apiVersion: about.k8s.io/v1alpha1
          kind: ClusterProperty
          metadata: {name: cluster.clusterset.k8s.io}
          spec:
            value: \${CLUSTER_NAME}
        `,
        'west/kubeadm.yaml': yaml`
          apiVersion: kubeadm.k8s.io/v1beta4
          kind: ClusterConfiguration
          clusterName: \$CLUSTER_NAME
        `,
        'west/kind.yaml': kind('${KIND_NAME}'),
      },
      findings: [
        { file: 'east/submariner.yaml', line: 8, column: 16, messageId: 'cidr', data: { field: 'Submariner spec.clusterCIDR', value: '$(CLUSTER_CIDR)' } },
        { file: 'east/submariner.yaml', line: 10, column: 15, messageId: 'cidr', data: { field: 'Submariner spec.globalCIDR', value: '${GLOBAL_CIDR:=242.1.0.0/16}' } },
        { file: 'east/broker.yaml', line: 8, column: 23, messageId: 'cidr', data: { field: 'Broker spec.globalnetCIDRRange', value: '<globalnet-range>' } },
        { file: 'east/node.yaml', line: 5, column: 12, messageId: 'cidr', data: { field: 'Node "worker-1" spec.podCIDR', value: 'x.x.x.x/24' } },
        { file: 'west/pool.yaml', line: 5, column: 9, messageId: 'cidr', data: { field: 'Calico IPPool spec.cidr', value: '${POD_CIDR:-10.2.0.0/16}' } },
        { file: 'west/id.yaml', line: 5, column: 10, messageId: 'identity', data: { field: 'ClusterProperty cluster.clusterset.k8s.io', value: '${CLUSTER_NAME}' } },
        { file: 'west/kubeadm.yaml', line: 3, column: 14, messageId: 'identity', data: { field: 'kubeadm ClusterConfiguration clusterName', value: '$CLUSTER_NAME' } },
        { file: 'west/kind.yaml', line: 3, column: 7, messageId: 'identity', data: { field: 'kind Cluster name', value: '${KIND_NAME}' } },
      ],
    },
  ],
});

describe('placeholder syntax (src/base/placeholder.ts)', () => {
  it.each([
    ['${VAR}', '${VAR}'],
    ['${VAR:=10.0.0.0/16}', '${VAR:=10.0.0.0/16}'],
    ['${VAR:-default}', '${VAR:-default}'],
    ['$(VAR)', '$(VAR)'],
    ['$CLUSTER_ID', '$CLUSTER_ID'],
    ['{{ .Values.cluster.id }}', '{{ .Values.cluster.id }}'],
    ['<cluster-cidr>', '<cluster-cidr>'],
    ['[YOUR-CLUSTER]', '[YOUR-CLUSTER]'],
    ['x.x.x.x', 'x.x.x.x'],
    ['x.x.x.x/16', 'x.x.x.x'],
    ['cluster-${ENV}-01', '${ENV}'],
  ])('%j is a placeholder (%s)', (text, found) => {
    expect(isPlaceholder(text)).toBe(true);
    expect(findPlaceholder(text)).toBe(found);
  });

  it.each([['10.0.0.0/16'], ['east'], [''], ['a$b'], ['$lower'], ['[a]'], ['x.x.x.xy'], ['fd00:10:244::/56'], ['price: 5$']])('%j is not a placeholder', (text) => {
    expect(isPlaceholder(text)).toBe(false);
    expect(findPlaceholder(text)).toBeUndefined();
  });

  it.each([[5], [true], [null], [undefined], [{ a: '${A}' }], [['${A}']]])('%j is not a placeholder: only strings are', (value) => {
    expect(isPlaceholder(value)).toBe(false);
  });
});

describe('placeholders over all rules', () => {
  it('a placeholder field is unknown: no schema error, no default, no duplicate, and the object’s other fields still count', async () => {
    const { relFindings } = await lintScenario({
      // GlobalNet on/off left to apply time: the Broker's link-local range is still checked.
      'broker/broker.yaml': yaml`
        apiVersion: submariner.io/v1alpha1
        kind: Broker
        metadata: {name: submariner-broker, namespace: submariner-k8s-broker}
        spec:
          globalnetEnabled: \${GLOBALNET}
          globalnetCIDRRange: 169.254.0.0/16
          defaultGlobalnetClusterSize: \${CLUSTER_SIZE}
      `,
      'east/submariner.yaml': sub('${CLUSTER_ID}', '10.1.0.0/16'),
      'west/submariner.yaml': sub('${CLUSTER_ID}', '10.2.0.0/16'),
      'east/kind.yaml': kind('east', 'podSubnet: ${POD_SUBNET}'),
      'west/kind.yaml': kind('west'),
      'east/values.yaml': cilium('east', '${ID}', 'ipam:', '  operator:', '    clusterPoolIPv4PodCIDRList: ["10.1.0.0/16"]'),
      'west/values.yaml': cilium('west', 2, 'ipam:', '  operator:', '    clusterPoolIPv4PodCIDRList: ["10.2.0.0/16"]'),
      'east/svc.yaml': yaml`
        apiVersion: v1
        kind: Service
        metadata: {name: web, namespace: shop}
        spec:
          ports:
            - port: \${PORT}
              protocol: TCP
      `,
    });
    expect(relFindings.map((f) => `${f.ruleId} ${f.severity} ${f.file}:${f.line}:${f.column}`).sort(), relFindings.map((f) => f.message).join('\n')).toEqual(
      [
        // The Broker range is invalid whatever the placeholders become; its cluster size is unknown.
        'globalnet-allocation 2 broker/broker.yaml:6:23',
        'unrendered-placeholder 1 east/kind.yaml:5:14',
        'unrendered-placeholder 1 east/submariner.yaml:7:14',
        'unrendered-placeholder 1 east/values.yaml:3:7',
        'unrendered-placeholder 1 west/submariner.yaml:7:14',
      ].sort(),
    );
    expect(relFindings.find((f) => f.ruleId === 'globalnet-allocation')?.message).toContain("Broker globalnetCIDRRange is invalid: 169.254.0.0/16 can't be in link-local range");
  });
});
