/**
 * The Istio reference view of a ClusterSet, for `istio-reference-not-found`: VirtualService route
 * and mirror destination hosts, VirtualService `gateways` and DestinationRule hosts that resolve to
 * no Service, ServiceEntry, ServiceExport or Gateway in the clusters that can serve them.
 *
 * Resolution, as istiod sees it in a multi-cluster mesh:
 * - `<name>.<ns>.svc.<clusterDomain>` and short names (completed in the resource's namespace, see
 *   `normalizeHost`): a Service of that namespace and name in ANY cluster of the mesh (Istio's
 *   multi-cluster service discovery merges same-named Services across the mesh's clusters), or a
 *   ServiceEntry host (wildcards too) of a mesh cluster; `exportTo` (Service annotation
 *   `networking.istio.io/exportTo`, ServiceEntry `exportTo`) must let the resource's namespace see it;
 * - `<name>.<ns>.svc.clusterset.local` (MCS): a ServiceExport of `<ns>/<name>` in any cluster of
 *   the set, or a ServiceEntry;
 * - `*.global` (the old Istio multicluster DNS scheme) and other external names: a ServiceEntry;
 * - `gateways` entries (`<ns>/<name>`, or `<name>` in the VirtualService's namespace; `mesh` is
 *   reserved): a Gateway of the mesh.
 *
 * What is reported (the bar that keeps real repositories to true positives): a Kubernetes-form
 * host only in a namespace where the repository declares other Services in the mesh, Istio's own
 * control-plane and gateway Services (`isIstioControlPlane`) not counted (Services of
 * charts mclint did not render, or of namespaces the repository does not manage, are unknown); a
 * gateway only in a namespace where the repository declares other Gateways; a `*.global` host only
 * when the mesh has `*.global` ServiceEntries; another external host only when the mesh has
 * ServiceEntries. Nothing is reported for a mesh with a cluster whose kustomizations failed to
 * render (`render-error`), and hosts with a wildcard, an IP address or another cluster domain's
 * `.svc.` are left alone.
 *
 * Upstream behaviour mirrored: istio/istio `pkg/config/analysis/analyzers/virtualservice/destinationhosts.go`
 * (IST0101 ReferencedResourceNotFound "host" / "mirror host"), `virtualservice/gateways.go`
 * (IST0101 "gateway", `mesh` accepted), `util/service_lookup.go` (`GetDestinationHost`: Services as
 * ServiceEntries, exportTo scopes, wildcard ServiceEntry hosts).
 */
import { hostMatches, isVisible, istioView, normalizeHost, serviceExportTo, serviceOfHost, type IstioMesh } from '../istio.js';
import { loadProblems } from '../index.js';
import type { Place } from '../../base/types.js';
import type { ClusterModel, ClusterSetModel, DestinationRuleFacts, GatewayFacts, RunModel, ServiceEntryFacts, ServiceFacts, VirtualServiceFacts } from '../types.js';
import { viewKey, viewOf } from './cache.js';
import { isIstioControlPlane } from './istio-services.js';
import { byName } from '../../base/order.js';

/** How a reference is resolved (see the file comment). */
export type ReferenceForm = 'service' | 'clusterset' | 'global' | 'external' | 'gateway';

/** A reference that resolves to nothing the clusters can reach. */
export interface UnresolvedReference {
  readonly cluster: ClusterModel;
  readonly owner: VirtualServiceFacts | DestinationRuleFacts;
  readonly ownerKind: 'VirtualService' | 'DestinationRule';
  /** The field, in istioctl's words: `host`, `mirror host`, `gateway`. */
  readonly field: 'host' | 'mirror host' | 'gateway';
  /** The value as written. */
  readonly value: string;
  /** The normalized host (`normalizeHost`), or `<ns>/<name>` of a gateway (`<name>` when its namespace is left to apply time). */
  readonly target: string;
  readonly form: ReferenceForm;
  readonly at: Place;
  /** The clusters searched: the mesh's (the whole set's for `clusterset`), by name. */
  readonly searched: readonly ClusterModel[];
  /** Services / ServiceEntries that match but whose `exportTo` hides them from the owner's namespace. */
  readonly hidden: readonly (ServiceFacts | ServiceEntryFacts)[];
  /** Services of that namespace and name in clusters of the set outside the mesh. */
  readonly outside: readonly ServiceFacts[];
  /** Further fields of the same VirtualService naming the same target the same way (reported once, at the first). */
  readonly repeats: number;
}

