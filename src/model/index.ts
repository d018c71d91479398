/**
 * Model stage: loaded files → ClusterSets of clusters with validated facts and indexes.
 *
 * Every object is validated once against its schema; fact sources then read only fields that
 * passed (`ExtractContext.get`), so a malformed field never becomes a fact while the rest of the
 * object still counts.
 */
import type { ClusterConfig, FileConfig } from '../config/index.js';
import type { ClusterPlan, ClusterSetPlan, Discovery } from '../discover/index.js';
import type { LoadedFile, LoadProblem, ManifestObject, OtherDocument, Path } from '../load/types.js';
import { isUsable, valueAt } from '../schema/index.js';
import { factValue, isPlaceholder } from './placeholder.js';
import { FACT_SOURCES, VALUES_SOURCES, applyConfigFacts, type ClusterDraft, type ExtractContext, type FactSource, type ValuesContext } from './sources/index.js';
import type { ClusterModel, ClusterSetModel, ExportedService, Fact, GlobalnetState, McsImplementation, RunModel, ServiceFacts, Source } from './types.js';

export type * from './types.js';

/** Appends `value` to the list stored under `key`. */
function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

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

/** The object types fact sources read: only these keep their body while loading. */
export const READ_TYPES: ReadonlySet<string> = new Set(SOURCES_BY_TYPE.keys());

/** A node of the path trie: the shared path ending here, and the longer paths by next segment. */
interface PathNode {
  path?: Path;
  readonly next: Map<string | number, PathNode>;
}
const PATHS: PathNode = { next: new Map() };

/**
 * The one frozen copy of the path `base` + `path` (segments compared by value). Sources live as
 * long as the run, and a few hundred distinct paths (`spec.host`, `spec.subsets[0]`) recur in every
 * object: shared copies keep garbage collections from copying a path array per source.
 */
function sharedPath(base: Path, path: Path): Path {
  let node = PATHS;
  for (let i = 0; i < base.length + path.length; i++) {
    const segment = i < base.length ? base[i] : path[i - base.length];
    let child = node.next.get(segment);
    if (!child) node.next.set(segment, (child = { next: new Map() }));
    node = child;
  }
  return (node.path ??= Object.freeze(base.length === 0 ? path.slice() : base.concat(path)));
}

/** The extraction context of one cluster, pointed at each object in turn (one allocation per cluster). */
class Extraction implements ExtractContext {
  object!: ManifestObject;

  constructor(readonly cluster: ClusterDraft) {}

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

/** The values context of one cluster, pointed at each Helm values document in turn. */
class ValuesExtraction implements ValuesContext {
  document!: OtherDocument;

  constructor(readonly cluster: ClusterDraft) {}

  get(path: Path): unknown {
    return factValue(valueAt(this.document.body, path));
  }

  placeholder(path: Path): string | undefined {
    const v = valueAt(this.document.body, path);
    return typeof v === 'string' && isPlaceholder(v) ? v : undefined;
  }

  source(path: Path, origin: string): Source {
    return { file: this.document.file, doc: this.document.doc, path: sharedPath([], path), cluster: this.cluster.name, origin };
  }
}

/** A cluster being built: its plan, the draft facts go into, and extraction contexts. */
interface ClusterState {
  readonly plan: ClusterPlan;
  readonly draft: ClusterDraft;
  readonly objects: Extraction;
  readonly values: ValuesExtraction;
  /** Inputs added for this cluster alone (`ModelBuilder.addTo`: rendered kustomizations, pulled folders), in order. */
  readonly extra: LoadedFile[];
}

/**
 * An empty fact list in V8's elements kind for objects. A `[]` literal starts in the small-integer
 * kind and changes kind on its first push; optimized code that has seen lists of both kinds
 * deoptimizes ("not a Smi") when a new cluster's lists get their first facts: five recompiles of
 * the largest fact sources on the benchmark. Lists made here never change kind.
 */
function list<T>(): T[] {
  const fresh: unknown[] = [null];
  fresh.pop();
  return fresh as T[];
}

function newDraft(plan: ClusterPlan, config: FileConfig): ClusterDraft {
  const draft: ClusterDraft = {
    name: plan.name,
    identity: { clusterIDs: list(), unrendered: list(), clusterProperty: list(), clusterSet: list(), clusterPropertyObjects: list(), kubeadm: list(), kind: list(), karmadaClusters: list() },
    network: { podCIDRs: list(), serviceCIDRs: list(), globalCIDRs: list(), nodePodCIDRs: list(), nodeAddresses: list() },
    submariner: list(),
    lighthouse: list(),
    brokers: list(),
    cilium: list(),
    valueProblems: list(),
    istio: list(),
    istioConfig: { destinationRules: list(), virtualServices: list(), serviceEntries: list(), workloadEntries: list(), gateways: list(), gatewayInstalls: list() },
    workloads: list(),
    topology: { localities: list(), networks: list() },
    services: list(),
    namespaces: new Map(),
    serviceExports: list(),
    serviceImports: list(),
    serviceImportRefs: list(),
    linkerdLinks: list(),
    statefulSets: list(),
  };
  if (plan.config) applyConfigFacts(config, plan.config, draft);
  return draft;
}

/** Runs every fact source over the objects and Helm values documents of one file of a cluster. */
function extractFile(state: ClusterState, file: LoadedFile): void {
  const ctx = state.objects;
  for (const object of file.objects) {
    const sources = object.body && SOURCES_BY_GROUP.get(object.group)?.get(object.kind);
    if (!sources) continue;
    ctx.object = object;
    for (const source of sources) source.extract(ctx);
  }
  for (const document of file.others) {
    if (document.class !== 'helm-values' || document.body === undefined) continue;
    state.values.document = document;
    for (const source of VALUES_SOURCES) source.extract(state.values);
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
      source: { ...plan.namePlace, cluster: plan.name, origin: plan.origin === 'directory' ? 'directory name' : plan.origin === 'config' ? 'config clusters[].name' : '--cluster flag' },
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

function buildSet(plan: ClusterSetPlan, clusters: ClusterModel[]): ClusterSetModel {
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
      const service =
        candidates.find((s) => s.namespace === e.namespace) ??
        candidates.find((s) => s.namespace === undefined || e.namespace === undefined);
      push(exportsByKey, serviceKey(e.namespace ?? service?.namespace, e.name), { cluster: c, export: e, service });
    }
  }
  return {
    name: plan.name,
    clusters,
    clusterByName: new Map(clusters.map((c) => [c.name, c])),
    anchor: plan.anchor,
    globalnet: globalnetOf(clusters),
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
    const state: ClusterState = { plan, draft, objects: new Extraction(draft), values: new ValuesExtraction(draft), extra: [] };
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
   * The model of the run, once every file was added.
   * @param loaded every discovered file's load result, keyed by absolute path
   */
  finish(loaded: ReadonlyMap<string, LoadedFile>): RunModel {
    const sets = this.discovery.sets.map((plan, i) => {
      const states = [...this.states[i]].sort((a, b) => (a.plan.name < b.plan.name ? -1 : a.plan.name > b.plan.name ? 1 : 0));
      const clusters = states.map((state) => buildCluster(state, loaded, this.config));
      return buildSet(states.length === plan.clusters.length ? plan : { ...plan, clusters: states.map((s) => s.plan) }, clusters);
    });
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
