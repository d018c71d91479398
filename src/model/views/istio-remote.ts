/**
 * The Istio multi-cluster wiring view of a ClusterSet, for `istio-remote-secret` and
 * `istio-remote-control-plane`: which cluster runs istiod (primary) and which uses another's
 * (remote), which clusters each primary reaches through its remote secrets, and how a remote
 * reaches its primary's istiod.
 *
 * A pure function of the set, built once per set (`viewOf`). Meshes come from `istioView`
 * (`src/model/istio.ts`: a control-plane install makes an Istio cluster); a cluster with remote
 * secrets but no other Istio fact joins the set's only mesh. Cluster IDs are Istio's: `global.multiCluster.clusterName`, else the `cluster` of the
 * injection path (`istiodRemote.injectionPath` / `injectionURL`, `/inject/cluster/<id>/net/<network>`,
 * istio/istio `pkg/kube/inject/webhook.go` `parseInjectEnvs`), else the cluster's name
 * (`istioClusterName`); a remote's network is its `global.network`, else the injection path's `net`.
 *
 * Upstream behaviour mirrored: istio/istio `pkg/kube/multicluster/secretcontroller.go` (`addSecret`:
 * each key of a Secret labelled `istio/multiCluster=true` in istiod's namespace is a cluster ID with
 * a kubeconfig; a key equal to the local cluster ID is ignored "as it would overwrite the local
 * cluster"; a cluster ID "has already been registered" by another secret is ignored);
 * `istioctl/pkg/multicluster/remote_secret.go` (`istio-remote-secret-<name>`, `stringData` keyed by
 * `--name`; istioctl warns that a `127.0.0.1` server "is likely not reachable from inside the
 * cluster", istio/istio#58047); istio.io "Install Multi-Primary" / "Install Primary-Remote" (each
 * primary holds a secret for every other cluster; the primary holds the remote's, and exposes
 * istiod through the east-west gateway, `samples/multicluster/expose-istiod.yaml`: ports 15012
 * and 15017; the remote sets `global.remotePilotAddress`, istio/istio#23487, #39707).
 *
 * External control planes (istio.io "Install Istio with an External Control Plane"): istiod runs in
 * an external cluster with `EXTERNAL_ISTIOD=true` and `CLUSTER_ID` naming the remote config
 * cluster, whose kubeconfig it mounts as its own kube client from the `--type config` Secret
 * `istio-kubeconfig` (key `config`; istioctl `remote_secret.go`; the istiod chart sets
 * `KUBECONFIG=/var/run/secrets/remote/config`). That istiod is no primary of its own cluster's
 * workloads: it needs no remote secret for the cluster it serves, reads configuration and remote
 * secrets from that config cluster (a remote with `global.configCluster: true` may hold them), and
 * is published by its own cluster (an ingress gateway with a Gateway on 15012/15017 and a
 * VirtualService to istiod), not by an east-west gateway (`servedClusterIDs`, `runsExternalIstiod`).
 */
import ipaddr from 'ipaddr.js';
import { injectionIdentity, istioClusterIDFact, istioClusterName, istioView, type IstioMesh } from '../istio.js';
import type { ClusterModel, ClusterSetModel, Fact, IstioControlPlaneFacts, IstioRemoteSecretEntry, IstioRemoteSecretFacts, MeshNetworkFacts, Source } from '../types.js';
import { viewKey, viewOf } from './cache.js';

/** istiod's xDS/CA port and its webhook port, as `expose-istiod.yaml` exposes them. */
export const ISTIOD_PORTS = { xds: 15012, webhook: 15017 } as const;

/** A cluster and its control plane (its first remote install if it has one, else its first). */
export interface ClusterPlane {
  readonly cluster: ClusterModel;
  readonly plane: IstioControlPlaneFacts;
}

/** One key of a remote secret held by `holder`. */
export interface SecretRef {
  readonly holder: ClusterModel;
  readonly secret: IstioRemoteSecretFacts;
  readonly entry: IstioRemoteSecretEntry;
}

/** Why an address cannot be reached from another cluster. */
export type LocalReason = 'loopback' | 'unspecified' | 'cluster-local';