/** A mesh's lookup tables, built once. */
interface MeshIndex {
  readonly clusters: readonly ClusterModel[];
  readonly services: Map<string, ServiceFacts[]>;
  /** Namespaces (`''`: left to apply time) with Services / Gateways in the mesh. */
  readonly serviceNamespaces: Set<string>;
  readonly gatewayNamespaces: Set<string>;
  readonly gateways: Map<string, GatewayFacts[]>;
  /** ServiceEntry hosts, normalized in the entry's namespace: exact hosts by host, wildcard hosts listed. */
  readonly entries: Map<string, ServiceEntryFacts[]>;
  readonly wildcards: { readonly host: string; readonly se: ServiceEntryFacts }[];
  readonly hasGlobalEntries: boolean;
  /** The names of the mesh's clusters. */
  readonly names: ReadonlySet<string>;
  readonly unrendered: boolean;
  /** `#host` results by namespace ('' when left to apply time), then host as written: the same DestinationRule in every cluster is resolved once. */
  readonly hosts: Map<string, Map<string, HostResult>>;
  /** Some cluster of the mesh is remote-profile: its configuration (Gateways) lives with its primary. */
  readonly sharedConfig: boolean;
}

/** What `#host` finds: why a host is unresolved, or undefined. */
type HostResult = Omit<UnresolvedReference, 'cluster' | 'owner' | 'ownerKind' | 'field' | 'value' | 'at' | 'repeats'> | undefined;

const IP = /^[\d.]+$|:/;
const CLUSTERSET = '.svc.clusterset.local';

const REFERENCES = viewKey<readonly UnresolvedReference[]>('istio references');

/** Every unresolved reference of the set, cluster by cluster, VirtualServices (destinations, then gateways) then DestinationRules, in file order. */
export function unresolvedReferences(set: ClusterSetModel, run: RunModel): readonly UnresolvedReference[] {
  return viewOf(set, REFERENCES, () => new References(set, run.config.clusterDomain).build());
}

class References {
  readonly #indexes = new Map<IstioMesh, MeshIndex>();
  readonly #unrendered = new Set<ClusterModel>();
  readonly #serviceNamespacesOfSet = new Set<string>();

  constructor(
    readonly set: ClusterSetModel,
    readonly domain: string,
  ) {
    for (const { cluster } of loadProblems(set, 'render-error')) this.#unrendered.add(cluster);
    for (const list of set.servicesByName.values()) for (const s of list) if (!isIstioControlPlane(s)) this.#serviceNamespacesOfSet.add(s.namespace ?? '');
  }

  build(): UnresolvedReference[] {
    const view = istioView(this.set);
    const out: UnresolvedReference[] = [];
    for (const cluster of this.set.clusters) {
      const mesh = view.meshOf.get(cluster);
      if (!mesh) continue;
      const index = this.#index(mesh);
      if (index.unrendered) continue;
      for (const vs of cluster.istioConfig.virtualServices) {
        // Routes of one VirtualService often name one host several times: one finding, at the first.
        let first: Map<string, { repeats: number }> | undefined;
        for (const route of vs.routes) {
          for (const d of route.destinations) {
            const field = d.role === 'mirror' ? 'mirror host' : 'host';
            const seen = first?.get(`${field}\0${d.host}`);
            if (seen) {
              seen.repeats++;
              continue;
            }
            const r = this.#host(index, d.host, vs.namespace);
            if (!r) continue;
            first ??= new Map();
            const at = { file: d.source.file, doc: d.source.doc, path: [...d.source.path, 'host'] };
            const ref = { ...r, cluster, owner: vs, ownerKind: 'VirtualService' as const, field: field as UnresolvedReference['field'], value: d.host, at, repeats: 0 };
            first.set(`${field}\0${d.host}`, ref);
            out.push(ref);
          }
        }
        const refs = vs.gatewayRefs ?? [];
        for (const ref of refs) {
          const r = this.#gateway(index, ref.value, vs.namespace, cluster);
          if (r) out.push({ ...r, cluster, owner: vs, ownerKind: 'VirtualService', field: 'gateway', value: ref.value, at: ref.source, repeats: 0 });
        }
      }
      for (const dr of cluster.istioConfig.destinationRules) {
        if (!dr.host) continue;
        const r = this.#host(index, dr.host.value, dr.namespace);
        if (r) out.push({ ...r, cluster, owner: dr, ownerKind: 'DestinationRule', field: 'host', value: dr.host.value, at: dr.host.source, repeats: 0 });
      }
    }
    return out;
  }

