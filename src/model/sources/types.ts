/**
 * The contract between the model builder and fact sources. A fact source reads objects of the
 * kinds it handles and adds facts to the cluster draft; rules never see sources, only facts,
 * so new sources (kubeadm, kind, Cilium, Calico, Istio…) plug in without touching any rule.
 */
import type { ManifestObject, Path } from '../../load/types.js';
import type { BrokerFacts, ClusterIdentity, ClusterNetwork, ClusterTopology, NamespaceFacts, ServiceExportFacts, ServiceFacts, Source, SubmarinerFacts } from '../types.js';

/** The mutable cluster being built. */
export interface ClusterDraft {
  readonly name: string;
  readonly identity: ClusterIdentity;
  readonly network: ClusterNetwork;
  readonly submariner: SubmarinerFacts[];
  readonly lighthouse: ManifestObject[];
  readonly brokers: BrokerFacts[];
  readonly topology: ClusterTopology;
  readonly services: ServiceFacts[];
  readonly namespaces: Map<string, NamespaceFacts>;
  readonly serviceExports: ServiceExportFacts[];
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
