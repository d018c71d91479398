/**
 * Multi-Cluster Services analysis shared by the MCS rules: which ServiceExports a controller will
 * accept, their precedence, and the ServiceImport ports the controllers derive from them.
 *
 * Upstream behaviour mirrored:
 * - KEP-1645 (kubernetes/enhancements `keps/sig-multicluster/1645-multi-cluster-services-api`)
 *   and its conformance suite (kubernetes-sigs/mcs-api `conformance/service_import.go`): the
 *   ServiceImport exposes the union of the exported ports; on conflict the oldest ServiceExport
 *   wins, and every constituent ServiceExport gets `Conflict=True`.
 * - Cilium (`pkg/clustermesh/mcsapi/serviceimport_controller.go`, `mergePorts`): exports ordered
 *   by `creationTimestamp`, then cluster name; a port name already taken with another
 *   port/protocol is dropped; a (port, protocol) already taken under another name or
 *   appProtocol keeps the older definition.
 * - Submariner Lighthouse (`pkg/agent/controller/service_import_conflict.go`): same precedence;
 *   the ports are the union by port name, and any export whose port set differs from the oldest
 *   one is a port conflict.
 */
import type { Place } from '../base/types.js';
import { fieldPlace } from './describe.js';
import { mcsImplementationOf } from './index.js';
import type { ClusterModel, ClusterSetModel, ExportedService, McsImplementation, ServiceFacts, ServicePortFacts, Source } from './types.js';
import { viewKey, viewOf } from './views/cache.js';

/** Cilium's namespace annotation that makes a namespace's services shareable in a Cluster Mesh. */
export const CILIUM_GLOBAL_NAMESPACE = 'clustermesh.cilium.io/global';

/** Whether Cilium treats `namespace` of `cluster` as global, and the fact that decides it. */
export function ciliumNamespaceGlobal(cluster: ClusterModel, namespace: string | undefined): { global: boolean; because?: Source } {
  const ns = namespace === undefined ? undefined : cluster.namespaces.get(namespace);
  const value = ns?.annotations[CILIUM_GLOBAL_NAMESPACE];
  if (ns && value !== undefined) {
    const o = ns.object;
    return {
      global: value.toLowerCase() === 'true',
      because: {
        ...fieldPlace(o, 'metadata', 'annotations', CILIUM_GLOBAL_NAMESPACE),
        cluster: cluster.name,
        object: o,
        origin: `Namespace annotation ${CILIUM_GLOBAL_NAMESPACE}`,
      },
    };
  }
  const byDefault = cluster.cilium.find((c) => c.defaultGlobalNamespace !== undefined)?.defaultGlobalNamespace;
  return byDefault ? { global: byDefault.value, because: byDefault.source } : { global: true };
}

/** An export the cluster's controller accepts (Valid=True), with what decides its precedence. */
export interface AcceptedExport extends ExportedService {
  readonly service: ServiceFacts;
  readonly implementation: McsImplementation;
}

/** One `namespace/name` exported by two or more clusters, exports in precedence order. */
export interface MultiClusterService {
  readonly key: string;
  readonly namespace: string | undefined;
  readonly name: string;
  readonly exports: readonly AcceptedExport[];
  /** `lighthouse` when every exporting cluster runs Lighthouse, else the KEP/Cilium algorithm. */
  readonly mode: 'lighthouse' | 'kep';
}

/** Why an export is not accepted, or undefined when its controller accepts it. */
export function exportRejection(e: ExportedService, implementation = mcsImplementationOf(e.cluster)): string | undefined {
  const s = e.service;
  if (!s) return 'NoService';
  if (s.type.value === 'ExternalName') return 'InvalidServiceType';
  if (implementation === 'lighthouse' && s.type.value !== 'ClusterIP') return 'UnsupportedServiceType';
  if (implementation === 'cilium' && !ciliumNamespaceGlobal(e.cluster, s.namespace ?? e.export.namespace).global) return 'NamespaceNotGlobal';
  return undefined;
}

/**
 * Orders exports as the controllers do: oldest `creationTimestamp` first (exports without one come
 * after those with one, as Lighthouse treats an unparseable timestamp), ties by cluster name.
 */
export function byPrecedence(a: ExportedService, b: ExportedService): number {
  const ta = a.export.creationTimestamp?.ms ?? Number.POSITIVE_INFINITY;
  const tb = b.export.creationTimestamp?.ms ?? Number.POSITIVE_INFINITY;
  if (ta !== tb) return ta < tb ? -1 : 1;
  return a.cluster.name < b.cluster.name ? -1 : a.cluster.name > b.cluster.name ? 1 : 0;
}

/**
 * Every `namespace/name` that two or more clusters (`minClusters`) of the set export with an
 * accepted export, sorted by key. A cluster that ships the same export twice (tutorial alternatives) counts once.
 */
