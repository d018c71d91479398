/**
 * Identity views: what the model's identity facts say about a cluster once they are put side by
 * side (the objects that describe a cluster, the names and IDs it claims). Pure functions of a
 * ClusterSet's facts; they hold no state, so nothing here outlives a run.
 */
import type { ClusterIdentity, ClusterModel, ClusterSetModel } from '../types.js';

/** An object that carries a cluster's labels (a ClusterProperty or a Karmada `Cluster`). */
export type LabelCarrier = ClusterIdentity['clusterPropertyObjects'][number];

/**
 * The objects that carry `cluster`'s labels: its own ClusterProperty objects (KEP-2149
 * `about.k8s.io/v1alpha1`), then the Karmada `Cluster` objects of any cluster of `set` whose
 * `metadata.name` is the cluster's name (Karmada's control plane holds the member clusters'
 * objects, so they may live in another cluster's folder). Order: ClusterProperties first, then
 * Karmada Clusters in the set's cluster order.
 */
export function labelCarriers(set: ClusterSetModel, cluster: ClusterModel): LabelCarrier[] {
  const karmada = set.clusters.flatMap((c) => c.identity.karmadaClusters).filter((k) => k.name.value === cluster.name);
  return [...cluster.identity.clusterPropertyObjects, ...karmada];
}