/** What `istioRemoteSecrets` finds (each list in set cluster order, then file order). */
export type RemoteSecretProblem =
  | { readonly kind: 'missing'; readonly holder: ClusterPlane; readonly target: ClusterPlane; readonly example: SecretRef }
  | { readonly kind: 'remoteHolds'; readonly holder: ClusterPlane; readonly secret: IstioRemoteSecretFacts }
  | { readonly kind: 'self'; readonly ref: SecretRef }
  | { readonly kind: 'otherMesh'; readonly ref: SecretRef; readonly target: ClusterModel; readonly meshID: string | undefined }
  | { readonly kind: 'unknownCluster'; readonly ref: SecretRef; readonly known: readonly string[] }
  /**
   * The secret names `target` by its directory/config name, while `target` declares another Istio
   * cluster ID, `clusterName` (`istioClusterIDFact`: its `global.multiCluster.clusterName`, else the
   * `cluster` of its injection path, the ID its proxies are injected with).
   */
  | { readonly kind: 'nameMismatch'; readonly ref: SecretRef; readonly target: ClusterModel; readonly clusterName: Fact<string> }
  | { readonly kind: 'localServer'; readonly ref: SecretRef; readonly server: Fact<string>; readonly host: string; readonly reason: LocalReason }
  | { readonly kind: 'duplicate'; readonly ref: SecretRef; readonly first: SecretRef }
  | {
      readonly kind: 'wrongNamespace';
      readonly holder: ClusterPlane;
      readonly secret: IstioRemoteSecretFacts;
      readonly namespace: Fact<string>;
      readonly istioNamespace: Fact<string>;
    };

/** What `istioRemoteControlPlanes` finds, per remote cluster. */
export type RemoteControlPlaneProblem =
  | { readonly kind: 'noAddress'; readonly remote: ClusterPlane }
  | { readonly kind: 'localAddress'; readonly remote: ClusterPlane; readonly address: Fact<string>; readonly host: string; readonly reason: LocalReason }
  | { readonly kind: 'noClusterName'; readonly remote: ClusterPlane }
  | { readonly kind: 'meshID'; readonly remote: ClusterPlane; readonly meshID: Fact<string>; readonly primary: ClusterPlane; readonly primaryMeshID: Fact<string> }
  /**
   * No primary routes 15012 through a Gateway; `deployed`: a gateway Service or install with the
   * port exists; `external`: every primary runs an external istiod (`runsExternalIstiod`), which
   * its own cluster publishes (an ingress gateway, a LoadBalancer Service), not an east-west gateway.
   */
  | {
      readonly kind: 'istiodNotExposed';
      readonly remote: ClusterPlane;
      readonly primaries: readonly ClusterPlane[];
      readonly deployed: Source | undefined;
      readonly external: boolean;
    }
  | { readonly kind: 'webhookNotExposed'; readonly remote: ClusterPlane; readonly primary: ClusterPlane; readonly gateway: Source }
  /** The primary's `global.meshNetworks` has no network named as the remote's `network`. */
  | {
      readonly kind: 'networkNotInMeshNetworks';
      readonly remote: ClusterPlane;
      readonly network: Fact<string>;
      readonly primary: ClusterPlane;
      readonly networks: readonly MeshNetworkFacts[];
    }
  /**
   * The primary's meshNetworks entry for the remote's network lists `fromRegistry` cluster IDs, not
   * the remote's; `at`: where the remote's cluster ID is declared (its install when nowhere).
   */
  | {
      readonly kind: 'registryNotInMeshNetworks';
      readonly remote: ClusterPlane;
      readonly clusterID: string;
      readonly at: Source;
      readonly primary: ClusterPlane;
      readonly entry: MeshNetworkFacts;
    };

/** The whole view. */
export interface IstioRemoteView {
  readonly secrets: readonly RemoteSecretProblem[];
  readonly controlPlanes: readonly RemoteControlPlaneProblem[];
}

/** The host of a kubeconfig `server` or a `remotePilotAddress` (`host[:port]`, a URL), lower-cased, without IPv6 brackets. */
export function addressHost(address: string): string | undefined {
  const text = /^[a-z][a-z0-9+.-]*:\/\//i.test(address) ? address : `https://${address}`;
  try {
    const host = new URL(text).hostname.toLowerCase();
    return host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
  } catch {
    return undefined;
  }
}

const CLUSTER_LOCAL = /(?:^|\.)svc(?:\.|$)|\.cluster\.local$|^kubernetes(?:\.default)?$/;

