/**
 * The Istio mesh identity view of a ClusterSet, for `istio-mesh-identity`: the install settings
 * (`meshID`, `global.multiCluster.clusterName`, `global.network`, `meshConfig.trustDomain`) of the
 * clusters put side by side — where one cluster's settings disagree among themselves, where
 * clusters of one mesh disagree, and which networks lack an east-west gateway.
 *
 * A pure function of the set and the run's config (`configNetworks`), computed when the rule asks;
 * it holds no state, so nothing here outlives a run. The mesh grouping and network facts come from
 * `istioView` (`src/model/istio.ts`).
 *
 * Upstream behaviour mirrored: istio.io "Install Multicluster" (multi-primary / primary-remote, same
 * or different networks: one `global.meshID` per mesh, a unique `global.multiCluster.clusterName`
 * per cluster, which labels its endpoints `topology.istio.io/cluster` and names its remote secret,
 * one `global.network` per cluster, also set by the istio-system label `topology.istio.io/network`);
 * istio/istio `samples/multicluster/gen-eastwest-gateway.sh` and `expose-services.yaml` (a Gateway on
 * port 15443 with `tls.mode: AUTO_PASSTHROUGH`, the only way into a cluster from another network);
 * MeshConfig `trustDomain` (default `cluster.local`, the SPIFFE identities' trust domain).
 * A remote cluster's cluster ID and network also come from its injection path
 * (`istiodRemote.injectionPath` / `injectionURL`, `/inject/cluster/<id>/net/<network>`, istio/istio
 * `pkg/kube/inject/webhook.go` `parseInjectEnvs`), which takes priority over
 * `global.multiCluster.clusterName` for the proxies it injects (`pkg/kube/inject/inject.go`
 * `RunTemplate`). A remote cluster's gateways are configured by its primary's istiod, which reads
 * Gateways from its own cluster (or from the remote config cluster of an external istiod): a
 * cross-network Gateway there exposes services on the remote's east-west gateway too (istio.io
 * "Install Primary-Remote on different networks": "exposing services on the primary cluster will
 * expose them on the east-west gateways of both clusters"; "Install Istio with an External Control
 * Plane" applies `expose-services.yaml` to the config cluster only). An external istiod
 * (`EXTERNAL_ISTIOD=true`) reads Gateways from the config cluster it serves, not from its own
 * cluster (`remoteServices`).
 *
 * Ambient meshes (istio.io "Install ambient multi-primary on different networks";
 * `samples/multicluster/gen-eastwest-gateway.sh --ambient`) apply no `expose-services.yaml`: each
 * cluster's east-west gateway is a Kubernetes Gateway API `Gateway` of class `istio-east-west`,
 * labelled `topology.istio.io/network`, with an HBONE listener on 15008 (`tls.mode: Terminate`),
 * which istiod in the other clusters takes as that network's gateway (istio/istio
 * `pilot/pkg/serviceregistry/kube/controller/ambient/networks.go`, `remoteK8sGatewayToNetworkGateways`);
 * services are shared with the `istio.io/global: "true"` label. Such a Gateway (and an `istio`
 * Gateway API Gateway with an auto-passthrough listener, `pilot/pkg/config/kube/gateway/conversion.go`
 * `isAutoPassthrough`) exposes its own cluster.
 */
import { DEFAULT_TRUST_DOMAIN, injectionIdentity, istioView } from '../istio.js';
import type { ClusterModel, ClusterSetModel, Fact, GatewayInstallFacts } from '../types.js';
import { EAST_WEST_GATEWAY_CLASS } from '../sources/istio.js';
import { byName } from '../../base/order.js';
import { remoteServices } from './istio-remote.js';
import { alternativeOf, type PerClusterAlternatives } from '../alternatives.js';

/** The port east-west gateways expose for mTLS passthrough between networks (istio gen-eastwest-gateway.sh). */
export const EAST_WEST_PORT = 15443;

/** A cluster and one of its facts. */
export interface ClusterFact {
  readonly cluster: ClusterModel;
  readonly fact: Fact<string>;
}

/** A setting of one cluster declared twice with different values: `fact` disagrees with the cluster's `first`. */
export interface SettingConflict extends ClusterFact {
  readonly setting: 'meshID' | 'clusterName' | 'network';
  readonly first: Fact<string>;
}

