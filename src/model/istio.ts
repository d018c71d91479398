/**
 * Istio views of a ClusterSet shared by the Istio rules: which clusters form a mesh, each
 * cluster's Istio cluster name and networks, host resolution and `exportTo` visibility. Views
 * are built once per set (memoised) with maps, never by comparing all pairs.
 */
import type { ClusterModel, ClusterSetModel, Fact, IstioControlPlaneFacts, ServiceFacts, WorkloadFacts } from './types.js';
import { RunTable } from '../base/memory.js';
import { viewKey, viewOf } from './views/cache.js';
import { NETWORK_LABEL } from './sources/istio.js';

/** Labels Istio adds to every workload's endpoints (istio.io/api `label` package). */
export const ISTIO_TOPOLOGY_LABELS = {
  cluster: 'topology.istio.io/cluster',
  network: NETWORK_LABEL,
  region: 'topology.kubernetes.io/region',
  zone: 'topology.kubernetes.io/zone',
  subzone: 'topology.istio.io/subzone',
} as const;

/** Istio's default trust domain (MeshConfig `trustDomain`). */
export const DEFAULT_TRUST_DOMAIN = 'cluster.local';

/** Clusters of a set that form one Istio mesh, by `meshID` (undefined: not declared). */
export interface IstioMesh {
  readonly meshID: string | undefined;
  readonly clusters: readonly ClusterModel[];
}

/** What a set knows about Istio, built once per set (see `istioView`). */
export interface IstioView {
  /** Clusters with any Istio fact: install settings, a control-plane install, Istio objects, or injection-enabled namespaces (`isIstioCluster`). */
  readonly clusters: readonly ClusterModel[];
  /** The meshes of the set: Istio clusters grouped by meshID (clusters without one join the only meshID, if there is one). */
  readonly meshes: readonly IstioMesh[];
  readonly meshOf: ReadonlyMap<ClusterModel, IstioMesh>;
  /** Every cluster name Istio may know a cluster by: directory/config names and `clusterName`s. */
  readonly clusterNames: ReadonlySet<string>;
  /** Network names declared anywhere in the set (install values, namespace labels, config, gateways, WorkloadEntries). */
  readonly networks: ReadonlySet<string>;
  /** Network facts by cluster. */
  readonly networksOf: ReadonlyMap<ClusterModel, readonly Fact<string>[]>;
}

const INJECTION_LABELS = ['istio-injection', 'istio.io/rev', 'istio.io/dataplane-mode'];

/**
 * True when a cluster shows any sign of Istio: install settings (`global.meshID`, `clusterName`,
 * `network`, `trustDomain`), a control-plane install (`istioControlPlanes`: an istiod of its own, or
 * a remote whose proxies use another cluster's istiod — istio.io's primary-remote and external
 * control plane guides install a remote with `profile: remote` and nothing but `remotePilotAddress`
 * and an injection path), Istio networking objects, or injection-enabled namespaces.
 */
export function isIstioCluster(c: ClusterModel): boolean {
  const cfg = c.istioConfig;
  if (c.istio.length > 0 || c.istioControlPlanes.length > 0) return true;
  if (cfg.destinationRules.length + cfg.virtualServices.length + cfg.serviceEntries.length + cfg.workloadEntries.length + cfg.gateways.length > 0) return true;
  for (const ns of c.namespaces.values()) {
    if (INJECTION_LABELS.some((l) => ns.labels[l] !== undefined && ns.labels[l] !== 'disabled')) return true;
  }
  return false;
}

/**
 * The proxy environment a sidecar-injection webhook path sets, as istiod's injector reads it
 * (istio/istio `pkg/kube/inject/webhook.go`, `parseInjectEnvs`): after `/inject`, `key/value` pairs
 * (`--slash--` in a value stands for `/`), or the older `:ENV:key=value` form; `cluster` and `net`
 * become `ISTIO_META_CLUSTER_ID` and `ISTIO_META_NETWORK` (`URLParameterToEnv`), other keys their
 * upper-cased name; a last key without value is ignored, a later pair overrides an earlier one.
 */
