/**
 * Network views: a ClusterSet's address ranges (pod, Service and Node CIDRs, Node addresses) put
 * side by side — which overlap and whether the overlap matters for the way the clusters are
 * connected (`linkBetween`), which cannot be such ranges at all, which Node ranges fall outside
 * their cluster's pod CIDR, and which pod CIDRs a Cilium native-routing CIDR misses. Pure functions
 * of the set's facts: nothing is cached, so nothing outlives a run.
 *
 * Upstream semantics: Submariner's route agent (submariner-io/submariner `pkg/cidr`
 * `OverlappingSubnets`) refuses a remote endpoint whose subnets overlap the local pod or service
 * CIDR unless GlobalNet translates; flat pod networks (Cilium Cluster Mesh, Calico federation)
 * cannot route overlapping pod IPs; clusters on different networks (Istio multi-network) meet
 * only through gateways; Cilium (`pkg/datapath` masquerading) SNATs traffic leaving
 * `ipv4NativeRoutingCIDR`. Address kinds are ipaddr.js's `range()`.
 */
import ipaddr from 'ipaddr.js';
import { overlappingPairs, type Cidr } from '../../base/cidr.js';
import { inCiliumMesh, linkBetween, type Link } from '../connectivity.js';
import type { ClusterModel, ClusterSetModel, Fact } from '../types.js';
import { compareValues } from '../../base/order.js';

/**
 * What a range is for: the cluster's pod network, its Service ClusterIP range, one Node's slice of
 * the pod network (`spec.podCIDR`), or one Node address.
 */
export type RangeRole = 'pod' | 'service' | 'node' | 'address';

/** One range of one cluster, with its role. */
export interface NetworkRange {
  readonly cluster: ClusterModel;
  readonly role: RangeRole;
  readonly fact: Fact<Cidr>;
}

/** A cluster's ranges by role, in the order pod, service, node, address. */
export function rangesByRole(cluster: ClusterModel): [RangeRole, readonly Fact<Cidr>[]][] {
  const { network } = cluster;
  return [
    ['pod', network.podCIDRs],
    ['service', network.serviceCIDRs],
    ['node', network.nodePodCIDRs],
    ['address', network.nodeAddresses],
  ];
}

