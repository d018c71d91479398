import { defineRule, placementView, unknownMemberFinding } from './kit.js';

const NOWHERE =
  "The Karmada scheduler only places on registered member clusters: a name that matches none is no candidate, so nothing is propagated there (and a policy naming no member leaves its ResourceBinding unscheduled); an override for it never applies. Use the member's Cluster name (`kubectl get clusters` on the Karmada API server).";

/**
 * `karmada-placement`: Karmada policies that do not land. Reports (1) member cluster names in
 * PropagationPolicy / ClusterPropagationPolicy `placement.clusterAffinity.clusterNames`,
 * `clusterAffinities[].clusterNames`, `replicaScheduling.weightPreference.staticWeightList[].targetCluster`
 * and OverridePolicy / ClusterOverridePolicy `overrideRules[].targetCluster` that name no member —
 * the Karmada `Cluster` objects when the repository has them (an error), else the clusters of the
 * set and the identities their manifests claim (a warning; a set of one cluster is not judged);
 * (2) what Karmada's validating webhook rejects, in its own words; (3) `resourceSelectors` with a
 * `name` that selects no resource of the repository, only for kinds the repository has objects of
 * and keeps names of (a warning). The facts and checks are the model's placement view
 * (`src/model/views/placement.ts`).
 *
 * Upstream: karmada `pkg/apis/policy/v1alpha1` (`Placement`, `ClusterAffinity`, `ResourceSelector`,
 * `RuleWithCluster`), `pkg/util/validation/validation.go` (`ValidatePlacement`,
 * `ValidateClusterAffinities`, `ValidatePolicyFieldSelector`, `ValidateSpreadConstraint`,
 * `validateResourceSelectorsIfPreemptionEnabled`) as the `pkg/webhook/propagationpolicy` webhook
 * runs them; `pkg/util/helper` resource matching; issues karmada #5031, #4325 (policies that place
 * nowhere or on fewer clusters than meant).
 */
export default defineRule({
  meta: {
    id: 'karmada-placement',
    description: "Karmada policies name member clusters, pass the Karmada webhook's validation and select resources of the repository",
    severity: 'error',
    docs: 'docs/rules/karmada-placement.md',
    messages: {
      unknownCluster: {
        text: '{{object}} names cluster "{{name}}" in {{field}}, but no Karmada Cluster has that name{{suggestion}}.',
        hint: `Member clusters: {{members}}. ${NOWHERE}`,
      },
      notInSet: {
        text: '{{object}} names cluster "{{name}}" in {{field}}, which is no cluster of the set{{suggestion}}.',
        hint: `Clusters of the set: {{members}}. ${NOWHERE} If "{{name}}" is a member this repository does not describe, add it to the config file's clusters.`,
      },
      webhook: {
        text: '{{object}} is rejected by the Karmada webhook: {{reason}}.',
        hint: 'karmada-webhook validates policies on create and update (pkg/util/validation); kubectl apply fails with this message and the policy is not stored. Fix the field.',
      },
      selectsNothing: {
        text: '{{object}} selects {{kind}} "{{name}}" in {{namespace}}, but the repository has no such {{kind}} (its cluster has {{ofKind}} of that kind there).',
        hint: 'Karmada propagates only resources a policy selects; a selector matching nothing propagates nothing until that resource exists on the Karmada API server. Check the name, apiVersion and namespace (a PropagationPolicy selects in its own namespace).',
      },
    },
  },
  check({ set, report }) {
    const view = placementView(set);
    for (const u of view.karmadaUnknown) report(unknownMemberFinding(u, 'Policy', 'Karmada Cluster'));
    for (const p of view.karmadaPolicyProblems) {
      report({ messageId: 'webhook', data: { object: `${p.policy.kind} "${p.policy.name}"`, reason: p.reason }, at: p.at, cluster: p.cluster.name });
    }
    for (const s of view.unmatchedSelectors) {
      const data = {
        object: `${s.policy.kind} "${s.policy.name}"`,
        kind: s.selector.kind,
        name: s.selector.name ?? '',
        namespace: s.namespace !== undefined ? `namespace ${s.namespace}` : s.applyTime ? 'its namespace (chosen at apply time)' : 'any namespace',
        ofKind: s.ofKind,
      };
      report({ messageId: 'selectsNothing', data, at: s.selector.source, cluster: s.cluster.name, severity: 'warn' });
    }
  },
});
