/**
 * The connectivity model: how pods of two clusters of a set reach each other, as far as the
 * manifests and the config file say, with the evidence for it. Rules that judge address overlaps
 * need it: a flat pod network cannot route an address that exists twice, a remapping fabric
 * translates addresses so they may repeat, and meshes that cross clusters only through gateways
 * never route pod IPs between clusters at all.
 *
 * Upstream behaviour mirrored:
 * - Submariner (submariner-io/submariner `pkg/cidr` `OverlappingSubnets`; subctl
 *   `pkg/diagnose/deployment.go` `checkOverlappingCIDRs`, which decides per cluster from
 *   `spec.globalCIDR`: "Globalnet deployment detected" or "Non-Globalnet deployment detected"):
 *   routed flat without GlobalNet, translated with it.
 * - Liqo (liqotech/liqo, network fabric): peered clusters whose pod CIDRs overlap get a remapped
 *   CIDR (`networking.liqo.io` Configuration `status.remote.cidr`), so overlaps are translated.
 * - Cilium Cluster Mesh and Calico federation (`RemoteClusterConfiguration`) route pod IPs as they are.
 * - Istio multi-network (clusters on different `network`s), Linkerd gateway mode (a Link with a
 *   `gatewayIdentity`) and Skupper (a `Site` in each cluster) meet through gateways and proxies only.
 * - MCS under the generic KEP-1645 behaviour (kubernetes/enhancements
 *   `keps/sig-multicluster/1645-multi-cluster-services-api`): the imported EndpointSlices hold the
 *   exporting cluster's endpoint (pod) IPs, so consumers must reach them directly: flat routing.
 *   Lighthouse and Cilium, which remap or proxy, do not count here (they are judged on their own).
 */
import { displayPath, fieldPlace } from './describe.js';
import type { ClusterModel, ClusterSetModel, Fact, Source } from './types.js';
import type { ManifestObject } from '../load/types.js';
import { viewKey, viewOf } from './views/cache.js';

/**
 * How pods of two clusters reach each other:
 * - `flat`: pod IPs are routed between the clusters unchanged (an overlap breaks routing);
 * - `remapped`: addresses are translated between them (Submariner GlobalNet, Liqo);
 * - `gateway`: they meet only through gateways or proxies (Istio multi-network, Linkerd gateway
 *   mode, Skupper);
 * - `unknown`: nothing says.
 */
export type LinkKind = 'flat' | 'remapped' | 'gateway' | 'unknown';

/** What said so: the config file, or the fabric whose objects the clusters carry. */
export type LinkVia = 'config' | 'submariner' | 'globalnet' | 'liqo' | 'cilium' | 'calico' | 'network' | 'linkerd' | 'skupper' | 'mcs';

/** One piece of evidence: what it is (`Submariner CR`, `config connectivity[0]: BGP`) and where. */
export interface LinkEvidence {
  readonly what: string;
  readonly at: Source;
}

/**
 * The link between two clusters. `via` names the fabric (absent for `unknown`); `globalnet` is
 * true when Submariner GlobalNet translates; `evidence` the objects or config lines that said so,
 * one or two (one per cluster), never empty unless `kind` is `unknown`.
 */
export interface Link {
  readonly kind: LinkKind;
  readonly via?: LinkVia;
  readonly globalnet: boolean;
  readonly evidence: readonly LinkEvidence[];
}

/** What `via` means, as messages and `--print-clusterset` say it. */
export const VIA_TEXT: Record<LinkVia, string> = {
  config: 'the config file',
  submariner: 'Submariner without GlobalNet',
  globalnet: 'Submariner GlobalNet',
  liqo: 'Liqo peering',
  cilium: 'Cilium Cluster Mesh',
  calico: 'Calico federation',
  network: 'different networks (Istio multi-network)',
  linkerd: 'Linkerd gateway mode',
  skupper: 'Skupper',
  mcs: 'MCS ServiceExports (generic KEP-1645: imported endpoints are pod IPs)',
};

/** True when the cluster joined Submariner (has a Submariner CR). */
export const joinedSubmariner = (c: ClusterModel) => c.submariner.length > 0;

/** True when the cluster runs Cilium configured for Cluster Mesh (a cluster ID is set). */
export const inCiliumMesh = (c: ClusterModel) => c.cilium.some((f) => f.clusterID !== undefined && f.clusterID.value > 0);

/** The network names a cluster is declared on (config `network`, Istio `global.network`). */
export function networksOf(c: ClusterModel): Set<string> {
  return new Set([...c.topology.networks.map((f) => f.value), ...c.istio.flatMap((i) => (i.network ? [i.network.value] : []))]);
}