export function multiClusterServices(set: ClusterSetModel, minClusters = 2): MultiClusterService[] {
  const all = allClusterSetServices(set);
  return minClusters <= 1 ? all : all.filter((m) => m.exports.length >= minClusters);
}

const ALL_SERVICES = viewKey<MultiClusterService[]>('multi-cluster services');

/** Every exported `namespace/name` of a set, a view built once per set (several rules ask). */
function allClusterSetServices(set: ClusterSetModel): MultiClusterService[] {
  return viewOf(set, ALL_SERVICES, () => buildClusterSetServices(set));
}

function buildClusterSetServices(set: ClusterSetModel): MultiClusterService[] {
  const out: MultiClusterService[] = [];
  const implementations = new Map(set.clusters.map((c) => [c, mcsImplementationOf(c)]));
  for (const key of [...set.exportsByKey.keys()].sort()) {
    const seen = new Set<string>();
    const exports: AcceptedExport[] = [];
    for (const e of set.exportsByKey.get(key)!) {
      if (seen.has(e.cluster.name)) continue;
      const implementation = implementations.get(e.cluster) ?? mcsImplementationOf(e.cluster);
      if (exportRejection(e, implementation) !== undefined) continue;
      seen.add(e.cluster.name);
      // A literal of fixed shape (a spread copies key by key, and gives each copy its own shape).
      exports.push({ cluster: e.cluster, export: e.export, service: e.service!, implementation });
    }
    if (exports.length === 0) continue;
    exports.sort(byPrecedence);
    const first = exports[0];
    out.push({
      key,
      namespace: first.service.namespace ?? first.export.namespace,
      name: first.export.name,
      exports,
      mode: exports.every((e) => e.implementation === 'lighthouse') ? 'lighthouse' : 'kep',
    });
  }
  return out;
}

/** `namespace/name` for messages, or `name (namespace chosen at apply time)`. */
export function serviceLabel(mcs: { namespace: string | undefined; name: string }): string {
  return mcs.namespace === undefined ? `"${mcs.name}" (namespace chosen at apply time)` : `"${mcs.namespace}/${mcs.name}"`;
}

/** A Service port in an export, with its cluster. */
export interface ExportedPort {
  readonly exp: AcceptedExport;
  readonly port: ServicePortFacts & { readonly port: number };
  /** The port name, '' when unnamed (a Service with a single port may leave it out). */
  readonly name: string;
}

/** How a port disagrees with the winning definition. */
export type PortConflictKind = 'name-port' | 'port-name' | 'appProtocol';

/** A port that loses to an older export's definition. */
export interface PortConflict {
  readonly kind: PortConflictKind;
  readonly port: ExportedPort;
  /** The older definition that wins. */
  readonly winner: ExportedPort;
}

/** A ServiceImport port that only some exporting clusters have. */
export interface PartialPort {
  readonly port: ExportedPort;
  /** Exporting clusters whose Service has neither this port's name nor its (protocol, port). */
  readonly missingIn: readonly AcceptedExport[];
}

/** The merge result: the ServiceImport's ports, the conflicts, and the ports some clusters lack. */
export interface PortMerge {
  readonly ports: readonly ExportedPort[];
  readonly conflicts: readonly PortConflict[];
  readonly partial: readonly PartialPort[];
}

const samePort = (a: ExportedPort, b: ExportedPort) => a.port.port === b.port.port && a.port.protocol === b.port.protocol;

/** True when two Services list the same ports (name, number, protocol; with `appProtocol`, that too) in the same order. */
function samePortList(a: readonly ServicePortFacts[], b: readonly ServicePortFacts[], appProtocol = false): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    if (a[i].name !== b[i].name || a[i].port !== b[i].port || a[i].protocol !== b[i].protocol) return false;
    if (appProtocol && (a[i].appProtocol ?? '') !== (b[i].appProtocol ?? '')) return false;
  }
  return true;
}

/**
 * Merges the exports' Service ports (see the file comment for the upstream algorithms).
 * Ports without a valid `port` number are skipped (the `schema` rule reports them).
 */
