/**
 * Linkerd multicluster service mirroring, as views of a ClusterSet: the Services labelled for
 * export or federation, the links between the clusters of the set, and the mirror Services the
 * service mirror would create, with the ones it cannot (name too long, name taken). Pure functions
 * of the set, computed when a rule asks (once per set and rule run; no cache).
 *
 * Upstream behaviour mirrored (linkerd/linkerd2):
 * - `multicluster/service-mirror` (`cluster_watcher.go`): a mirror is named
 *   `<name>-<targetClusterName>` and labelled `mirror.linkerd.io/mirrored-service`; a federated
 *   service is `<name>-federated`.
 * - The Link CRD's default selectors (`multicluster/charts`, `linkerd multicluster link`):
 *   `selector` `mirror.linkerd.io/exported: "true"` (gateway), `remoteDiscoverySelector`
 *   `mirror.linkerd.io/exported: remote-discovery` (flat network), `federatedServiceSelector`
 *   `mirror.linkerd.io/federated: member`; `linkerd multicluster link --cluster-name <name>` sets
 *   `targetClusterName`.
 * - Kubernetes: Service names are DNS-1035 labels of at most 63 characters.
 */
import type { Place } from '../../base/types.js';
import { fieldPlace } from '../describe.js';
import { serviceKey } from '../index.js';
import type { ClusterModel, ClusterSetModel, ServiceFacts, Source } from '../types.js';

/** The label Linkerd's default Link selectors read, and its values (gateway and flat mode). */
export const LINKERD_EXPORTED = 'mirror.linkerd.io/exported';
export const LINKERD_EXPORTED_VALUES: readonly string[] = ['true', 'remote-discovery'];
/** The default `federatedServiceSelector` label, and the value it matches. */
export const LINKERD_FEDERATED = 'mirror.linkerd.io/federated';
export const LINKERD_FEDERATED_VALUE = 'member';
/** Set by the service mirror on the Services it creates. */
export const LINKERD_MIRRORED = 'mirror.linkerd.io/mirrored-service';
/** Kubernetes' limit on Service names (DNS-1035 label), in characters. */
export const MAX_SERVICE_NAME = 63;

/** A Service with a Linkerd export or federation label, and the label's value and place. */
export interface LinkerdLabelled {
  readonly cluster: ClusterModel;
  readonly service: ServiceFacts;
  /** `exported` for `mirror.linkerd.io/exported`, `federated` for `mirror.linkerd.io/federated`. */
  readonly mode: 'exported' | 'federated';
  readonly label: string;
  readonly value: string;
  readonly at: Place;
  /** Whether the default selectors match the value (the Service is mirrored or federated). */
  readonly matched: boolean;
}

/** A link from a source cluster (which mirrors) to a target cluster (which exports), from a Link object or assumed. */
export interface LinkerdLink {
  readonly source: ClusterModel;
  readonly target: ClusterModel;
  /** The suffix mirrors get. */
  readonly targetClusterName: string;
  /** The Link's `targetClusterName`, when a Link object states it. */
  readonly at?: Source;
}

/**
 * A mirror (or federated) Service the service mirror cannot create: its name is over 63
 * characters (`tooLong`), or a Service it did not create already has it (`exists`).
 */
export interface LinkerdMirrorProblem {
  readonly problem: 'tooLong' | 'exists';
  /** The exported (or federated) Service, with its label. */
  readonly exported: LinkerdLabelled;
  /** The mirror's name (`<name>-<targetClusterName>` or `<name>-federated`). */
  readonly mirror: string;
  /** The link the mirror comes through (`exported` mode only). */
  readonly link?: LinkerdLink;
  /** Whether the links are assumed (the repository has no Link). */
  readonly assumed: boolean;
  /** The Service that already has the name (`exists`). */
  readonly existing?: ServiceFacts;
}

/**
 * Every Service with an export or federation label, clusters in set order, then
 * `servicesByName` order, the export label before the federation label of one Service.
 */
const LABEL_MODES = [
  ['exported', LINKERD_EXPORTED],
  ['federated', LINKERD_FEDERATED],
] as const;