/** The network facts of a cluster (config `network`, Istio `global.network`). */
const networkFacts = (c: ClusterModel): Fact<string>[] => [...c.topology.networks, ...c.istio.flatMap((i) => (i.network ? [i.network] : []))];

/** Evidence pointing at an object (its `kind` field). */
function objectEvidence(what: string, object: ManifestObject, cluster: string): LinkEvidence {
  return { what, at: { ...fieldPlace(object, 'kind'), cluster, object, origin: what } };
}

const factEvidence = (what: string, fact: Fact<unknown>): LinkEvidence => ({ what: `${what} ${String(fact.value)}`, at: fact.source });

/** A cluster ID a Liqo ForeignCluster names resolved to a cluster of the set: by name, then by Liqo cluster ID. */
export function liqoPeerOf(set: ClusterSetModel, id: string): ClusterModel | undefined {
  return set.clusterByName.get(id) ?? set.clusters.find((c) => c.liqo.clusterIDs.some((f) => f.value === id));
}

/** The ForeignCluster of `a` that names `b`, if any. */
function liqoPeering(set: ClusterSetModel, a: ClusterModel, b: ClusterModel): LinkEvidence | undefined {
  for (const peer of a.liqo.peers) {
    const target = liqoPeerOf(set, peer.clusterID.value) ?? (peer.clusterName && set.clusterByName.get(peer.clusterName.value));
    if (target === b) return objectEvidence(`Liqo ${peer.object.kind} ${peer.object.name ?? ''}`.trim(), peer.object, a.name);
  }
  return undefined;
}

/** Submariner's link: flat, or remapped when GlobalNet translates (Broker on, or a cluster with a globalCIDR and no Broker). */
function submarinerLink(set: ClusterSetModel, a: ClusterModel, b: ClusterModel): Link {
  const crs = [a, b].map((c): LinkEvidence => ({ what: c.submariner[0].at.origin, at: c.submariner[0].at }));
  const broker = set.clusters.flatMap((c) => c.brokers).find((br) => br.globalnetEnabled.value);
  if (broker) return { kind: 'remapped', via: 'globalnet', globalnet: true, evidence: [factEvidence('Broker globalnetEnabled', broker.globalnetEnabled)] };
  // No Broker: subctl decides per cluster from spec.globalCIDR (globalnet-consistency reports a mix).
  const global = [a, b].flatMap((c) => c.network.globalCIDRs.slice(0, 1)).map((f) => factEvidence('Submariner globalCIDR', { ...f, value: f.value.text }));
  if (set.globalnet.via === 'globalCIDR' && global.length > 0) return { kind: 'remapped', via: 'globalnet', globalnet: true, evidence: global };
  return { kind: 'flat', via: 'submariner', globalnet: false, evidence: crs };
}

/** True when the cluster's ServiceExports are handled under generic KEP-1645 behaviour. */
const genericMcs = (c: ClusterModel) =>
  c.serviceExports.length > 0 && (c.mcsImplementation ? c.mcsImplementation.value === 'generic' : c.lighthouse.length === 0 && c.cilium.length === 0);

/** The link between `a` and `b`, computed (see `linkBetween`). */
function computeLink(set: ClusterSetModel, a: ClusterModel, b: ClusterModel): Link {
  const stated = set.connectivity.filter((s) => s.clusters.includes(a.name) && s.clusters.includes(b.name)).at(-1);
  if (stated) {
    const what = `config connectivity[${stated.source.path[1]}]${stated.via !== undefined ? `: ${stated.via}` : ''}`;
    return { kind: stated.kind, via: 'config', globalnet: false, evidence: [{ what, at: stated.source }] };
  }
  if (joinedSubmariner(a) && joinedSubmariner(b)) return submarinerLink(set, a, b);
  const liqo = liqoPeering(set, a, b) ?? liqoPeering(set, b, a);
  if (liqo) return { kind: 'remapped', via: 'liqo', globalnet: false, evidence: [liqo] };
  if (inCiliumMesh(a) && inCiliumMesh(b)) {
    const ids = [a, b].map((c) => c.cilium.find((f) => f.clusterID && f.clusterID.value > 0)!.clusterID!);
    return { kind: 'flat', via: 'cilium', globalnet: false, evidence: ids.map((f) => factEvidence('Cilium cluster.id', f)) };
  }
  const marker = (c: ClusterModel, kind: 'skupper' | 'calico-federation') => c.interconnects.find((i) => i.kind === kind);
  const [calicoA, calicoB] = [marker(a, 'calico-federation'), marker(b, 'calico-federation')];
  if (calicoA && calicoB)
    return { kind: 'flat', via: 'calico', globalnet: false, evidence: [calicoA, calicoB].map((i) => ({ what: 'Calico RemoteClusterConfiguration', at: i.at })) };
  const na = networksOf(a);
  const nb = networksOf(b);
  if (na.size > 0 && nb.size > 0 && ![...na].some((n) => nb.has(n))) {
    return { kind: 'gateway', via: 'network', globalnet: false, evidence: [networkFacts(a)[0], networkFacts(b)[0]].map((f) => factEvidence('network', f)) };
  }
  const gatewayLink = [...a.linkerdLinks.filter((l) => l.targetClusterName.value === b.name), ...b.linkerdLinks.filter((l) => l.targetClusterName.value === a.name)].find(
    (l) => l.gatewayIdentity !== undefined,
  );
  if (gatewayLink) return { kind: 'gateway', via: 'linkerd', globalnet: false, evidence: [objectEvidence('Linkerd Link', gatewayLink.object, gatewayLink.cluster)] };
  const [skupperA, skupperB] = [marker(a, 'skupper'), marker(b, 'skupper')];
  if (skupperA && skupperB) return { kind: 'gateway', via: 'skupper', globalnet: false, evidence: [skupperA, skupperB].map((i) => ({ what: 'Skupper Site', at: i.at })) };
  if (genericMcs(a) && genericMcs(b)) {
    return { kind: 'flat', via: 'mcs', globalnet: false, evidence: [a, b].map((c) => objectEvidence('ServiceExport', c.serviceExports[0].object, c.name)) };
  }
  return { kind: 'unknown', globalnet: false, evidence: [] };
}

