/**
 * Cilium Cluster Mesh global services, as views of a ClusterSet: each Service's global-service
 * annotations read as Cilium reads them, the Services Cilium treats as global grouped by
 * `namespace/name`, and the ports that do not line up by name across the clusters of one global
 * service; Cilium values the chart refuses or ignores (`ciliumValuesProblems`), Cluster Mesh
 * wiring (`ciliumMeshProblems`) and policy cluster selectors (`ciliumPolicyClusterProblems`).
 * Pure functions of the set, computed when a rule asks (once per set and rule run; no cache).
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
import { closest } from '../../base/edit-distance.js';
import { CILIUM_KEY_CHANGES, CILIUM_TOP_LEVEL_KEYS, type CiliumKeyChange } from '../cilium-values.js';
import type { CiliumPolicyClusterFacts, ClusterModel, ClusterSetModel, Fact, ServiceFacts, ServicePortFacts, Source, WrappedValuesFacts } from '../types.js';

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

/** True when the Service has at least one annotation (most Services of a large repository have none). */
function hasAnnotations(s: ServiceFacts): boolean {
  for (const _ in s.annotations) return true;
  return false;
}

/**
 * Every Service of every cluster of the set that carries an annotation, with how Cilium reads
 * them, clusters in set order, then `servicesByName` order. Services without annotations are left
 * out: Cilium treats them as local, and nothing about them is reported.
 */
