/**
 * Views of a ClusterSet's Multi-Cluster Services exports and imports, for the MCS rules: how each
 * ServiceExport pairs with its Service (`service-export-pairing`), which properties of the merged
 * exports conflict (`serviceexport-conflict`), and which ServiceImports and references match an
 * exported service (`serviceimport-dangling`). The views return facts and places; rules word them.
 * Nothing here is cached: each function derives its answer from the model when called (a rule
 * calls each once per ClusterSet). The merge of the exports themselves (`multiClusterServices`,
 * `mergePorts`) lives in `src/model/mcs.ts`.
 *
 * Upstream behaviour mirrored (cited per function):
 * - kubernetes-sigs/mcs-api `pkg/apis/v1beta1/serviceexport.go` (condition reasons) and KEP-1645
 *   (kubernetes/enhancements `keps/sig-multicluster/1645-multi-cluster-services-api`: namespace
 *   sameness, ServiceImport lifecycle, the ClusterSet DNS names);
 * - Cilium `pkg/clustermesh/mcsapi/serviceimport_controller.go` (`checkConflictExport`,
 *   `intersectIPFamilies`);
 * - Submariner Lighthouse `pkg/agent/controller/agent.go`, `service_import_conflict.go` and
 *   `namespace_validator.go` (`import-namespace-deny-list`).
 */
import type { Place } from '../../base/types.js';
import { fieldPlace } from '../describe.js';
import { mcsImplementationOf, serviceKey } from '../index.js';
import { importType, mergePorts, multiClusterServices, serviceNamePlace, type AcceptedExport, type ExportedPort, type MultiClusterService } from '../mcs.js';
import type {
  ClusterModel,
  ClusterSetModel,
  ExportedService,
  Fact,
  McsImplementation,
  ServiceExportFacts,
  ServiceFacts,
  ServiceImportFacts,
  ServiceImportPortFacts,
  Source,
  StatefulSetFacts,
} from '../types.js';

// ---------------------------------------------------------------------------------------------
// ServiceImports and the exported services they name (serviceimport-dangling)

/**
 * A lookup of the set's exported services (one accepted export or more, `multiClusterServices(set, 1)`)
 * by namespace and name. A side whose namespace is left to apply time (`undefined`) matches the
 * other side's namespace: an import without one matches the first exported service of that name
 * (by key order), an import with one matches a service exported without a namespace.
 * @returns a function giving the matching service, or undefined when none is exported
 */
export function exportedServiceFinder(set: ClusterSetModel): (namespace: string | undefined, name: string) => MultiClusterService | undefined {
  const byKey = new Map<string, MultiClusterService>();
  const keysByName = new Map<string, string[]>();
  for (const mcs of multiClusterServices(set, 1)) {
    byKey.set(mcs.key, mcs);
    const list = keysByName.get(mcs.name) ?? [];
    list.push(mcs.key);
    keysByName.set(mcs.name, list);
  }
  return (namespace, name) => {
    const exact = byKey.get(serviceKey(namespace, name));
    if (exact) return exact;
    const keys = keysByName.get(name) ?? [];
    if (namespace === undefined) return keys.length > 0 ? byKey.get(keys[0]) : undefined;
    return byKey.get(serviceKey(undefined, name));
  };
}

/** The namespace Submariner's Lighthouse agent kept its per-cluster ServiceImports in before 0.15 (the operator's). */
export const LEGACY_LIGHTHOUSE_NAMESPACE = 'submariner-operator';

/**
 * The exported service a ServiceImport name of Lighthouse before 0.15 stands for: the agent
 * created one ServiceImport per exporting cluster, named `<name>-<namespace>-<clusterID>`, in
 * `submariner-operator` (submariner-io/lighthouse "Agent Workflows": export `monti/monti-host` of
 * cluster1 becomes `serviceimport/monti-host-monti-cluster1 -n submariner-operator`), and consumers
 * such as Envoy Gateway's Submariner guide (Submariner 0.14) reference that name. 0.15 moved to one
 * ServiceImport per service, named and namespaced like the Service.
 * @param namespace the referenced ServiceImport's namespace; only `submariner-operator` is looked up
 * @returns the exported service whose legacy name, for one of its exporting clusters (Submariner
 *   `clusterID`, else the cluster's name), is `name`; undefined otherwise
 */