/** Why `host` is reachable only inside one cluster or one machine; undefined when it may be reachable. */
export function localReason(host: string): LocalReason | undefined {
  if (host === 'localhost' || host.endsWith('.localhost')) return 'loopback';
  if (ipaddr.isValid(host)) {
    const range = ipaddr.process(host).range();
    return range === 'loopback' ? 'loopback' : range === 'unspecified' ? 'unspecified' : undefined;
  }
  return CLUSTER_LOCAL.test(host) ? 'cluster-local' : undefined;
}

const VIEW = viewKey<IstioRemoteView>('istio remote');

/** The multi-cluster wiring problems of `set` (memoised per set). Never throws. */
export function istioRemote(set: ClusterSetModel): IstioRemoteView {
  return viewOf(set, VIEW, () => build(set));
}

const planeOf = (c: ClusterModel): ClusterPlane | undefined => {
  const plane = c.istioControlPlanes.find((p) => p.role.value === 'remote') ?? c.istioControlPlanes[0];
  return plane && { cluster: c, plane };
};

/**
 * The Istio cluster IDs an external control plane in `c` serves: the `servedClusterID` of its
 * external istiods (`CLUSTER_ID`, else their `global.multiCluster.clusterName`) and the cluster of
 * each `--type config` kubeconfig it holds (`networking.istio.io/cluster`), which istiod mounts as
 * its own kube client. Empty for a cluster running no external istiod.
 */
export function servedClusterIDs(c: ClusterModel): Fact<string>[] {
  const out: Fact<string>[] = [];
  for (const p of c.istioControlPlanes) if (p.servedClusterID) out.push(p.servedClusterID);
  for (const s of c.istioRemoteSecrets) if (s.config?.cluster) out.push(s.config.cluster);
  return out;
}

/**
 * True when `c` runs an external istiod (istio.io "Install Istio with an External Control Plane"):
 * `EXTERNAL_ISTIOD=true` in its environment, or a `--type config` kubeconfig (Secret
 * `istio-kubeconfig`) in the cluster. Its istiod's kube client is the config cluster it serves:
 * it discovers that cluster and reads its configuration (Gateways, remote secrets) from there, and
 * serves no workloads of its own cluster.
 */
export function runsExternalIstiod(c: ClusterModel): boolean {
  return c.istioControlPlanes.some((p) => p.externalIstiod) || c.istioRemoteSecrets.some((s) => s.config);
}

/** Groups the clusters with a control plane or a remote secret by mesh (clusters outside every mesh join the only mesh, or one group of their own). */
function groups(set: ClusterSetModel): Map<IstioMesh | undefined, ClusterModel[]> {
  const view = istioView(set);
  const out = new Map<IstioMesh | undefined, ClusterModel[]>();
  for (const c of set.clusters) {
    if (c.istioControlPlanes.length === 0 && c.istioRemoteSecrets.length === 0) continue;
    const mesh = view.meshOf.get(c) ?? (view.meshes.length === 1 ? view.meshes[0] : undefined);
    out.set(mesh, [...(out.get(mesh) ?? []), c]);
  }
  return out;
}