const LINKS = viewKey<Map<string, Link>>('connectivity links');

/** How clusters `a` and `b` of `set` are connected (see `Link`); computed once per pair and set. */
export function linkBetween(set: ClusterSetModel, a: ClusterModel, b: ClusterModel): Link {
  const [x, y] = a.name < b.name ? [a, b] : [b, a];
  const cache = viewOf(set, LINKS, () => new Map<string, Link>());
  const key = JSON.stringify([x.name, y.name]);
  let link = cache.get(key);
  if (!link) cache.set(key, (link = computeLink(set, x, y)));
  return link;
}

/** The evidence of a link as one text: `Submariner CR in clusters/east/sub.yaml; Submariner CR in …` (empty for `unknown`). */
export function evidenceText(link: Link): string {
  return link.evidence.map((e) => `${e.what} in ${displayPath(e.at.file)}`).join('; ');
}

/** A link as messages name it: `flat (Cilium Cluster Mesh: Cilium cluster.id 1 in …)`, or `unknown (nothing says how they connect)`. */
export function linkText(link: Link): string {
  if (link.kind === 'unknown' || link.via === undefined) return 'unknown (nothing says how they connect)';
  return `${link.kind} (${VIA_TEXT[link.via]}: ${evidenceText(link)})`;
}

/** Every pair of clusters of `set` (names sorted within and across pairs) with its link. O(n²) pairs: for printing. */
export function connectivityPairs(set: ClusterSetModel): { a: ClusterModel; b: ClusterModel; link: Link }[] {
  const out: { a: ClusterModel; b: ClusterModel; link: Link }[] = [];
  for (let i = 0; i < set.clusters.length; i++) {
    for (let j = i + 1; j < set.clusters.length; j++) out.push({ a: set.clusters[i], b: set.clusters[j], link: linkBetween(set, set.clusters[i], set.clusters[j]) });
  }
  return out;
}

/** Sets with more clusters than this are not given a connectivity overview (O(n²) pairs). */
export const MAX_OVERVIEW_CLUSTERS = 200;

/** One pair of the overview: cluster names (sorted), the link's kind, fabric and evidence (what, absolute file). */
export interface LinkOverview {
  readonly clusters: readonly [string, string];
  readonly kind: LinkKind;
  readonly via?: LinkVia;
  readonly evidence: readonly { readonly what: string; readonly file: string }[];
}

/**
 * The connectivity model of `set` as plain data for `--print-clusterset`: every pair with its
 * link, in cluster-name order; `omitted` (and no pairs) when the set has more than
 * `MAX_OVERVIEW_CLUSTERS` clusters.
 */
export function connectivityOverview(set: ClusterSetModel): { readonly pairs: readonly LinkOverview[]; readonly omitted?: number } {
  if (set.clusters.length > MAX_OVERVIEW_CLUSTERS) return { pairs: [], omitted: set.clusters.length };
  return {
    pairs: connectivityPairs(set).map(({ a, b, link }) => ({
      clusters: [a.name, b.name] as const,
      kind: link.kind,
      ...(link.via !== undefined && { via: link.via }),
      evidence: link.evidence.map((e) => ({ what: e.what, file: e.at.file })),
    })),
  };
}
