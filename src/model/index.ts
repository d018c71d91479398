/**
 * Model stage: loaded files → ClusterSets of clusters with validated facts and indexes.
 *
 * Every object is validated once against its schema; fact sources then read only fields that
 * passed (`ExtractContext.get`), so a malformed field never becomes a fact while the rest of the
 * object still counts.
 */
import { realOrSelf, type Containment } from '../discover/walk.js';
import type { ClusterConfig, FileConfig } from '../config/index.js';
import type { ClusterPlan, ClusterSetPlan, Discovery } from '../discover/index.js';
import type { LoadedFile, LoadProblem, ManifestObject } from '../load/types.js';
import type { Path } from '../base/types.js';
import { isUnrenderedTemplate, typeKey } from '../load/classify.js';
import { parseDocuments, readManifest, withoutBom } from '../load/read.js';
import { isUsable, valueAt } from '../schema/index.js';
import { factValue } from './placeholder.js';
import { objectList as list, releaseRunMemory, sharedPath } from '../base/memory.js';
import { isPlaceholder } from '../base/placeholder.js';
import {
  FACT_SOURCES,
  VALUES_CARRIERS,
  VALUES_SOURCES,
  applyConfigFacts,
  type CarrierContext,
  type ClusterDraft,
  type ExtractContext,
  type FactSource,
  type HeldCarrier,
  type HeldObject,
  type HelmReleaseName,
  type ValuesCarrier,
  type ValuesContext,
  type ValuesUnit,
} from './sources/index.js';
import { LayeredValues, isRecord, subchartKeys } from './values.js';
import type { ClusterModel, ClusterSetModel, ConnectivityStatement, ExportedService, Fact, GlobalnetState, McsImplementation, RunModel, ServiceFacts, Source } from './types.js';
import { byName } from '../base/order.js';

export type * from './types.js';

/** Appends `value` to the list stored under `key`. */
function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

// The registries below are indexes of the fact sources and carriers, built once when the module
// loads from constant lists: fixed size, the same for every run, so not run-scoped caches.
const SOURCES_BY_TYPE = new Map<string, FactSource[]>();
for (const source of FACT_SOURCES) {
  for (const type of source.handles) push(SOURCES_BY_TYPE, type, source);
}
/** The same registry by group, then kind: looked up per object without building strings. */
const SOURCES_BY_GROUP = new Map<string, Map<string, FactSource[]>>();
for (const [type, sources] of SOURCES_BY_TYPE) {
  const slash = type.indexOf('/');
  const group = type.slice(0, slash) === 'core' ? '' : type.slice(0, slash);
  if (!SOURCES_BY_GROUP.has(group)) SOURCES_BY_GROUP.set(group, new Map());
  SOURCES_BY_GROUP.get(group)!.set(type.slice(slash + 1), sources);
}

/** Values carriers by group, then kind (objects held until `finish`). */
const CARRIERS_BY_GROUP = new Map<string, Map<string, ValuesCarrier>>();
/** Carriers of documents (helmfile.yaml). */
const DOCUMENT_CARRIERS = VALUES_CARRIERS.filter((c) => c.holdsDocument !== undefined);
for (const carrier of VALUES_CARRIERS) {
  for (const type of carrier.handles) {
    const slash = type.indexOf('/');
    const group = type.slice(0, slash) === 'core' ? '' : type.slice(0, slash);
    if (!CARRIERS_BY_GROUP.has(group)) CARRIERS_BY_GROUP.set(group, new Map());
    CARRIERS_BY_GROUP.get(group)!.set(type.slice(slash + 1), carrier);
  }
}

/**
 * The object types fact sources and values carriers read: only these keep their body while
 * loading. Secrets (like ConfigMaps) are kept without their body, so that a HelmRelease's
 * `valuesFrom` can find them when the model is finished.
 */
export const READ_TYPES: ReadonlySet<string> = new Set([...SOURCES_BY_TYPE.keys(), ...VALUES_CARRIERS.flatMap((c) => c.handles), typeKey('', 'Secret')]);

