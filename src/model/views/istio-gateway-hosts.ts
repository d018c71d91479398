/**
 * The VirtualService-to-Gateway host view of a ClusterSet, for `istio-gateway-host`: for every
 * `gateways` entry of a VirtualService that names a Gateway of the same cluster, whether one of the
 * VirtualService's `hosts` is among the hosts the Gateway's servers accept.
 *
 * Upstream behaviour mirrored: istio/istio
 * `pkg/config/analysis/analyzers/virtualservice/gateways.go` (`GatewayAnalyzer`, IST0132
 * VirtualServiceHostNotFoundInGateway, a warning): a server host `./h` means `h` in the Gateway's
 * namespace, `*\/h` means `h` in any namespace (`*\/*`: every host); hosts with a namespace part other
 * than the VirtualService's are not its (`host.NamesForNamespace`); one overlapping pair of a Gateway
 * host and a VirtualService host, wildcards matching either way (`host.Name.Matches`), is enough.
 * Gateways are read per cluster, as each primary's istiod reads its own cluster's configuration;
 * a reference to a Gateway the cluster does not hold is `istio-reference-not-found`'s.
 */
import type { ClusterModel, ClusterSetModel, Fact, GatewayFacts, VirtualServiceFacts } from '../types.js';
import { viewKey, viewOf } from './cache.js';

/** A VirtualService bound to a Gateway that accepts none of its hosts. */
export interface GatewayHostMismatch {
  readonly cluster: ClusterModel;
  readonly virtualService: VirtualServiceFacts;
  /** The `gateways[i]` entry (value as written, and its place). */
  readonly ref: Fact<string>;
  readonly gateway: GatewayFacts;
  /** The Gateway's server hosts that apply to the VirtualService's namespace, as matched (namespace part dropped). */
  readonly gatewayHosts: readonly string[];
}

/**
 * True when host patterns `a` and `b` overlap: equal, or a wildcard (`*`, `*.example.com`) on
 * either side covering the other (Istio `host.Name.Matches`). Case-sensitive, as Istio compares.
 */
export function hostsOverlap(a: string, b: string): boolean {
  if (a === b || a === '*' || b === '*') return true;
  const aWild = a.startsWith('*');
  const bWild = b.startsWith('*');
  if (aWild && bWild) return a.length <= b.length ? b.endsWith(a.slice(1)) : a.endsWith(b.slice(1));
  if (aWild) return b.endsWith(a.slice(1));
  if (bWild) return a.endsWith(b.slice(1));
  return false;
}

/**
 * A Gateway server host as it applies to a VirtualService of namespace `vsNamespace`: the host part
 * when the namespace part is absent, `*`, `.` (the Gateway's namespace) equal to it, or the named
 * namespace equal to it; undefined when it is another namespace's host.
 */
function hostFor(serverHost: string, gatewayNamespace: string | undefined, vsNamespace: string | undefined): string | undefined {
  const slash = serverHost.indexOf('/');
  if (slash < 0) return serverHost;
  const ns = serverHost.slice(0, slash);
  const host = serverHost.slice(slash + 1);
  if (ns === '*') return host;
  const resolved = ns === '.' ? gatewayNamespace : ns;
  // A namespace left to apply time on either side cannot be compared: count the host.
  return resolved === undefined || vsNamespace === undefined || resolved === vsNamespace ? host : undefined;
}

const VIEW = viewKey<readonly GatewayHostMismatch[]>('istio gateway hosts');

/** Every VirtualService `gateways` entry whose Gateway (same cluster) accepts none of its hosts, in cluster then file order (memoised per set). */
export function gatewayHostMismatches(set: ClusterSetModel): readonly GatewayHostMismatch[] {
  return viewOf(set, VIEW, () => {
    const out: GatewayHostMismatch[] = [];
    for (const cluster of set.clusters) {
      const byRef = new Map<string, GatewayFacts>();
      for (const g of cluster.istioConfig.gateways) byRef.set(`${g.namespace ?? ''}/${g.name}`, g);
      if (byRef.size === 0) continue;
      for (const vs of cluster.istioConfig.virtualServices) {
        if (vs.hosts.length === 0) continue;
        for (const ref of vs.gatewayRefs ?? []) {
          const slash = ref.value.indexOf('/');
          const key = slash >= 0 ? ref.value : `${vs.namespace ?? ''}/${ref.value}`;
          const gateway = byRef.get(key);
          if (!gateway || gateway.servers.length === 0) continue;
          const gatewayHosts = gateway.servers.flatMap((s) => s.hosts.flatMap((h) => hostFor(h, gateway.namespace, vs.namespace) ?? []));
          if (gatewayHosts.some((gh) => vs.hosts.some((vh) => hostsOverlap(gh, vh)))) continue;
          out.push({ cluster, virtualService: vs, ref, gateway, gatewayHosts: [...new Set(gatewayHosts)] });
        }
      }
    }
    return out;
  });
}
