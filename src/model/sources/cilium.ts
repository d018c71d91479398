/**
 * Cilium installations (cilium/cilium `install/kubernetes/cilium/values.yaml` and the
 * `cilium-config` ConfigMap the chart renders from it):
 * - Helm values, recognised by a top-level `cluster` mapping with `name` or `id` next to
 *   `clustermesh` or `ipam`: `cluster.name`, `cluster.id`, `clustermesh.maxConnectedClusters`,
 *   `ipam.mode` (default `cluster-pool`) with `ipam.operator.clusterPoolIPv4PodCIDRList` (default
 *   `["10.0.0.0/8"]`), `routingMode`, `ipv4NativeRoutingCIDR`.
 * - ConfigMap `cilium-config`: `cluster-name`, `cluster-id`, `max-connected-clusters`, `ipam`,
 *   `cluster-pool-ipv4-cidr` (space-separated), `routing-mode`, `tunnel`,
 *   `ipv4-native-routing-cidr`.
 * - Helm values, for `cilium-values` and `cilium-clustermesh-config`: the top-level keys and the
 *   removed or renamed keys set (`CILIUM_VALUES_KEYS`), `clustermesh.config` and
 *   `clustermesh.apiserver.service.type`.
 * - Secret `cilium-clustermesh` (the chart's `templates/clustermesh-config/clustermesh-secret.yaml`,
 *   mounted at `/var/lib/cilium/clustermesh`): its keys, and for each etcd config key (text with
 *   `endpoints:`) the files it names there (`trusted-ca-file`, `key-file`, `cert-file`).
 * - Flux HelmRelease / Argo CD Application: chart, version and `valuesFrom` (`chartReleaseSource`);
 *   ConfigMaps whose `values.yaml` key holds Cilium values.
 * Defaults apply to absent settings only: a setting (or parent, or the IPAM mode) holding an
 * unrendered placeholder is unknown, so it gives neither a fact nor Cilium's default.
 */
import type { Path } from '../../base/types.js';
import { splitCidrList } from '../../base/cidr.js';
import type { ChartReleaseFacts, CiliumFacts, CiliumMeshConfigFacts, CiliumMeshSecretKey, CiliumValuesFacts, Fact } from '../types.js';
import { cidrFacts, cidrFactsOrDefault, identityFact, placeholderAt, stringFact, unrendered, type FieldReader } from './facts.js';
import type { ClusterDraft, ExtractContext, FactSource, ValuesContext, ValuesSource } from './types.js';
import { CILIUM_KEY_CHANGES } from '../cilium-values.js';
import { chartName, chartProject, parseValuesText } from '../values.js';

/** Cilium's default cluster-pool pod CIDR list. */
export const CILIUM_DEFAULT_POD_CIDRS = ['10.0.0.0/8'] as const;

/** Field paths of the two shapes Cilium is configured in. */
interface Shape {
  readonly name: Path;
  readonly id: Path;
  readonly maxConnected: Path;
  readonly ipamMode: Path;
  readonly podCIDRs: Path;
  readonly routingMode: Path;
  readonly tunnel: Path;
  readonly nativeRoutingCIDR: Path;
  readonly defaultGlobalNamespace: Path;
  readonly label: string;
  readonly cidrSeparator: RegExp;
}

const VALUES: Shape = {
  name: ['cluster', 'name'],
  id: ['cluster', 'id'],
  maxConnected: ['clustermesh', 'maxConnectedClusters'],
  ipamMode: ['ipam', 'mode'],
  podCIDRs: ['ipam', 'operator', 'clusterPoolIPv4PodCIDRList'],
  routingMode: ['routingMode'],
  tunnel: ['tunnel'],
  nativeRoutingCIDR: ['ipv4NativeRoutingCIDR'],
  defaultGlobalNamespace: ['clustermesh', 'defaultGlobalNamespace'],
  label: 'Cilium values',
  cidrSeparator: /,/,
};

