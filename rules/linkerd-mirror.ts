import { defineRule, fieldPlace, namespacedName, serviceKey, serviceNamePlace, type ClusterModel, type Place, type RelatedPlace, type ServiceFacts, type Source } from './kit.js';

/** The label Linkerd's default Link selectors read, and its values (gateway and flat mode). */
const EXPORTED = 'mirror.linkerd.io/exported';
const EXPORTED_VALUES = ['true', 'remote-discovery'];
/** The default `federatedServiceSelector` label and value. */
const FEDERATED = 'mirror.linkerd.io/federated';
/** Set by the service mirror on the Services it creates. */
const MIRRORED = 'mirror.linkerd.io/mirrored-service';
const MAX_NAME = 63;

const labelPlace = (s: ServiceFacts, key: string): Place => (fieldPlace(s.object, 'metadata', 'labels', key));
const label = (s: ServiceFacts) => `Service "${namespacedName(s.namespace, s.name)}"`;

/** A link from a source cluster to a target cluster, from a Link object or assumed. */
interface LinkEdge {
  readonly source: ClusterModel;
  readonly target: ClusterModel;
  /** The name mirrors get as suffix. */
  readonly targetClusterName: string;
  /** The Link's `targetClusterName`, when a Link object states it. */
  readonly at?: Source;
}

/**
 * The links of the set: every Link whose `targetClusterName` names a cluster of the set; with no
 * Link in the repository, every ordered pair of clusters, named after the target cluster
 * (`linkerd multicluster link --cluster-name <cluster>`).
 */
function links(clusters: readonly ClusterModel[], byName: ReadonlyMap<string, ClusterModel>): { edges: LinkEdge[]; assumed: boolean } {
  const declared = clusters.flatMap((c) => c.linkerdLinks);
  if (declared.length > 0) {
    const edges = declared.flatMap((l): LinkEdge[] => {
      const target = byName.get(l.targetClusterName.value);
      const source = byName.get(l.cluster)!;
      return target && target !== source ? [{ source, target, targetClusterName: l.targetClusterName.value, at: l.targetClusterName.source }] : [];
    });
    return { edges, assumed: false };
  }
  return { edges: clusters.flatMap((source) => clusters.filter((t) => t !== source).map((target) => ({ source, target, targetClusterName: target.name }))), assumed: true };
}

/** The Service of `namespace/name` in `cluster` that the service mirror did not create, if any. */
function existing(cluster: ClusterModel, namespace: string | undefined, name: string): ServiceFacts | undefined {
  return (cluster.servicesByName.get(name) ?? []).find(
    (s) => (s.namespace === namespace || s.namespace === undefined || namespace === undefined) && s.labels[MIRRORED] === undefined,
  );
}

/**
 * `linkerd-mirror`: Linkerd multicluster service mirroring. Export label values; mirror Service
 * names (`<svc>-<targetClusterName>`, federated `<svc>-federated`) over 63 characters or
 * colliding with a Service that already exists in the source cluster.
 *
 * Upstream: linkerd/linkerd2 `multicluster/service-mirror` (mirror names `<name>-<targetClusterName>`,
 * label `mirror.linkerd.io/mirrored-service`), the default Link selectors
 * (`mirror.linkerd.io/exported: "true"`, remote discovery `mirror.linkerd.io/exported:
 * remote-discovery`, federated `mirror.linkerd.io/federated: member`), and the Kubernetes limit of
 * 63 characters for Service names (DNS-1035 labels).
 */