/**
 * The extraction context of one object for one cluster. One per object, not one per cluster
 * pointed at each object in turn: reusing a mutable context was measured to save nothing on the
 * benchmark (peak RSS and CPU time within noise; see `src/base/memory.ts`), so it is not done.
 */
class Extraction implements ExtractContext {
  constructor(
    readonly cluster: ClusterDraft,
    readonly object: ManifestObject,
  ) {}

  get(path: Path): unknown {
    if (!isUsable(this.object.schemaErrors, path)) return undefined;
    return factValue(valueAt(this.object.body, path));
  }

  placeholder(path: Path): string | undefined {
    const v = valueAt(this.object.body, path);
    return typeof v === 'string' && isPlaceholder(v) ? v : undefined;
  }

  source(path: Path, origin: string): Source {
    const o = this.object;
    const written = o.fieldPlace?.(path);
    if (written) return { file: written.file, doc: written.doc, path: written.path, cluster: this.cluster.name, object: o, origin };
    return { file: o.file, doc: o.doc, path: sharedPath(o.base, path), cluster: this.cluster.name, object: o, origin };
  }
}

/**
 * The values context of one set of Helm values for one cluster: a values document, an umbrella
 * chart's sub-chart section, or the merged layers a carrier yields.
 */
/** A release the manifests say nothing of (a values file read on its own). */
const NO_RELEASE: HelmReleaseName = Object.freeze({});

class ValuesExtraction implements ValuesContext {
  constructor(
    readonly cluster: ClusterDraft,
    readonly values: LayeredValues,
    readonly chart: string | undefined,
    readonly release: HelmReleaseName,
  ) {}

  get(path: Path): unknown {
    return factValue(this.values.get(path));
  }

  placeholder(path: Path): string | undefined {
    const v = this.values.get(path);
    return typeof v === 'string' && isPlaceholder(v) ? v : undefined;
  }

  source(path: Path, origin: string): Source {
    const place = this.values.place(path);
    return { file: place.file, doc: place.doc, path: sharedPath([], place.path), cluster: this.cluster.name, ...(place.object && { object: place.object }), origin };
  }
}

/** The fact lists of a draft (its own and those of its nested groups: identity, network…). */
function draftLists(draft: ClusterDraft): unknown[][] {
  const out: unknown[][] = [];
  for (const v of Object.values(draft)) {
    if (Array.isArray(v)) out.push(v);
    else if (isRecord(v)) for (const w of Object.values(v)) if (Array.isArray(w)) out.push(w);
  }
  return out;
}

/** What a fact or fact group is located by: its `at` or its `source`, when that is a place. */
function placeOf(item: unknown): { file: string; doc: number; object?: unknown } | undefined {
  if (!isRecord(item) || item.object !== undefined) return undefined;
  const p = isRecord(item.at) ? item.at : isRecord(item.source) ? item.source : undefined;
  return p && typeof p.file === 'string' && typeof p.doc === 'number' ? (p as { file: string; doc: number; object?: unknown }) : undefined;
}

const docKey = (file: string, doc: number) => `${doc}\0${file}`;

/**
 * Removes what values documents in `consumed` gave as stand-alone values (a file a helmfile
 * release or an Argo CD Application layers with others): the merged view supersedes it.
 */
function dropConsumed(draft: ClusterDraft, consumed: ReadonlySet<string>): void {
  for (const list of draftLists(draft)) {
    let w = 0;
    for (let r = 0; r < list.length; r++) {
      const p = placeOf(list[r]);
      if (p && p.object === undefined && consumed.has(docKey(p.file, p.doc))) continue;
      list[w++] = list[r];
    }
    list.length = w;
  }
}

/** A fact's identity for de-duplication: everything but where its group is anchored and its object. */
const signature = (item: unknown) => JSON.stringify(item, (k, v: unknown) => (k === 'at' || k === 'object' ? undefined : typeof v === 'bigint' ? String(v) : v));

/**
 * Removes facts that several views of the same values added twice (sub-charts of an umbrella
 * chart all see the parent's `global`): appended items equal to an earlier appended one, and Istio
 * install settings whose facts another appended install already has.
 */
