/**
 * The contract between the model builder and fact sources. A fact source reads objects of the
 * kinds it handles and adds facts to the cluster draft; rules never see sources, only facts,
 * so new sources (kubeadm, kind, Cilium, Calico, Istio…) plug in without touching any rule.
 */
import type { ManifestObject } from '../../load/types.js';
import type { Path } from '../../base/types.js';
import type { LayeredValues } from '../values.js';
import type { ClusterFacts, ServiceFacts, Source } from '../types.js';

/** A fact list of `ClusterFacts` as the builder grows it: a readonly list becomes pushable, a map settable. */
type Growing<T> = T extends readonly (infer E)[] ? E[] : T extends ReadonlyMap<infer K, infer V> ? Map<K, V> : T;

/**
 * The mutable cluster being built: `ClusterFacts` (declared once, in `../types.ts`) with growing
 * lists, plus the Services the model indexes by name when the cluster is finished.
 */
export type ClusterDraft = { readonly name: string; readonly services: ServiceFacts[] } & { readonly [K in keyof ClusterFacts]: Growing<ClusterFacts[K]> };

/** What a source gets for one object. */
export interface ExtractContext {
  readonly cluster: ClusterDraft;
  readonly object: ManifestObject;
  /**
   * The value at `path` (relative to the object body) when it passed schema validation and is
   * not an unrendered placeholder; undefined otherwise.
   */
  get(path: Path): unknown;
  /** The string at `path` when it is an unrendered placeholder (`${CLUSTER_ID}`), else undefined. */
  placeholder(path: Path): string | undefined;
  /** Provenance of the field at `path` for a fact; `origin` describes it for messages. */
  source(path: Path, origin: string): Source;
}

/** A reader of one family of objects; `handles` lists the object types it is given. */
export interface FactSource {
  readonly id: string;
  /** Object types handled, as `<group or "core">/<Kind>`. */
  readonly handles: readonly string[];
  extract(ctx: ExtractContext): void;
}

/**
 * What a values source gets for one set of Helm values: a values document as it stands, an
 * umbrella chart's sub-chart section (with `global` propagated), or the merged layers of a Flux
 * HelmRelease, an Argo CD Application source or a helmfile release (see `../values.ts`). No
 * schema: values have none.
 */
export interface ValuesContext {
  readonly cluster: ClusterDraft;
  /**
   * The chart the values are for, when known (`cilium`, `istiod`, `gateway`…: a HelmRelease's or
   * Application's chart, a helmfile release's chart, an umbrella chart's sub-chart key); sources
   * skip values of another project's chart.
   */
  readonly chart: string | undefined;
  /** The Helm release the values are installed as, as far as the manifests tell it (see `HelmReleaseName`). */
  readonly release: HelmReleaseName;
  /** The merged value at `path` below the values root, undefined when absent or a placeholder. */
  get(path: Path): unknown;
  /** The string at `path` when it is an unrendered placeholder, else undefined. */
  placeholder(path: Path): string | undefined;
  /** Provenance of the value at `path`: the layer that set it (`[]`: the values as a whole). */
  source(path: Path, origin: string): Source;
}

/**
 * A reader of Helm values (`helm-values` documents: YAML mappings that are not Kubernetes
 * objects, and the values other tools pass to charts). It recognises its own values (Cilium's
 * `cluster.name` with `clustermesh`/`ipam`, Istio's `global.meshID`...) and ignores the rest.
 */
export interface ValuesSource {
  readonly id: string;
  extract(ctx: ValuesContext): void;
}

/** A Kubernetes object or values document kept for `ModelBuilder.finish`, whose values need other files. */
export interface HeldCarrier {
  /** The object (HelmRelease, Application); undefined for a document (helmfile.yaml). */
  readonly object?: ManifestObject;
  readonly file: string;
  readonly doc: number;
  /** Path of the object inside its document (`[]`, or `['items', i]` in a List). */
  readonly base: Path;
  /** The parsed object or document, kept until finish. */
  readonly body: unknown;
}

/** A ConfigMap or Secret of the cluster, read again from its file. */
export interface HeldObject {
  readonly object: ManifestObject;
  readonly body: Record<string, unknown>;
}

/** What a values carrier gets when the model is finished. */
export interface CarrierContext {
  /** The cluster whose files hold the carrier. */
  readonly cluster: ClusterDraft;
  /**
   * The ConfigMap or Secret `name` among the cluster's manifests, in `namespace` (an object
   * without a namespace, or a carrier without one, matches any), its body read again from its
   * file; undefined when absent or unreadable.
   */
  object(kind: 'ConfigMap' | 'Secret', namespace: string | undefined, name: string): HeldObject | undefined;
  /**
   * The `doc`-th non-empty YAML document of a file (0: the first), parsed as the loader parses;
   * undefined when the file is missing, unreadable, not YAML or an unrendered template.
   */
  document(file: string, doc?: number): unknown;
  /** True when a cluster of that name is in the same ClusterSet. */
  hasCluster(name: string): boolean;
}

/**
 * A Helm release's name and namespace as a carrier tells them (a Flux HelmRelease: helm-controller's
 * `GetReleaseName`/`GetReleaseNamespace`); a part left out is decided at install time (a values file
 * alone, a field holding a placeholder).
 */
export interface HelmReleaseName {
  readonly name?: string;
  readonly namespace?: string;
}

/** One set of merged values a carrier yields. */
export interface ValuesUnit {
  readonly values: LayeredValues;
  /** The chart the values are for, when known (see `ValuesContext.chart`). */
  readonly chart: string | undefined;
  /** The release the values are installed as, when the carrier tells it. */
  readonly release?: HelmReleaseName;
  /** The cluster (of the same ClusterSet) that gets the facts; undefined: the one holding the carrier. */
  readonly cluster?: string;
  /**
   * Values documents read as layers (`file`, `doc`): what their own reading as stand-alone values
   * documents found is superseded by this unit's merged view.
   */
  readonly consumes: readonly { readonly file: string; readonly doc: number }[];
}

/**
 * A reader of objects or documents that pass values to a chart from other places (Flux
 * HelmRelease `valuesFrom`, Argo CD `valueFiles`, helmfile `values:`). Cross-file lookups cannot
 * happen while files stream through the model builder, so carriers are held (their bodies only)
 * and resolved in `ModelBuilder.finish`.
 */
export interface ValuesCarrier {
  readonly id: string;
  /** Object types held, as `<group or "core">/<Kind>`. */
  readonly handles: readonly string[];
  /** For documents (not objects): true for a values document this carrier holds instead (helmfile.yaml). */
  holdsDocument?(file: string, body: unknown): boolean;
  /** The values units of one held carrier; never throws for bad input. */
  resolve(ctx: CarrierContext, held: HeldCarrier): ValuesUnit[];
}
