/**
 * Istio multi-cluster wiring facts: control-plane installs and remote secrets.
 *
 * - Control planes (`IstioControlPlaneFacts`) from an IstioOperator (`spec.profile`,
 *   `spec.components.pilot.enabled`, `spec.namespace`, `spec.values`), the Sail operator's `Istio`
 *   CR (`spec.profile`, `spec.namespace`, `spec.values`) and Helm values of the istiod /
 *   istiod-remote charts (`profile`, `global.*`, `istiodRemote.*`). The `remote` profile (and the
 *   older `external` profile of the remote config cluster), the `istiod-remote` chart and
 *   `istiodRemote.enabled: true` make a remote (istio/istio `manifests/profiles/remote.yaml`,
 *   `manifests/charts/istiod-remote`); `profile: empty` without `components.pilot.enabled: true`
 *   (the east-west gateway IstioOperator of `samples/multicluster/gen-eastwest-gateway.sh`) and
 *   `components.pilot.enabled: false` install no control plane. istiod watches its own namespace,
 *   `global.istioNamespace` (default `istio-system`). `istiodRemote.injectionPath` is kept as
 *   written (the view `src/model/istio.ts` reads the cluster ID and network it passes to the
 *   injected proxies, istio/istio `pkg/kube/inject/webhook.go` `parseInjectEnvs`); when
 *   `istiodRemote.injectionURL` is set the webhook calls it instead (`injectionPath` is unused), so
 *   a URL holding a placeholder in its host only gives its path in its place, and one whose path
 *   holds a placeholder leaves the cluster ID unknown (`identityUnrendered`, reported by
 *   `unrendered-placeholder` through `src/model/sources/istio.ts`); so is
 *   `global.configCluster: true` (a remote that is the config cluster of an external istiod:
 *   istiod reads Gateways and other configuration from it, istio `manifests/charts/istiod-remote`
 *   values "Configure a remote cluster as the config cluster for an external istiod").
 * - Remote secrets (`IstioRemoteSecretFacts`): Secrets labelled `istio/multiCluster: "true"`, as
 *   istio/istio `pkg/kube/multicluster/secretcontroller.go` lists them (label selector
 *   `istio/multiCluster=true` in istiod's namespace) and reads them (`addSecret`: every `data` key is a
 *   cluster ID whose value is a kubeconfig). `istioctl create-remote-secret`
 *   (`istioctl/pkg/multicluster/remote_secret.go`) writes the kubeconfig under `stringData`, keyed
 *   by `--name`; `data` values are base64. Kubeconfigs are parsed with the `yaml` package; only
 *   `clusters[].cluster.server` is kept — never credentials. `create-remote-secret --type config`
 *   writes another form: the Secret `istio-kubeconfig` keyed `config` (`configSecretName`,
 *   `configSecretKey`), the config cluster's kubeconfig that an external istiod mounts as its own
 *   kube client (the istiod chart mounts `istio-kubeconfig` at `/var/run/secrets/remote` with
 *   `KUBECONFIG=/var/run/secrets/remote/config`, istio `manifests/charts/istio-control/istio-discovery/templates/deployment.yaml`):
 *   its `config` key names no cluster; the cluster is its `networking.istio.io/cluster` annotation
 *   (`IstioRemoteSecretFacts.config`).
 * - External istiods: `EXTERNAL_ISTIOD=true` in istiod's environment (IstioOperator
 *   `components.pilot.k8s.env`, Helm `pilot.env` / `env`) and the cluster it serves, its
 *   `CLUSTER_ID` (else `global.multiCluster.clusterName`); the install `profile` as written.
 */
import { parse } from 'yaml';
import type { Path } from '../../base/types.js';
import { isPlaceholder } from '../../base/placeholder.js';
import type { Fact, IstioControlPlaneFacts, IstioRemoteSecretEntry, MeshNetworkFacts, Source } from '../types.js';
import { chartProject } from '../values.js';
import { placeholderAt } from './facts.js';
import type { ExtractContext, FactSource, ValuesContext, ValuesSource } from './types.js';

/** The label istiod's secret controller selects remote secrets by (`MultiClusterSecretLabel`). */
export const MULTI_CLUSTER_SECRET_LABEL = 'istio/multiCluster';
/**
 * The Secret name and key `istioctl create-remote-secret --type config` writes (istio/istio
 * `istioctl/pkg/multicluster/remote_secret.go`: `configSecretName`, `configSecretKey`), and the
 * annotation naming the cluster (`--name`, `clusterNameAnnotationKey`).
 */