export default defineRule({
  meta: {
    id: 'linkerd-mirror',
    description: 'Linkerd multicluster: export label values, and mirror Service names that fit and do not collide',
    severity: 'error',
    docs: 'docs/rules/linkerd-mirror.md',
  },
  check({ set, report }) {
    const exported: { cluster: ClusterModel; s: ServiceFacts; mode: 'exported' | 'federated' }[] = [];
    for (const cluster of set.clusters) {
      for (const list of cluster.servicesByName.values()) {
        for (const s of list) {
          const value = s.labels[EXPORTED];
          if (value !== undefined) {
            if (EXPORTED_VALUES.includes(value)) exported.push({ cluster, s, mode: 'exported' });
            else {
              report({
                message:
                  `${label(s)} in cluster "${cluster.name}" has ${EXPORTED}: ${JSON.stringify(value)}: the default Link selectors match only "true" (mirrored through the gateway) ` +
                  `and "remote-discovery" (flat network), so the Service is never mirrored. Use one of those values.`,
                at: labelPlace(s, EXPORTED),
                cluster: cluster.name,
              });
            }
          }
          const federated = s.labels[FEDERATED];
          if (federated !== undefined) {
            if (federated === 'member') exported.push({ cluster, s, mode: 'federated' });
            else {
              report({
                message: `${label(s)} in cluster "${cluster.name}" has ${FEDERATED}: ${JSON.stringify(federated)}: the default federatedServiceSelector matches only "member", so the Service never joins the federated service. Use "member".`,
                at: labelPlace(s, FEDERATED),
                cluster: cluster.name,
              });
            }
          }
        }
      }
    }
    if (exported.length === 0 || set.clusters.length < 2) return;
    const { edges, assumed } = links(set.clusters, set.clusterByName);
    const edgesByTarget = new Map<string, LinkEdge[]>();
    for (const e of edges) edgesByTarget.set(e.target.name, [...(edgesByTarget.get(e.target.name) ?? []), e]);
    const how = (e: LinkEdge) =>
      assumed
        ? `the repository has no Link, so mclint assumes "${e.source.name}" links to it with --cluster-name ${e.targetClusterName}`
        : `Link in cluster "${e.source.name}" with targetClusterName ${e.targetClusterName}`;
    const reported = new Set<string>();
    for (const { cluster, s, mode } of exported) {
      const key = serviceKey(s.namespace, s.name);
      if (mode === 'exported') {
        for (const e of edgesByTarget.get(cluster.name) ?? []) {
          const mirror = `${s.name}-${e.targetClusterName}`;
          const dedupe = `${e.source.name}|${key}|${mirror}`;
          if (reported.has(dedupe)) continue;
          reported.add(dedupe);
          const related: RelatedPlace[] = e.at ? [{ ...e.at, message: `Link targetClusterName in cluster "${e.source.name}"` }] : [];
          if (mirror.length > MAX_NAME) {
            report({
              message:
                `${label(s)} in cluster "${cluster.name}" is mirrored into cluster "${e.source.name}" as "${mirror}" (${how(e)}), which is ${mirror.length} characters: ` +
                `Service names are limited to 63, so the service mirror cannot create it and "${e.source.name}" never sees the Service. Shorten the Service name or the link's cluster name.`,
              at: labelPlace(s, EXPORTED),
              cluster: cluster.name,
              related,
            });
            continue;
          }
          const clash = existing(e.source, s.namespace, mirror);
          if (clash) {
            report({
              message:
                `${label(s)} in cluster "${cluster.name}" is mirrored into cluster "${e.source.name}" as "${namespacedName(s.namespace, mirror)}" (${how(e)}), ` +
                `but "${e.source.name}" already has a Service of that name: the service mirror cannot create the mirror (or takes over the existing Service). Rename one of them.`,
              at: labelPlace(s, EXPORTED),
              cluster: cluster.name,
              related: [...related, { ...serviceNamePlace(clash), cluster: clash.cluster, message: `existing Service in cluster "${clash.cluster}"` }],
            });
          }
        }
      } else {
        const mirror = `${s.name}-federated`;
        const dedupe = `federated|${key}`;
        if (reported.has(dedupe)) continue;
        reported.add(dedupe);
        if (mirror.length > MAX_NAME) {
          report({
            message: `${label(s)} in cluster "${cluster.name}" joins the federated service "${mirror}", which is ${mirror.length} characters: Service names are limited to 63, so the federated service cannot be created. Shorten the Service name.`,
            at: labelPlace(s, FEDERATED),
            cluster: cluster.name,
          });
          continue;
        }
        const clash = set.clusters.map((c) => existing(c, s.namespace, mirror)).find((x) => x !== undefined);
        if (clash) {
          report({
            message: `${label(s)} in cluster "${cluster.name}" joins the federated service "${namespacedName(s.namespace, mirror)}", but cluster "${clash.cluster}" already has a Service of that name: the service mirror cannot create the federated service there. Rename one of them.`,
            at: labelPlace(s, FEDERATED),
            cluster: cluster.name,
            related: [{ ...serviceNamePlace(clash), cluster: clash.cluster, message: `existing Service in cluster "${clash.cluster}"` }],
          });
        }
      }
    }
  },
});
