import { defineRule, placementView } from './kit.js';

/**
 * `ocm-placement`: Open Cluster Management placement that selects from ManagedClusterSets it
 * cannot use. Reports a `Placement.spec.clusterSets` entry or a `ManagedClusterSetBinding`
 * `spec.clusterSet` naming a ManagedClusterSet the repository does not define (only when it
 * defines some; OCM's own `default` and `global` sets always exist), a binding whose name differs
 * from its `spec.clusterSet`, and a Placement's set with no binding in the Placement's namespace
 * (only when the repository has bindings). The checks are the model's placement view
 * (`src/model/views/placement.ts`).
 *
 * Upstream: open-cluster-management-io/api `cluster/v1beta2` `ManagedClusterSetBinding`
 * (`spec.clusterSet` "must match the instance name of the ManagedClusterSetBinding and cannot
 * change once created") and `cluster/v1beta1` `Placement` ("select a set of ManagedClusters from
 * the ManagedClusterSets bound to the placement namespace"; `spec.clusterSets` narrows those).
 * The hub creates the `default` and `global` ManagedClusterSets itself.
 */
export default defineRule({
  meta: {
    id: 'ocm-placement',
    description: "OCM Placements and ManagedClusterSetBindings name existing ManagedClusterSets bound to the Placement's namespace",
    severity: 'error',
    docs: 'docs/rules/ocm-placement.md',
    messages: {
      unknownSet: {
        text: '{{object}} names ManagedClusterSet "{{set}}", which the repository does not define{{suggestion}}.',
        hint: 'A Placement selects only from existing ManagedClusterSets, and a binding to a missing set binds nothing, so no cluster is selected from it. Define the ManagedClusterSet or fix the name.',
      },
      bindingName: {
        text: 'ManagedClusterSetBinding "{{name}}" binds ManagedClusterSet "{{set}}", but a binding must be named after its set.',
        hint: 'OCM requires spec.clusterSet to equal the binding\'s metadata.name; the hub refuses the binding otherwise. Rename the binding to "{{set}}".',
      },
      unbound: {
        text: 'Placement "{{placement}}" selects from ManagedClusterSet "{{set}}", but no ManagedClusterSetBinding binds it to namespace {{namespace}}.',
        hint: 'The placement controller only uses ManagedClusterSets bound to the Placement\'s namespace; an unbound set contributes no cluster, and the PlacementDecision stays empty. Add a ManagedClusterSetBinding named "{{set}}" in {{namespace}}.',
      },
    },
  },
  check({ set, report }) {
    for (const p of placementView(set).ocm) {
      const at = { at: p.at, cluster: p.cluster.name };
      if (p.kind === 'unknownSet') {
        const object = `${p.at.object?.kind ?? 'Placement'} "${p.at.object?.name ?? ''}"`;
        const related = p.nearest?.source ? [{ ...p.nearest.source, message: `ManagedClusterSet "${p.nearest.name}"` }] : [];
        report({ messageId: 'unknownSet', data: { object, set: p.set, suggestion: p.nearest ? ` (did you mean "${p.nearest.name}"?)` : '' }, ...at, related });
      } else if (p.kind === 'bindingName') {
        report({
          messageId: 'bindingName',
          data: { name: p.binding.name.value, set: p.binding.clusterSet?.value ?? '' },
          ...at,
          related: [{ ...p.binding.name.source, message: 'metadata.name' }],
        });
      } else {
        const data = { placement: p.placement.object.name ?? '', set: p.set, namespace: p.placement.namespace ?? '(apply-time)' };
        report({ messageId: 'unbound', data, ...at });
      }
    }
  },
});
