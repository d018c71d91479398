/**
 * Cluster identity objects:
 * - ClusterProperty (`about.k8s.io`, KEP-2149 / sigs.k8s.io/about-api): the property named
 *   `cluster.clusterset.k8s.io` (formerly `id.k8s.io`) holds the cluster's ID, `clusterset.k8s.io`
 *   the ClusterSet it belongs to, each in `spec.value`.
 * - Karmada `Cluster` (`cluster.karmada.io`): a member cluster registered with a Karmada control
 *   plane; its name is the member's name inside Karmada.
 */
import { identityFact } from './facts.js';
import { stringMap } from './services.js';
import type { FactSource } from './types.js';

/** ClusterProperty names for the cluster ID (current and KEP-2149's first name). */
export const CLUSTER_ID_PROPERTIES = ['cluster.clusterset.k8s.io', 'id.k8s.io'] as const;
/** ClusterProperty name for the ClusterSet membership. */
export const CLUSTERSET_PROPERTY = 'clusterset.k8s.io';

/** Reads ClusterProperty and Karmada Cluster objects. */
export const identitySource: FactSource = {
  id: 'identity',
  handles: ['about.k8s.io/ClusterProperty', 'cluster.karmada.io/Cluster'],
  extract(ctx) {
    const { identity } = ctx.cluster;
    const name = ctx.get(['metadata', 'name']);
    if (typeof name !== 'string' || name === '') return;
    if (ctx.object.kind === 'Cluster') {
      identity.karmadaClusters.push({
        object: ctx.object,
        name: { value: name, source: ctx.source(['metadata', 'name'], 'Karmada Cluster metadata.name') },
        labels: stringMap(ctx, ['metadata', 'labels']) ?? {},
      });
      return;
    }
    identity.clusterPropertyObjects.push({ object: ctx.object, labels: stringMap(ctx, ['metadata', 'labels']) ?? {} });
    const isID = (CLUSTER_ID_PROPERTIES as readonly string[]).includes(name);
    if (!isID && name !== CLUSTERSET_PROPERTY) return;
    const fact = identityFact(ctx, ['spec', 'value'], `ClusterProperty ${name}`);
    if (!fact) return;
    (isID ? identity.clusterProperty : identity.clusterSet).push(fact);
  },
};
