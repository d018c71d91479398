/**
 * Istio configuration objects that conflict with each other, as views of a ClusterSet:
 * - Gateways of one cluster with the same `selector` and a server on the same port whose hosts
 *   overlap (istioctl IST0145 ConflictingGateways);
 * - ServiceEntries visible in the same namespace, in one cluster or in several clusters of one
 *   mesh, that give the same host and port different protocols (istioctl IST0177
 *   ConflictingServiceEntryProtocol).
 * Built once per set (`viewOf`), with maps keyed by selector+port and scope+host+port.
 *
 * Upstream behaviour mirrored (istio/istio):
 * - `pkg/config/analysis/analyzers/gateway/conflictinggateway.go` (`ConflictingGatewayAnalyzer`):
 *   gateways keyed by `labels.SelectorFromSet(selector).String()` and server port number; a
 *   server conflicts when one of its hosts matches a host of another Gateway's server under the
 *   same key (`host.Name.Matches`: wildcard suffix overlap in either direction). Every Gateway
 *   of the cluster is compared, whatever its namespace. The analyzer reports each side. It looks
 *   at neither the protocol nor the `tls` block.
 * - What istiod does with such servers (`pilot/pkg/model/gateway.go` `mergeGateways`,
 *   `canMergeProtocols`, `CheckDuplicates`; `pilot/pkg/networking/core/gateway.go`
 *   `buildGatewayHTTPRouteConfig`): servers of HTTP protocols (`protocol.IsHTTP`: HTTP, HTTP2,
 *   GRPC, GRPC-Web, HTTP_PROXY) on one port share one route configuration (`http.<port>`), where
 *   the routes of the VirtualServices bound to every Gateway are appended to the same virtual host:
 *   nothing is dropped (`merged`). A server with a `tls` block whose host repeats, as written, a
 *   host of an earlier `tls` server on the port is skipped (`CheckDuplicates`), and a server whose
 *   protocol cannot merge with the port's first (HTTPS or TLS against plain HTTP, TCP…) is skipped
 *   too; TLS servers with merely overlapping hosts get one SNI filter chain each, the more specific
 *   name winning.
 * - `pkg/config/analysis/analyzers/serviceentry/conflictingprotocol.go`
 *   (`ConflictingServiceEntryProtocolAnalyzer`): entries indexed by exportTo scope (`*` when
 *   absent or `*`, the entry's namespace for `.`, else each listed namespace), host and port
 *   number; a namespaced scope also sees the `*` entries; protocols compared upper-cased; each
 *   ServiceEntry reported once.
 */
import type { Place } from '../../base/types.js';
import { fieldPlace } from '../describe.js';
import { istioView } from '../istio.js';
import type { ClusterModel, ClusterSetModel, GatewayFacts, GatewayServerFacts, ServiceEntryFacts, ServiceEntryPortFacts } from '../types.js';
import { viewKey, viewOf } from './cache.js';

/** A Gateway server (its `port.number` place) with its Gateway. */
export interface GatewayServerAt {
  readonly gateway: GatewayFacts;
  readonly server: GatewayServerFacts;
  /** `servers[i].port.number`. */
  readonly at: Place;
}

/** A server of a Gateway that overlaps servers of other Gateways with the same selector and port. */
export interface GatewayConflict extends GatewayServerAt {
  readonly cluster: ClusterModel;
  /** `k=v,k2=v2` (Kubernetes selector text, keys sorted); empty for an empty selector. */
  readonly selector: string;
  readonly port: number;
  /** The other Gateways' overlapping servers, in Gateway order. */
  readonly others: readonly GatewayServerAt[];
  /**
   * Every overlap is between plain-HTTP servers istiod merges into one route configuration (both
   * protocols HTTP-based, and not both with a `tls` block repeating a host): the routes of both
   * Gateways are kept. False when a server may be skipped or shadowed (TLS, other protocols, a
   * protocol left to apply time).
   */
  readonly merged: boolean;
}

