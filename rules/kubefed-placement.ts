import { defineRule, placementView, unknownMemberFinding } from './kit.js';

const NOWHERE =
  'The KubeFed sync controller propagates only to clusters registered as KubeFedCluster objects: a name that matches none is skipped, so the resource never reaches that cluster and its override never applies. Use the KubeFedCluster name (`kubectl get kubefedclusters -n kube-federation-system`).';

/**
 * `kubefed-placement`: KubeFed federated objects (`types.kubefed.io/v1beta1` `Federated*`) whose
 * `spec.placement.clusters[].name` or `spec.overrides[].clusterName` names no member cluster —
 * the `KubeFedCluster` objects when the repository has them (an error), else the clusters of the
 * set and the identities their manifests claim (a warning; a set of one cluster is not judged).
 * Findings point at the name, with the nearest member (did-you-mean) or the KubeFedCluster
 * objects as related places. The checks are the model's placement view
 * (`src/model/views/placement.ts`).
 *
 * Upstream: kubefed (kubernetes-retired/kubefed) `pkg/controller/util/placement.go`:
 * `ComputePlacement` intersects `spec.placement.clusters[].name` with the names of the
 * `KubeFedCluster` objects (`pkg/apis/core/v1beta1`), so an unknown name silently selects
 * nothing; overrides are looked up per `clusterName` of the selected clusters.
 */
export default defineRule({
  meta: {
    id: 'kubefed-placement',
    description: 'KubeFed federated objects place and override on member clusters KubeFed knows',
    severity: 'error',
    docs: 'docs/rules/kubefed-placement.md',
    messages: {
      unknownCluster: {
        text: '{{object}} names cluster "{{name}}" in {{field}}, but no KubeFedCluster has that name{{suggestion}}.',
        hint: `Member clusters: {{members}}. ${NOWHERE}`,
      },
      notInSet: {
        text: '{{object}} names cluster "{{name}}" in {{field}}, which is no cluster of the set{{suggestion}}.',
        hint: `Clusters of the set: {{members}}. ${NOWHERE} If "{{name}}" is a member this repository does not describe, add it to the config file's clusters.`,
      },
    },
  },
  check({ set, report }) {
    for (const u of placementView(set).kubefedUnknown) report(unknownMemberFinding(u, 'Federated object', 'KubeFedCluster'));
  },
});