export function parseInjectEnvs(path: string): Map<string, string> {
  const trimmed = path.endsWith('/') ? path.slice(0, -1) : path;
  // strings.SplitN(path, "/", 3): the part after the second slash is the key/value list.
  const first = trimmed.indexOf('/');
  const second = first < 0 ? -1 : trimmed.indexOf('/', first + 1);
  const rest = second < 0 ? undefined : trimmed.slice(second + 1);
  let items: string[] = [];
  if (rest !== undefined && rest.startsWith(':ENV:')) {
    for (const pair of rest.split(':ENV:').slice(1)) {
      const eq = pair.indexOf('=');
      if (eq > 0) items.push(pair.slice(0, eq), pair.slice(eq + 1));
    }
  } else if (rest !== undefined) {
    items = rest.split('/').map((v, i) => (i % 2 === 1 ? v.replaceAll('--slash--', '/') : v));
  }
  const envs = new Map<string, string>();
  for (let i = 0; i + 1 < items.length; i += 2) {
    const env = INJECT_URL_ENV.get(items[i]) ?? items[i].toUpperCase();
    if (env !== '') envs.set(env, items[i + 1]);
  }
  return envs;
}

/** istio `URLParameterToEnv`: the injection-path keys with a proxy environment variable of their own. */
const INJECT_URL_ENV: ReadonlyMap<string, string> = new Map([
  ['cluster', 'ISTIO_META_CLUSTER_ID'],
  ['net', 'ISTIO_META_NETWORK'],
]);

/** The cluster ID and network a control plane's injection webhook gives the proxies it injects. */
export interface InjectionIdentity {
  readonly clusterID?: Fact<string>;
  readonly network?: Fact<string>;
}

const NO_IDENTITY: InjectionIdentity = {};
const INJECTION_IDENTITY = new WeakMap<IstioControlPlaneFacts, InjectionIdentity>();

/**
 * The cluster ID and network set by a control plane's `istiodRemote.injectionURL` (its path; the
 * chart uses the URL when set) or `istiodRemote.injectionPath`, e.g. `/inject/cluster/cluster2/net/network2`.
 * istiod's injector gives them priority over its own `global.multiCluster.clusterName` and
 * `global.network` (istio/istio `pkg/kube/inject/inject.go`, `RunTemplate`: "params may be set from
 * webhook URL, take priority over values yaml"); empty values are ignored. The facts point at the field.
 */
export function injectionIdentity(plane: IstioControlPlaneFacts): InjectionIdentity {
  let found = INJECTION_IDENTITY.get(plane);
  if (found) return found;
  const field = plane.injectionURL ?? plane.injectionPath;
  const path = field && (field === plane.injectionURL ? urlPath(field.value) : field.value);
  found = NO_IDENTITY;
  if (field && path !== undefined) {
    const envs = parseInjectEnvs(path);
    const fact = (env: string, key: string): Fact<string> | undefined => {
      const value = envs.get(env);
      return value ? { value, source: { ...field.source, origin: `${field.source.origin} (${key})` } } : undefined;
    };
    const clusterID = fact('ISTIO_META_CLUSTER_ID', 'cluster');
    const network = fact('ISTIO_META_NETWORK', 'net');
    if (clusterID || network) found = { ...(clusterID && { clusterID }), ...(network && { network }) };
  }
  INJECTION_IDENTITY.set(plane, found);
  return found;
}

/** The decoded path of a URL (what istiod's webhook server reads, `r.URL.Path`), undefined when it does not parse. */
function urlPath(url: string): string | undefined {
  try {
    return decodeURIComponent(new URL(url).pathname);
  } catch {
    return undefined;
  }
}

/**
 * The cluster's Istio cluster ID as declared: its first `global.multiCluster.clusterName`, else the
 * `cluster` of a control plane's injection path (the ID a remote's proxies are injected with).
 */
export function istioClusterIDFact(c: ClusterModel): Fact<string> | undefined {
  for (const i of c.istio) if (i.clusterName) return i.clusterName;
  for (const p of c.istioControlPlanes) {
    const id = injectionIdentity(p).clusterID;
    if (id) return id;
  }
  return undefined;
}

/** The cluster's Istio cluster ID (`istioClusterIDFact`), or its name. */
export function istioClusterName(c: ClusterModel): string {
  return istioClusterIDFact(c)?.value ?? c.name;
}

