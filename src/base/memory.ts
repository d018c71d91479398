/**
 * The speed box: the memory techniques of the load and model stages (string interning, shared
 * paths, list shapes) and the owner of their run-scoped tables, in one module that no rule
 * imports (`test/memory.test.ts` checks it). Rules read facts; how facts are kept small is not
 * their business, so the next optimisation goes here or into a model view, never into a rule.
 *
 * What each technique saves was measured on the benchmark repository (`npm run bench`'s generator:
 * 50 clusters × 400 files, 100,050 documents; `--format json`, default parse workers), each
 * technique disabled in turn by a local patch that was not committed, all variants interleaved,
 * three series of 7, 11 and 9 runs on a two-CPU machine shared with other work (load average
 * 3–15, so wall time was noise); quoted are the medians of peak RSS and of CPU time (user +
 * system; series 2 and 3 only) per series. With every technique on: peak RSS 233 / 229 / 232 MiB,
 * CPU 3.24 / 3.25 s. Below, "without it" gives the same figures with the technique off; a
 * technique that saves nothing measurable on the benchmark says so and why it is kept.
 *
 * Left out after measuring: one mutable extraction context per cluster, pointed at each object
 * in turn (the model did this before). A fresh context per object measured 234 / 231 / 229 MiB,
 * CPU 3.23 / 3.30 s: no saving, so the model now makes one immutable context per object.
 *
 * Lifetime: the shared copies live in run-scoped tables (`RunTable`), owned by this module and
 * emptied by `releaseRunMemory`, which the model calls when a run's model is finished
 * (`ModelBuilder.finish`): after that no fact is built, the facts keep the copies they were given,
 * and the next run (tests, a long-lived process) starts with empty tables. Emptying a table never
 * changes a value, only which copy later values share, so a run that overlaps another in the same
 * process loses sharing, never correctness.
 *
 * Errors: nothing here throws.
 */
import type { Path } from './types.js';

/** Every run-scoped table, so that `releaseRunMemory` can empty them all (one per declaration). */
const TABLES: RunTable<unknown>[] = [];

/**
 * A cache with the lifetime of a run: made on first use after each `releaseRunMemory`, dropped by
 * it. Declare one at module level (`const T = new RunTable(() => new Map())`) and use `T.get()`;
 * the box owns when its content goes.
 */
export class RunTable<T> {
  private value: T | undefined;

  /** @param make builds the empty table (a `Map`, a trie root…) */
  constructor(private readonly make: () => T) {
    TABLES.push(this);
  }

  /** The table of the current run, made now when the run has none yet. */
  get(): T {
    return (this.value ??= this.make());
  }

  /** Drops the current run's table (the next `get` makes a new one). */
  clear(): void {
    this.value = undefined;
  }
}

/**
 * Ends the run's lifetime of every `RunTable` (shared strings, shared paths, classification
 * memos): their content becomes garbage unless facts still hold it. Called by
 * `ModelBuilder.finish`; safe to call at any time.
 */
export function releaseRunMemory(): void {
  for (const table of TABLES) table.clear();
}

/**
 * A copy of `s` that does not share the file text's memory. V8 makes substrings of 13 or more
 * characters "sliced strings" that point into their parent, so a name read from a parsed file
 * would keep the whole file's text alive after its body is released.
 *
 * Measured (interning on, see `kept`): without detaching, 234 / 235 / 234 MiB, CPU 3.30 / 3.30 s:
 * within noise on the benchmark, whose scalars are short and whose files are small; kept because
 * one sliced name from a large file (a rendered kustomization of several MB) keeps the whole text.
 */
export const detached = <S extends string | undefined>(s: S): S => (s === undefined || s.length < 13 ? s : ((' ' + s).slice(1) as S));

/** Strings longer than this are only detached, not shared (they rarely repeat). */
const MAX_SHARED = 63;
/** The shared copy of each string of at most `MAX_SHARED` characters, by value. */
const STRINGS = new RunTable(() => new Map<string, string>());

/**
 * String interning: the one copy of `s` that facts share, detached from the file text (see
 * `detached`). Names, namespaces, label values, hosts and apiVersions repeat across documents and
 * clusters; every string facts keep survives many garbage collections, so one copy per distinct
 * value means far fewer objects for the collector to copy. Strings over 63 characters are only
 * detached. Used by the loader (object identity) and the model (`factValue`, `stringRecord`).
 *
 * Measured: without interning (detached copies only), 244 / 240 / 242 MiB, CPU 3.27 / 3.35 s:
 * interning saves 8–11 MiB of peak RSS; its time is within noise.
 */
