import { ciliumPolicyClusterProblems, defineRule, type CiliumPolicyClusterProblem } from './kit.js';

const KNOWN = 'which is no cluster of the mesh ({{known}}).';
const NO_ENDPOINT = 'Endpoints carry the cluster.name of their own cluster in this label, so no endpoint has this value';
const FIX = 'Use a cluster.name of the mesh.';

/** The message id of a problem: by operator, then by the role of its selector. */
function messageId(p: CiliumPolicyClusterProblem): string {
  if (p.policy.operator === 'NotIn') return 'unknownClusterNotIn';
  return p.policy.role === 'deny' ? 'unknownClusterDeny' : p.policy.role === 'subject' ? 'unknownClusterSubject' : 'unknownCluster';
}

/**
 * `cilium-policy-cluster`: the `io.cilium.k8s.policy.cluster` values (with or without a `k8s:` or
 * `any:` source prefix) in CiliumNetworkPolicy and CiliumClusterwideNetworkPolicy endpoint
 * selectors (`matchLabels`, `In`/`NotIn` `matchExpressions`) name clusters of the set, by their
 * Cilium `cluster.name` (else their directory name). Sets where no cluster states a Cilium cluster
 * name are not checked. Facts: `src/model/sources/cilium-policy.ts`; problems:
 * `ciliumPolicyClusterProblems` (`src/model/views/cilium.ts`).
 *
 * What an unknown name does follows Kubernetes label selector semantics, which Cilium's endpoint
 * selectors use: an `In` value (or `matchLabels` entry) matches no endpoint, so in an allow rule
 * (`ingress`/`egress`) the traffic it should allow is dropped (`unknownCluster`), in a deny rule
 * (`ingressDeny`/`egressDeny`) nothing is denied and the traffic stays allowed
 * (`unknownClusterDeny`), and in `endpointSelector` the policy applies to no endpoint by it
 * (`unknownClusterSubject`). A `NotIn` value excludes nothing and the selector still matches every
 * cluster's endpoints: a note only (`unknownClusterNotIn`), since naming a cluster outside the
 * mesh is harmless and only a misspelt mesh name leaves that cluster not excluded.
 * `Exists`/`DoesNotExist` name no value and are not checked.
 *
 * Upstream: Cilium docs "Cluster Mesh: Network Policy" (the cluster name is the one given via
 * `cluster.name`); Cilium `pkg/policy/api/selector.go` (`NewESFromK8sLabelSelector`; matching by
 * Kubernetes `labels.Selector`, apimachinery `pkg/labels/selector.go` `Requirement.Matches`: `In`
 * needs the label with a listed value, `NotIn` matches an absent label or an unlisted value); Cilium
 * docs "Deny Policies" (deny rules take precedence over allow rules); cilium/cilium #33822 (traffic
 * of remote clusters dropped by a policy), #42241, PR #40108 and #40609
 * (`policy-default-local-cluster`, the default from 1.19: selectors without this label select the
 * local cluster only, so remote clusters are selected by name).
 */
export default defineRule({
  meta: {
    id: 'cilium-policy-cluster',
    description: "Cilium policies' io.cilium.k8s.policy.cluster selectors name clusters of the mesh",
    severity: 'error',
    docs: 'docs/rules/cilium-policy-cluster.md',
    messages: {
      unknownCluster: {
        text: `{{policy}} in cluster "{{cluster}}" selects {{key}}: "{{value}}", ${KNOWN}`,
        hint: `${NO_ENDPOINT}: this allow rule selects no peer by it, and the traffic it should allow with them is dropped (a policy puts the endpoints it selects in default deny for each direction it has rules for). ${FIX}`,
      },
      unknownClusterDeny: {
        text: `{{policy}} in cluster "{{cluster}}" denies {{key}}: "{{value}}", ${KNOWN}`,
        hint: `${NO_ENDPOINT}: this deny rule selects no peer by it and denies nothing: the traffic it was written to deny is allowed wherever an allow rule admits it. ${FIX}`,
      },
      unknownClusterSubject: {
        text: `{{policy}} in cluster "{{cluster}}" applies to {{key}}: "{{value}}", ${KNOWN}`,
        hint: `${NO_ENDPOINT}: the policy applies to no endpoint by it, so for the endpoints it was written for its allow rules open nothing and its deny rules block nothing. ${FIX}`,
      },
      unknownClusterNotIn: {
        text: `{{policy}} in cluster "{{cluster}}" excludes {{key}}: "{{value}}" (NotIn), ${KNOWN}`,
        hint:
          `${NO_ENDPOINT}: NotIn excludes nothing by it, and the selector still matches the endpoints of every cluster of the mesh; no traffic is dropped for this. ` +
          'If the value names a cluster outside the mesh, this is harmless. If it was meant to be a cluster of the mesh, use its cluster.name: as written that cluster is not excluded (an allow rule allows it, a deny rule denies it).',
      },
    },
  },
  check({ set, report }) {
    for (const p of ciliumPolicyClusterProblems(set)) {
      const cluster = p.cluster.name;
      const data = { policy: p.policy.policy, cluster, key: p.policy.key, value: p.policy.value.value, known: p.known.map((n) => `"${n}"`).join(', ') };
      const id = messageId(p);
      report({ messageId: id, data, at: p.policy.value.source, cluster, ...(id === 'unknownClusterNotIn' && { severity: 'info' as const }) });
    }
  },
});
