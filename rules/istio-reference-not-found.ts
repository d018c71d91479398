import { defineRule, fieldPlace, namespacedName, unresolvedReferences } from './kit.js';
import type { RelatedPlace, UnresolvedReference } from './kit.js';

const quoted = (names: Iterable<string>) => [...new Set(names)].map((n) => `"${n}"`).join(', ');

const TEXT = '{{owner}} {{field}} "{{value}}"{{times}} in cluster "{{cluster}}" {{resolves}} in clusters {{searched}}.';
/**
 * The istioctl analyze message a reference mirrors: a DestinationRule's host is IST0174, a warning
 * ("The host … defined in the DestinationRule does not match any services in the mesh"); a
 * VirtualService's hosts and gateways are IST0101 ReferencedResourceNotFound, an error.
 */
function istioCode(r: UnresolvedReference): string {
  return r.ownerKind === 'DestinationRule' ? 'Istio IST0174 (DestinationRule host matches no service in the mesh): ' : `Istio IST0101 ReferencedResourceNotFound (${r.field}): `;
}

/** What the data plane does, by owner kind and field. */
function effect(r: UnresolvedReference): string {
  if (r.field === 'gateway') return 'the VirtualService is bound to no gateway by that name and its routes are not served there';
  if (r.ownerKind === 'DestinationRule') return 'the DestinationRule applies to no service: its subsets and traffic policy have no effect';
  return r.field === 'mirror host'
    ? 'Envoy gets no cluster to mirror to and the mirrored requests are dropped'
    : 'Envoy gets no cluster for the route and requests fail with 503 (NC)';
}

/** The message id for a reference. */
function messageId(r: UnresolvedReference): string {
  if (r.form === 'service' && r.outside.length > 0) return 'outsideMesh';
  if (r.hidden.length > 0) return 'hidden';
  return r.form;
}

/** Related places: hidden Services / ServiceEntries, or the same Service outside the mesh. */
function related(r: UnresolvedReference): RelatedPlace[] {
  const list = r.outside.length > 0 ? r.outside : r.hidden;
  return list.slice(0, 3).map((o) => ({
    ...fieldPlace(o.object, 'metadata', 'name'),
    cluster: o.cluster,
    message: `${o.object.kind} "${namespacedName(o.namespace, o.name)}" in cluster "${o.cluster}"`,
  }));
}

/**
 * `istio-reference-not-found`: a VirtualService's route and mirror destination hosts and
 * `gateways`, and a DestinationRule's host, resolve to a Service, ServiceEntry, ServiceExport or
 * Gateway in some cluster of the mesh that can serve them (Istio's multi-cluster discovery merges
 * Services across the mesh's clusters, so a host resolves if any of them has it). Each finding
 * names the clusters searched. Which references are checked, and the bar against repositories
 * that deploy Services outside what mclint reads, is in `src/model/views/istio-references.ts`.
 *
 * Upstream: istio/istio `pkg/config/analysis/analyzers/virtualservice/destinationhosts.go`
 * (IST0101 "host" / "mirror host"), `virtualservice/gateways.go` (IST0101 "gateway"), the
 * DestinationRule host check (IST0174, a warning: "The host … defined in the DestinationRule does
 * not match any services in the mesh", as istio.io's "Diagnose your Configuration with Istioctl
 * Analyze" page shows it for the bookinfo DestinationRules),
 * `analyzers/util/service_lookup.go` (`GetDestinationHost`, `InitServiceEntryHostMap`: Services and
 * ServiceEntries by exportTo scope, wildcard ServiceEntry hosts).
 */
export default defineRule({
  meta: {
    id: 'istio-reference-not-found',
    description: 'Istio VirtualService and DestinationRule hosts and gateways resolve to a Service, ServiceEntry or Gateway in some cluster of the mesh',
    severity: 'error',
    docs: 'docs/rules/istio-reference-not-found.md',
    messages: {
      service: {
        text: TEXT,
        hint: `{{istio}}no cluster of the mesh declares a Service or ServiceEntry for "{{target}}" ({{searched}} searched; Istio merges same-named Services across them), so {{effect}}. Deploy the Service, fix the host, or add a ServiceEntry.`,
      },
      outsideMesh: {
        text: TEXT,
        hint: `{{istio}}only cluster {{outside}}, which is not part of this mesh, declares "{{target}}"; istiod discovers Services of its mesh's clusters only, so {{effect}}. Add that cluster to the mesh (same meshID, remote secret), or deploy the Service in a cluster of the mesh.`,
      },
      hidden: {
        text: TEXT,
        hint: `{{istio}}{{hiddenBy}} matches "{{target}}", but its exportTo hides it from namespace "{{namespace}}", so {{effect}}. Export it to this namespace, or move the {{ownerKind}}.`,
      },
      clusterset: {
        text: TEXT,
        hint: `{{istio}}"{{target}}" is a Kubernetes MCS name, served only when some cluster of the set exports the Service (ServiceExport); none of {{searched}} does, so {{effect}}. Add the ServiceExport, or use the cluster-local name.`,
      },
      global: {
        text: TEXT,
        hint: `{{istio}}"*.global" names resolve only through a ServiceEntry (Istio's replicated control planes scheme) and none of the mesh's ServiceEntries covers "{{target}}", so {{effect}}. Add the ServiceEntry, or use the Service's cluster-local name.`,
      },
      external: {
        text: TEXT,
        hint: `{{istio}}"{{target}}" is outside the mesh's Services and no ServiceEntry of {{searched}} declares it, so {{effect}}. Add a ServiceEntry for it.`,
      },
      gateway: {
        text: TEXT,
        hint: `{{istio}}no Gateway "{{target}}" exists in {{searched}}, so {{effect}}. Create the Gateway, fix the reference (<namespace>/<name>; a bare name means the VirtualService's namespace), or use "mesh" for sidecars.`,
      },
    },
  },
  check({ set, run, report }) {
    for (const r of unresolvedReferences(set, run)) {
      const hiddenBy = r.hidden[0];
      const data = {
        owner: `${r.ownerKind} "${namespacedName(r.owner.namespace, r.owner.name)}"`,
        ownerKind: r.ownerKind,
        field: r.field,
        value: r.value,
        times: r.repeats > 0 ? ` (named ${r.repeats + 1} times)` : '',
        target: r.target,
        cluster: r.cluster.name,
        resolves: r.field === 'gateway' ? 'names no Gateway' : r.form === 'clusterset' ? 'names no exported Service' : 'resolves to no Service or ServiceEntry',
        searched: quoted(r.searched.map((c) => c.name)),
        outside: quoted(r.outside.map((s) => s.cluster)),
        hiddenBy: hiddenBy ? `${hiddenBy.object.kind} "${namespacedName(hiddenBy.namespace, hiddenBy.name)}" in cluster "${hiddenBy.cluster}"` : '',
        namespace: r.owner.namespace ?? '(apply time)',
        effect: effect(r),
        istio: istioCode(r),
      };
      // istioctl analyze reports an unknown DestinationRule host as a warning (IST0174).
      const severity = r.ownerKind === 'DestinationRule' ? { severity: 'warn' as const } : {};
      report({ messageId: messageId(r), data, at: r.at, cluster: r.cluster.name, related: related(r), ...severity });
    }
  },
});