/**
 * Network facts of a cluster: install `global.network`, the network of a control plane's injection
 * path, the istio-system Namespace label `topology.istio.io/network`, the config file's `network`,
 * east-west gateways' networks (install labels, the gateway chart's `networkGateway`, the
 * `topology.istio.io/network` label of a Gateway API east-west Gateway such as the ambient
 * `istio-east-west` one). An external istiod's `global.network` is the served cluster's and is not
 * a fact of its own cluster (`src/model/sources/istio.ts`).
 */
export function clusterNetworkFacts(c: ClusterModel): Fact<string>[] {
  const out: Fact<string>[] = [];
  for (const i of c.istio) if (i.network) out.push(i.network);
  for (const p of c.istioControlPlanes) {
    const network = injectionIdentity(p).network;
    if (network) out.push(network);
  }
  const network = c.namespaces.get('istio-system')?.network;
  if (network) out.push(network);
  // The config file's `network` (a fact of the cluster since `applyConfigFacts`).
  for (const f of c.topology.networks) out.push(f);
  for (const g of c.istioConfig.gatewayInstalls) if (g.network) out.push(g.network);
  return out;
}

const ISTIO_VIEW = viewKey<IstioView>('istio');

/** The Istio view of a set (built once per set, kept with it). */
export function istioView(set: ClusterSetModel): IstioView {
  return viewOf(set, ISTIO_VIEW, () => buildIstioView(set));
}

function buildIstioView(set: ClusterSetModel): IstioView {
  const clusters = set.clusters.filter(isIstioCluster);
  const byMesh = new Map<string | undefined, ClusterModel[]>();
  const meshIDOf = (c: ClusterModel) => c.istio.find((i) => i.meshID)?.meshID?.value;
  const declared = new Set(clusters.map(meshIDOf).filter((m) => m !== undefined));
  const only = declared.size === 1 ? [...declared][0] : undefined;
  for (const c of clusters) {
    const id = meshIDOf(c) ?? only;
    if (!byMesh.has(id)) byMesh.set(id, []);
    byMesh.get(id)!.push(c);
  }
  const meshes = [...byMesh].map(([meshID, list]) => ({ meshID, clusters: list }));
  const meshOf = new Map<ClusterModel, IstioMesh>();
  for (const m of meshes) for (const c of m.clusters) meshOf.set(c, m);
  const clusterNames = new Set<string>();
  const networks = new Set<string>();
  const networksOf = new Map<ClusterModel, Fact<string>[]>();
  for (const c of set.clusters) {
    // Istio labels a cluster's endpoints topology.istio.io/cluster=<its clusterName>; the
    // cluster's own name stands in only when no install setting names it.
    clusterNames.add(istioClusterName(c));
    const facts = clusterNetworkFacts(c);
    networksOf.set(c, facts);
    for (const f of facts) networks.add(f.value);
    for (const we of c.istioConfig.workloadEntries) if (we.network) networks.add(we.network.value);
  }
  return { clusters, meshes, meshOf, clusterNames, networks, networksOf };
}

/**
 * A host as Istio matches it, made comparable: a short name `reviews` in namespace `ns` becomes
 * `reviews.ns.svc.<domain>` (Istio's ResolveShortnameToFQDN), `reviews.ns` and `reviews.ns.svc`
 * are completed the same way (what cluster DNS resolves them to); other names and wildcards stay.
 * Lower-cased: host names are case-insensitive.
 * @param namespace the namespace of the resource holding the host (undefined: left to apply time)
 */
export function normalizeHost(host: string, namespace: string | undefined, clusterDomain: string): string {
  // Memoised: one host recurs in every cluster and in every route to it, and a string built once
  // is hashed once by the maps rules key on it.
  const normalized = NORMALIZED.get();
  let byNamespace = normalized.get(clusterDomain);
  if (!byNamespace) normalized.set(clusterDomain, (byNamespace = new Map<string | undefined, Map<string, string>>()));
  let byHost = byNamespace.get(namespace);
  if (!byHost) byNamespace.set(namespace, (byHost = new Map<string, string>()));
  let result = byHost.get(host);
  if (result === undefined) byHost.set(host, (result = normalizeHostOnce(host, namespace, clusterDomain)));
  return result;
}