/** One entry per (cluster, role, masked network, object): the first source wins, copies add nothing. */
function collectRanges(set: ClusterSetModel): NetworkRange[] {
  const ranges: NetworkRange[] = [];
  for (const cluster of set.clusters) {
    for (const [role, facts] of rangesByRole(cluster)) {
      const seen = new Set<string>();
      for (const fact of facts) {
        // Nodes are told apart by object: two Nodes with one range is a finding, not a copy.
        const key = role === 'node' || role === 'address' ? `${fact.value.network} ${fact.source.file} ${fact.source.doc}` : fact.value.network;
        if (seen.has(key)) continue;
        seen.add(key);
        ranges.push({ cluster, role, fact });
      }
    }
  }
  return ranges;
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Ties between equal ranges: by cluster, role, file and path, so output is deterministic. */
const tieBreak = (a: NetworkRange, b: NetworkRange) =>
  cmp(a.cluster.name, b.cluster.name) ||
  cmp(a.role, b.role) ||
  cmp(a.fact.source.file, b.fact.source.file) ||
  cmp(JSON.stringify(a.fact.source.path), JSON.stringify(b.fact.source.path));

/**
 * An overlap that matters, `here` being the side reported and `there` the other:
 * - `nodeSlices`: two Nodes of one cluster given overlapping pod ranges (`here` the later);
 * - `addressInRange`: a Node address (`here`) inside a pod, node or service range of its cluster;
 * - `podsAndServices`: a cluster's service CIDR (`here`) overlapping its pod or node range;
 * - `submariner` / `cilium` / `flat` / `unconnected`: ranges of two clusters (`here` the cluster
 *   whose name sorts later) whose link (`linkBetween`, in `link`) routes pods flat — Submariner
 *   without GlobalNet (pod, node and service ranges), Cilium Cluster Mesh, any other flat link
 *   (Calico federation, MCS under generic KEP-1645 behaviour, the config file) — or is `unknown`
 *   (`unconnected`: pod and node ranges only). Remapped and gateway-only links leave overlaps alone.
 */
export interface RangeOverlap {
  readonly kind: 'nodeSlices' | 'addressInRange' | 'podsAndServices' | 'submariner' | 'cilium' | 'flat' | 'unconnected';
  readonly here: NetworkRange;
  readonly there: NetworkRange;
  /** The clusters' link, for overlaps across clusters. */
  readonly link?: Link;
}

/** The overlap of two ranges of one cluster, or undefined when expected (copies, a node's slice of the pod network). */
function insideCluster(a: NetworkRange, b: NetworkRange): RangeOverlap | undefined {
  const pair = new Set([a.role, b.role]);
  const pick = (role: RangeRole) => (a.role === role ? a : b);
  const other = (r: NetworkRange) => (r === a ? b : a);
  if (pair.size === 1 && a.role !== 'node') return undefined; // several sources, one range
  if (pair.has('pod') && pair.has('node')) return undefined; // a node's slice of the pod network
  if (pair.size === 1) return { kind: 'nodeSlices', here: b, there: a };
  if (pair.has('address')) return { kind: 'addressInRange', here: pick('address'), there: other(pick('address')) };
  return { kind: 'podsAndServices', here: pick('service'), there: other(pick('service')) };
}

/** The overlap of ranges of two clusters, or undefined when harmless for how they are connected. */
function acrossClusters(set: ClusterSetModel, first: NetworkRange, second: NetworkRange): RangeOverlap | undefined {
  if (first.role === 'address' || second.role === 'address') return undefined;
  const [here, there] = first.cluster.name > second.cluster.name ? [first, second] : [second, first];
  const podLike = (r: NetworkRange) => r.role === 'pod' || r.role === 'node';
  const link = linkBetween(set, here.cluster, there.cluster);
  if (link.kind === 'remapped' || link.kind === 'gateway') return undefined;
  const submariner = link.via === 'submariner';
  if (!(podLike(here) && podLike(there)) && !submariner) return undefined;
  const kind = submariner ? 'submariner' : link.via === 'cilium' ? 'cilium' : link.kind === 'flat' ? 'flat' : 'unconnected';
  return { kind, here, there, link };
}

/**
 * Every overlap between ranges of `set` that matters (see `RangeOverlap`), in sweep order: ranges
 * sorted by (family, start, widest first, then cluster, role, file, path), found by
 * `overlappingPairs` in O(n log n + k).
 */
export function rangeOverlaps(set: ClusterSetModel): RangeOverlap[] {
  const out: RangeOverlap[] = [];
  for (const [first, second] of overlappingPairs(collectRanges(set), (r) => r.fact.value, tieBreak)) {
    const overlap = first.cluster === second.cluster ? insideCluster(first, second) : acrossClusters(set, first, second);
    if (overlap) out.push(overlap);
  }
  return out;
}

/**
 * Most ranges a message lists (`listRanges`): one finding per overlapping range, each naming every
 * range of a cluster with 10,000 of them, would grow the report quadratically.
 */
export const MAX_LISTED_RANGES = 8;

/**
 * The texts of `facts` joined by `separator`: the first `MAX_LISTED_RANGES`, then `and N more`
 * for the rest. Reads only the ranges it lists, so building it costs O(`MAX_LISTED_RANGES`) however
 * many there are.
 * @param facts the ranges, as one list or several lists read one after the other
 */
export function listRanges(facts: readonly (readonly Fact<Cidr>[])[], separator: string): string {
  const shown: string[] = [];
  let total = 0;
  for (const list of facts) {
    for (let i = 0; i < list.length && shown.length < MAX_LISTED_RANGES; i++) shown.push(list[i].value.text);
    total += list.length;
  }
  return total > shown.length ? `${shown.join(separator)}${separator}and ${total - shown.length} more` : shown.join(separator);
}

/**
 * The pod and service CIDRs of `cluster` as Submariner lists a remote cluster's subnets:
 * `[svc… pod…]`, at most `MAX_LISTED_RANGES` of them, then `and N more`.
 */
export function remoteSubnets(cluster: ClusterModel): string {
  return `[${listRanges([cluster.network.serviceCIDRs, cluster.network.podCIDRs], ' ')}]`;
}

/** ipaddr.js range names that can never hold pods or Services. */
const UNUSABLE = new Set(['unspecified', 'loopback', 'linkLocal', 'multicast']);

/**
 * A pod, service or node range written by a source, once per (file, doc, path, text), with what
 * is wrong with its shape: `unusable` is `all` (a /0) or the ipaddr.js range name (`unspecified`,
 * `loopback`, `linkLocal`, `multicast`) of a range the kernel does not route between hosts;
 * `hostBits` is true when the written address has bits beyond the prefix and the value is not a
 * tool's default. Ranges with nothing wrong are left out.
 */
export function rangeShapes(set: ClusterSetModel): (NetworkRange & { readonly unusable?: string; readonly hostBits: boolean })[] {
  const seen = new Set<string>();
  const out: (NetworkRange & { unusable?: string; hostBits: boolean })[] = [];
  for (const cluster of set.clusters) {
    for (const [role, facts] of rangesByRole(cluster)) {
      if (role === 'address') continue;
      for (const fact of facts) {
        const key = JSON.stringify([fact.source.file, fact.source.doc, fact.source.path, fact.value.text]);
        if (seen.has(key)) continue;
        seen.add(key);
        const cidr = fact.value;
        const kind = cidr.prefix === 0 ? 'all' : ipaddr.parse(cidr.network.replace(/\/\d+$/, '')).range();
        const unusable = kind === 'all' || UNUSABLE.has(kind) ? kind : undefined;
        const hostBits = cidr.hostBitsSet && !fact.isDefault;
        if (unusable !== undefined || hostBits) out.push({ cluster, role, fact, unusable, hostBits });
      }
    }
  }
  return out;
}

/**
 * Node pod ranges outside every pod CIDR of their cluster, when the cluster has pod CIDRs of that
 * family: the node range and its cluster's pod CIDRs of the same family (never empty).
 */
export function nodesOutsidePodCIDRs(set: ClusterSetModel): { cluster: ClusterModel; node: Fact<Cidr>; pods: Fact<Cidr>[] }[] {
  const out: { cluster: ClusterModel; node: Fact<Cidr>; pods: Fact<Cidr>[] }[] = [];
  for (const cluster of set.clusters) {
    if (cluster.network.nodePodCIDRs.length === 0) continue;
    const byFamily = new Map<number, { pods: Fact<Cidr>[]; outer: Cidr[] }>();
    for (const node of cluster.network.nodePodCIDRs) {
      const n = node.value;
      let family = byFamily.get(n.family);
      if (!family) byFamily.set(n.family, (family = podRanges(cluster, n.family)));
      if (family.pods.length === 0 || inside(family.outer, n)) continue;
      out.push({ cluster, node, pods: family.pods });
    }
  }
  return out;
}

/**
 * The pod CIDRs of `cluster` of one family, in written order, and the outermost of them sorted
 * by start: CIDRs nest or are disjoint, so those are disjoint, and a range lies inside some pod
 * CIDR exactly when it lies inside one of them (`inside`, a binary search: O(log n) per range).
 */
function podRanges(cluster: ClusterModel, family: number): { pods: Fact<Cidr>[]; outer: Cidr[] } {
  const pods = cluster.network.podCIDRs.filter((p) => p.value.family === family);
  const sorted = pods.map((p) => p.value).sort((a, b) => compareValues(a.start, b.start) || compareValues(b.end, a.end));
  const outer: Cidr[] = [];
  for (const c of sorted) if (outer.length === 0 || c.start > outer[outer.length - 1].end) outer.push(c);
  return { pods, outer };
}

/** True when `range` lies inside one of `outer` (disjoint CIDRs sorted by start). */
function inside(outer: readonly Cidr[], range: Cidr): boolean {
  let lo = 0;
  let hi = outer.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (outer[mid].start <= range.start) lo = mid + 1;
    else hi = mid;
  }
  return lo > 0 && range.end <= outer[lo - 1].end;
}