function dedupeSince(draft: ClusterDraft, lists: unknown[][], starts: number[]): void {
  lists.forEach((list, i) => {
    if (list.length - starts[i] < 2) return;
    const seen = new Set<string>();
    let w = starts[i];
    for (let r = starts[i]; r < list.length; r++) {
      const sig = signature(list[r]);
      if (seen.has(sig)) continue;
      seen.add(sig);
      list[w++] = list[r];
    }
    list.length = w;
  });
  const installs = draft.istio as unknown[];
  const start = starts[lists.indexOf(installs)];
  if (start === undefined || installs.length - start < 2) return;
  const factsOf = (item: unknown) =>
    isRecord(item)
      ? Object.entries(item)
          .filter(([k]) => k !== 'at')
          .map(([k, v]) => `${k}=${signature(v)}`)
      : [];
  const sets = installs.slice(start).map((item) => new Set(factsOf(item)));
  const kept = installs.slice(start).filter((_, i) => !sets.some((other, j) => j !== i && other.size > sets[i].size && [...sets[i]].every((f) => other.has(f))));
  installs.length = start;
  installs.push(...kept);
}

/**
 * Runs the values sources over one set of values: the values themselves and, when they may be an
 * umbrella chart's (sub-chart keys such as `cilium:` or `istiod:` holding mappings), each
 * sub-chart's section with the parent's `global` propagated (`LayeredValues.subchart`). What
 * several views find alike (the parent's `global` seen by each sub-chart) counts once.
 */
function readValues(draft: ClusterDraft, values: LayeredValues, chart: string | undefined, release: HelmReleaseName = NO_RELEASE): void {
  const keys = subchartKeys(values);
  const lists = keys.length === 0 ? undefined : draftLists(draft);
  const starts = lists?.map((l) => l.length);
  const ctx = new ValuesExtraction(draft, values, chart, release);
  for (const source of VALUES_SOURCES) source.extract(ctx);
  if (!lists || !starts) return;
  for (const key of keys) {
    const sub = new ValuesExtraction(draft, values.subchart(key), key, release);
    for (const source of VALUES_SOURCES) source.extract(sub);
  }
  dedupeSince(draft, lists, starts);
}

/** A cluster being built: its plan and the draft facts go into. */
interface ClusterState {
  readonly plan: ClusterPlan;
  readonly draft: ClusterDraft;
  /** Inputs added for this cluster alone (`ModelBuilder.addTo`: rendered kustomizations, pulled folders), in order. */
  readonly extra: LoadedFile[];
  /** Values carriers held until `finish` (HelmReleases, Applications, helmfiles: their bodies only). */
  readonly carriers: { readonly carrier: ValuesCarrier; readonly held: HeldCarrier }[];
}

function newDraft(plan: ClusterPlan, config: FileConfig): ClusterDraft {
  const draft: ClusterDraft = {
    name: plan.name,
    identity: {
      clusterIDs: list(),
      unrendered: list(),
      clusterProperty: list(),
      clusterSet: list(),
      clusterPropertyObjects: list(),
      kubeadm: list(),
      kind: list(),
      karmadaClusters: list(),
    },
    network: { podCIDRs: list(), serviceCIDRs: list(), globalCIDRs: list(), nodePodCIDRs: list(), nodeAddresses: list() },
    submariner: list(),
    lighthouse: list(),
    brokers: list(),
    calicoPools: list(),
    kubeProxy: list(),
    cilium: list(),
    valueProblems: list(),
    istio: list(),
    istioConfig: { destinationRules: list(), virtualServices: list(), serviceEntries: list(), workloadEntries: list(), gateways: list(), gatewayInstalls: list() },
    istioControlPlanes: list(),
    istioRemoteSecrets: list(),
    workloads: list(),
    topology: { localities: list(), networks: list() },
    services: list(),
    namespaces: new Map(),
    serviceExports: list(),
    serviceImports: list(),
    serviceImportRefs: list(),
    linkerdLinks: list(),
    linkerd: list(),
    linkerdBackendRefs: list(),
    trust: { ciliumCAs: list(), istioCACerts: list(), spireServers: list(), federatedTrustDomains: list() },
    placement: { karmadaPolicies: list(), kubefedClusterRefs: list(), kubefedClusters: list(), ocmPlacements: list(), ocmBindings: list(), ocmClusterSets: list() },
    statefulSets: list(),
    ciliumValues: list(),
    ciliumMeshSecrets: list(),
    ciliumPolicyClusters: list(),
    chartReleases: list(),
    ciliumWrappedValues: list(),
    prometheus: list(),
    corednsConfigs: list(),
    liqo: { clusterIDs: list(), peers: list() },
    interconnects: list(),
  };
  if (plan.config) applyConfigFacts(config, plan.config, draft);
  return draft;
}