export function kept<S extends string | undefined>(s: S): S {
  if (s === undefined || s.length > MAX_SHARED) return detached(s);
  const strings = STRINGS.get();
  let v = strings.get(s);
  if (v === undefined) {
    v = detached(s);
    strings.set(v, v);
  }
  return v as S;
}

/** An `apiVersion` and its group ('' for the core group) and version, each the shared copy. */
export interface ApiVersionParts {
  readonly apiVersion: string;
  readonly group: string;
  readonly version: string;
}
const API_VERSIONS = new RunTable(() => new Map<string, ApiVersionParts>());

/**
 * The shared parts of `apiVersion` (`apps/v1` → `{apiVersion: 'apps/v1', group: 'apps',
 * version: 'v1'}`; `v1` → group ''): one lookup per object instead of three `kept` calls, and no
 * slicing.
 *
 * Measured: without it (split and `kept` per object), 229 / 231 MiB, CPU 3.17 s (two series):
 * within noise; kept because it is the cheaper form of three interned strings per object.
 */
export function sharedApiVersion(apiVersion: string): ApiVersionParts {
  const table = API_VERSIONS.get();
  let parts = table.get(apiVersion);
  if (!parts) {
    const shared = kept(apiVersion);
    const slash = shared.lastIndexOf('/');
    parts = { apiVersion: shared, group: kept(slash < 0 ? '' : shared.slice(0, slash)), version: kept(shared.slice(slash + 1)) };
    table.set(shared, parts);
  }
  return parts;
}

/** A node of the path trie: the shared path ending here, and the longer paths by next segment. */
interface PathNode {
  path?: Path;
  readonly next: Map<string | number, PathNode>;
}
const PATHS = new RunTable<PathNode>(() => ({ next: new Map() }));

/**
 * Shared paths: the one frozen copy of the path `base` + `path` (segments compared by value),
 * found in a trie. Every fact's `Source` has a path; a few hundred distinct paths
 * (`spec.host`, `spec.subsets[0]`) recur in every object, and sources live as long as the run,
 * so shared copies spare the collector a path array per source.
 *
 * Measured: without it (a fresh `base.concat(path)` per source), 248 / 248 / 249 MiB, CPU
 * 3.34 / 3.49 s: shared paths save 15–19 MiB of peak RSS and 3–7% of CPU time, the most of any
 * technique here.
 */
export function sharedPath(base: Path, path: Path): Path {
  let node = PATHS.get();
  for (let i = 0; i < base.length + path.length; i++) {
    const segment = i < base.length ? base[i] : path[i - base.length];
    let child = node.next.get(segment);
    if (!child) node.next.set(segment, (child = { next: new Map() }));
    node = child;
  }
  return (node.path ??= Object.freeze(base.length === 0 ? path.slice() : base.concat(path)));
}

/**
 * List shape: an empty list in V8's elements kind for objects. A `[]` literal starts in the
 * small-integer kind and changes kind on its first push; optimized code that has seen lists of
 * both kinds deoptimizes ("not a Smi") when a new cluster's lists get their first facts (five
 * recompiles of the largest fact sources on the benchmark). Lists made here never change kind.
 * Used for every fact list of a cluster draft.
 *
 * Measured: without it (`[]`), 232 / 233 MiB, CPU 3.25 s (two series): within noise; kept
 * because the deoptimizations it avoids are real (V8's `--trace-deopt`) and it costs nothing.
 */
export function objectList<T>(): T[] {
  const fresh: unknown[] = [null];
  fresh.pop();
  return fresh as T[];
}

/**
 * Exact-size lists: `list` itself when empty, else an exact-size copy. Lists grown by `push` keep
 * spare room (V8 grows a backing store by half plus 16); facts live as long as the run, so the
 * lists fact sources build are compacted once built.
 *
 * Measured: without it, 241 / 245 / 245 MiB, CPU 3.21 / 3.33 s: exact-size lists save 8–16 MiB
 * of peak RSS; time within noise.
 */
export function compact<T>(list: T[]): T[] {
  return list.length === 0 ? list : list.slice();
}