function build(set: ClusterSetModel): IstioRemoteView {
  const secrets: RemoteSecretProblem[] = [];
  const byGroup = groups(set);
  const groupOf = new Map<ClusterModel, IstioMesh | undefined>();
  for (const [mesh, list] of byGroup) for (const c of list) groupOf.set(c, mesh);
  const byID = new Map<string, ClusterModel>();
  const byName = new Map<string, ClusterModel>();
  for (const c of set.clusters) {
    if (!byID.has(istioClusterName(c))) byID.set(istioClusterName(c), c);
    byName.set(c.name, c);
  }
  const refs = (c: ClusterModel): SecretRef[] => c.istioRemoteSecrets.flatMap((secret) => secret.entries.map((entry) => ({ holder: c, secret, entry })));

  for (const holder of set.clusters) {
    const hp = planeOf(holder);
    const seen = new Map<string, SecretRef>();
    for (const secret of holder.istioRemoteSecrets) {
      // The config cluster of an external istiod is where that istiod watches for remote secrets too.
      if (hp?.plane.role.value === 'remote' && !hp.plane.configCluster) secrets.push({ kind: 'remoteHolds', holder: hp, secret });
      // istiod's namespace must be known for every control plane of the holder (Helm: the release's, unknown).
      const namespaces = holder.istioControlPlanes.map((p) => p.namespace);
      const known = namespaces.every((n) => n !== undefined);
      if (hp?.plane.namespace && known && secret.namespace && !namespaces.some((n) => n?.value === secret.namespace?.value))
        secrets.push({ kind: 'wrongNamespace', holder: hp, secret, namespace: secret.namespace, istioNamespace: hp.plane.namespace });
      if (secret.config) {
        // The config cluster's kubeconfig (--type config): its server must be reachable all the same.
        const entry = { clusterID: secret.config.cluster ?? { value: 'config', source: secret.config.key }, servers: secret.config.servers };
        for (const server of entry.servers) {
          const host = addressHost(server.value);
          const reason = host === undefined ? undefined : localReason(host);
          if (host !== undefined && reason) secrets.push({ kind: 'localServer', ref: { holder, secret, entry }, server, host, reason });
        }
      }
      for (const entry of secret.entries) {
        const ref = { holder, secret, entry };
        for (const server of entry.servers) {
          const host = addressHost(server.value);
          const reason = host === undefined ? undefined : localReason(host);
          if (host !== undefined && reason) secrets.push({ kind: 'localServer', ref, server, host, reason });
        }
        const id = entry.clusterID.value;
        const first = seen.get(id);
        const sameScope = first && (first.secret.namespace?.value ?? '') === (secret.namespace?.value ?? '');
        if (first && sameScope && first.secret !== secret) secrets.push({ kind: 'duplicate', ref, first });
        else if (!first) seen.set(id, ref);
        if (hp?.plane.role.value === 'remote') continue;
        if (id === istioClusterName(holder)) {
          secrets.push({ kind: 'self', ref });
          continue;
        }
        const target = byID.get(id);
        const named = target ? undefined : byName.get(id);
        // Named by its directory/config name while it declares another cluster ID (clusterName, else its injection path's cluster).
        const clusterName = named && istioClusterIDFact(named);
        if (named && clusterName) secrets.push({ kind: 'nameMismatch', ref, target: named, clusterName });
        const found = target ?? named;
        if (found && groupOf.has(holder) && groupOf.has(found) && groupOf.get(found) !== groupOf.get(holder))
          secrets.push({ kind: 'otherMesh', ref, target: found, meshID: groupOf.get(found)?.meshID });
        // A mesh of one cluster in the repository is evidently partial: its secrets name clusters kept elsewhere.
        const group = byGroup.get(groupOf.get(holder)) ?? [];
        if (!found && group.length > 1) secrets.push({ kind: 'unknownCluster', ref, known: group.map(istioClusterName) });
      }
    }
  }

  // Missing secrets: only in groups that show remote secrets at all (else they are managed out of band).
  for (const list of byGroup.values()) {
    const example = list.flatMap(refs)[0];
    if (!example) continue;
    const planes = list.flatMap((c) => planeOf(c) ?? []);
    for (const holder of planes) {
      if (holder.plane.role.value !== 'primary' || holder.cluster.istioRemoteSecrets.some((s) => s.unrendered)) continue;
      const named = new Set(refs(holder.cluster).map((r) => r.entry.clusterID.value));
      // An external istiod's own cluster is the one it serves (its kube client); it also reads the
      // remote secrets applied to that config cluster (istio.io: "in either the remote (config)
      // cluster or in the external cluster").
      for (const id of servedClusterIDs(holder.cluster)) {
        named.add(id.value);
        const served = byID.get(id.value) ?? byName.get(id.value);
        if (served && served !== holder.cluster) for (const r of refs(served)) named.add(r.entry.clusterID.value);
      }
      for (const target of planes) {
        if (target === holder || named.has(istioClusterName(target.cluster)) || named.has(target.cluster.name)) continue;
        // A cluster running an external istiod runs no workloads of the mesh: no secret names it.
        if (runsExternalIstiod(target.cluster)) continue;
        secrets.push({ kind: 'missing', holder, target, example });
      }
    }
  }
  return { secrets, controlPlanes: controlPlanes(set, byGroup) };
}

/**
 * True when the cluster routes `port` through an Istio Gateway server, or a listener of a Gateway
 * API Gateway istiod deploys (`gatewayClass`); the first such server (the Gateway API Gateway).
 */