/** Runs every fact source over the objects and Helm values documents of one file of a cluster. */
function extractFile(state: ClusterState, file: LoadedFile): void {
  for (const object of file.objects) {
    const sources = object.body && SOURCES_BY_GROUP.get(object.group)?.get(object.kind);
    if (!sources) continue;
    const ctx = new Extraction(state.draft, object);
    for (const source of sources) source.extract(ctx);
  }
  for (const object of file.objects) {
    const carrier = object.body && CARRIERS_BY_GROUP.get(object.group)?.get(object.kind);
    if (carrier) state.carriers.push({ carrier, held: { object, file: object.file, doc: object.doc, base: object.base, body: object.body } });
  }
  for (const document of file.others) {
    if (document.class !== 'helm-values' || document.body === undefined) continue;
    const carrier = DOCUMENT_CARRIERS.find((c) => c.holdsDocument!(document.file, document.body));
    if (carrier) {
      state.carriers.push({ carrier, held: { file: document.file, doc: document.doc, base: [], body: document.body } });
      continue;
    }
    readValues(state.draft, LayeredValues.of(document.file, document.doc, document.body), undefined);
  }
}

/** The non-empty documents of a file as the loader counts them; undefined when unreadable, not YAML or a template. */
function readDocuments(cache: Map<string, unknown[] | undefined>, file: string): unknown[] | undefined {
  if (cache.has(file)) return cache.get(file);
  let docs: unknown[] | undefined;
  const read = readManifest(file, true);
  if (!read.skipped) {
    const text = withoutBom(read.text);
    try {
      const all = parseDocuments(file, text);
      if (!isUnrenderedTemplate(file, text, all)) docs = all.filter((d) => d !== null && d !== undefined);
    } catch {
      docs = undefined;
    }
  }
  cache.set(file, docs);
  return docs;
}

/**
 * The carrier context of one cluster at `finish`: ConfigMaps and Secrets are looked up among the
 * objects its loaded files kept (bodies released) and read again from their files; the index is
 * built on the first lookup only.
 */
class Carriers implements CarrierContext {
  private index?: Map<string, ManifestObject[]>;

  constructor(
    private readonly state: ClusterState,
    private readonly loaded: ReadonlyMap<string, LoadedFile>,
    private readonly names: ReadonlySet<string>,
    private readonly cache: Map<string, unknown[] | undefined>,
    /** Where value files may be read (real paths); undefined: anywhere. */
    private readonly trusted: Containment | undefined,
  ) {}

  get cluster(): ClusterDraft {
    return this.state.draft;
  }

  hasCluster(name: string): boolean {
    return this.names.has(name);
  }

  document(file: string, doc = 0): unknown {
    // A value file a manifest names (`../..`, a link) is never read outside the repository.
    if (this.trusted && !this.trusted.contains(realOrSelf(file))) return undefined;
    return readDocuments(this.cache, file)?.[doc];
  }

  object(kind: 'ConfigMap' | 'Secret', namespace: string | undefined, name: string): HeldObject | undefined {
    if (!this.index) {
      const index = new Map<string, ManifestObject[]>();
      const files = this.state.plan.files.map((f) => this.loaded.get(f)).concat(this.state.extra);
      for (const file of files) {
        for (const o of file?.objects ?? []) {
          if (o.group === '' && (o.kind === 'ConfigMap' || o.kind === 'Secret') && o.name !== undefined) push(index, `${o.kind}/${o.name}`, o);
        }
      }
      this.index = index;
    }
    const candidates = this.index.get(`${kind}/${name}`) ?? [];
    const object = candidates.find((o) => o.namespace === namespace) ?? candidates.find((o) => o.namespace === undefined || namespace === undefined);
    if (!object) return undefined;
    const body = valueAt(this.document(object.file, object.doc), object.base);
    if (!isRecord(body) || body.kind !== kind || !isRecord(body.metadata) || body.metadata.name !== name) return undefined;
    return { object, body };
  }
}