export const CONFIG_SECRET_NAME = 'istio-kubeconfig';
const CONFIG_SECRET_KEY = 'config';
const CLUSTER_NAME_ANNOTATION = 'networking.istio.io/cluster';
/** Istio's default control-plane namespace. */
export const DEFAULT_ISTIO_NAMESPACE = 'istio-system';
/** Install profiles whose cluster runs no istiod of its own and uses a primary's. */
const REMOTE_PROFILES = new Set(['remote', 'external']);

type Reader = Pick<ExtractContext, 'get' | 'placeholder' | 'source'>;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

const stringFact = (r: Reader, path: Path, origin: string): Fact<string> | undefined => {
  const v = r.get(path);
  return typeof v === 'string' && v.trim() !== '' ? { value: v.trim(), source: r.source(path, origin) } : undefined;
};

/**
 * The path of a sidecar-injection URL that holds an unrendered placeholder in its scheme, host or
 * port only (istio.io's external control plane guide writes
 * `https://${EXTERNAL_ISTIOD_ADDR}:15017/inject/:ENV:cluster=cluster2:ENV:net=network2`): the cluster
 * ID and network the path passes to istiod are known although the address is not. Undefined when
 * the URL has no path or its path may hold a placeholder (any character outside a plain URL path).
 */
export function injectionURLPath(url: string): string | undefined {
  const scheme = url.indexOf('://');
  const slash = url.indexOf('/', scheme < 0 ? 0 : scheme + 3);
  const path = slash < 0 ? '' : url.slice(slash);
  return path !== '' && /^[A-Za-z0-9._~:=@%/+-]+$/.test(path) ? path : undefined;
}

/**
 * Where an install writes istiod's environment: an IstioOperator's `components.pilot.k8s.env` list
 * (`{name, value}` items), the `pilot.env` / `env` maps of Helm or Sail values.
 */
export interface EnvShape {
  readonly list?: Path;
  readonly maps: readonly Path[];
}

/** The istiod environment of an IstioOperator (`spec.components.pilot.k8s.env`, `spec.values.pilot.env`). */
export const OPERATOR_ENV: EnvShape = { list: ['spec', 'components', 'pilot', 'k8s', 'env'], maps: [['spec', 'values', 'pilot', 'env']] };
/** The istiod environment of a Sail `Istio` CR (`spec.values.pilot.env`). */
export const SAIL_ENV: EnvShape = { maps: [['spec', 'values', 'pilot', 'env']] };
/** The istiod environment of istiod chart values (`pilot.env`; the 1.24+ chart's top-level `env`). */
export const VALUES_ENV: EnvShape = { maps: [['pilot', 'env'], ['env']] };

/** The value of istiod's environment variable `name` and its path, as written (a string, or a boolean in a map); the list form wins. */
export function istiodEnv(r: Pick<ExtractContext, 'get'>, shape: EnvShape, name: string): { value: string; path: Path } | undefined {
  const items = shape.list && r.get(shape.list);
  if (shape.list && Array.isArray(items)) {
    for (let i = items.length - 1; i >= 0; i--) {
      if (r.get([...shape.list, i, 'name']) !== name) continue;
      const v = r.get([...shape.list, i, 'value']);
      if (typeof v === 'string' || typeof v === 'boolean') return { value: String(v).trim(), path: [...shape.list, i, 'value'] };
    }
  }
  for (const map of shape.maps) {
    const v = r.get([...map, name]);
    if (typeof v === 'string' || typeof v === 'boolean') return { value: String(v).trim(), path: [...map, name] };
  }
  return undefined;
}

/**
 * True when the install runs an external istiod: `EXTERNAL_ISTIOD=true` (istio/istio
 * `pilot/pkg/features`, `ExternalIstiod`: "one Istiod will control remote clusters including CA";
 * istio.io "Install Istio with an External Control Plane" sets it with `CLUSTER_ID` naming the
 * remote config cluster). Its `global.multiCluster.clusterName` and `global.network` then describe
 * the cluster it serves, not the cluster it runs in.
 */
