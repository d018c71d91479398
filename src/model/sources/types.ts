/**
 * The contract between the model builder and fact sources. A fact source reads objects of the
 * kinds it handles and adds facts to the cluster draft; rules never see sources, only facts,
 * so new sources (kubeadm, kind, Cilium, Calico, Istio…) plug in without touching any rule.
 */
import type { ManifestObject, OtherDocument, Path } from '../../load/types.js';
import type {
  BrokerFacts,
  CiliumFacts,
  ClusterIdentity,
  ClusterNetwork,
  ClusterTopology,
  IstioConfigFacts,
  IstioInstallFacts,
  LinkerdLinkFacts,
  NamespaceFacts,
  ServiceExportFacts,
  ServiceFacts,
  ServiceImportFacts,
  ServiceImportRefFacts,
  Source,
  StatefulSetFacts,
  SubmarinerFacts,
  ValueProblem,
  WorkloadFacts,
} from '../types.js';

/** The mutable cluster being built. */
export interface ClusterDraft {
  readonly name: string;
  readonly identity: ClusterIdentity;
  readonly network: ClusterNetwork;
  readonly submariner: SubmarinerFacts[];
  readonly lighthouse: ManifestObject[];
  readonly brokers: BrokerFacts[];
  readonly cilium: CiliumFacts[];
  readonly valueProblems: ValueProblem[];
  readonly istio: IstioInstallFacts[];
  readonly istioConfig: IstioConfigFacts;
  readonly workloads: WorkloadFacts[];
  readonly topology: ClusterTopology;
  readonly services: ServiceFacts[];
  readonly namespaces: Map<string, NamespaceFacts>;
  readonly serviceExports: ServiceExportFacts[];
  readonly serviceImports: ServiceImportFacts[];
  readonly serviceImportRefs: ServiceImportRefFacts[];
  readonly linkerdLinks: LinkerdLinkFacts[];
  readonly statefulSets: StatefulSetFacts[];
}

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

/** What a values source gets for one Helm values document (no schema: values files have none). */
export interface ValuesContext {
  readonly cluster: ClusterDraft;
  readonly document: OtherDocument;
  /** The value at `path` below the document root, undefined when absent or a placeholder. */
  get(path: Path): unknown;
  /** The string at `path` when it is an unrendered placeholder, else undefined. */
  placeholder(path: Path): string | undefined;
  /** Provenance of the value at `path` (`[]`: the document itself). */
  source(path: Path, origin: string): Source;
}

/**
 * A reader of Helm values documents (`helm-values` class: YAML mappings that are not Kubernetes
 * objects). It recognises its own values (Cilium's `cluster.name` with `clustermesh`/`ipam`,
 * Istio's `global.meshID`...) and ignores the rest.
 */
export interface ValuesSource {
  readonly id: string;
  extract(ctx: ValuesContext): void;
}