const CONFIG_MAP: Shape = {
  name: ['data', 'cluster-name'],
  id: ['data', 'cluster-id'],
  maxConnected: ['data', 'max-connected-clusters'],
  ipamMode: ['data', 'ipam'],
  podCIDRs: ['data', 'cluster-pool-ipv4-cidr'],
  routingMode: ['data', 'routing-mode'],
  tunnel: ['data', 'tunnel'],
  nativeRoutingCIDR: ['data', 'ipv4-native-routing-cidr'],
  defaultGlobalNamespace: ['data', 'clustermesh-default-global-namespace'],
  label: 'cilium-config',
  cidrSeparator: /[\s,]+/,
};

/** An integer field (a number, or a decimal string as ConfigMaps hold them) as a fact. */
function integerFact(reader: FieldReader, path: Path, origin: string): Fact<number> | undefined {
  const v = reader.get(path);
  const n = typeof v === 'number' ? v : typeof v === 'string' && /^-?\d+$/.test(v.trim()) ? Number(v) : undefined;
  return n !== undefined && Number.isInteger(n) ? { value: n, source: reader.source(path, origin) } : undefined;
}

/** A boolean field (a boolean, or "true"/"false" as ConfigMaps hold them) as a fact. */
function booleanFact(reader: FieldReader, path: Path, origin: string): Fact<boolean> | undefined {
  const v = reader.get(path);
  const b = typeof v === 'boolean' ? v : v === 'true' ? true : v === 'false' ? false : undefined;
  return b === undefined ? undefined : { value: b, source: reader.source(path, origin) };
}

/** How a value is shown in a problem message: JSON for scalars, its kind for collections. */
const shown = (v: unknown) => (Array.isArray(v) ? 'a list' : typeof v === 'object' && v !== null ? 'a mapping' : JSON.stringify(v));

/**
 * Records malformed Cilium settings (values and ConfigMaps have no schema): a cluster name that is
 * not a string, a cluster ID that is not an integer, `maxConnectedClusters` other than 255/511,
 * CIDR settings that do not parse. Cilium's agent refuses to start with any of them.
 */
function validate(reader: FieldReader, cluster: ClusterDraft, shape: Shape, field: (path: Path) => string): void {
  const problem = (path: Path, message: string) => cluster.valueProblems.push({ at: reader.source(path, field(path)), message: `${field(path)} ${message}` });
  const name = reader.get(shape.name);
  if (name !== undefined && typeof name !== 'string') problem(shape.name, `must be a string, found ${shown(name)}`);
  const id = reader.get(shape.id);
  if (id !== undefined && !(typeof id === 'number' ? Number.isInteger(id) : typeof id === 'string' && /^\s*-?\d+\s*$/.test(id))) {
    problem(shape.id, `must be an integer (1 to 255, or to 511 with maxConnectedClusters 511), found ${shown(id)}`);
  }
  const max = reader.get(shape.maxConnected);
  if (max !== undefined && max !== 255 && max !== 511 && max !== '255' && max !== '511') problem(shape.maxConnected, `must be 255 or 511, found ${shown(max)}`);
  for (const path of [shape.nativeRoutingCIDR, shape.podCIDRs]) {
    const v = reader.get(path);
    if (v === undefined) continue;
    const items = typeof v === 'string' ? v.split(shape.cidrSeparator) : Array.isArray(v) ? v : [v];
    const bad = items.filter((x) => !(typeof x === 'string' && (x.trim() === '' || splitCidrList(x).every((e) => e.cidr !== undefined))));
    if (bad.length > 0) problem(path, `must hold valid CIDRs, found ${bad.map(shown).join(', ')}`);
  }
}