export function legacyLighthouseImport(set: ClusterSetModel, namespace: string | undefined, name: string): MultiClusterService | undefined {
  if (namespace !== LEGACY_LIGHTHOUSE_NAMESPACE) return undefined;
  for (const mcs of multiClusterServices(set, 1)) {
    if (mcs.namespace === undefined || !name.startsWith(`${mcs.name}-${mcs.namespace}-`)) continue;
    const clusterID = name.slice(mcs.name.length + mcs.namespace.length + 2);
    if (mcs.exports.some((e) => (e.cluster.identity.clusterIDs[0]?.value ?? e.cluster.name) === clusterID)) return mcs;
  }
  return undefined;
}

/** Why `namespace/name` has no accepted export: its exports (all rejected) and its unexported Services. */
export interface MissingExport {
  /** ServiceExports of `namespace/name` in the set, none accepted by its controller (see `exportRejection`). */
  readonly rejected: readonly ExportedService[];
  /** Services of `namespace/name` in clusters that have no ServiceExport of it, by cluster name. */
  readonly unexported: readonly ServiceFacts[];
}

/** The exports and Services of `namespace/name` (exact key) that could have made it an exported service. */
export function missingExport(set: ClusterSetModel, namespace: string | undefined, name: string): MissingExport {
  const key = serviceKey(namespace, name);
  const rejected = set.exportsByKey.get(key) ?? [];
  const exportedIn = new Set(rejected.map((e) => e.cluster.name));
  return { rejected, unexported: (set.servicesByKey.get(key) ?? []).filter((s) => !exportedIn.has(s.cluster)) };
}

/**
 * A difference between a checked-in ServiceImport and the one the controller derives from the
 * exports (KEP-1645: the controller owns ServiceImports). `type`: `spec.type` differs from
 * `importType` of the export with precedence. `ports`: `spec.ports` lists ports (name, port,
 * protocol) no export produces (`extra`) or lacks merged ports (`missing`); `at` is the first extra
 * port, else the ports list. In `multicluster.x-k8s.io/v1alpha2` both fields sit at the root of
 * the object (`type`, `ports`), and `at` points there (`ServiceImportFacts`).
 */
export type ImportMismatch =
  | { readonly kind: 'type'; readonly at: Place; readonly type: string; readonly expected: 'Headless' | 'ClusterSetIP' }
  | { readonly kind: 'ports'; readonly at: Place; readonly extra: readonly ServiceImportPortFacts[]; readonly missing: readonly ExportedPort[] };

/**
 * The differences between `imp` and what the exports of `mcs` produce, type first. `by: 'name'`
 * compares a ServiceImport that a user writes and Karmada propagates (a resource template) the way
 * Karmada uses it: its service-import controller (`pkg/controllers/mcs/service_import_controller.go`,
 * `deriveServiceFromServiceImport`, `servicePorts`) creates Service `derived-<name>` of type
 * ClusterIP with the ServiceImport's ports, whose endpoints are the exporting clusters'
 * EndpointSlices, joined by port name and protocol: the port numbers and `spec.type` do not matter
 * there, so only names and protocols are compared and the type is not.
 */
