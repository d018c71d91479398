/**
 * Cilium Cluster Mesh global services, as views of a ClusterSet: each Service's global-service
 * annotations read as Cilium reads them, the Services Cilium treats as global grouped by
 * `namespace/name`, and the ports that do not line up by name across the clusters of one global
 * service. Pure functions of the set, computed when a rule asks (once per set and rule run; no cache).
 *
 * Upstream behaviour mirrored:
 * - Cilium `pkg/annotation` (`GetAnnotationIncludeExternal`, `GetAnnotationShared`,
 *   `GetAnnotationServiceAffinity`): the current annotation name first, then the legacy alias;
 *   "true" compared case-insensitively (anything else is false); `shared` defaults to true;
 *   affinity `local`/`remote`/`none`, else "unrecognized service affinity value".
 * - Cilium `pkg/clustermesh/namespace` (`clustermesh.cilium.io/global`,
 *   `clustermesh.defaultGlobalNamespace`): see `ciliumNamespaceGlobal` in `src/model/mcs.ts`.
 * - The Cluster Mesh service merge (`pkg/clustermesh`, `ServiceMerger.MergeExternalServiceUpdate`;
 *   Cilium docs "Load-balancing & Service Discovery"): remote backends join the local Service
 *   by port name.
 */
import type { Place } from '../../base/types.js';
import { fieldPlace } from '../describe.js';
import { serviceKey } from '../index.js';
import { ciliumNamespaceGlobal } from '../mcs.js';
import type { ClusterModel, ClusterSetModel, ServiceFacts, ServicePortFacts, Source } from '../types.js';

/** Cilium's Service annotations (`pkg/annotation`), current name first, then the legacy alias. */
export const CILIUM_GLOBAL_SERVICE = ['service.cilium.io/global', 'io.cilium/global-service'] as const;
export const CILIUM_SHARED_SERVICE = ['service.cilium.io/shared', 'io.cilium/shared-service'] as const;
export const CILIUM_SERVICE_AFFINITY = ['service.cilium.io/affinity', 'io.cilium/service-affinity'] as const;
/** The affinity values current Cilium accepts (lower-cased; empty means none). */
const AFFINITY_VALUES = ['local', 'remote', 'none', ''];

/** One annotation as written: the key found (current or legacy name), its value, and its place. */
export interface CiliumAnnotation {
  readonly key: string;
  readonly value: string;
  readonly at: Place;
}

/**
 * One Service of a cluster with its Cilium global-service annotations. `global` is Cilium's
 * reading of the global annotation (`"true"`, any case); `namespace` says whether the Service's
 * namespace is global in the mesh, and the fact that decides it (only for global Services).
 */
export interface CiliumServiceAnnotations {
  readonly cluster: ClusterModel;
  readonly service: ServiceFacts;
  readonly global?: CiliumAnnotation;
  readonly shared?: CiliumAnnotation;
  readonly affinity?: CiliumAnnotation;
  readonly isGlobal: boolean;
  /** The annotations among `global` and `shared` whose value is neither "true" nor "false" (any case). */
  readonly notBoolean: readonly CiliumAnnotation[];
  /** `affinity` when the Service is global and Cilium rejects its value. */
  readonly badAffinity?: CiliumAnnotation;
  readonly namespace?: { readonly global: boolean; readonly because?: Source };
}

/** A Service that Cilium treats as global in its cluster (global annotation, global namespace). */
export interface CiliumGlobalService {
  readonly cluster: ClusterModel;
  readonly service: ServiceFacts;
  /** Whether the cluster shares its backends (`service.cilium.io/shared`, default true). */
  readonly shared: boolean;
  /** The global annotation's value. */
  readonly at: Place;
}

/** The first annotation of `keys` present on the Service, with its key and place. */
function annotation(s: ServiceFacts, keys: readonly string[]): CiliumAnnotation | undefined {
  for (const key of keys) {
    const value = s.annotations[key];
    if (value !== undefined) return { key, value, at: fieldPlace(s.object, 'metadata', 'annotations', key) };
  }
  return undefined;
}