export function ciliumServices(set: ClusterSetModel): CiliumServiceAnnotations[] {
  const out: CiliumServiceAnnotations[] = [];
  for (const cluster of set.clusters) {
    for (const list of cluster.servicesByName.values()) for (const s of list) if (hasAnnotations(s)) out.push(ciliumServiceAnnotations(cluster, s));
  }
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

/** A Cilium values key the chart refuses or ignores, or a misspelt top-level key. */
export type CiliumValuesProblem =
  | {
      readonly kind: 'removed';
      readonly cluster: ClusterModel;
      readonly key: Fact<string>;
      readonly change: CiliumKeyChange;
      /** The cluster's cilium chart version (`1.16`), when the repository says it; undefined: unknown. */
      readonly version?: Fact<string>;
    }
  | { readonly kind: 'ignored'; readonly cluster: ClusterModel; readonly key: Fact<string>; readonly change: CiliumKeyChange }
  | { readonly kind: 'misspelt'; readonly cluster: ClusterModel; readonly key: Fact<string>; readonly suggestion: string }
  | { readonly kind: 'wrapped'; readonly cluster: ClusterModel; readonly wrapped: WrappedValuesFacts };

/** `major.minor` of a chart version as written (`1.16.3`, `v1.15`, `~1.16.0`, `1.16.x`); undefined for ranges and anything else. */
export function chartMinor(version: string): [number, number] | undefined {
  const m = /^[~^=v]*\s*(\d+)\.(\d+)(?:\.(?:\d+|x|\*))?(?:[-+][\w.-]*)?$/.exec(version.trim());
  return m ? [Number(m[1]), Number(m[2])] : undefined;
}

/**
 * The cilium chart version of a cluster, from its Flux HelmReleases and Argo CD Applications of
 * the `cilium` chart: the one version when they agree on major.minor, else undefined.
 */
export function ciliumChartVersion(cluster: ClusterModel): Fact<string> | undefined {
  const versions = cluster.chartReleases.filter((r) => r.chart !== undefined && /^cilium$/i.test(r.chart)).map((r) => r.version);
  if (versions.length === 0 || versions.some((v) => v === undefined || chartMinor(v.value) === undefined)) return undefined;
  const minors = new Set(versions.map((v) => chartMinor(v!.value)!.join('.')));
  return minors.size === 1 ? versions[0] : undefined;
}

const before = (a: [number, number], b: [number, number]) => a[0] < b[0] || (a[0] === b[0] && a[1] < b[1]);

/**
 * Cilium values problems of every cluster of the set, clusters in set order: removed keys (unless
 * the cluster's chart version is known to predate the removal), ignored older keys, top-level keys
 * that differ from a chart key in case only or within one edit (5 to 7 characters) or two (8 or more), and ConfigMaps holding
 * Cilium values that no HelmRelease of the cluster reads through `valuesFrom`.
 */
export function ciliumValuesProblems(set: ClusterSetModel): CiliumValuesProblem[] {
  const out: CiliumValuesProblem[] = [];
  for (const cluster of set.clusters) {
    const version = ciliumChartVersion(cluster);
    for (const values of cluster.ciliumValues) {
      for (const key of values.changedKeys) {
        const change = CILIUM_KEY_CHANGES.find((c) => c.key === key.value)!;
        if (change.kind === 'ignored') out.push({ kind: 'ignored', cluster, key, change });
        else if (!(version && change.since && before(chartMinor(version.value)!, chartMinor(change.since)!))) out.push({ kind: 'removed', cluster, key, change, version });
      }
      for (const key of values.keys) {
        if (CILIUM_KEY_CHANGES.some((c) => c.key === key.value)) continue;
        // Short keys only differ in case (`mtu`); a single edit of `ipv4` is `ipv6`.
        const suggestion = closest(key.value, CILIUM_TOP_LEVEL_KEYS, key.value.length >= 8 ? 2 : key.value.length >= 5 ? 1 : 0);
        if (suggestion !== undefined) out.push({ kind: 'misspelt', cluster, key, suggestion });
      }
    }
    for (const wrapped of cluster.ciliumWrappedValues) {
      const read = cluster.chartReleases.some((r) => r.valuesFrom.includes(`ConfigMap/${wrapped.name}`));
      if (!read) out.push({ kind: 'wrapped', cluster, wrapped });
    }
  }
  return out;
}

/**
 * The names a cluster goes by in a Cluster Mesh: its Cilium `cluster.name` / `cluster-name`
 * facts, else the cluster's own name (directory or config entry).
 */
export function ciliumMeshNames(cluster: ClusterModel): Fact<string>[] {
  const named = cluster.cilium.flatMap((c) => (c.clusterName ? [c.clusterName] : []));
  return named.length > 0 ? named : [cluster.nameSource.value === cluster.name ? cluster.nameSource : { value: cluster.name, source: cluster.nameSource.source }];
}

/** True when a cluster runs Cilium (values or `cilium-config`). */
const runsCilium = (cluster: ClusterModel) => cluster.cilium.length > 0 || cluster.ciliumValues.length > 0;

/** A Cluster Mesh wiring problem (`cilium-clustermesh-config`). */
export type CiliumMeshProblem =
  /** A `clustermesh.config.clusters[].name` or a Secret config key naming no cluster of the set. */
  | { readonly kind: 'unknownPeer'; readonly cluster: ClusterModel; readonly where: 'config' | 'secret'; readonly name: Fact<string> }
  /** A Cilium cluster of the set that the config or Secret has no entry for. */
  | {
      readonly kind: 'missingPeer';
      readonly cluster: ClusterModel;
      readonly where: 'config' | 'secret';
      readonly at: Source;
      readonly peer: ClusterModel;
      readonly peerName: Fact<string>;
    }
  /** A Secret config key naming files the Secret does not hold. */
  | { readonly kind: 'missingFile'; readonly cluster: ClusterModel; readonly name: Fact<string>; readonly files: readonly string[] }
  /** `clustermesh.apiserver.service.type: NodePort` (written or the chart default). */
  | { readonly kind: 'nodePort'; readonly cluster: ClusterModel; readonly type: Fact<string> };

/**
 * Cluster Mesh wiring problems of the set, clusters in set order. Entries naming the cluster
 * itself are fine (the agent skips its own cluster). Missing peers are Cilium clusters of the set
 * with no entry, checked only in sets of two or more clusters and for lists with an entry.
 *
 * Upstream: cilium/cilium `install/kubernetes/cilium/templates/clustermesh-config/` (one Secret key
 * per `clustermesh.config.clusters[]` entry, named after it, with `<name>.etcd-client.crt`,
 * `.key`, `-ca.crt`, or the `common-`/`local-` ones), the agent's config directory watcher
 * (`pkg/clustermesh/common`: a file holding `endpoints:` is a remote cluster named after the file),
 * cilium-cli `clustermesh status` ("Service type NodePort detected! Service may fail when nodes are
 * removed from the cluster!").
 */
export function ciliumMeshProblems(set: ClusterSetModel): CiliumMeshProblem[] {
  const out: CiliumMeshProblem[] = [];
  const names = new Map<string, ClusterModel>();
  for (const c of set.clusters) for (const n of ciliumMeshNames(c)) if (!names.has(n.value)) names.set(n.value, c);
  const peersOf = (cluster: ClusterModel) => (set.clusters.length < 2 ? [] : set.clusters.filter((p) => p !== cluster && runsCilium(p)));
  const check = (cluster: ClusterModel, where: 'config' | 'secret', entries: readonly Fact<string>[], at: Source) => {
    for (const name of entries) if (!names.has(name.value)) out.push({ kind: 'unknownPeer', cluster, where, name });
    if (entries.length === 0) return;
    for (const peer of peersOf(cluster)) {
      const peerNames = ciliumMeshNames(peer);
      if (!entries.some((e) => peerNames.some((n) => n.value === e.value))) out.push({ kind: 'missingPeer', cluster, where, at, peer, peerName: peerNames[0] });
    }
  };
  for (const cluster of set.clusters) {
    for (const values of cluster.ciliumValues) {
      if (values.meshConfig?.enabled) check(cluster, 'config', values.meshConfig.clusters, values.meshConfig.at);
      if (values.apiserverServiceType?.value === 'NodePort') out.push({ kind: 'nodePort', cluster, type: values.apiserverServiceType });
    }
    for (const secret of cluster.ciliumMeshSecrets) {
      const configs = secret.keys.filter((k) => k.files !== undefined);
      check(
        cluster,
        'secret',
        configs.map((k) => ({ value: k.key, source: k.source })),
        secret.at,
      );
      for (const k of configs) {
        const files = k.files!.filter((file) => !secret.keys.some((x) => x.key === file));
        if (files.length > 0) out.push({ kind: 'missingFile', cluster, name: { value: k.key, source: k.source }, files });
      }
    }
  }
  return out;
}

/** A Cilium policy selecting a cluster name that no cluster of the set has (`cilium-policy-cluster`). */
export interface CiliumPolicyClusterProblem {
  readonly cluster: ClusterModel;
  readonly policy: CiliumPolicyClusterFacts;
  /** The mesh names of the set, sorted. */
  readonly known: readonly string[];
}

/**
 * Policy cluster selectors naming no cluster of the set, with their operator and role
 * (`CiliumPolicyClusterFacts`): the rule words each by what the value then does (an `In` value of
 * an allow rule leaves the traffic dropped, of a deny rule denies nothing, of the policy's subject
 * applies it to no endpoint; a `NotIn` value excludes nothing). Only sets where some cluster
 * states its Cilium cluster name are checked (else the mesh names are unknown, not the directories').
 */
export function ciliumPolicyClusterProblems(set: ClusterSetModel): CiliumPolicyClusterProblem[] {
  if (!set.clusters.some((c) => c.cilium.some((f) => f.clusterName))) return [];
  const known = [...new Set(set.clusters.flatMap((c) => ciliumMeshNames(c).map((n) => n.value)))].sort();
  const out: CiliumPolicyClusterProblem[] = [];
  for (const cluster of set.clusters) for (const policy of cluster.ciliumPolicyClusters) if (!known.includes(policy.value.value)) out.push({ cluster, policy, known });
  return out;
}