  #index(mesh: IstioMesh): MeshIndex {
    let index = this.#indexes.get(mesh);
    if (index) return index;
    const clusters = [...mesh.clusters].sort(byName);
    const services = new Map<string, ServiceFacts[]>();
    const serviceNamespaces = new Set<string>();
    const gateways = new Map<string, GatewayFacts[]>();
    const gatewayNamespaces = new Set<string>();
    const entries = new Map<string, ServiceEntryFacts[]>();
    const wildcards: { host: string; se: ServiceEntryFacts }[] = [];
    let hasGlobalEntries = false;
    for (const c of clusters) {
      for (const [name, list] of c.servicesByName) {
        const l = services.get(name);
        if (l) l.push(...list);
        else services.set(name, [...list]);
        for (const s of list) if (!isIstioControlPlane(s)) serviceNamespaces.add(s.namespace ?? '');
      }
      for (const g of c.istioConfig.gateways) {
        const l = gateways.get(g.name);
        if (l) l.push(g);
        else gateways.set(g.name, [g]);
        gatewayNamespaces.add(g.namespace ?? '');
      }
      for (const se of c.istioConfig.serviceEntries) {
        for (const h of se.hosts) {
          const host = normalizeHost(h, se.namespace, this.domain);
          hasGlobalEntries ||= host.endsWith('.global');
          if (host.startsWith('*')) wildcards.push({ host, se });
          else {
            const l = entries.get(host);
            if (l) l.push(se);
            else entries.set(host, [se]);
          }
        }
      }
    }
    const unrendered = clusters.some((c) => this.#unrendered.has(c));
    const names = new Set(clusters.map((c) => c.name));
    index = {
      clusters,
      services,
      serviceNamespaces,
      gateways,
      gatewayNamespaces,
      entries,
      wildcards,
      hasGlobalEntries,
      names,
      unrendered,
      hosts: new Map(),
      sharedConfig: clusters.some((c) => c.istioControlPlanes.some((p) => p.role.value === 'remote')),
    };
    this.#indexes.set(mesh, index);
    return index;
  }