/** How Cilium reads the annotations of one Service of `cluster`. Never throws. */
export function ciliumServiceAnnotations(cluster: ClusterModel, service: ServiceFacts): CiliumServiceAnnotations {
  const global = annotation(service, CILIUM_GLOBAL_SERVICE);
  const shared = annotation(service, CILIUM_SHARED_SERVICE);
  const affinity = annotation(service, CILIUM_SERVICE_AFFINITY);
  const notBoolean = [global, shared].filter((a): a is CiliumAnnotation => a !== undefined && !['true', 'false'].includes(a.value.toLowerCase()));
  const isGlobal = global !== undefined && global.value.toLowerCase() === 'true';
  if (!isGlobal) return { cluster, service, global, shared, affinity, isGlobal, notBoolean };
  const badAffinity = affinity && !AFFINITY_VALUES.includes(affinity.value.toLowerCase()) ? affinity : undefined;
  return { cluster, service, global, shared, affinity, isGlobal, notBoolean, badAffinity, namespace: ciliumNamespaceGlobal(cluster, service.namespace) };
}

/** Every Service of every cluster of the set with its annotations, clusters in set order, then `servicesByName` order. */
export function ciliumServices(set: ClusterSetModel): CiliumServiceAnnotations[] {
  const out: CiliumServiceAnnotations[] = [];
  for (const cluster of set.clusters) for (const list of cluster.servicesByName.values()) for (const s of list) out.push(ciliumServiceAnnotations(cluster, s));
  return out;
}

/**
 * The Services Cilium treats as global (annotated and in a global namespace), grouped by
 * `namespace/name` in sorted key order, clusters in `services` order. Tutorial alternatives of one
 * Service in one cluster count once (the first).
 */
export function ciliumGlobalServices(services: readonly CiliumServiceAnnotations[]): { key: string; globals: CiliumGlobalService[] }[] {
  const byKey = new Map<string, CiliumGlobalService[]>();
  const seen = new Set<string>();
  for (const a of services) {
    if (!a.isGlobal || !a.namespace?.global) continue;
    const key = serviceKey(a.service.namespace, a.service.name);
    const once = `${a.cluster.name}\u0000${key}`;
    if (seen.has(once)) continue;
    seen.add(once);
    const list = byKey.get(key) ?? [];
    list.push({ cluster: a.cluster, service: a.service, shared: a.shared === undefined || a.shared.value.toLowerCase() === 'true', at: a.global!.at });
    byKey.set(key, list);
  }
  return [...byKey.keys()].sort().map((key) => ({ key, globals: byKey.get(key)! }));
}

/** A port of one cluster's global Service that some other clusters lack by name. */
export interface CiliumPortMismatch {
  /** The port name (`''` for an unnamed port). */
  readonly portName: string;
  /** The first cluster's Service that has the port, and the port. */
  readonly have: { readonly global: CiliumGlobalService; readonly port: ServicePortFacts };
  /** The clusters whose Service has no port of that name. */
  readonly missing: readonly CiliumGlobalService[];
  /** Ports of the `missing` clusters with the same port and protocol under another name. */
  readonly renamed: readonly { readonly global: CiliumGlobalService; readonly port: ServicePortFacts }[];
}

/**
 * The port names of one global service that not every cluster has, sorted by port name; a port
 * renamed between clusters is given once (under the name sorted first). Remote backends join the
 * local Service by port name, so each is traffic that never reaches the `missing` clusters.
 */
export function ciliumPortMismatches(globals: readonly CiliumGlobalService[]): CiliumPortMismatch[] {
  const names = new Map<string, { global: CiliumGlobalService; port: ServicePortFacts }[]>();
  for (const g of globals) {
    for (const port of g.service.ports) {
      const list = names.get(port.name ?? '') ?? [];
      list.push({ global: g, port });
      names.set(port.name ?? '', list);
    }
  }
  const out: CiliumPortMismatch[] = [];
  const mentioned = new Set<string>();
  for (const [portName, list] of [...names].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const missing = globals.filter((g) => !list.some((x) => x.global === g));
    if (missing.length === 0) continue;
    const have = list[0];
    // The other name of a renamed port was already given with this one.
    if (mentioned.has(`${have.global.cluster.name}|${have.port.port}/${have.port.protocol}`)) continue;
    const renamed = missing.flatMap((g) => g.service.ports.filter((p) => p.port === have.port.port && p.protocol === have.port.protocol).map((port) => ({ global: g, port })));
    for (const r of renamed) mentioned.add(`${r.global.cluster.name}|${r.port.port}/${r.port.protocol}`);
    out.push({ portName, have, missing, renamed });
  }
  return out;
}
