/**
 * How two clusters of a set reach each other, as far as the manifests say. Rules that judge
 * address overlaps need it: a flat pod network (Submariner without GlobalNet, Cilium Cluster
 * Mesh) cannot route an address that exists twice, while meshes that cross clusters only through
 * gateways and DNS (Istio multi-network, Linkerd gateway mode) are built for overlapping ranges.
 */
import type { ClusterModel, ClusterSetModel } from './types.js';

/**
 * - `submariner`: both clusters joined a Submariner Broker (pods and services routed directly,
 *   or through GlobalNet's translation when `globalnet` is true: GlobalNet is on for the set).
 * - `cilium`: both clusters run Cilium with a cluster ID (Cluster Mesh routes pod IPs directly).
 * - `gateway`: the clusters are declared on different networks (config `network`, Istio
 *   `network`), so traffic crosses through east-west gateways only.
 * - `unknown`: nothing says; assume a flat pod network, the strictest case.
 */
export interface Link {
  readonly kind: 'submariner' | 'cilium' | 'gateway' | 'unknown';
  /** Submariner GlobalNet translates both clusters' addresses. */
  readonly globalnet: boolean;
}

/** True when the cluster joined Submariner (has a Submariner CR). */
export const joinedSubmariner = (c: ClusterModel) => c.submariner.length > 0;

/** True when the cluster runs Cilium configured for Cluster Mesh (a cluster ID is set). */
export const inCiliumMesh = (c: ClusterModel) => c.cilium.some((f) => f.clusterID !== undefined && f.clusterID.value > 0);

/** The network names a cluster is declared on (config `network`, Istio `global.network`). */
export function networksOf(c: ClusterModel): Set<string> {
  return new Set([...c.topology.networks.map((f) => f.value), ...c.istio.flatMap((i) => (i.network ? [i.network.value] : []))]);
}

/** How clusters `a` and `b` of `set` are connected (see `Link`). */
export function linkBetween(set: ClusterSetModel, a: ClusterModel, b: ClusterModel): Link {
  if (joinedSubmariner(a) && joinedSubmariner(b)) {
    // With GlobalNet on, a cluster joined without a globalCIDR gets one from subctl's allocator
    // (globalnet-allocation reports when the range is full).
    return { kind: 'submariner', globalnet: set.globalnet.enabled };
  }
  if (inCiliumMesh(a) && inCiliumMesh(b)) return { kind: 'cilium', globalnet: false };
  const na = networksOf(a);
  const nb = networksOf(b);
  if (na.size > 0 && nb.size > 0 && ![...na].some((n) => nb.has(n))) return { kind: 'gateway', globalnet: false };
  return { kind: 'unknown', globalnet: false };
}