/**
 * Clusters of the set that declare different meshIDs: `separate` when every cluster declares its
 * own (clusters in name order), else the `odd` clusters that differ from the `reference` meshID,
 * declared by `referenceCount` clusters (the largest group; ties: the group holding the first
 * cluster by name), `reference` being its first cluster.
 */
export type MeshIDSplit =
  | { readonly kind: 'separate'; readonly clusters: readonly ClusterFact[] }
  | { readonly kind: 'minority'; readonly reference: ClusterFact; readonly referenceCount: number; readonly odd: readonly ClusterFact[] };

/** A cluster whose `clusterName` an earlier cluster (by name) already uses. */
export interface ClusterNameDuplicate extends ClusterFact {
  readonly earlier: ClusterFact;
}

/** A cluster whose `clusterName` matches none of its declared identities (`identity`: the first that differs). */
export interface ClusterNameMismatch extends ClusterFact {
  readonly identity: Fact<string>;
}

/**
 * A cluster on network `fact.value` in a mesh that spans several networks, without an east-west
 * exposure (`exposesEastWest`): no Gateway on port 15443 with `AUTO_PASSTHROUGH` and no Gateway API
 * network gateway. `deployed`: an east-west gateway (Service or install) with port 15443 exists.
 * `otherNetworks`: the mesh's other network names; `peers`: the first cluster on each of them.
 * `configClusters`: for a remote cluster, the clusters whose Gateways configure its gateways (its
 * primaries, a remote config cluster), none of which has such a Gateway either; empty for other
 * clusters. `ambient`: the cluster runs an ambient data plane (`isAmbientCluster`), whose east-west
 * gateway is an `istio-east-west` Gateway. `candidates`: the cluster's `istio-east-west` Gateways
 * that istiod does not take as a network gateway (no network label, or no HBONE listener with
 * `tls.mode: Terminate`).
 */
export interface EastWestGap extends ClusterFact {
  readonly deployed: boolean;
  readonly configClusters: readonly ClusterModel[];
  readonly otherNetworks: readonly string[];
  readonly peers: readonly ClusterFact[];
  readonly ambient: boolean;
  readonly candidates: readonly GatewayInstallFacts[];
}

/** A cluster whose trust domain (`fact.isDefault`: none set) differs from the mesh's `reference`. */
export interface TrustDomainSplit extends ClusterFact {
  readonly reference: ClusterFact;
}

/** What `istioMeshIdentity` finds. Lists follow the set's cluster order unless said otherwise. */
export interface IstioMeshIdentity {
  /**
   * Settings declared twice in one cluster: meshIDs (clusters with install settings), clusterNames
   * (by cluster name), networks. A value stated only by per-cluster alternatives of the files that
   * state the cluster's first value (`perClusterAlternatives`: two `values-<x>.yaml` siblings) is
   * not a conflict.
   */
  readonly conflicts: readonly SettingConflict[];
  /** Clusters whose settings disagree only between per-cluster alternatives: the first such pair of each, in set order. */
  readonly alternatives: readonly PerClusterAlternatives[];
  /** Different meshIDs across the set (whether that is allowed — a federation — is the rule's option). */
  readonly meshIDSplit: MeshIDSplit | undefined;
  /** In cluster name order. */
  readonly duplicateClusterNames: readonly ClusterNameDuplicate[];
  /** In cluster name order. Directory names are repository layout, not identities: only declared names count. */
  readonly clusterNameMismatches: readonly ClusterNameMismatch[];
  /** By mesh, then cluster. */
  readonly eastWestGaps: readonly EastWestGap[];
  /** By mesh; each cluster outside the mesh's majority trust domain. */
  readonly trustDomainSplits: readonly TrustDomainSplit[];
}

const byClusterName = (a: ClusterFact, b: ClusterFact) => byName(a.cluster, b.cluster);

/**
 * Facts of one cluster that disagree with its first fact of the same setting; a fact that is a
 * per-cluster alternative of every fact stating the first value goes to `alternatives` instead
 * (the cluster's first such pair only).
 */