export function isExternalIstiodInstall(r: Pick<ExtractContext, 'get'>, shape: EnvShape): boolean {
  return istiodEnv(r, shape, 'EXTERNAL_ISTIOD')?.value.toLowerCase() === 'true';
}

/** Where the install paths are: the values tree, the profile and the namespace fields. */
interface InstallShape {
  readonly values: Path;
  readonly profile: Path;
  readonly namespace?: Path;
  /** The namespace is the install's own (Helm: the release's) when not written: no default. */
  readonly namespaceFromRelease?: boolean;
  /** IstioOperator `spec.components.pilot.enabled`. */
  readonly pilot?: Path;
  /** Where istiod's environment is written. */
  readonly env: EnvShape;
  readonly label: string;
}

/**
 * The control-plane facts of one install, undefined when it installs no istiod (see the file
 * comment). `remoteChart`: the values are the istiod-remote chart's.
 */
function controlPlane(r: Reader, shape: InstallShape, remoteChart = false): IstioControlPlaneFacts | undefined {
  const v = shape.values;
  const profile = stringFact(r, shape.profile, `${shape.label} profile`);
  const pilot = shape.pilot && r.get(shape.pilot);
  const istiodRemote = r.get([...v, 'istiodRemote', 'enabled']) === true;
  const at = r.source([], shape.label);
  let role: Fact<'primary' | 'remote'>;
  if (profile && REMOTE_PROFILES.has(profile.value)) role = { value: 'remote', source: profile.source };
  else if (istiodRemote) role = { value: 'remote', source: r.source([...v, 'istiodRemote', 'enabled'], `${shape.label} istiodRemote.enabled`) };
  else if (remoteChart) role = { value: 'remote', source: at };
  else if (pilot === false || (profile?.value === 'empty' && pilot !== true)) return undefined;
  else role = profile ? { value: 'primary', source: profile.source } : { value: 'primary', source: at, isDefault: true };
  const g = [...v, 'global'];
  const namespace =
    (shape.namespace && stringFact(r, shape.namespace, `${shape.label} namespace`)) ??
    stringFact(r, [...g, 'istioNamespace'], `${shape.label} global.istioNamespace`) ??
    (shape.namespaceFromRelease ? undefined : { value: DEFAULT_ISTIO_NAMESPACE, source: at, isDefault: true });
  const remotePilotAddress = stringFact(r, [...g, 'remotePilotAddress'], `${shape.label} global.remotePilotAddress`);
  const urlField = [...v, 'istiodRemote', 'injectionURL'];
  const pathField = [...v, 'istiodRemote', 'injectionPath'];
  const injectionURL = stringFact(r, urlField, `${shape.label} istiodRemote.injectionURL`);
  // The webhook calls injectionURL when it is set, else istiod's Service at injectionPath: a URL left to
  // apply time gives its path when only its host is a placeholder, and leaves injectionPath unused.
  const urlText = placeholderAt(r, urlField)?.value;
  const urlPath = urlText === undefined ? undefined : injectionURLPath(urlText);
  const injectionPath =
    urlText === undefined
      ? stringFact(r, pathField, `${shape.label} istiodRemote.injectionPath`)
      : urlPath && { value: urlPath, source: r.source(urlField, `${shape.label} istiodRemote.injectionURL`) };
  const pathUnrendered = urlText === undefined ? !injectionURL && placeholderAt(r, pathField) !== undefined : urlPath === undefined;
  const addressUnrendered = r.placeholder([...g, 'remotePilotAddress']) !== undefined || urlText !== undefined;
  const identityUnrendered = r.placeholder([...g, 'multiCluster', 'clusterName']) !== undefined || pathUnrendered;
  const configCluster = r.get([...g, 'configCluster']) === true ? { value: true, source: r.source([...g, 'configCluster'], `${shape.label} global.configCluster`) } : undefined;
  const meshNetworks = readMeshNetworks(r, [...g, 'meshNetworks'], `${shape.label} global.meshNetworks`);
  const externalEnv = isExternalIstiodInstall(r, shape.env) ? istiodEnv(r, shape.env, 'EXTERNAL_ISTIOD') : undefined;
  const externalIstiod = externalEnv && { value: true, source: r.source(externalEnv.path, `${shape.label} istiod env EXTERNAL_ISTIOD`) };
  const clusterIDEnv = externalIstiod ? istiodEnv(r, shape.env, 'CLUSTER_ID') : undefined;
  const servedClusterID = !externalIstiod
    ? undefined
    : clusterIDEnv && clusterIDEnv.value !== '' && !isPlaceholder(clusterIDEnv.value)
      ? { value: clusterIDEnv.value, source: r.source(clusterIDEnv.path, `${shape.label} istiod env CLUSTER_ID`) }
      : stringFact(r, [...g, 'multiCluster', 'clusterName'], `${shape.label} global.multiCluster.clusterName`);
  return {
    at,
    role,
    namespace,
    ...(profile && { profile }),
    ...(externalIstiod && { externalIstiod }),
    ...(servedClusterID && { servedClusterID }),
    ...(remotePilotAddress && { remotePilotAddress }),
    ...(injectionURL && { injectionURL }),
    ...(injectionPath && { injectionPath }),
    ...(configCluster && { configCluster }),
    addressUnrendered,
    ...(identityUnrendered && { identityUnrendered }),
    ...(meshNetworks && { meshNetworks }),
  };
}