/** A ServiceEntry port whose protocol another visible entry contradicts for the same host and port. */
export interface ServiceEntryConflict {
  readonly cluster: ClusterModel;
  readonly entry: ServiceEntryFacts;
  readonly port: ServiceEntryPortFacts;
  readonly host: string;
  /** Every entry of the conflict (this one included), sorted by cluster then `namespace/name`. */
  readonly entries: readonly { readonly cluster: ClusterModel; readonly entry: ServiceEntryFacts; readonly port: ServiceEntryPortFacts }[];
  /** The distinct protocols, upper-cased and sorted. */
  readonly protocols: readonly string[];
  /** Whether the conflict is inside this entry's cluster (IST0177 proper), not only across clusters. */
  readonly sameCluster: boolean;
}

/** The conflicts of a set. */
export interface IstioConflictsView {
  readonly gateways: readonly GatewayConflict[];
  readonly serviceEntries: readonly ServiceEntryConflict[];
}

/** The selector text Kubernetes' `labels.SelectorFromSet(...).String()` gives: `k=v` pairs sorted by key, comma-separated. */
export function selectorText(selector: Readonly<Record<string, string>>): string {
  return Object.keys(selector)
    .sort()
    .map((k) => `${k}=${selector[k]}`)
    .join(',');
}

/** A Gateway server host without its `namespace/` prefix (that part only restricts which VirtualServices bind), lower-cased. */
function hostname(h: string): string {
  const slash = h.indexOf('/');
  return (slash >= 0 ? h.slice(slash + 1) : h).toLowerCase();
}

/** Istio `host.Name.Matches`: equal names, or a wildcard (`*`, `*.example.com`) whose suffix the other name (or wildcard) ends with. */
export function hostsOverlap(a: string, b: string): boolean {
  const aw = a.startsWith('*');
  const bw = b.startsWith('*');
  if (aw && bw) return a.length < b.length ? b.slice(1).endsWith(a.slice(1)) : a.slice(1).endsWith(b.slice(1));
  if (aw) return b.endsWith(a.slice(1));
  if (bw) return a.endsWith(b.slice(1));
  return a === b;
}

const gatewayName = (g: GatewayFacts) => `${g.namespace ?? ''}/${g.name}`;

/** Istio `protocol.Parse(p).IsHTTP()`: the protocols whose servers share one HTTP route configuration per port. */
const HTTP_PROTOCOLS = new Set(['http', 'http2', 'http_proxy', 'grpc', 'grpc-web']);
const isHttp = (s: GatewayServerFacts) => s.protocol !== undefined && HTTP_PROTOCOLS.has(s.protocol.toLowerCase());

/**
 * Whether istiod merges two overlapping servers on one port into one HTTP route configuration
 * (`mergeGateways`: both HTTP-based, so `canMergeProtocols`; and `CheckDuplicates` skips a `tls`
 * server only when an earlier `tls` server has the same host string). Hosts are compared without
 * their `namespace/` prefix, which istiod keeps: `a/x` and `b/x` count as a repeat here (the error
 * stays).
 */
function mergesWith(a: GatewayServerFacts, b: GatewayServerFacts): boolean {
  if (!isHttp(a) || !isHttp(b)) return false;
  if (!a.tls || !b.tls) return true;
  const hosts = new Set(a.hosts.map(hostname));
  return !b.hosts.some((h) => hosts.has(hostname(h)));
}

function portPlace(g: GatewayFacts, server: GatewayServerFacts): Place {
  const i = server.source.path[server.source.path.length - 1];
  return typeof i === 'number' ? fieldPlace(g.object, 'spec', 'servers', i, 'port', 'number') : server.source;
}