/**
 * Resolves the values carriers every cluster of a set holds, then reads the values units they
 * yield into the cluster each belongs to. Values documents a unit layers lose what they gave on
 * their own (see `dropConsumed`).
 */
function resolveCarriers(states: readonly ClusterState[], loaded: ReadonlyMap<string, LoadedFile>, trusted: Containment | undefined): void {
  if (states.every((s) => s.carriers.length === 0)) return;
  const byName = new Map(states.map((s) => [s.plan.name, s]));
  const names = new Set(byName.keys());
  const cache = new Map<string, unknown[] | undefined>();
  const units: { state: ClusterState; unit: ValuesUnit; key: string }[] = [];
  const consumed = new Set<string>();
  for (const state of states) {
    const ctx = new Carriers(state, loaded, names, cache, trusted);
    for (const { carrier, held } of state.carriers) {
      let found: ValuesUnit[];
      try {
        found = carrier.resolve(ctx, held);
      } catch {
        // Bad input never stops the run: a carrier that cannot be read gives no values.
        continue;
      }
      found.forEach((unit, i) => {
        const target = (unit.cluster !== undefined && byName.get(unit.cluster)) || state;
        units.push({ state: target, unit, key: `${target.plan.name}\0${held.file}\0${held.doc}\0${held.base.join('.')}\0${i}` });
        for (const c of unit.consumes) consumed.add(docKey(c.file, c.doc));
      });
    }
    state.carriers.length = 0;
  }
  if (consumed.size > 0) for (const state of states) dropConsumed(state.draft, consumed);
  const done = new Set<string>();
  for (const { state, unit, key } of units) {
    // An Application in a file several clusters share, deploying to one of them, counts once.
    if (done.has(key)) continue;
    done.add(key);
    readValues(state.draft, unit.values, unit.chart, unit.release);
  }
}

function buildCluster(state: ClusterState, loaded: ReadonlyMap<string, LoadedFile>, config: FileConfig): ClusterModel {
  const { plan, draft } = state;
  // Plain loops: flatMap's array per element costs more than the rest of the model's finish.
  const files: LoadedFile[] = [];
  const objects: ManifestObject[] = [];
  for (const path of plan.files) {
    const file = loaded.get(path);
    if (!file) continue;
    files.push(file);
    for (const object of file.objects) objects.push(object);
  }
  for (const file of state.extra) {
    files.push(file);
    for (const object of file.objects) objects.push(object);
  }
  const servicesByName = new Map<string, ServiceFacts[]>();
  for (const s of draft.services) push(servicesByName, s.name, s);
  const { services: _services, ...facts } = draft;
  const mcsImplementation = plan.config && configMcsImplementation(config, plan.config, plan.name);
  return {
    ...facts,
    ...(mcsImplementation && { mcsImplementation }),
    name: plan.name,
    nameSource: {
      value: plan.name,
      source: {
        ...plan.namePlace,
        cluster: plan.name,
        origin: plan.origin === 'directory' ? 'directory name' : plan.origin === 'config' ? 'config clusters[].name' : '--cluster flag',
      },
    },
    root: plan.root,
    files,
    objects,
    servicesByName,
  };
}

function globalnetOf(clusters: readonly ClusterModel[]): GlobalnetState {
  const brokers = clusters.flatMap((c) => c.brokers);
  if (brokers.some((b) => b.globalnetEnabled.value)) return { enabled: true, via: 'broker' };
  if (brokers.length === 0 && clusters.some((c) => c.network.globalCIDRs.length > 0)) return { enabled: true, via: 'globalCIDR' };
  return { enabled: false };
}

/**
 * The key of a namespaced object under MCS namespace sameness: `namespace/name`, with an empty
 * namespace for manifests that leave it to apply time (`kubectl -n`; tutorial repositories apply
 * every cluster's copy to the same namespace).
 */
