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
 * Defaults apply to absent settings only: a setting (or parent, or the IPAM mode) holding an
 * unrendered placeholder is unknown, so it gives neither a fact nor Cilium's default.
 */
import type { Path } from '../../base/types.js';
import { splitCidrList } from '../../base/cidr.js';
import type { CiliumFacts, Fact } from '../types.js';
import { cidrFacts, cidrFactsOrDefault, identityFact, placeholderAt, stringFact, unrendered, type FieldReader } from './facts.js';
import type { ClusterDraft, FactSource, ValuesSource } from './types.js';
import { chartProject } from '../values.js';

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
    if (!isRecord(root) || !isRecord(cluster)) return;
    if (!('name' in cluster || 'id' in cluster)) return;
    // Values known to be the cilium chart's need no further sign.
    if (!(project === 'cilium' || 'clustermesh' in root || 'ipam' in root)) return;
    read(ctx, ctx.cluster, VALUES);
  },
};

/** Reads the `cilium-config` ConfigMap. */
export const ciliumConfigMapSource: FactSource = {
  id: 'cilium-config',
  handles: ['core/ConfigMap'],
  extract(ctx) {
    if (ctx.object.name !== 'cilium-config') return;
    read(ctx, ctx.cluster, CONFIG_MAP);
  },
};