function gatewayConflicts(cluster: ClusterModel): GatewayConflict[] {
  const groups = new Map<string, GatewayServerAt[]>();
  for (const gateway of cluster.istioConfig.gateways) {
    const selector = selectorText(gateway.selector);
    for (const server of gateway.servers) {
      if (server.port === undefined || server.hosts.length === 0) continue;
      const key = `${selector}~${server.port}`;
      const list = groups.get(key) ?? [];
      list.push({ gateway, server, at: portPlace(gateway, server) });
      groups.set(key, list);
    }
  }
  const out: GatewayConflict[] = [];
  for (const list of groups.values()) {
    if (list.length < 2) continue;
    for (const s of list) {
      const hosts = s.server.hosts.map(hostname);
      const others = list.filter((o) => gatewayName(o.gateway) !== gatewayName(s.gateway) && o.server.hosts.some((h) => hosts.some((mine) => hostsOverlap(mine, hostname(h)))));
      if (others.length === 0) continue;
      const merged = others.every((o) => mergesWith(s.server, o.server));
      out.push({ ...s, cluster, selector: selectorText(s.gateway.selector), port: s.server.port!, others, merged });
    }
  }
  return out;
}

/** The exportTo scopes of an entry (see the file comment); `~` alone: none. */
function scopes(entry: ServiceEntryFacts): string[] {
  const e = entry.exportTo;
  if (!e || e.length === 0 || e.includes('*')) return ['*'];
  return [...new Set(e.filter((x) => x !== '~').map((x) => (x === '.' ? (entry.namespace ?? '') : x)))];
}

type Item = { readonly cluster: ClusterModel; readonly entry: ServiceEntryFacts; readonly port: ServiceEntryPortFacts; readonly protocol: string };

const entryKey = (i: Item) => `${i.cluster.name}\u0000${i.entry.namespace ?? ''}/${i.entry.name}`;

function serviceEntryConflicts(set: ClusterSetModel): ServiceEntryConflict[] {
  const out: ServiceEntryConflict[] = [];
  for (const mesh of istioView(set).meshes) {
    const index = new Map<string, Item[]>();
    for (const cluster of mesh.clusters) {
      for (const entry of cluster.istioConfig.serviceEntries) {
        for (const scope of scopes(entry)) {
          for (const host of entry.hosts) {
            for (const port of entry.ports ?? []) {
              // An entry without protocol is left to protocol sniffing: not counted (istioctl counts "" as one).
              if (!port.protocol) continue;
              const key = `${scope}\u0000${host.toLowerCase()}\u0000${port.number}`;
              const item = { cluster, entry, port, protocol: port.protocol.value.toUpperCase() };
              const list = index.get(key);
              if (list) list.push(item);
              else index.set(key, [item]);
            }
          }
        }
      }
    }
    const reported = new Set<string>();
    for (const [key, own] of index) {
      const [scope, host] = key.split('\u0000');
      const items = scope === '*' ? own : [...own, ...(index.get(`*\u0000${key.slice(scope.length + 1)}`) ?? [])];
      const protocols = [...new Set(items.map((i) => i.protocol))].sort();
      if (protocols.length < 2) continue;
      const entries = [...new Map(items.map((i) => [entryKey(i), i])).values()].sort((a, b) => (entryKey(a) < entryKey(b) ? -1 : entryKey(a) > entryKey(b) ? 1 : 0));
      for (const i of entries) {
        if (reported.has(entryKey(i))) continue;
        reported.add(entryKey(i));
        const sameCluster = entries.some((o) => o.cluster === i.cluster && o.protocol !== i.protocol);
        out.push({ cluster: i.cluster, entry: i.entry, port: i.port, host, entries, protocols, sameCluster });
      }
    }
  }
  return out;
}

const VIEW = viewKey<IstioConflictsView>('istio-conflicts');

/** The Gateway and ServiceEntry conflicts of a set (built once per set; see the file comment). */
export function istioConflicts(set: ClusterSetModel): IstioConflictsView {
  return viewOf(set, VIEW, () => ({ gateways: set.clusters.flatMap(gatewayConflicts), serviceEntries: serviceEntryConflicts(set) }));
}