function conflicts(
  cluster: ClusterModel,
  setting: SettingConflict['setting'],
  facts: readonly Fact<string>[],
  alternatives: Map<ClusterModel, PerClusterAlternatives>,
): SettingConflict[] {
  const first = facts[0];
  const agreeing = facts.filter((f) => f.value === first.value).map((f) => f.source);
  return facts.slice(1).flatMap((fact) => {
    if (fact.value === first.value) return [];
    const alternative = alternativeOf(cluster, fact.source, agreeing);
    if (!alternative) return [{ cluster, fact, first, setting }];
    if (!alternatives.has(cluster)) alternatives.set(cluster, alternative);
    return [];
  });
}

/** Clusters grouped by a fact value (insertion order); clusters without the fact are left out. */
function groups(clusters: readonly ClusterModel[], pick: (c: ClusterModel) => Fact<string> | undefined): Map<string, ClusterFact[]> {
  const out = new Map<string, ClusterFact[]>();
  for (const cluster of clusters) {
    const fact = pick(cluster);
    if (fact) out.set(fact.value, [...(out.get(fact.value) ?? []), { cluster, fact }]);
  }
  return out;
}

/** The largest group (ties: the one holding the first cluster by name): the reference value. */
function majority(g: Map<string, ClusterFact[]>): string {
  return [...g].sort(([, a], [, b]) => b.length - a.length || byClusterName(a[0], b[0]))[0][0];
}

function meshIDSplit(installed: readonly ClusterModel[]): MeshIDSplit | undefined {
  const g = groups(installed, (c) => c.istio.find((i) => i.meshID)?.meshID);
  if (g.size < 2) return undefined;
  const lists = [...g.values()];
  if (lists.every((l) => l.length === 1)) return { kind: 'separate', clusters: lists.map((l) => l[0]).sort(byClusterName) };
  const ref = majority(g);
  const odd = [...g].flatMap(([value, l]) => (value === ref ? [] : l));
  return { kind: 'minority', reference: g.get(ref)![0], referenceCount: g.get(ref)!.length, odd };
}

/**
 * True when the cluster has a Gateway on port 15443 with AUTO_PASSTHROUGH (istio
 * `expose-services.yaml`): in a config cluster, it configures the east-west gateways of the remotes
 * its istiod serves as well.
 */
function hasCrossNetworkGateway(c: ClusterModel): boolean {
  return c.istioConfig.gateways.some((g) => g.servers.some((s) => s.port === EAST_WEST_PORT && s.tlsMode === 'AUTO_PASSTHROUGH'));
}

/**
 * True when the cluster exposes its network to the others: a Gateway on port 15443 with
 * AUTO_PASSTHROUGH, or a Kubernetes Gateway API Gateway istiod takes as the network's gateway
 * (`GatewayInstallFacts.crossNetwork`: an `istio-east-west` Gateway with an HBONE listener in
 * ambient meshes, an `istio` Gateway with an auto-passthrough listener), which exposes its own
 * cluster only (istiod deploys it there).
 */
export function exposesEastWest(c: ClusterModel): boolean {
  return hasCrossNetworkGateway(c) || c.istioConfig.gatewayInstalls.some((g) => g.crossNetwork !== undefined);
}

/** The install profile that makes a cluster's data plane ambient (istio `manifests/profiles/ambient.yaml`). */
const AMBIENT_PROFILE = 'ambient';
/** The namespace label that enrols a namespace in the ambient data plane (`istio.io/dataplane-mode: ambient`). */
const DATAPLANE_MODE = 'istio.io/dataplane-mode';

/**
 * True when the cluster runs an ambient data plane: a control-plane install with `profile: ambient`
 * (IstioOperator, Sail `Istio`, istiod Helm values), or a namespace labelled
 * `istio.io/dataplane-mode: ambient`.
 */
export function isAmbientCluster(c: ClusterModel): boolean {
  if (c.istioControlPlanes.some((p) => p.profile?.value === AMBIENT_PROFILE)) return true;
  for (const ns of c.namespaces.values()) if (ns.labels[DATAPLANE_MODE] === AMBIENT_PROFILE) return true;
  return false;
}

/**
 * True when an east-west gateway with port 15443 is deployed (install settings or a Service). The
 * gateway chart with `networkGateway` gives its Service 15443 whatever `service.ports` says
 * (istio/istio `manifests/charts/gateway/templates/service.yaml`).
 */
function deploysEastWest(c: ClusterModel): boolean {
  return (
    c.istioConfig.gatewayInstalls.some((g) => g.ports.includes(EAST_WEST_PORT) || g.network?.source.origin === 'Helm values networkGateway') ||
    [...c.servicesByName.values()].some((l) => l.some((s) => s.ports.some((p) => p.port === EAST_WEST_PORT)))
  );
}