/** `normalizeHost`'s results by cluster domain, namespace and host: a run's memo (`RunTable`). */
const NORMALIZED = new RunTable(() => new Map<string, Map<string | undefined, Map<string, string>>>());

function normalizeHostOnce(host: string, namespace: string | undefined, clusterDomain: string): string {
  let h = host.toLowerCase();
  if (h.endsWith('.')) h = h.slice(0, -1);
  if (h.includes('*')) return h;
  const first = h.indexOf('.');
  if (first < 0) return namespace === undefined ? h : `${h}.${namespace}.svc.${clusterDomain}`;
  const second = h.indexOf('.', first + 1);
  if (second < 0) return `${h}.svc.${clusterDomain}`;
  if (h.indexOf('.', second + 1) < 0 && h.endsWith('.svc')) return `${h}.${clusterDomain}`;
  return h;
}

/** True when `pattern` (a host, or a wildcard like `*.example.com` / `*`) matches `host`. */
export function hostMatches(pattern: string, host: string): boolean {
  if (pattern === host || pattern === '*') return true;
  if (pattern.startsWith('*')) return host.endsWith(pattern.slice(1));
  return false;
}

/** `name.ns.svc.<domain>` → `{ name, namespace }` (a Kubernetes Service host), else undefined. */
export function serviceOfHost(host: string, clusterDomain: string): { name: string; namespace: string } | undefined {
  const end = host.length - clusterDomain.length - 5;
  if (end <= 0 || !host.endsWith(clusterDomain) || host.slice(end, end + 5) !== '.svc.') return undefined;
  const dot = host.indexOf('.');
  if (dot <= 0 || dot >= end || host.indexOf('.', dot + 1) !== end || host.includes('*')) return undefined;
  return { name: host.slice(0, dot), namespace: host.slice(dot + 1, end) };
}

/**
 * Istio `exportTo` visibility: may a resource of namespace `own` with this `exportTo` be used
 * from namespace `from`? Absent or empty: everywhere (Istio's default `*`); `.`: own namespace;
 * `~`: nowhere; otherwise the listed namespaces. Unknown namespaces (apply time) match.
 */
export function isVisible(exportTo: readonly string[] | undefined, own: string | undefined, from: string | undefined): boolean {
  if (!exportTo || exportTo.length === 0) return true;
  return exportTo.some((e) => e === '*' || (e === '.' ? own === undefined || from === undefined || own === from : e !== '~' && (from === undefined || e === from)));
}

/** The Service annotation that sets a Service's `exportTo` (istio.io/api annotation). */
export const SERVICE_EXPORT_TO = 'networking.istio.io/exportTo';

/** A Service's `exportTo` from its annotation (comma-separated), undefined when absent. */
export function serviceExportTo(s: ServiceFacts): string[] | undefined {
  const v = s.annotations[SERVICE_EXPORT_TO];
  return v === undefined
    ? undefined
    : v
        .split(',')
        .map((x) => x.trim())
        .filter(Boolean);
}

/** True when every label of `selector` is in `labels` (Kubernetes equality-based selection). */
export function selects(selector: Readonly<Record<string, string>>, labels: Readonly<Record<string, string>>): boolean {
  for (const k in selector) if (labels[k] !== selector[k]) return false;
  return true;
}

const WORKLOADS_BY_NAMESPACE = viewKey<ReadonlyMap<string, readonly WorkloadFacts[]>>('workloads by namespace');

/** Workloads of every cluster of the set by namespace (namespaces left to apply time under `''`); memoised per set. */
export function workloadsByNamespace(set: ClusterSetModel): ReadonlyMap<string, readonly WorkloadFacts[]> {
  return viewOf(set, WORKLOADS_BY_NAMESPACE, () => {
    const index = new Map<string, WorkloadFacts[]>();
    for (const c of set.clusters) {
      for (const w of c.workloads) {
        const k = w.namespace ?? '';
        if (!index.has(k)) index.set(k, []);
        index.get(k)!.push(w);
      }
    }
    return index;
  });
}