/**
 * `global.meshNetworks` (istio `MeshNetworks`: `networks.<name>.endpoints[].fromRegistry` names a
 * cluster ID whose endpoints are on that network, `fromCidr` a range): one entry per network whose
 * key is not a placeholder; undefined when absent or not a mapping. Networks without `fromRegistry`
 * endpoints have no registries (they place endpoints by CIDR or by the network label).
 */
function readMeshNetworks(r: Reader, path: Path, origin: string): MeshNetworkFacts[] | undefined {
  const map = r.get(path);
  if (!isObject(map)) return undefined;
  // Both forms occur: `meshNetworks: {net1: …}` (values) and `meshNetworks: {networks: {net1: …}}` (MeshNetworks).
  const base = isObject(map.networks) && Object.keys(map).length === 1 ? [...path, 'networks'] : path;
  const networks = r.get(base);
  if (!isObject(networks)) return undefined;
  return Object.keys(networks)
    .filter((name) => !isPlaceholder(name))
    .map((name) => {
      const endpoints = r.get([...base, name, 'endpoints']);
      const registries = (Array.isArray(endpoints) ? endpoints : []).flatMap(
        (_, i) => stringFact(r, [...base, name, 'endpoints', i, 'fromRegistry'], `${origin} fromRegistry`) ?? [],
      );
      return { name: { value: name, source: { ...r.source([...base, name], origin), key: true } }, registries };
    });
}

/** `clusters[].cluster.server` of a kubeconfig text; undefined when it holds a placeholder; [] when it does not parse. */
function kubeconfigServers(text: string): string[] | undefined {
  if (isPlaceholder(text)) return undefined;
  let doc: unknown;
  try {
    doc = parse(text);
  } catch {
    return [];
  }
  const clusters = isObject(doc) && Array.isArray(doc.clusters) ? (doc.clusters as unknown[]) : [];
  return clusters.flatMap((c) => {
    const server = isObject(c) && isObject(c.cluster) ? c.cluster.server : undefined;
    return typeof server === 'string' && server.trim() !== '' ? [server.trim()] : [];
  });
}

const BASE64 = /^[A-Za-z0-9+/=\s]*$/;