export function serviceKey(namespace: string | undefined, name: string): string {
  return `${namespace ?? ''}/${name}`;
}

/**
 * The MCS implementation that handles a cluster's ServiceExports: the config's
 * `mcsImplementation` when stated; else Submariner Lighthouse when the cluster deploys it
 * (a Submariner CR with `serviceDiscoveryEnabled: true`, or a ServiceDiscovery CR); else Cilium
 * when Cilium Cluster Mesh is configured (Helm values or `cilium-config`); else generic KEP-1645
 * behaviour.
 */
export function mcsImplementationOf(cluster: ClusterModel): McsImplementation {
  if (cluster.mcsImplementation) return cluster.mcsImplementation.value;
  if (cluster.lighthouse.length > 0) return 'lighthouse';
  if (cluster.cilium.length > 0) return 'cilium';
  return 'generic';
}

function configMcsImplementation(config: FileConfig, cluster: ClusterConfig, name: string): Fact<McsImplementation> | undefined {
  if (cluster.mcsImplementation === undefined || config.file === undefined) return undefined;
  return {
    value: cluster.mcsImplementation,
    source: { file: config.file, doc: 0, path: ['clusters', cluster.index, 'mcsImplementation'], cluster: name, origin: 'config mcsImplementation' },
  };
}

/**
 * The config file's `connectivity` entries that apply to set `name` (no `clusterSet`, or this
 * one), each keeping only the names of the set's clusters; entries left with fewer than two say
 * nothing about the set and are dropped.
 */
function connectivityStatements(config: FileConfig, name: string, clusters: readonly ClusterModel[]): ConnectivityStatement[] {
  if (!config.file || !config.connectivity) return [];
  const file = config.file;
  const names = new Set(clusters.map((c) => c.name));
  return config.connectivity.flatMap((entry) => {
    if (entry.clusterSet !== undefined && entry.clusterSet !== name) return [];
    const members = entry.clusters.filter((c) => names.has(c));
    if (members.length < 2) return [];
    const source = { file, doc: 0, path: ['connectivity', entry.index, 'kind'], cluster: members[0], origin: 'config connectivity' };
    return [{ clusters: members, kind: entry.kind, ...(entry.via !== undefined && { via: entry.via }), source }];
  });
}

function buildSet(plan: ClusterSetPlan, clusters: ClusterModel[], config: FileConfig): ClusterSetModel {
  const servicesByName = new Map<string, ServiceFacts[]>();
  const servicesByKey = new Map<string, ServiceFacts[]>();
  const exportsByKey = new Map<string, ExportedService[]>();
  // `clusters` is sorted by name, so every list is too.
  for (const c of clusters) {
    for (const [name, list] of c.servicesByName) {
      for (const s of list) {
        push(servicesByName, name, s);
        push(servicesByKey, serviceKey(s.namespace, name), s);
      }
    }
    for (const e of c.serviceExports) {
      const candidates = c.servicesByName.get(e.name) ?? [];
      const service = candidates.find((s) => s.namespace === e.namespace) ?? candidates.find((s) => s.namespace === undefined || e.namespace === undefined);
      push(exportsByKey, serviceKey(e.namespace ?? service?.namespace, e.name), { cluster: c, export: e, service });
    }
  }
  return {
    name: plan.name,
    clusters,
    clusterByName: new Map(clusters.map((c) => [c.name, c])),
    views: new Map(),
    anchor: plan.anchor,
    globalnet: globalnetOf(clusters),
    connectivity: connectivityStatements(config, plan.name, clusters),
    servicesByName,
    servicesByKey,
    exportsByKey,
  };
}

/**
 * The load problems of one kind in a set's files, with the cluster each file belongs to: what the
 * `parse-error` and `schema` rules report.
 */
export function* loadProblems(set: ClusterSetModel, rule: LoadProblem['rule']): Generator<{ cluster: ClusterModel; file: LoadedFile; problem: LoadProblem }> {
  for (const cluster of set.clusters) {
    for (const file of cluster.files) {
      for (const problem of file.problems) if (problem.rule === rule) yield { cluster, file, problem };
    }
  }
}

