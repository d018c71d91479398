import { defineRule, liqoPeerOf } from './kit.js';

const UNKNOWN_HINT =
  "Liqo peers with the cluster whose ID this is; no cluster of the ClusterSet has it (cluster names: {{clusters}}), so the peering targets a cluster this repository does not describe, and cross-cluster checks cannot see that side. Use the peer's cluster ID (liqoctl info), or add that cluster to the set.";
const SELF_HINT = "A cluster cannot peer with itself: Liqo would offload pods back to the cluster they came from. Name the remote cluster's ID.";

/**
 * `liqo-foreign-cluster`: a Liqo `ForeignCluster` (or network `Configuration`, by its
 * `liqo.io/remote-cluster-id` label) whose cluster ID (`spec.clusterID`, or
 * `spec.clusterIdentity.clusterID` / `clusterName` in `discovery.liqo.io/v1alpha1`) names no
 * cluster of the ClusterSet (matched by cluster name, then by the Liqo cluster IDs the clusters
 * declare), or names its own cluster. Peerings found are the connectivity model's `remapped`
 * links (Liqo remaps overlapping pod CIDRs), so `cidr-overlap` leaves those pairs alone.
 *
 * Upstream: Liqo (liqotech/liqo `apis/core/v1beta1/foreigncluster_types.go`; docs "Peering"):
 * a ForeignCluster represents one remote cluster, identified by its cluster ID (set with
 * `liqoctl install --cluster-id`, shown by `liqoctl info`); the network fabric gives a peer whose
 * pod CIDR overlaps the local one a remapped CIDR (`networking.liqo.io` Configuration
 * `status.remote.cidr`).
 */
export default defineRule({
  meta: {
    id: 'liqo-foreign-cluster',
    description: 'A Liqo ForeignCluster names a cluster of its ClusterSet (by name or Liqo cluster ID), and not its own cluster',
    severity: 'warn',
    docs: 'docs/rules/liqo-foreign-cluster.md',
    messages: {
      unknownPeer: { text: '{{kind}} in cluster "{{cluster}}" peers with cluster ID "{{clusterID}}", which no cluster of the ClusterSet has.', hint: UNKNOWN_HINT },
      selfPeer: { text: '{{kind}} in cluster "{{cluster}}" names the cluster itself ("{{clusterID}}").', hint: SELF_HINT },
    },
  },
  check({ set, report }) {
    const names = set.clusters.map((c) => c.name);
    const clusters = `${names.slice(0, 8).join(', ')}${names.length > 8 ? ` and ${names.length - 8} more` : ''}`;
    for (const cluster of set.clusters) {
      for (const peer of cluster.liqo.peers) {
        const id = peer.clusterID.value;
        const target = liqoPeerOf(set, id) ?? (peer.clusterName && set.clusterByName.get(peer.clusterName.value));
        const data = { kind: peer.object.kind, cluster: cluster.name, clusterID: id, clusters };
        if (!target) report({ messageId: 'unknownPeer', data, at: peer.clusterID.source, cluster: cluster.name });
        else if (target === cluster) report({ messageId: 'selfPeer', data, at: peer.clusterID.source, cluster: cluster.name });
      }
    }
  },
});
