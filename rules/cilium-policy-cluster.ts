import { ciliumPolicyClusterProblems, defineRule } from './kit.js';

/**
 * `cilium-policy-cluster`: the `io.cilium.k8s.policy.cluster` values (with or without a `k8s:` or
 * `any:` source prefix) in CiliumNetworkPolicy and CiliumClusterwideNetworkPolicy endpoint
 * selectors (`matchLabels`, `In`/`NotIn` `matchExpressions`) name clusters of the set, by their
 * Cilium `cluster.name` (else their directory name). Sets where no cluster states a Cilium cluster
 * name are not checked. Facts: `src/model/sources/cilium-policy.ts`; problems:
 * `ciliumPolicyClusterProblems` (`src/model/views/cilium.ts`).
 *
 * Upstream: Cilium docs "Cluster Mesh: Network Policy" (the cluster name is the one given via
 * `cluster.name`); cilium/cilium #33822 (traffic of remote clusters dropped by a policy), #42241,
 * PR #40108 and #40609 (`policy-default-local-cluster`, the default from 1.19: selectors without
 * this label select the local cluster only, so remote clusters are selected by name).
 */
export default defineRule({
  meta: {
    id: 'cilium-policy-cluster',
    description: "Cilium policies' io.cilium.k8s.policy.cluster selectors name clusters of the mesh",
    severity: 'error',
    docs: 'docs/rules/cilium-policy-cluster.md',
    messages: {
      unknownCluster: {
        text: '{{policy}} in cluster "{{cluster}}" selects {{key}}: "{{value}}", which is no cluster of the mesh ({{known}}).',
        hint: 'Endpoints carry the cluster.name of their cluster in this label, so the selector matches no endpoint and the traffic it should allow is dropped. Use a cluster.name of the mesh.',
      },
    },
  },
  check({ set, report }) {
    for (const p of ciliumPolicyClusterProblems(set)) {
      const cluster = p.cluster.name;
      const data = { policy: p.policy.policy, cluster, key: p.policy.key, value: p.policy.value.value, known: p.known.map((n) => `"${n}"`).join(', ') };
      report({ messageId: 'unknownCluster', data, at: p.policy.value.source, cluster });
    }
  },
});