  /** The ServiceEntries of the mesh whose hosts match `host`, visible or not from `from`. */
  #entries(index: MeshIndex, host: string, from: string | undefined): { visible: boolean; hidden: ServiceEntryFacts[] } {
    const hidden: ServiceEntryFacts[] = [];
    for (const se of index.entries.get(host) ?? []) {
      if (isVisible(se.exportTo, se.namespace, from)) return { visible: true, hidden };
      hidden.push(se);
    }
    for (const e of index.wildcards) {
      if (!hostMatches(e.host, host)) continue;
      if (isVisible(e.se.exportTo, e.se.namespace, from)) return { visible: true, hidden };
      hidden.push(e.se);
    }
    return { visible: false, hidden };
  }

  /** Why `host` (written in a resource of namespace `from`) is unresolved, or undefined when it resolves or is not checked (memoised per mesh). */
  #host(index: MeshIndex, written: string, from: string | undefined): HostResult {
    // Nested maps keyed by the strings themselves: no key text to build (and hash) per lookup.
    let byHost = index.hosts.get(from ?? '');
    if (!byHost) index.hosts.set(from ?? '', (byHost = new Map<string, HostResult>()));
    if (byHost.has(written)) return byHost.get(written);
    const result = this.#resolveHost(index, written, from);
    byHost.set(written, result);
    return result;
  }

  #resolveHost(index: MeshIndex, written: string, from: string | undefined): HostResult {
    const host = normalizeHost(written, from, this.domain);
    if (host === '' || host.includes('*') || IP.test(host)) return undefined;
    const entries = this.#entries(index, host, from);
    if (entries.visible) return undefined;
    const svc = serviceOfHost(host, this.domain) ?? (host.includes('.') ? undefined : { name: host, namespace: undefined });
    if (svc) {
      if (!index.serviceNamespaces.has(svc.namespace ?? '')) return undefined;
      const candidates: ServiceFacts[] = [];
      for (const s of index.services.get(svc.name) ?? []) {
        if (svc.namespace !== undefined && s.namespace !== undefined && s.namespace !== svc.namespace) continue;
        if (isVisible(serviceExportTo(s), s.namespace, from)) return undefined;
        candidates.push(s);
      }
      const outside = (this.set.servicesByName.get(svc.name) ?? []).filter(
        (s) => !index.names.has(s.cluster) && (svc.namespace === undefined || s.namespace === undefined || s.namespace === svc.namespace),
      );
      return { target: host, form: 'service', searched: index.clusters, hidden: [...candidates, ...entries.hidden], outside };
    }
    if (host.endsWith(CLUSTERSET)) {
      const [name, namespace] = host.slice(0, -CLUSTERSET.length).split('.');
      if (namespace === undefined || host.slice(0, -CLUSTERSET.length).split('.').length !== 2) return undefined;
      if (!this.#serviceNamespacesOfSet.has(namespace)) return undefined;
      if ((this.set.exportsByKey.get(`${namespace}/${name}`) ?? []).length > 0) return undefined;
      return { target: host, form: 'clusterset', searched: this.set.clusters, hidden: entries.hidden, outside: [] };
    }
    if (host.includes('.svc.')) return undefined;
    if (host.endsWith('.global')) {
      if (!index.hasGlobalEntries) return undefined;
      return { target: host, form: 'global', searched: index.clusters, hidden: entries.hidden, outside: [] };
    }
    if (index.entries.size === 0 && index.wildcards.length === 0) return undefined;
    return { target: host, form: 'external', searched: index.clusters, hidden: entries.hidden, outside: [] };
  }

  /**
   * Why gateway reference `ref` of a VirtualService of namespace `from` in `cluster` is unresolved,
   * or undefined. Gateways are configuration, not service discovery: each primary's istiod reads
   * the Gateways of its own cluster only (istio.io "Install Multicluster": configuration is applied
   * per primary), so the search is the VirtualService's cluster — or the whole mesh when the mesh has
   * a remote-profile cluster, whose configuration lives in its primary's cluster.
   */
  #gateway(
    index: MeshIndex,
    ref: string,
    from: string | undefined,
    cluster: ClusterModel,
  ): Omit<UnresolvedReference, 'cluster' | 'owner' | 'ownerKind' | 'field' | 'value' | 'at' | 'repeats'> | undefined {
    if (ref === 'mesh') return undefined;
    const slash = ref.indexOf('/');
    const namespace = slash >= 0 ? ref.slice(0, slash) : from;
    const name = slash >= 0 ? ref.slice(slash + 1) : ref;
    if (name === '' || namespace === '' || !index.gatewayNamespaces.has(namespace ?? '')) return undefined;
    const shared = index.sharedConfig;
    const searched = shared ? index.clusters : [cluster];
    const found = (index.gateways.get(name) ?? []).some(
      (g) => (shared || g.cluster === cluster.name) && (namespace === undefined || g.namespace === undefined || g.namespace === namespace),
    );
    if (found) return undefined;
    return { target: namespace === undefined ? name : `${namespace}/${name}`, form: 'gateway', searched, hidden: [], outside: [] };
  }
}
