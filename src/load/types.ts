/**
 * Shapes produced by the load stage: files turned into Kubernetes objects and classified
 * non-Kubernetes documents, each with enough provenance to locate any field later.
 */

import type { Path, Place, Span } from '../base/types.js';
import type { SchemaError } from '../schema/index.js';

/**
 * A Kubernetes object as loaded: where it came from, its schema violations, and its parsed body
 * when some fact source reads its kind. `name`/`namespace` are set only when they are strings in
 * the manifest; a missing namespace means "chosen at apply time" (`kubectl -n`), not `default`.
 */
export interface ManifestObject {
  readonly apiVersion: string;
  readonly kind: string;
  /** API group, '' for the core group (`apiVersion: v1`). */
  readonly group: string;
  readonly version: string;
  readonly name: string | undefined;
  readonly namespace: string | undefined;
  /**
   * The parsed object. Absent for kinds no fact source reads: those are validated while loading
   * and dropped (kept only to report schema errors), so memory holds facts, not every document
   * of a large repository. Released (set to undefined) once the model has extracted its facts
   * (`ModelBuilder.add`): rules read facts, never bodies.
   */
  body?: Record<string, unknown>;
  /** Schema violations found while loading (empty when valid); paths relative to the body. */
  readonly schemaErrors: readonly SchemaError[];
  readonly file: string;
  readonly doc: number;
  /** Path of the object inside its document: `[]`, or `['items', i]` inside a `kind: List`. */
  readonly base: Path;
  /**
   * The object's `mclint.io/ignore` annotation (rule ids, comma-separated) and
   * `mclint.io/ignore-reason`, when the former is a string. Objects carrying it are always kept,
   * so that the suppress stage sees every annotation.
   */
  readonly ignore?: { readonly rules: string; readonly reason?: string };
  /**
   * For rendered objects (`src/render/kustomize.ts` `loadRendered`): where the value at `path`
   * (relative to the body) was written when a patch or an overlay field, not the origin document,
   * set it; undefined when the origin place (`file`/`doc`/`base` + path) applies.
   */
  readonly fieldPlace?: (path: Path) => Place | undefined;
}

/** Why a whole file was not linted. Counted and listed in the run summary. */
export type SkipReason = 'binary' | 'too-large' | 'template' | 'unreadable';

/**
 * Classes of documents that are valid YAML but not Kubernetes objects. `helm-values` is any
 * mapping that is not object-like (Helm values, Chart.yaml, tool configuration); fact sources
 * read the Helm values among them.
 */
export type OtherClass = 'helm-values' | 'kustomization' | 'json-patch' | 'other';

/** A non-Kubernetes document kept for fact sources (Helm values carry cluster facts). */
export interface OtherDocument {
  readonly class: OtherClass;
  readonly file: string;
  readonly doc: number;
  /** The parsed document; released once the model has read it (`ModelBuilder.add`). */
  body?: unknown;
}

/**
 * A problem found while loading, reported later by the rule named in `rule`.
 * Syntax errors carry their exact `span` (the scanner knows it); shape problems carry a `place`.
 */
export interface LoadProblem {
  readonly rule: 'parse-error' | 'schema' | 'render-error';
  readonly message: string;
  /** Reported as a warning (a remote base not fetched), not an error. */
  readonly warning?: boolean;
  readonly file: string;
  readonly place?: Place;
  readonly span?: Span;
}

/** How to load: which objects are kept (default: all). */
export interface LoadOptions {
  /**
   * Types (`<group or "core">/<Kind>`) whose objects are kept with their body; objects of other
   * types are kept (without body) only when they have schema errors. Undefined keeps all.
   */
  readonly retainTypes?: ReadonlySet<string>;
  /**
   * Applied to every parsed document before it is classified and validated (Flux post-build
   * substitution, `src/render/flux.ts`); returns the document itself when nothing changes.
   */
  readonly transform?: (doc: unknown) => unknown;
}

/** Everything the load stage learned about one file. */
export interface LoadedFile {
  /** Absolute path. */
  readonly path: string;
  readonly skipped?: SkipReason;
  /** Number of non-empty YAML documents parsed (0 for skipped files and parse errors). */
  readonly documents: number;
  /** Number of Kubernetes objects found (List items counted one by one). */
  readonly objectCount: number;
  /**
   * The objects kept: those of retained types (see `LoadOptions`) and those with schema errors.
   * The others were validated and counted, then dropped.
   */
  readonly objects: ManifestObject[];
  readonly others: OtherDocument[];
  readonly problems: LoadProblem[];
  /**
   * The text contains `mclint-`: it may hold `# mclint-disable…` comments, which the suppress
   * stage reads (re-reading only these files). Absent for files without it.
   */
  readonly mayHaveDirectives?: true;
  /**
   * Objects of kinds no rule reads (no fact source retains them and they have no schema of their
   * own; see `load/classify.ts`), counted by kind, in the file's order of first appearance.
   * Absent when there are none, or when `LoadOptions.retainTypes` is not given (then everything
   * is kept and nothing is known to be unread). Type strings are shared by every file.
   */
  readonly unreadKinds?: readonly UnreadKind[];
  /**
   * For a rendered kustomization: every local file kustomize read to make it (kustomization files,
   * resources, patches), absolute and sorted. The file's own `path` is its kustomization file.
   */
  readonly sources?: readonly string[];
}

/** Objects of one kind no rule reads: `type` is `apiVersion Kind`, e.g. `apps/v1 Deployment`. */
export interface UnreadKind {
  readonly type: string;
  readonly count: number;
}