export function importMismatches(imp: ServiceImportFacts, mcs: MultiClusterService, by: 'port' | 'name' = 'port'): ImportMismatch[] {
  const out: ImportMismatch[] = [];
  const expected = importType(mcs.exports[0].service);
  if (by === 'port' && imp.type && imp.type.value !== expected) out.push({ kind: 'type', at: imp.type.source, type: imp.type.value, expected });
  if (imp.ports) {
    const merged = mergePorts(mcs).ports;
    const key = (p: { name?: string; port?: number; protocol: string }) => (by === 'port' ? `${p.name ?? ''}|${p.port}|${p.protocol}` : `${p.name ?? ''}|${p.protocol}`);
    const want = new Set(merged.map((p) => key({ ...p.port, name: p.name })));
    const have = new Set(imp.ports.map((p) => key(p)));
    const extra = imp.ports.filter((p) => !want.has(key(p)));
    const missing = merged.filter((p) => !have.has(key({ ...p.port, name: p.name })));
    if (extra.length > 0 || missing.length > 0) {
      const at = extra[0]?.source ?? imp.portsSource ?? { ...imp.object, path: [...imp.object.base, 'spec', 'ports'] };
      out.push({ kind: 'ports', at: { file: at.file, doc: at.doc, path: at.path }, extra, missing });
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Properties that must agree across the exports of a service (serviceexport-conflict)

/** The mcs-api condition reasons of `serviceexport-conflict` (`pkg/apis/v1beta1/serviceexport.go`), IP families apart. */
export type ExportConflictReason =
  | 'TypeConflict'
  | 'SessionAffinityConflict'
  | 'SessionAffinityConfigConflict'
  | 'InternalTrafficPolicyConflict'
  | 'TrafficDistributionConflict'
  | 'LabelsConflict'
  | 'AnnotationsConflict';

/** A later export whose property differs from the value of the export with precedence. */
export interface ExportConflict {
  readonly reason: ExportConflictReason;
  /** The later export, whose value the controller does not use. */
  readonly export: AcceptedExport;
  /** Its effective value as text (`Headless`, `ClientIP`, `10800`, `{app: "web"}`). */
  readonly value: string;
  /** The field to point at: the written field, else the object that would carry it. */
  readonly at: Place;
  /** The export with precedence (`mcs.exports[0]`), its value and place. */
  readonly winner: AcceptedExport;
  readonly winnerValue: string;
  readonly winnerAt: Place;
}

interface Property {
  readonly reason: ExportConflictReason;
  /** Submariner Lighthouse checks this property too (type and session affinity only). */
  readonly lighthouse: boolean;
  /** The effective value as text, or undefined when the property does not apply to this export. */
  value(e: AcceptedExport): string | undefined;
  place(e: AcceptedExport): Place;
}

const factPlace = (fact: Fact<unknown> | undefined, fallback: Place): Place => fact?.source ?? fallback;
const mapText = (m: Readonly<Record<string, string>> | undefined) => {
  const entries = Object.entries(m ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return entries.length === 0 ? '{}' : `{${entries.map(([k, v]) => `${k}: ${JSON.stringify(v)}`).join(', ')}}`;
};
const affinity = (e: AcceptedExport) => e.service.sessionAffinity?.value ?? 'None';

/** The compared properties, in the order conflicts are reported; values as the API server defaults them. */
const PROPERTIES: readonly Property[] = [
  { reason: 'TypeConflict', lighthouse: true, value: (e) => importType(e.service), place: (e) => factPlace(e.service.clusterIP, serviceNamePlace(e.service)) },
  { reason: 'SessionAffinityConflict', lighthouse: true, value: affinity, place: (e) => factPlace(e.service.sessionAffinity, serviceNamePlace(e.service)) },
  {
    reason: 'SessionAffinityConfigConflict',
    lighthouse: true,
    // The API server defaults the timeout to 10800 s for ClientIP affinity; it is nil otherwise.
    value: (e) => (affinity(e) === 'ClientIP' ? String(e.service.sessionAffinityTimeout?.value ?? 10800) : undefined),
    place: (e) => factPlace(e.service.sessionAffinityTimeout, factPlace(e.service.sessionAffinity, serviceNamePlace(e.service))),
  },
  {
    reason: 'InternalTrafficPolicyConflict',
    lighthouse: false,
    value: (e) => e.service.internalTrafficPolicy?.value ?? 'Cluster',
    place: (e) => factPlace(e.service.internalTrafficPolicy, serviceNamePlace(e.service)),
  },
  {
    reason: 'TrafficDistributionConflict',
    lighthouse: false,
    value: (e) => e.service.trafficDistribution?.value ?? '(unset)',
    place: (e) => factPlace(e.service.trafficDistribution, serviceNamePlace(e.service)),
  },
  {
    reason: 'LabelsConflict',
    lighthouse: false,
    value: (e) => mapText(e.export.exportedLabels?.value),
    place: (e) => factPlace(e.export.exportedLabels, fieldPlace(e.export.object, 'metadata', 'name')),
  },
  {
    reason: 'AnnotationsConflict',
    lighthouse: false,
    value: (e) => mapText(e.export.exportedAnnotations?.value),
    place: (e) => factPlace(e.export.exportedAnnotations, fieldPlace(e.export.object, 'metadata', 'name')),
  },
];

/**
 * The property conflicts of a service exported from several clusters, property by property (type,
 * session affinity and its timeout, internal traffic policy, traffic distribution, exported labels
 * and annotations), each later export compared with the export with precedence. Under Lighthouse
 * (`mcs.mode`) only type and session affinity are compared, and an export whose type conflicts is
 * not merged, so its other properties are not compared (Lighthouse `service_import_conflict.go`);
 * the KEP/Cilium controllers compare all (`checkConflictExport`).
 */
export function exportConflicts(mcs: MultiClusterService): ExportConflict[] {
  const [first, ...later] = mcs.exports;
  const lighthouse = mcs.mode === 'lighthouse';
  const typeConflicts = new Set<AcceptedExport>();
  const out: ExportConflict[] = [];
  for (const prop of PROPERTIES) {
    if (lighthouse && !prop.lighthouse) continue;
    const winnerValue = prop.value(first);
    for (const e of later) {
      if (typeConflicts.has(e)) continue;
      const value = prop.value(e);
      if (value === undefined || winnerValue === undefined || value === winnerValue) continue;
      if (prop.reason === 'TypeConflict') typeConflicts.add(e);
      out.push({ reason: prop.reason, export: e, value, at: prop.place(e), winner: first, winnerValue, winnerAt: prop.place(first) });
    }
  }
  return out;
}

/** An export whose `spec.ipFamilies` share no family with those of the exports before it. */
export interface IpFamilyConflict {
  readonly export: AcceptedExport;
  readonly ipFamilies: readonly string[];
  /** The families the exports before it have in common (what the ServiceImport keeps). */
  readonly common: readonly string[];
  /** The first export with `ipFamilies` (where the intersection starts). */
  readonly from: AcceptedExport;
  readonly at: Source;
  readonly fromAt: Source;
}

/**
 * IP families as Cilium intersects them (`intersectIPFamilies`): exports without `ipFamilies` are
 * skipped; an export sharing no family with the intersection so far conflicts (reason
 * `IPFamilyConflict`). Lighthouse does not compare IP families: none under `mode: 'lighthouse'`.
 */
export function ipFamilyConflicts(mcs: MultiClusterService): IpFamilyConflict[] {
  if (mcs.mode === 'lighthouse') return [];
  const withFamilies = mcs.exports.filter((e) => e.service.ipFamilies && e.service.ipFamilies.value.length > 0);
  if (withFamilies.length < 2) return [];
  const from = withFamilies[0];
  let common = from.service.ipFamilies!.value;
  const out: IpFamilyConflict[] = [];
  for (const e of withFamilies.slice(1)) {
    const families = e.service.ipFamilies!.value;
    const next = common.filter((f) => families.includes(f));
    if (next.length === 0) out.push({ export: e, ipFamilies: families, common, from, at: e.service.ipFamilies!.source, fromAt: from.service.ipFamilies!.source });
    else common = next;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// ServiceExports and their Services (service-export-pairing)

/**
 * Submariner Lighthouse's default `import-namespace-deny-list` (`kube-,openshift-,openshift`,
 * `pkg/agent/controller/namespace_validator.go`): an entry ending in `-` is a prefix, any other
 * an exact name. Importing clusters reject ServiceImports and EndpointSlices for these namespaces.
 */
const LIGHTHOUSE_IMPORT_DENY_LIST = ['kube-', 'openshift-', 'openshift'] as const;

/** The entry of Lighthouse's default import deny-list that `namespace` matches, if any. */
export function lighthouseDeniedBy(namespace: string): string | undefined {
  return LIGHTHOUSE_IMPORT_DENY_LIST.find((e) => (e.endsWith('-') ? namespace.startsWith(e) : namespace === e));
}

/** Namespaces KEP-1645 singles out: exporting from them merges with every cluster's copy. */
const SENSITIVE_NAMESPACES = new Set(['default', 'kube-system']);

/** A namespace left to apply time (`kubectl -n`) matches any namespace. */
const sameNamespace = (a: string | undefined, b: string | undefined) => a === undefined || b === undefined || a === b;

/** A ServiceExport and what its cluster's controller makes of it. */
export interface ExportPairing {
  readonly cluster: ClusterModel;
  /** The cluster's MCS implementation (`mcsImplementationOf`). */
  readonly implementation: McsImplementation;
  readonly export: ServiceExportFacts;
  /** The first Service of the export's name in its namespace and cluster (namespace sameness), if any. */
  readonly service: ServiceFacts | undefined;
  /** The export's namespace, else its Service's; undefined when both leave it to apply time. */
  readonly namespace: string | undefined;
  /** The Lighthouse import deny-list entry the namespace matches (Lighthouse clusters only). */
  readonly denied: string | undefined;
  /** Exported from `default` or `kube-system` (written on the export) and not denied. */
  readonly sensitive: boolean;
  /**
   * The Service exists and its type is exportable: not ExternalName (mcs-api `InvalidServiceType`),
   * and under Lighthouse only ClusterIP, headless included (`UnsupportedServiceType`).
   */
  readonly exportable: boolean;
}

/** Every ServiceExport of the set, cluster by cluster in the set's order, paired with its Service. */
export function exportPairings(set: ClusterSetModel): ExportPairing[] {
  const out: ExportPairing[] = [];
  for (const cluster of set.clusters) {
    const implementation = mcsImplementationOf(cluster);
    const lighthouse = implementation === 'lighthouse';
    for (const exp of cluster.serviceExports) {
      const service = cluster.servicesByName.get(exp.name)?.find((s) => sameNamespace(s.namespace, exp.namespace));
      const namespace = exp.namespace ?? service?.namespace;
      const denied = lighthouse && namespace !== undefined ? lighthouseDeniedBy(namespace) : undefined;
      const sensitive = exp.namespace !== undefined && SENSITIVE_NAMESPACES.has(exp.namespace) && !denied;
      const exportable = service !== undefined && service.type.value !== 'ExternalName' && (!lighthouse || service.type.value === 'ClusterIP');
      out.push({ cluster, implementation, export: exp, service, namespace, denied, sensitive, exportable });
    }
  }
  return out;
}

/**
 * Where the Service of an export without one is: Services of its name in other namespaces of the
 * same cluster (`otherNamespace`), else of its namespace in other clusters (`otherClusters`), else
 * nowhere (`none`, `services` empty).
 */
export function serviceElsewhere(set: ClusterSetModel, pairing: ExportPairing): { kind: 'otherNamespace' | 'otherClusters' | 'none'; services: readonly ServiceFacts[] } {
  const { cluster, export: exp } = pairing;
  const otherNamespace = (cluster.servicesByName.get(exp.name) ?? []).filter((s) => !sameNamespace(s.namespace, exp.namespace));
  if (otherNamespace.length > 0) return { kind: 'otherNamespace', services: otherNamespace };
  const otherClusters = (set.servicesByName.get(exp.name) ?? []).filter((s) => s.cluster !== cluster.name && sameNamespace(s.namespace, exp.namespace));
  if (otherClusters.length > 0) return { kind: 'otherClusters', services: otherClusters };
  return { kind: 'none', services: [] };
}

/** The ClusterSet DNS zone of KEP-1645. */
const CLUSTERSET_DOMAIN = 'clusterset.local';
const MAX_LABEL = 63;
const MAX_NAME = 253;

/**
 * A ClusterSet DNS name of an export that cannot resolve. `label`: a label (`what`: the Service
 * name, the namespace, the cluster ID or a pod hostname) is over 63 characters; `podName`: a
 * per-pod name is over 253. `name` is the name that cannot resolve, `length` the offending label's
 * or name's length, `clusterID` the identity fact used (when the cluster has one; else its name is
 * used) and `statefulSet` the StatefulSet whose last pod's hostname is checked.
 */
export type DnsProblem = (
  { readonly kind: 'label'; readonly what: 'Service name' | 'namespace' | 'cluster ID' | 'pod hostname'; readonly label: string } | { readonly kind: 'podName' }
) & {
  readonly name: string;
  readonly length: number;
  readonly clusterID?: Fact<string>;
  readonly statefulSet?: { readonly object: StatefulSetFacts['object']; readonly name: string; readonly hostname: string };
};

/**
 * The first problem of the DNS names an export produces (KEP-1645 "DNS"):
 * `<svc>.<ns>.svc.clusterset.local`, and for a headless Service
 * `<hostname>.<clusterid>.<svc>.<ns>.svc.clusterset.local` for each pod of the StatefulSets that
 * name it (`serviceName`; the last pod's hostname `<name>-<replicas-1>` is the longest). DNS labels
 * are at most 63 characters, names 253 (RFC 1035). With every label within 63 characters the
 * service name has at most 148 and `<clusterid>.<svc>…` at most 212, so only a per-pod name can
 * exceed 253. Undefined when the names fit, or when the namespace is left to apply time.
 */
export function exportDnsProblem(pairing: ExportPairing, service: ServiceFacts): DnsProblem | undefined {
  const { cluster, export: exp } = pairing;
  const ns = service.namespace ?? exp.namespace;
  if (ns === undefined) return undefined;
  if (exp.name.length <= MAX_LABEL && ns.length <= MAX_LABEL && !service.headless) return undefined;
  const base = `${exp.name}.${ns}.svc.${CLUSTERSET_DOMAIN}`;
  if (exp.name.length > MAX_LABEL) return { kind: 'label', what: 'Service name', label: exp.name, name: base, length: exp.name.length };
  if (ns.length > MAX_LABEL) return { kind: 'label', what: 'namespace', label: ns, name: base, length: ns.length };
  const clusterID = cluster.identity.clusterIDs[0] as Fact<string> | undefined;
  const id = clusterID?.value ?? cluster.name;
  const withId = clusterID ? { clusterID } : {};
  if (id.length > MAX_LABEL) return { kind: 'label', what: 'cluster ID', label: id, name: `<hostname>.${id}.${base}`, length: id.length, ...withId };
  const pods = cluster.statefulSets
    .filter((st) => st.serviceName === exp.name && (st.namespace === undefined || st.namespace === ns) && st.replicas > 0)
    .map((st) => ({ object: st.object, name: st.name, hostname: `${st.name}-${st.ordinalStart + st.replicas - 1}` }));
  for (const statefulSet of pods) {
    const { hostname } = statefulSet;
    const fqdn = `${hostname}.${id}.${base}`;
    if (hostname.length > MAX_LABEL) return { kind: 'label', what: 'pod hostname', label: hostname, name: fqdn, length: hostname.length, ...withId, statefulSet };
    if (fqdn.length > MAX_NAME) return { kind: 'podName', name: fqdn, length: fqdn.length, ...withId, statefulSet };
  }
  return undefined;
}