const gatewayServer = (c: ClusterModel, port: number): Source | undefined => {
  for (const g of c.istioConfig.gateways) for (const s of g.servers) if (s.port === port) return s.source;
  return c.istioConfig.gatewayInstalls.find((g) => g.gatewayClass && g.ports.includes(port))?.at;
};

/** An istiod Service (selector `app: istiod` or `istio: pilot`) of type LoadBalancer or NodePort with port 15012: istiod exposed without a gateway. */
const istiodServiceExposed = (c: ClusterModel): boolean =>
  [...c.servicesByName.values()]
    .flat()
    .some(
      (s) =>
        (s.selector?.app === 'istiod' || s.selector?.istio === 'pilot') &&
        (s.type.value === 'LoadBalancer' || s.type.value === 'NodePort') &&
        s.ports.some((p) => p.port === ISTIOD_PORTS.xds),
    );

/** A gateway install or Service of the cluster with `port` (an east-west gateway deployed for istiod). */
const deployedWith = (c: ClusterModel, port: number): Source | undefined =>
  c.istioConfig.gatewayInstalls.find((g) => g.ports.includes(port))?.at ??
  [...c.servicesByName.values()].flat().find((s) => s.ports.some((p) => p.port === port) && s.type.value === 'LoadBalancer')?.type.source;

/**
 * Whether the remote's `network` and cluster ID are what the primary's `global.meshNetworks`
 * expects (istio.io "Install Primary-Remote on different networks"; istio `MeshNetworks`:
 * `fromRegistry` puts a cluster's endpoints on a network). Nothing when the primary declares no
 * meshNetworks (current Istio reads networks from the `topology.istio.io/network` label) or the
 * remote declares no network.
 */
function meshNetworksMismatch(remote: ClusterPlane, primary: ClusterPlane): RemoteControlPlaneProblem | undefined {
  const networks = primary.plane.meshNetworks;
  const network = remoteNetwork(remote.cluster);
  if (!networks || networks.length === 0 || !network) return undefined;
  const entry = networks.find((n) => n.name.value === network.value);
  if (!entry) return { kind: 'networkNotInMeshNetworks', remote, network, primary, networks };
  const declared = istioClusterIDFact(remote.cluster);
  const clusterID = declared?.value ?? remote.cluster.name;
  const at = declared?.source ?? remote.plane.role.source;
  if (entry.registries.length > 0 && !entry.registries.some((r) => r.value === clusterID)) return { kind: 'registryNotInMeshNetworks', remote, clusterID, at, primary, entry };
  return undefined;
}

/** A remote's network: its `global.network`, else the `net` of its injection path. */
function remoteNetwork(c: ClusterModel): Fact<string> | undefined {
  return c.istio.find((i) => i.network)?.network ?? c.istioControlPlanes.map((p) => injectionIdentity(p).network).find((n) => n !== undefined);
}

/**
 * Who serves each remote cluster of the set (remotes in set cluster order): its `primaries` — the
 * primaries holding its remote secret or serving it as an external istiod (`servedClusterIDs`), in
 * any mesh, else every primary of its mesh, else the set's only primary — and its
 * `configClusters`, the clusters whose Istio configuration (Gateways, VirtualServices) configures
 * the remote's proxies and gateways: its primaries, whose istiod reads the configuration of its own
 * cluster (an external istiod's: of the cluster it serves), and the remotes of its mesh that are the
 * config cluster of an external istiod (`global.configCluster: true`, istio.io "Install Istio with
 * an External Control Plane"; the remote's own cluster is not listed).
 */
export interface RemoteService {
  readonly remote: ClusterPlane;
  readonly primaries: readonly ClusterPlane[];
  readonly configClusters: readonly ClusterModel[];
}

const SERVICE = viewKey<ReadonlyMap<ClusterModel, RemoteService>>('istio remote service');