export function linkerdLabelled(set: ClusterSetModel): LinkerdLabelled[] {
  const out: LinkerdLabelled[] = [];
  for (const cluster of set.clusters) {
    for (const list of cluster.servicesByName.values()) {
      for (const service of list) {
        // Most Services of a large repository carry no label at all.
        let labelled = false;
        for (const _ in service.labels) {
          labelled = true;
          break;
        }
        if (!labelled) continue;
        for (const [mode, label] of LABEL_MODES) {
          const value = service.labels[label];
          if (value === undefined) continue;
          const matched = mode === 'exported' ? LINKERD_EXPORTED_VALUES.includes(value) : value === LINKERD_FEDERATED_VALUE;
          out.push({ cluster, service, mode, label, value, at: fieldPlace(service.object, 'metadata', 'labels', label), matched });
        }
      }
    }
  }
  return out;
}

/**
 * The links of the set: every Link whose `targetClusterName` names another cluster of the set;
 * with no Link in the repository, every ordered pair of clusters, named after the target cluster
 * (`linkerd multicluster link --cluster-name <cluster>`), and `assumed` true.
 */
export function linkerdLinks(set: ClusterSetModel): { links: LinkerdLink[]; assumed: boolean } {
  const declared = set.clusters.flatMap((c) => c.linkerdLinks);
  if (declared.length > 0) {
    const links = declared.flatMap((l): LinkerdLink[] => {
      const target = set.clusterByName.get(l.targetClusterName.value);
      const source = set.clusterByName.get(l.cluster);
      return target && source && target !== source ? [{ source, target, targetClusterName: l.targetClusterName.value, at: l.targetClusterName.source }] : [];
    });
    return { links, assumed: false };
  }
  const links = set.clusters.flatMap((source) => set.clusters.filter((t) => t !== source).map((target) => ({ source, target, targetClusterName: target.name })));
  return { links, assumed: true };
}

/** The Service of `namespace/name` in `cluster` that the service mirror did not create, if any (an unknown namespace matches any). */
export function existingService(cluster: ClusterModel, namespace: string | undefined, name: string): ServiceFacts | undefined {
  return (cluster.servicesByName.get(name) ?? []).find(
    (s) => (s.namespace === namespace || s.namespace === undefined || namespace === undefined) && s.labels[LINKERD_MIRRORED] === undefined,
  );
}

/**
 * The mirrors of the matched `labelled` Services that cannot be created, in `labelled` order, then
 * link order. Each mirror (source cluster, Service, mirror name) and each federated service is
 * considered once; none when the set has one cluster.
 */
export function linkerdMirrorProblems(set: ClusterSetModel, labelled: readonly LinkerdLabelled[]): LinkerdMirrorProblem[] {
  const matched = labelled.filter((l) => l.matched);
  if (matched.length === 0 || set.clusters.length < 2) return [];
  const { links, assumed } = linkerdLinks(set);
  const byTarget = new Map<string, LinkerdLink[]>();
  for (const l of links) byTarget.set(l.target.name, [...(byTarget.get(l.target.name) ?? []), l]);
  const out: LinkerdMirrorProblem[] = [];
  const seen = new Set<string>();
  for (const exported of matched) {
    const s = exported.service;
    const key = serviceKey(s.namespace, s.name);
    if (exported.mode === 'federated') {
      const mirror = `${s.name}-federated`;
      if (seen.has(`federated|${key}`)) continue;
      seen.add(`federated|${key}`);
      const existing = mirror.length > MAX_SERVICE_NAME ? undefined : set.clusters.map((c) => existingService(c, s.namespace, mirror)).find((x) => x !== undefined);
      if (mirror.length > MAX_SERVICE_NAME) out.push({ problem: 'tooLong', exported, mirror, assumed });
      else if (existing) out.push({ problem: 'exists', exported, mirror, assumed, existing });
      continue;
    }
    for (const link of byTarget.get(exported.cluster.name) ?? []) {
      const mirror = `${s.name}-${link.targetClusterName}`;
      const once = `${link.source.name}|${key}|${mirror}`;
      if (seen.has(once)) continue;
      seen.add(once);
      const existing = mirror.length > MAX_SERVICE_NAME ? undefined : existingService(link.source, s.namespace, mirror);
      if (mirror.length > MAX_SERVICE_NAME) out.push({ problem: 'tooLong', exported, mirror, link, assumed });
      else if (existing) out.push({ problem: 'exists', exported, mirror, link, assumed, existing });
    }
  }
  return out;
}