function read(reader: FieldReader, cluster: ClusterDraft, shape: Shape): void {
  const field = (path: Path) => `${shape.label} ${path.slice(shape === CONFIG_MAP ? 1 : 0).join('.')}`;
  validate(reader, cluster, shape, field);
  const routingMode = stringFact(reader, shape.routingMode, field(shape.routingMode));
  const tunnel = reader.get(shape.tunnel);
  const nativeRoutingCIDR = cidrFacts(reader, shape.nativeRoutingCIDR, field(shape.nativeRoutingCIDR))[0];
  const clusterName = identityFact(reader, shape.name, field(shape.name));
  // Placeholder identity settings are unknown, not Cilium's defaults (name `default`, ID 0).
  const nameUnknown = clusterName === undefined && placeholderAt(reader, shape.name) !== undefined;
  const idUnknown = unrendered(reader, shape.id, field(shape.id), 'identity') !== undefined;
  const facts: CiliumFacts = {
    at: reader.source([], shape.label),
    clusterName: clusterName?.value === '' ? undefined : clusterName,
    clusterID: integerFact(reader, shape.id, field(shape.id)),
    maxConnectedClusters: integerFact(reader, shape.maxConnected, field(shape.maxConnected)),
    routingMode: routingMode ?? (tunnel === 'disabled' ? { value: 'native', source: reader.source(shape.tunnel, field(shape.tunnel)) } : undefined),
    nativeRoutingCIDR,
    clusterMesh: shape === VALUES && reader.get(['clustermesh']) !== undefined,
    defaultGlobalNamespace: booleanFact(reader, shape.defaultGlobalNamespace, field(shape.defaultGlobalNamespace)),
    ...((nameUnknown || idUnknown) && { unrendered: [...(nameUnknown ? ['clusterName' as const] : []), ...(idUnknown ? ['clusterID' as const] : [])] }),
  };
  cluster.cilium.push(facts);
  const mode = reader.get(shape.ipamMode);
  // An IPAM mode left to apply time (`ipam.mode: ${MODE}`, `ipam: ${IPAM}`) leaves the pool unknown.
  if ((mode !== undefined && mode !== 'cluster-pool') || placeholderAt(reader, shape.ipamMode) !== undefined) return;
  const fallback =
    shape === VALUES
      ? { at: reader.get(['ipam']) === undefined ? ['cluster'] : ['ipam'], origin: 'Cilium default clusterPoolIPv4PodCIDRList', texts: CILIUM_DEFAULT_POD_CIDRS }
      : undefined;
  cluster.network.podCIDRs.push(...cidrFactsOrDefault(reader, shape.podCIDRs, field(shape.podCIDRs), fallback, shape.cidrSeparator));
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Reads Cilium Helm values documents (see the file comment for how they are recognised). */
export const ciliumValuesSource: ValuesSource = {
  id: 'cilium-values',
  extract(ctx) {
    const project = chartProject(ctx.chart);
    if (project === 'istio') return;
    const root = ctx.get([]);
    const cluster = ctx.get(['cluster']);
    if (!isRecord(root)) return;
    const named = isRecord(cluster) && ('name' in cluster || 'id' in cluster);
    // Values known to be the cilium chart's need no further sign.
    const cilium = named && (project === 'cilium' || 'clustermesh' in root || 'ipam' in root);
    if (cilium || project === 'cilium' || ciliumSigns(root)) ctx.cluster.ciliumValues.push(valuesFacts(ctx, root));
    if (cilium) read(ctx, ctx.cluster, VALUES);
  },
};

/** Reads the `cilium-config` ConfigMap, and notes ConfigMaps whose `values.yaml` holds Cilium values. */
export const ciliumConfigMapSource: FactSource = {
  id: 'cilium-config',
  handles: ['core/ConfigMap'],
  extract(ctx) {
    wrappedValues(ctx);
    if (ctx.object.name !== 'cilium-config') return;
    read(ctx, ctx.cluster, CONFIG_MAP);
  },
};

/**
 * Top-level keys only the cilium chart has: values without a chart and without `cluster.name` are
 * taken for Cilium's when they set two of them.
 */
const CILIUM_SIGNS = [
  'kubeProxyReplacement',
  'hubble',
  'routingMode',
  'tunnelProtocol',
  'tunnel',
  'clustermesh',
  'k8sServiceHost',
  'l2announcements',
  'bgpControlPlane',
  'ipv4NativeRoutingCIDR',
  'autoDirectNodeRoutes',
  'ipam',
];

/** True when a values mapping sets two keys only the cilium chart has (see `CILIUM_SIGNS`). */
export function ciliumSigns(root: Record<string, unknown>): boolean {
  return CILIUM_SIGNS.filter((k) => k in root).length >= 2;
}

/** A value the chart's `if .Values.x` / `dig` acts on: set, not false, 0 or an empty string, list or mapping. */
const truthy = (v: unknown) => v !== undefined && v !== false && v !== 0 && v !== '' && !(Array.isArray(v) && v.length === 0) && !(isRecord(v) && Object.keys(v).length === 0);

/** A fact pointing at the key of the last segment of `path`. */
function keyFact(reader: FieldReader, path: Path, value: string): Fact<string> {
  return { value, source: { ...reader.source(path, `Cilium values ${value}`), key: true } };
}

/** The `CiliumValuesFacts` of one set of values (`root` is its merged top level). */
function valuesFacts(ctx: ValuesContext, root: Record<string, unknown>): CiliumValuesFacts {
  const changedKeys: Fact<string>[] = [];
  for (const change of CILIUM_KEY_CHANGES) {
    const path = change.key.split('.');
    if (truthy(ctx.get(path)) || ctx.placeholder(path) !== undefined) changedKeys.push(keyFact(ctx, path, change.key));
  }
  const useAPIServer = ctx.get(['clustermesh', 'useAPIServer']);
  const type = ctx.get(['clustermesh', 'apiserver', 'service', 'type']);
  const apiserverServiceType: Fact<string> | undefined =
    useAPIServer !== true && useAPIServer !== 'true'
      ? undefined
      : typeof type === 'string'
        ? { value: type, source: ctx.source(['clustermesh', 'apiserver', 'service', 'type'], 'Cilium values clustermesh.apiserver.service.type') }
        : type === undefined && ctx.placeholder(['clustermesh', 'apiserver', 'service', 'type']) === undefined
          ? {
              value: 'NodePort',
              isDefault: true,
              source: ctx.source(
                isRecord(ctx.get(['clustermesh', 'apiserver', 'service'])) ? ['clustermesh', 'apiserver', 'service'] : ['clustermesh', 'useAPIServer'],
                'Cilium chart default clustermesh.apiserver.service.type',
              ),
            }
          : undefined;
  return {
    at: ctx.source([], 'Cilium values'),
    ...(ctx.chart !== undefined && { chart: ctx.chart }),
    keys: Object.keys(root).map((k) => keyFact(ctx, [k], k)),
    changedKeys,
    ...(meshConfig(ctx) && { meshConfig: meshConfig(ctx) }),
    ...(apiserverServiceType && { apiserverServiceType }),
  };
}

/** `clustermesh.config` of the values, when it is a mapping. */
function meshConfig(ctx: ValuesContext): CiliumMeshConfigFacts | undefined {
  const config = ctx.get(['clustermesh', 'config']);
  if (!isRecord(config)) return undefined;
  const list = ctx.get(['clustermesh', 'config', 'clusters']);
  const clusters: Fact<string>[] = [];
  if (Array.isArray(list)) {
    list.forEach((c, i) => {
      const name = stringFact(ctx, ['clustermesh', 'config', 'clusters', i, 'name'], 'Cilium values clustermesh.config.clusters[].name');
      if (name && name.value !== '') clusters.push(name);
    });
  }
  const enabled = ctx.get(['clustermesh', 'config', 'enabled']);
  return { enabled: enabled === true || enabled === 'true', at: ctx.source(['clustermesh', 'config', 'clusters'], 'Cilium values clustermesh.config.clusters'), clusters };
}

/** The Secret the chart renders from `clustermesh.config` and `cilium clustermesh connect` writes. */
export const CILIUM_CLUSTERMESH_SECRET = 'cilium-clustermesh';
/** Where the agent mounts that Secret (cilium `pkg/clustermesh`, `--clustermesh-config`). */
const CLUSTERMESH_DIR = '/var/lib/cilium/clustermesh/';

/** The text of a Secret key: `stringData` wins over base64 `data`; undefined when it is neither. */
function secretText(ctx: ExtractContext, key: string): string | undefined {
  const plain = ctx.get(['stringData', key]);
  if (typeof plain === 'string') return plain;
  const data = ctx.get(['data', key]);
  if (typeof data !== 'string' || !/^[A-Za-z0-9+/=\s]*$/.test(data)) return undefined;
  return Buffer.from(data, 'base64').toString('utf8');
}

/**
 * Reads a `cilium-clustermesh` Secret: every key, and for each etcd config (the agent takes a file
 * for a remote cluster's config when it holds `endpoints:`, and names the cluster after the file)
 * the files it names under `/var/lib/cilium/clustermesh/`. Key material is never kept.
 */
export const ciliumMeshSecretSource: FactSource = {
  id: 'cilium-clustermesh-secret',
  handles: ['core/Secret'],
  extract(ctx) {
    if (ctx.object.name !== CILIUM_CLUSTERMESH_SECRET) return;
    const keys: CiliumMeshSecretKey[] = [];
    for (const field of ['data', 'stringData']) {
      const map = ctx.get([field]);
      if (!isRecord(map)) continue;
      for (const key of Object.keys(map)) {
        if (keys.some((k) => k.key === key)) continue;
        const text = secretText(ctx, key);
        const source = { ...ctx.source([field, key], `Secret ${CILIUM_CLUSTERMESH_SECRET} ${key}`), key: true };
        if (text === undefined || !/^endpoints:/m.test(text)) {
          keys.push({ key, source });
          continue;
        }
        const config = parseValuesText(ctx.object.file, text);
        const files = ['trusted-ca-file', 'key-file', 'cert-file']
          .map((f) => config?.[f])
          .filter((f): f is string => typeof f === 'string' && f.startsWith(CLUSTERMESH_DIR))
          .map((f) => f.slice(CLUSTERMESH_DIR.length));
        keys.push({ key, source, files });
      }
    }
    ctx.cluster.ciliumMeshSecrets.push({ at: ctx.source([], `Secret ${CILIUM_CLUSTERMESH_SECRET}`), keys });
  },
};

/** Notes a ConfigMap whose `values.yaml` key holds Cilium values (recognised as the values source does, or by Cilium-only keys). */
function wrappedValues(ctx: ExtractContext): void {
  const text = ctx.get(['data', 'values.yaml']);
  if (typeof text !== 'string') return;
  const body = parseValuesText(ctx.object.file, text);
  if (!body) return;
  const cluster = body.cluster;
  const named = isRecord(cluster) && ('name' in cluster || 'id' in cluster) && ('clustermesh' in body || 'ipam' in body);
  if ((!named && !ciliumSigns(body)) || ctx.object.name === undefined) return;
  ctx.cluster.ciliumWrappedValues.push({
    name: ctx.object.name,
    key: 'values.yaml',
    source: { ...ctx.source(['data', 'values.yaml'], `ConfigMap ${ctx.object.name} values.yaml`), key: true },
  });
}

/**
 * Reads the chart, version and `valuesFrom` of Flux HelmReleases (`spec.chart.spec.chart` and
 * `.version`, `spec.chartRef.name`; fluxcd/helm-controller `api/v2`) and Argo CD Applications
 * (`spec.source` / `spec.sources[]` `chart` and `targetRevision`).
 */
export const chartReleaseSource: FactSource = {
  id: 'chart-release',
  handles: ['helm.toolkit.fluxcd.io/HelmRelease', 'argoproj.io/Application'],
  extract(ctx) {
    const releases: ChartReleaseFacts[] = [];
    const at = ctx.source([], `${ctx.object.kind} ${ctx.object.name}`);
    const version = (path: Path) => stringFact(ctx, path, `${ctx.object.kind} ${ctx.object.name} ${path.join('.')}`);
    if (ctx.object.kind === 'HelmRelease') {
      const refs = ctx.get(['spec', 'valuesFrom']);
      const valuesFrom = (Array.isArray(refs) ? refs : []).filter(isRecord).map((r) => `${String(r.kind)}/${String(r.name)}`);
      const chart = chartName(ctx.get(['spec', 'chart', 'spec', 'chart'])) ?? chartName(ctx.get(['spec', 'chartRef', 'name']));
      const v = version(['spec', 'chart', 'spec', 'version']);
      releases.push({ at, ...(chart && { chart }), ...(v && { version: v }), valuesFrom });
    } else {
      const sources = ctx.get(['spec', 'sources']);
      const paths: Path[] = Array.isArray(sources) ? sources.map((_, i) => ['spec', 'sources', i]) : [['spec', 'source']];
      for (const p of paths) {
        const chart = chartName(ctx.get([...p, 'chart']));
        if (!chart) continue;
        const v = version([...p, 'targetRevision']);
        releases.push({ at, chart, ...(v && { version: v }), valuesFrom: [] });
      }
    }
    ctx.cluster.chartReleases.push(...releases);
  },
};