/**
 * Cilium native routing (`routingMode: native`) in a Cluster Mesh of two or more clusters: each
 * pod CIDR of a mesh cluster (its own included) of the routing CIDR's family that
 * `ipv4NativeRoutingCIDR` does not contain. Pod CIDRs are sorted by start: CIDRs nest or are
 * disjoint, so those inside a routing CIDR form one run found by binary search, and only the
 * others are visited (O(n log n + k)). Order: mesh clusters, their Cilium installs, then pod CIDRs by start.
 */
export function nativeRoutingGaps(set: ClusterSetModel): { cluster: ClusterModel; routing: Fact<Cidr>; other: ClusterModel; pod: Fact<Cidr> }[] {
  const mesh = set.clusters.filter(inCiliumMesh);
  if (mesh.length < 2) return [];
  const pods = mesh.flatMap((cluster) => cluster.network.podCIDRs.map((fact) => ({ cluster, fact })));
  pods.sort((a, b) => a.fact.value.family - b.fact.value.family || compareValues(a.fact.value.start, b.fact.value.start));
  const firstAtOrAfter = (family: number, start: bigint) => {
    let lo = 0;
    let hi = pods.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      const v = pods[mid].fact.value;
      if (v.family < family || (v.family === family && v.start < start)) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  const out: { cluster: ClusterModel; routing: Fact<Cidr>; other: ClusterModel; pod: Fact<Cidr> }[] = [];
  for (const cluster of mesh) {
    for (const cilium of cluster.cilium) {
      const routing = cilium.nativeRoutingCIDR;
      if (cilium.routingMode?.value !== 'native' || !routing) continue;
      const r = routing.value;
      const lo = firstAtOrAfter(r.family, r.start);
      const hi = firstAtOrAfter(r.family, r.end + 1n);
      const outside = [...pods.slice(0, lo), ...pods.slice(lo, hi).filter((p) => p.fact.value.end > r.end), ...pods.slice(hi)];
      for (const { cluster: other, fact: pod } of outside) if (pod.value.family === r.family) out.push({ cluster, routing, other, pod });
    }
  }
  return out;
}