export function mergePorts(mcs: MultiClusterService): PortMerge {
  // The common case: every export lists the first one's ports. The merge of the first export alone
  // then is the whole merge, when it has no conflict of its own (two ports of one name or number).
  const first = mcs.exports[0];
  if (mcs.exports.length > 1 && mcs.exports.every((e) => samePortList(e.service.ports, first.service.ports, true))) {
    const alone = mergePorts({ ...mcs, exports: [first] });
    const numbered = first.service.ports.filter((p) => p.port !== undefined).length;
    if (alone.conflicts.length === 0 && alone.ports.length === numbered && new Set(alone.ports.map((p) => p.name)).size === numbered) return alone;
  }
  const merged: ExportedPort[] = [];
  const byName = new Map<string, ExportedPort>();
  const byNumber = new Map<string, ExportedPort>();
  const conflicts: PortConflict[] = [];
  const all: ExportedPort[] = [];
  for (const exp of mcs.exports) {
    const ports = exp.service.ports;
    for (let i = 0; i < ports.length; i++) {
      const p = ports[i];
      if (p.port === undefined) continue;
      const port: ExportedPort = { exp, port: p as ExportedPort['port'], name: p.name ?? '' };
      all.push(port);
      const named = byName.get(port.name);
      if (named && !samePort(named, port)) {
        conflicts.push({ kind: 'name-port', port, winner: named });
        continue;
      }
      const numberKey = `${p.protocol}/${p.port}`;
      const similar = byNumber.get(numberKey);
      if (!similar) {
        byNumber.set(numberKey, port);
        if (!named) byName.set(port.name, port);
        merged.push(port);
      } else if (similar.exp !== exp) {
        if (similar.name !== port.name) {
          conflicts.push({ kind: 'port-name', port, winner: similar });
          // Lighthouse unions by name: the other name becomes a ServiceImport port of its own.
          if (mcs.mode === 'lighthouse' && !named) {
            byName.set(port.name, port);
            merged.push(port);
          }
        } else if ((similar.port.appProtocol ?? '') !== (port.port.appProtocol ?? '')) {
          conflicts.push({ kind: 'appProtocol', port, winner: similar });
        }
      }
    }
  }
  // Every export with the same ports as the first (the common case): no port is partial.
  if (conflicts.length === 0 && mcs.exports.every((e) => samePortList(e.service.ports, mcs.exports[0].service.ports))) return { ports: merged, conflicts, partial: [] };
  // Per export: its port names and (protocol, port) pairs, for O(1) "does it have this port".
  const keysOf = new Map<AcceptedExport, Set<string>>();
  for (const p of all) {
    const keys = keysOf.get(p.exp) ?? new Set<string>();
    keys.add(`name:${p.name}`).add(`num:${p.port.protocol}/${p.port.port}`);
    keysOf.set(p.exp, keys);
  }
  const partial: PartialPort[] = [];
  for (const m of merged) {
    const missingIn = mcs.exports.filter((e) => {
      if (e === m.exp) return false;
      const keys = keysOf.get(e);
      return !keys || (!keys.has(`name:${m.name}`) && !keys.has(`num:${m.port.protocol}/${m.port.port}`));
    });
    if (missingIn.length > 0) partial.push({ port: m, missingIn });
  }
  return { ports: merged, conflicts, partial };
}

/** `http 8080/TCP`, `8080/TCP` for an unnamed port, `+ appProtocol h2c` when set. */
export function portText(p: { name?: string; port?: number; protocol: string; appProtocol?: string }): string {
  const base = `${p.name ? `${p.name} ` : ''}${p.port ?? '?'}/${p.protocol}`;
  return p.appProtocol ? `${base} (appProtocol ${p.appProtocol})` : base;
}

/** The ServiceImport port list as messages show it: `[http 80/TCP, stcp 142/SCTP]`. */
export function portsText(ports: readonly ExportedPort[]): string {
  return `[${ports.map((p) => portText({ ...p.port, name: p.name })).join(', ')}]`;
}

/** The ServiceImport type a Service produces: `Headless` for `clusterIP: None`, else `ClusterSetIP`. */
export function importType(service: ServiceFacts): 'Headless' | 'ClusterSetIP' {
  return service.headless ? 'Headless' : 'ClusterSetIP';
}

/**
 * Why the first export has precedence, as a relative clause after the cluster's name: its
 * creationTimestamp, or the cluster-name
 * tie-break mclint assumes when the manifests carry no timestamps.
 */
export function precedenceText(mcs: MultiClusterService): string {
  const first = mcs.exports[0];
  const ts = first.export.creationTimestamp;
  if (ts) return `whose ServiceExport is the oldest (creationTimestamp ${ts.value})`;
  return `whose ServiceExport counts as the oldest (no creationTimestamp in the manifests: mclint assumes the controllers' tie-break by cluster name; in a live ClusterSet the export created first wins)`;
}

/** The place of a Service's `metadata.name`, for `related` entries and findings. */
export function serviceNamePlace(s: ServiceFacts): Place {
  return fieldPlace(s.object, 'metadata', 'name');
}

/**
 * True when `key` (`namespace/name`, see `serviceKey`) is exported from two or more clusters of
 * the set: the MCS rules then report its type and port conflicts, and rules about the same Service
 * from another angle (Istio, Cilium) leave those aspects to them, so one problem is one finding.
 */
export function exportedFromSeveral(set: ClusterSetModel, key: string): boolean {
  const exports = set.exportsByKey.get(key);
  if (!exports || exports.length < 2) return false;
  const first = exports[0].cluster;
  return exports.some((e) => e.cluster !== first);
}