/** The `RemoteService` of each remote cluster of `set`, by cluster (memoised per set). */
export function remoteServices(set: ClusterSetModel): ReadonlyMap<ClusterModel, RemoteService> {
  return viewOf(set, SERVICE, () => {
    const out = new Map<ClusterModel, RemoteService>();
    const allPrimaries = set.clusters.flatMap((c) => planeOf(c) ?? []).filter((p) => p.plane.role.value === 'primary');
    const byID = new Map<string, ClusterModel>();
    for (const c of set.clusters) for (const id of [c.name, istioClusterName(c)]) if (!byID.has(id)) byID.set(id, c);
    /** The clusters of the set an external istiod in `c` serves. */
    const served = (c: ClusterModel): ClusterModel[] => servedClusterIDs(c).flatMap((id) => byID.get(id.value) ?? []);
    for (const list of groups(set).values()) {
      const planes = list.flatMap((c) => planeOf(c) ?? []);
      const primaries = planes.filter((p) => p.plane.role.value === 'primary');
      const configRemotes = list.filter((c) => c.istioControlPlanes.some((p) => p.role.value === 'remote' && p.configCluster));
      for (const remote of planes) {
        if (remote.plane.role.value !== 'remote') continue;
        const ids = new Set([istioClusterName(remote.cluster), remote.cluster.name]);
        const holding = allPrimaries.filter(
          (p) => p.cluster.istioRemoteSecrets.some((s) => s.entries.some((e) => ids.has(e.clusterID.value))) || servedClusterIDs(p.cluster).some((id) => ids.has(id.value)),
        );
        const mine = holding.length > 0 ? holding : primaries.length > 0 ? primaries : allPrimaries.length === 1 ? allPrimaries : [];
        // An external istiod reads its configuration from the cluster it serves, not from its own.
        const readers = mine.flatMap((p) => (runsExternalIstiod(p.cluster) ? served(p.cluster) : [p.cluster]));
        const configClusters = [...new Set([...readers, ...configRemotes])].filter((c) => c !== remote.cluster);
        out.set(remote.cluster, { remote, primaries: mine, configClusters });
      }
    }
    return out;
  });
}

function controlPlanes(set: ClusterSetModel, byGroup: Map<IstioMesh | undefined, ClusterModel[]>): RemoteControlPlaneProblem[] {
  const out: RemoteControlPlaneProblem[] = [];
  const services = remoteServices(set);
  for (const list of byGroup.values()) {
    for (const c of list) {
      const service = services.get(c);
      if (!service) continue;
      const { remote, primaries: mine } = service;
      const { plane } = remote;
      const address = plane.remotePilotAddress ?? plane.injectionURL;
      const host = address && addressHost(address.value);
      const reason = host === undefined ? undefined : localReason(host);
      if (!address && !plane.addressUnrendered) out.push({ kind: 'noAddress', remote });
      else if (address && host !== undefined && reason) out.push({ kind: 'localAddress', remote, address, host, reason });
      // The cluster ID comes from global.multiCluster.clusterName or the injection path's cluster.
      const unknownID = remote.cluster.istioControlPlanes.some((p) => p.identityUnrendered);
      if (!istioClusterIDFact(remote.cluster) && !unknownID && set.clusters.length > 1) out.push({ kind: 'noClusterName', remote });
      if (mine.length === 0) continue;
      const meshID = remote.cluster.istio.find((i) => i.meshID)?.meshID;
      for (const primary of mine) {
        const primaryMeshID = primary.cluster.istio.find((i) => i.meshID)?.meshID;
        if (meshID && primaryMeshID && meshID.value !== primaryMeshID.value) out.push({ kind: 'meshID', remote, meshID, primary, primaryMeshID });
        const mismatch = meshNetworksMismatch(remote, primary);
        if (mismatch) out.push(mismatch);
      }
      const exposing = mine.find((p) => gatewayServer(p.cluster, ISTIOD_PORTS.xds));
      if (!exposing && mine.some((p) => istiodServiceExposed(p.cluster))) continue;
      if (!exposing) {
        const deployed = mine.map((p) => deployedWith(p.cluster, ISTIOD_PORTS.xds)).find((s) => s !== undefined);
        out.push({ kind: 'istiodNotExposed', remote, primaries: mine, deployed, external: mine.every((p) => runsExternalIstiod(p.cluster)) });
      } else if (!gatewayServer(exposing.cluster, ISTIOD_PORTS.webhook) && !plane.injectionURL) {
        out.push({ kind: 'webhookNotExposed', remote, primary: exposing, gateway: gatewayServer(exposing.cluster, ISTIOD_PORTS.xds)! });
      }
    }
  }
  return out;
}
