/**
 * Liqo (liqotech/liqo) and other fabrics the connectivity model needs to see:
 * - Liqo `ForeignCluster` (cluster-scoped): `core.liqo.io/v1beta1` names the peer in
 *   `spec.clusterID` (liqo `apis/core/v1beta1/foreigncluster_types.go`); the older
 *   `discovery.liqo.io/v1alpha1` in `spec.clusterIdentity.clusterID` and `clusterName`. Either
 *   falls back to the `liqo.io/remote-cluster-id` label Liqo sets on it.
 * - Liqo network `Configuration` (`networking.liqo.io`): the peer's CIDRs as the fabric remaps
 *   them, for the cluster named by its `liqo.io/remote-cluster-id` label; a peering too.
 * - The cluster's own Liqo cluster ID: the `liqo-clusterid-configmap` ConfigMap (`CLUSTER_ID`,
 *   `CLUSTER_NAME`) that Liqo releases before v1 write.
 * - Skupper sites (`skupper.io` `Site`, or the `skupper-site` ConfigMap of Skupper 1.x) and Calico
 *   federation (`RemoteClusterConfiguration`, `projectcalico.org` or `crd.projectcalico.org`).
 * Unrendered placeholders give no fact.
 */
import type { FactSource } from './types.js';

/** Reads Liqo ForeignClusters and cluster IDs, Skupper sites and Calico RemoteClusterConfigurations (see the file comment). */
export const liqoSource: FactSource = {
  id: 'liqo',
  handles: [
    'core.liqo.io/ForeignCluster',
    'discovery.liqo.io/ForeignCluster',
    'networking.liqo.io/Configuration',
    'core/ConfigMap',
    'skupper.io/Site',
    'projectcalico.org/RemoteClusterConfiguration',
    'crd.projectcalico.org/RemoteClusterConfiguration',
  ],
  extract(ctx) {
    const { object, cluster } = ctx;
    const text = (path: (string | number)[]) => {
      const v = ctx.get(path);
      return typeof v === 'string' && v.trim() !== '' ? v : undefined;
    };
    if (object.kind === 'Configuration') {
      const labelPath = ['metadata', 'labels', 'liqo.io/remote-cluster-id'];
      const id = text(labelPath);
      if (id !== undefined) cluster.liqo.peers.push({ object, clusterID: { value: id, source: ctx.source(labelPath, 'Configuration liqo.io/remote-cluster-id') } });
    } else if (object.kind === 'ForeignCluster') {
      const modern = object.group === 'core.liqo.io';
      const idPath = modern ? ['spec', 'clusterID'] : ['spec', 'clusterIdentity', 'clusterID'];
      const labelPath = ['metadata', 'labels', 'liqo.io/remote-cluster-id'];
      const path = text(idPath) !== undefined ? idPath : text(labelPath) !== undefined ? labelPath : undefined;
      if (!path) return;
      const clusterID = { value: text(path)!, source: ctx.source(path, `ForeignCluster ${path.slice(1).join('.')}`) };
      const namePath = ['spec', 'clusterIdentity', 'clusterName'];
      const name = modern ? undefined : text(namePath);
      cluster.liqo.peers.push({
        object,
        clusterID,
        ...(name !== undefined && { clusterName: { value: name, source: ctx.source(namePath, 'ForeignCluster spec.clusterIdentity.clusterName') } }),
      });
    } else if (object.kind === 'ConfigMap' && object.name === 'liqo-clusterid-configmap') {
      for (const key of ['CLUSTER_ID', 'CLUSTER_NAME']) {
        const value = text(['data', key]);
        if (value !== undefined) cluster.liqo.clusterIDs.push({ value, source: ctx.source(['data', key], `liqo-clusterid-configmap ${key}`) });
      }
    } else if (object.kind === 'ConfigMap' && object.name === 'skupper-site') {
      cluster.interconnects.push({ kind: 'skupper', at: ctx.source(['kind'], 'skupper-site ConfigMap') });
    } else if (object.kind === 'Site') {
      cluster.interconnects.push({ kind: 'skupper', at: ctx.source(['kind'], 'Skupper Site') });
    } else if (object.kind === 'RemoteClusterConfiguration') {
      cluster.interconnects.push({ kind: 'calico-federation', at: ctx.source(['kind'], 'Calico RemoteClusterConfiguration') });
    }
  },
};