/**
 * Builds the model while files are loaded: `add` extracts the facts of each file into the
 * clusters it belongs to as soon as it is loaded, then releases the file's parsed bodies, so a
 * large repository never holds every parsed document at once (facts keep what rules need).
 */
export class ModelBuilder {
  private readonly states: ClusterState[][];
  private readonly byPath = new Map<string, ClusterState[]>();
  private readonly byName = new Map<string, ClusterState>();

  /** @param discovery sets, clusters and their files */
  constructor(
    private readonly discovery: Discovery,
    private readonly config: FileConfig,
  ) {
    this.states = discovery.sets.map((set) => set.clusters.map((plan) => this.newState(plan)));
  }

  private newState(plan: ClusterPlan): ClusterState {
    const draft = newDraft(plan, this.config);
    const state: ClusterState = { plan, draft, extra: [], carriers: [] };
    for (const f of plan.files) push(this.byPath, f, state);
    this.byName.set(plan.name, state);
    return state;
  }

  /**
   * Adds a cluster found while loading (an Argo CD Application's destination) to the set of the
   * cluster named `beside`; it is built like the others, sorted into its set by name.
   * @throws Error when `beside` is unknown or a cluster of that name exists
   */
  addCluster(plan: ClusterPlan, beside: string): void {
    if (this.byName.has(plan.name)) throw new Error(`cluster "${plan.name}" exists`);
    const i = this.states.findIndex((set) => set.some((s) => s.plan.name === beside));
    if (i < 0) throw new Error(`no cluster "${beside}"`);
    this.states[i].push(this.newState(plan));
  }

  /** True when a cluster of that name is being built. */
  hasCluster(name: string): boolean {
    return this.byName.has(name);
  }

  /**
   * Extracts the facts of an input of the named clusters only (a rendered kustomization, a folder a
   * Flux Kustomization or Argo CD Application pulled in), which joins their files; then releases its
   * bodies like `add`. Unknown names are ignored.
   */
  addTo(clusters: readonly string[], file: LoadedFile): void {
    for (const name of clusters) {
      const state = this.byName.get(name);
      if (!state) continue;
      extractFile(state, file);
      state.extra.push(file);
    }
    for (const object of file.objects) object.body = undefined;
    for (const document of file.others) document.body = undefined;
  }

  /**
   * Extracts the facts of one loaded file, then drops its object and values bodies (objects keep
   * their identity, place and schema errors). Call once per file.
   */
  add(file: LoadedFile): void {
    for (const state of this.byPath.get(file.path) ?? []) extractFile(state, file);
    for (const object of file.objects) object.body = undefined;
    for (const document of file.others) document.body = undefined;
  }

  /**
   * The model of the run, once every file was added. Ends the run's shared-copy tables
   * (`releaseRunMemory`): no fact is built after this, and the facts keep the copies they hold.
   * @param loaded every discovered file's load result, keyed by absolute path
   */
  finish(loaded: ReadonlyMap<string, LoadedFile>): RunModel {
    const sets = this.discovery.sets.map((plan, i) => {
      resolveCarriers(this.states[i], loaded, this.discovery.trusted);
      const states = [...this.states[i]].sort((a, b) => byName(a.plan, b.plan));
      const clusters = states.map((state) => buildCluster(state, loaded, this.config));
      return buildSet(states.length === plan.clusters.length ? plan : { ...plan, clusters: states.map((s) => s.plan) }, clusters, this.config);
    });
    releaseRunMemory();
    return { sets, config: this.config };
  }
}

/**
 * Builds the model of a run from files already loaded (their bodies are released as facts are
 * extracted; see `ModelBuilder`).
 * @param discovery sets, clusters and their files
 * @param loaded every discovered file's load result, keyed by absolute path
 */
export function buildModel(discovery: Discovery, loaded: ReadonlyMap<string, LoadedFile>, config: FileConfig): RunModel {
  const builder = new ModelBuilder(discovery, config);
  for (const file of loaded.values()) builder.add(file);
  return builder.finish(loaded);
}