/** Reads a remote secret (see the file comment); other Secrets are ignored. */
function remoteSecret(ctx: ExtractContext): void {
  const label = ctx.get(['metadata', 'labels', MULTI_CLUSTER_SECRET_LABEL]);
  if (label !== 'true' && label !== true) return;
  const entries = new Map<string, IstioRemoteSecretEntry>();
  let unrendered = false;
  // stringData is merged over data by the API server: read it first, so its keys win.
  for (const field of ['stringData', 'data'] as const) {
    const map = ctx.get([field]);
    if (!isObject(map)) {
      if (ctx.placeholder([field]) !== undefined) unrendered = true;
      continue;
    }
    for (const key of Object.keys(map)) {
      const raw = ctx.get([field, key]);
      if (isPlaceholder(key) || typeof raw !== 'string') {
        unrendered ||= isPlaceholder(key) || ctx.placeholder([field, key]) !== undefined;
        continue;
      }
      if (entries.has(key)) continue;
      if (field === 'data' && !BASE64.test(raw)) {
        unrendered = true;
        continue;
      }
      const servers = kubeconfigServers(field === 'data' ? Buffer.from(raw, 'base64').toString('utf8') : raw);
      if (servers === undefined) {
        unrendered = true;
        continue;
      }
      const place: Source = ctx.source([field, key], `remote secret ${field} kubeconfig`);
      const keyPlace: Source = { ...ctx.source([field, key], `remote secret ${field} key`), key: true };
      entries.set(key, { clusterID: { value: key, source: keyPlace }, servers: servers.filter((s) => !isPlaceholder(s)).map((value) => ({ value, source: place })) });
    }
  }
  const name = stringFact(ctx, ['metadata', 'name'], 'Secret metadata.name') ?? { value: ctx.object.name ?? '', source: ctx.source([], 'Secret') };
  // `--type config`: the config cluster's kubeconfig an external istiod mounts, not a cluster ID.
  const configEntry = name.value === CONFIG_SECRET_NAME ? entries.get(CONFIG_SECRET_KEY) : undefined;
  if (configEntry) entries.delete(CONFIG_SECRET_KEY);
  const config = configEntry && {
    cluster: stringFact(ctx, ['metadata', 'annotations', CLUSTER_NAME_ANNOTATION], `Secret annotation ${CLUSTER_NAME_ANNOTATION}`),
    key: configEntry.clusterID.source,
    servers: configEntry.servers,
  };
  ctx.cluster.istioRemoteSecrets.push({
    object: ctx.object,
    name,
    namespace: stringFact(ctx, ['metadata', 'namespace'], 'Secret metadata.namespace'),
    entries: [...entries.values()],
    unrendered,
    ...(config && { config }),
  });
}

/** Reads IstioOperator and Sail `Istio` control planes and remote Secrets. */
export const istioMulticlusterSource: FactSource = {
  id: 'istio-multicluster',
  handles: ['install.istio.io/IstioOperator', 'sailoperator.io/Istio', 'core/Secret'],
  extract(ctx) {
    if (ctx.object.kind === 'Secret') return remoteSecret(ctx);
    const label = ctx.object.kind === 'IstioOperator' ? 'IstioOperator spec' : 'Istio spec';
    const operator = ctx.object.kind === 'IstioOperator';
    const pilot = operator ? ['spec', 'components', 'pilot', 'enabled'] : undefined;
    const env = operator ? OPERATOR_ENV : SAIL_ENV;
    const plane = controlPlane(ctx, { values: ['spec', 'values'], profile: ['spec', 'profile'], namespace: ['spec', 'namespace'], pilot, env, label });
    if (plane) ctx.cluster.istioControlPlanes.push(plane);
  },
};

const CONTROL_PLANE_CHARTS = /^(?:istiod|istio-discovery|istio-control)$/i;

/**
 * Helm values of the istiod chart (`profile`, `global.istioNamespace`, `global.remotePilotAddress`,
 * `istiodRemote.*`) and of the istiod-remote chart. Values of an unnamed chart count when they hold
 * `istiodRemote`, `pilot`, `global.remotePilotAddress`, `global.meshID` or `global.multiCluster`
 * and no gateway (`networkGateway`, `service`) or CNI settings.
 */
export const istioMulticlusterValuesSource: ValuesSource = {
  id: 'istio-multicluster-values',
  extract(ctx: ValuesContext) {
    const chart = ctx.chart;
    const remoteChart = chart !== undefined && /^istiod-remote$/i.test(chart);
    if (chart !== undefined && !remoteChart && !CONTROL_PLANE_CHARTS.test(chart)) {
      if (chartProject(chart) !== undefined) return;
    }
    if (chart === undefined || !CONTROL_PLANE_CHARTS.test(chart)) {
      const g = ctx.get(['global']);
      const signs = isObject(ctx.get(['istiodRemote'])) || isObject(ctx.get(['pilot'])) || (isObject(g) && ('remotePilotAddress' in g || 'meshID' in g || 'multiCluster' in g));
      const other = ['networkGateway', 'service', 'cni', 'cluster'].some((k) => ctx.get([k]) !== undefined);
      if (!remoteChart && (!signs || other)) return;
    }
    const plane = controlPlane(ctx, { values: [], profile: ['profile'], namespaceFromRelease: true, env: VALUES_ENV, label: 'Helm values' }, remoteChart);
    if (plane) ctx.cluster.istioControlPlanes.push(plane);
  },
};