/**
 * The mesh identity problems of `set`: see `IstioMeshIdentity`. Network facts include the
 * config file's `clusters[].network` (a fact of each cluster). Never throws.
 */
export function istioMeshIdentity(set: ClusterSetModel): IstioMeshIdentity {
  const view = istioView(set);
  const installed = set.clusters.filter((c) => c.istio.length > 0);
  const out = { conflicts: [] as SettingConflict[], duplicateClusterNames: [] as ClusterNameDuplicate[], clusterNameMismatches: [] as ClusterNameMismatch[] };
  const alternatives = new Map<ClusterModel, PerClusterAlternatives>();
  for (const c of installed)
    out.conflicts.push(
      ...conflicts(
        c,
        'meshID',
        c.istio.flatMap((i) => i.meshID ?? []),
        alternatives,
      ),
    );

  const firstByName = new Map<string, ClusterFact>();
  const named = set.clusters.filter((c) => c.istio.length > 0 || c.istioControlPlanes.length > 0);
  for (const cluster of named.sort(byName)) {
    // The injection path's cluster ID after global.multiCluster.clusterName: two that differ conflict.
    const names = [...cluster.istio.flatMap((i) => i.clusterName ?? []), ...cluster.istioControlPlanes.flatMap((p) => injectionIdentity(p).clusterID ?? [])];
    out.conflicts.push(...conflicts(cluster, 'clusterName', names, alternatives));
    const fact = names[0];
    if (!fact) continue;
    const earlier = firstByName.get(fact.value);
    if (earlier) out.duplicateClusterNames.push({ cluster, fact, earlier });
    else firstByName.set(fact.value, { cluster, fact });
    const identities = [...(cluster.nameSource.source.origin !== 'directory name' ? [cluster.nameSource] : []), ...cluster.identity.clusterIDs];
    const identity = identities.find((i) => i.value !== fact.value);
    if (identity && !identities.some((i) => i.value === fact.value)) out.clusterNameMismatches.push({ cluster, fact, identity });
  }
  for (const c of set.clusters) out.conflicts.push(...conflicts(c, 'network', view.networksOf.get(c) ?? [], alternatives));

  const eastWestGaps: EastWestGap[] = [];
  const trustDomainSplits: TrustDomainSplit[] = [];
  const remotes = remoteServices(set);
  for (const mesh of view.meshes) {
    const networked = mesh.clusters.flatMap((cluster) => {
      const fact = view.networksOf.get(cluster)?.[0];
      return fact ? [{ cluster, fact }] : [];
    });
    const names = new Set(networked.map((x) => x.fact.value));
    for (const { cluster, fact } of names.size < 2 ? [] : networked) {
      if (exposesEastWest(cluster)) continue;
      const configClusters = remotes.get(cluster)?.configClusters ?? [];
      if (configClusters.some(hasCrossNetworkGateway)) continue;
      const peers = [...new Map(networked.filter((x) => x.fact.value !== fact.value).map((x) => [x.fact.value, x] as const)).values()];
      const candidates = cluster.istioConfig.gatewayInstalls.filter((g) => g.gatewayClass?.value === EAST_WEST_GATEWAY_CLASS);
      eastWestGaps.push({
        cluster,
        fact,
        deployed: deploysEastWest(cluster),
        configClusters,
        otherNetworks: [...names].filter((n) => n !== fact.value),
        peers,
        ambient: isAmbientCluster(cluster),
        candidates,
      });
    }
    const trust = (c: ClusterModel): Fact<string> => c.istio.find((i) => i.trustDomain)?.trustDomain ?? { value: DEFAULT_TRUST_DOMAIN, source: c.istio[0].at, isDefault: true };
    const g = groups(
      mesh.clusters.filter((c) => c.istio.length > 0),
      trust,
    );
    if (g.size < 2) continue;
    const ref = majority(g);
    for (const [value, list] of g) if (value !== ref) for (const x of list) trustDomainSplits.push({ ...x, reference: g.get(ref)![0] });
  }
  const noted = set.clusters.flatMap((c) => alternatives.get(c) ?? []);
  return { ...out, alternatives: noted, meshIDSplit: meshIDSplit(installed), eastWestGaps, trustDomainSplits };
}
