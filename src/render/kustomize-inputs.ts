/**
 * Reading kustomization files without running kustomize: which files and directories a
 * kustomization reads (transitively), which remote references it would fetch, and the tree of
 * kustomizations (resources, bases, components) that `kustomize-origin.ts` walks to find which
 * patch set a field.
 *
 * Upstream behaviour mirrored (kubernetes-sigs/kustomize, as vendored in kubernetes/kubernetes
 * `vendor/sigs.k8s.io/kustomize/api/`):
 * - the kustomization file names and their order (`konfig.RecognizedKustomizationFileNames`:
 *   `kustomization.yaml`, `kustomization.yml`, `Kustomization`);
 * - the fields that name files (`types/kustomization.go`: `resources`, `bases`, `components`,
 *   `crds`, `patches[].path`, `patchesStrategicMerge`, `patchesJson6902[].path`,
 *   `configMapGenerator`/`secretGenerator` `files`/`envs`/`env`, `generators`, `transformers`,
 *   `validators`, `configurations`, `openapi.path`, `replacements[].path`);
 * - a resource entry that is not a local file or directory is fetched as a remote target when it
 *   looks like a URL or a go-getter/git reference (`api/internal/git/repospec.go`: `https://`,
 *   `ssh://`, `git@`, `git::`, `github.com/…`, `?ref=`, `//` subdirectories). Such entries are
 *   reported here so that rendering never fetches them.
 *
 * Nothing here throws: unreadable or malformed kustomization files and missing entries become
 * `problems` (kustomize itself would fail on them; the render then reports its own message).
 */
import { existsSync, statSync } from 'node:fs';
import { readRegularFile } from '../base/regular-file.js';
import { join, resolve } from 'node:path';
import { parseDocuments, withoutBom } from '../load/read.js';
import type { Place } from '../base/types.js';

/** The largest kustomization file read, in bytes. */
const MAX_KUSTOMIZATION_BYTES = 4 * 1024 * 1024;

/** Kustomization file names in the order kustomize looks for them (`konfig.RecognizedKustomizationFileNames`). */
export const KUSTOMIZATION_FILE_NAMES = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'] as const;

/** A remote reference a kustomization would fetch, at its entry in the kustomization file. */
export interface RemoteReference {
  readonly ref: string;
  readonly place: Place;
}

/** A defect found while reading kustomization files (unreadable, not YAML, missing entry). */
export interface InputProblem {
  readonly message: string;
  readonly place: Place;
}

/** What `kustomizationInputs` returns: every local input, remote references and problems. */
export interface KustomizationInputs {
  /** Absolute paths of every file read (kustomization files included), sorted, each once. */
  readonly files: string[];
  /** Absolute paths of every kustomization directory visited (the root included), sorted. */
  readonly dirs: string[];
  /** Remote resources/bases/components (never fetched by mclint). */
  readonly remote: RemoteReference[];
  readonly problems: InputProblem[];
  /**
   * Entries that exist but are neither a regular file nor a directory (a FIFO, a device, a socket):
   * kustomize would block or read without end on them, so they are never rendered.
   */
  readonly special: InputProblem[];
}

/** One resource of a kustomization: a local file, or a nested kustomization directory. */
export type ResourceEntry =
  { readonly file: string; readonly node?: undefined; readonly index: number } | { readonly node: KustomizationNode; readonly file?: undefined; readonly index: number };

/**
 * One parsed kustomization file in the tree of a build.
 * - `dir`, `file`: absolute paths (`file` is the kustomization file, `doc` always 0: kustomize reads
 *   the first document).
 * - `body`: the parsed kustomization (a mapping; `{}` when it could not be read).
 * - `resources`: `resources` and `bases` entries in order (remote and missing entries left out).
 * - `components`: `components` entries in order.
 */
export interface KustomizationNode {
  readonly dir: string;
  readonly file: string;
  readonly doc: number;
  readonly body: Record<string, unknown>;
  readonly resources: ResourceEntry[];
  readonly components: KustomizationNode[];
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The kustomization file of `dir` (absolute), or undefined when it has none. */
export function kustomizationFile(dir: string): string | undefined {
  for (const name of KUSTOMIZATION_FILE_NAMES) {
    const file = join(dir, name);
    try {
      if (statSync(file).isFile()) return file;
    } catch {
      // not there: try the next name
    }
  }
  return undefined;
}

/** True when DIR holds `kustomization.yaml`, `kustomization.yml` or `Kustomization`. Never throws. */
export function isKustomizationDir(dir: string): boolean {
  return kustomizationFile(resolve(dir)) !== undefined;
}

/**
 * True when a kustomization entry that is not a local path names something kustomize would fetch:
 * a URL (`https://`, `http://`, `ssh://`, `file://`…), a go-getter forced getter (`git::`), an scp-like
 * git address (`git@host:`), a well-known git host (`github.com/…`, `gitlab.com/…`,
 * `bitbucket.org/…`), a `?ref=`/`?version=` query, or a `//` subdirectory separator.
 * Mirrors kustomize `api/internal/git/repospec.go` (`NewRepoSpecFromURL`) and its loader's
 * fallback to a remote target when the entry is not a local file or directory
 * (`api/internal/loader/fileloader.go`).
 */
export function isRemoteReference(entry: string): boolean {
  return (
    /^[a-z][a-z0-9+.-]*::/i.test(entry) ||
    /^[a-z][a-z0-9+.-]*:\/\//i.test(entry) ||
    /^[\w.-]+@[\w.-]+:/.test(entry) ||
    /^(?:www\.)?(?:github\.com|gitlab\.com|bitbucket\.org)[/:]/i.test(entry) ||
    /[?&](?:ref|version|submodules|timeout)=/.test(entry) ||
    /[^:/]\/\/[^/]/.test(entry)
  );
}

type Stat = 'file' | 'dir' | 'special' | undefined;
function statOf(path: string): Stat {
  try {
    const s = statSync(path);
    return s.isDirectory() ? 'dir' : s.isFile() ? 'file' : 'special';
  } catch {
    return undefined;
  }
}

/** Parses a kustomization file: its first non-empty document when it is a mapping. */
function readKustomization(file: string): { body?: Record<string, unknown>; error?: string } {
  const read = readRegularFile(file, MAX_KUSTOMIZATION_BYTES);
  if (read.text === undefined)
    return {
      error: `cannot read ${file}: ${read.reason === 'too-large' ? 'larger than 4 MiB' : read.reason === 'not-regular' ? 'not a regular file' : (read.code ?? 'unreadable')}`,
    };
  const text = read.text;
  try {
    const doc = parseDocuments(file, withoutBom(text)).find((d) => d !== null && d !== undefined);
    if (doc === undefined) return { body: {} };
    if (!isRecord(doc)) return { error: 'the kustomization file must be a mapping' };
    return { body: doc };
  } catch (err) {
    return { error: `the kustomization file is not valid YAML: ${(err as Error).message.split('\n')[0]}` };
  }
}

/** A file name from a generator's `files` entry: `path`, or `key=path`. */
function generatorFile(entry: string): string {
  const eq = entry.indexOf('=');
  return eq < 0 ? entry : entry.slice(eq + 1);
}

/** True when a `patchesStrategicMerge`/`generators`/… string is inline YAML rather than a path. */
const isInline = (entry: string) => entry.includes('\n') || /^\s*[\w.-]+\s*:\s/.test(entry);

/** Reads the tree of kustomizations rooted at `dir`, collecting inputs as it goes. */
class TreeReader {
  readonly files = new Set<string>();
  readonly dirs = new Set<string>();
  readonly remote: RemoteReference[] = [];
  readonly problems: InputProblem[] = [];
  readonly special: InputProblem[] = [];
  private readonly nodes = new Map<string, KustomizationNode | null>();

  /** The node of kustomization directory `dir`; null while it is being read (a cycle) or when it has no file. */
  read(dir: string, from?: Place): KustomizationNode | undefined {
    const known = this.nodes.get(dir);
    if (known !== undefined) return known ?? undefined;
    const file = kustomizationFile(dir);
    if (!file) {
      this.problems.push({ message: `${dir} holds no kustomization.yaml, kustomization.yml or Kustomization`, place: from ?? { file: dir, doc: -1, path: [] } });
      return undefined;
    }
    this.nodes.set(dir, null);
    this.dirs.add(dir);
    this.files.add(file);
    const parsed = readKustomization(file);
    if (parsed.error) this.problems.push({ message: parsed.error, place: { file, doc: 0, path: [] } });
    const body = parsed.body ?? {};
    const node: KustomizationNode = { dir, file, doc: 0, body, resources: [], components: [] };
    this.nodes.set(dir, node);

    const at = (...path: (string | number)[]): Place => ({ file, doc: 0, path });
    const strings = (key: string): [string, number][] => {
      const v = body[key];
      if (typeof v === 'string') return [[v, -1]];
      if (!Array.isArray(v)) return [];
      return v.flatMap((e, i): [string, number][] => (typeof e === 'string' ? [[e, i]] : []));
    };
    const placeOf = (key: string, i: number) => (i < 0 ? at(key) : at(key, i));

    for (const key of ['resources', 'bases']) {
      for (const [entry, i] of strings(key)) {
        const target = this.local(dir, entry, placeOf(key, i));
        if (target?.kind === 'file') node.resources.push({ file: target.path, index: i });
        else if (target?.kind === 'dir') {
          const child = this.read(target.path, placeOf(key, i));
          if (child) node.resources.push({ node: child, index: i });
        }
      }
    }
    for (const [entry, i] of strings('components')) {
      const target = this.local(dir, entry, placeOf('components', i));
      if (target?.kind === 'dir') {
        const child = this.read(target.path, placeOf('components', i));
        if (child) node.components.push(child);
      } else if (target?.kind === 'file') {
        this.problems.push({ message: `component "${entry}" must be a directory with a kustomization file`, place: placeOf('components', i) });
      }
    }
    for (const key of ['crds', 'configurations']) for (const [entry, i] of strings(key)) this.file(dir, entry, placeOf(key, i));
    for (const [entry, i] of strings('patchesStrategicMerge')) if (!isInline(entry)) this.file(dir, entry, placeOf('patchesStrategicMerge', i));
    for (const key of ['patches', 'patchesJson6902', 'replacements']) {
      const list = body[key];
      if (!Array.isArray(list)) continue;
      list.forEach((e, i) => {
        if (isRecord(e) && typeof e.path === 'string') this.file(dir, e.path, at(key, i, 'path'));
      });
    }
    if (isRecord(body.openapi) && typeof body.openapi.path === 'string') this.file(dir, body.openapi.path, at('openapi', 'path'));
    for (const key of ['configMapGenerator', 'secretGenerator']) {
      const list = body[key];
      if (!Array.isArray(list)) continue;
      list.forEach((g, i) => {
        if (!isRecord(g)) return;
        if (Array.isArray(g.files)) g.files.forEach((f, j) => typeof f === 'string' && this.file(dir, generatorFile(f), at(key, i, 'files', j)));
        if (Array.isArray(g.envs)) g.envs.forEach((f, j) => typeof f === 'string' && this.file(dir, f, at(key, i, 'envs', j)));
        if (typeof g.env === 'string') this.file(dir, g.env, at(key, i, 'env'));
      });
    }
    for (const key of ['generators', 'transformers', 'validators']) {
      for (const [entry, i] of strings(key)) {
        if (isInline(entry)) continue;
        const target = this.local(dir, entry, placeOf(key, i));
        if (target?.kind === 'dir') this.read(target.path, placeOf(key, i));
      }
    }
    return node;
  }

  /** Resolves a resource-like entry: a local file or directory, else remote or missing (recorded). */
  private local(dir: string, entry: string, place: Place): { kind: 'file' | 'dir'; path: string } | undefined {
    const path = resolve(dir, entry);
    const kind = statOf(path);
    if (kind === 'file') {
      this.files.add(path);
      return { kind, path };
    }
    if (kind === 'dir') return { kind, path };
    if (kind === 'special') this.special.push({ message: `"${entry}" is not a regular file (a FIFO, device or socket)`, place });
    else if (isRemoteReference(entry)) this.remote.push({ ref: entry, place });
    else this.problems.push({ message: `"${entry}" is neither a file nor a directory (looked for ${path})`, place });
    return undefined;
  }

  /** Records a file entry (a patch, a generator source…): missing files become problems. */
  private file(dir: string, entry: string, place: Place): void {
    const path = resolve(dir, entry);
    const kind = statOf(path);
    if (kind === 'file') this.files.add(path);
    else if (kind === 'special') this.special.push({ message: `"${entry}" is not a regular file (a FIFO, device or socket)`, place });
    else if (isRemoteReference(entry) && !existsSync(path)) this.remote.push({ ref: entry, place });
    else this.problems.push({ message: `"${entry}" is not a file (looked for ${path})`, place });
  }
}

/**
 * Reads the kustomization in `dir` and everything it references, transitively.
 * @param dir a kustomization directory (relative paths resolve against the working directory)
 * @returns the root node (undefined when `dir` holds no kustomization file) and the inputs
 */
export function readKustomizationTree(dir: string): { root: KustomizationNode | undefined; inputs: KustomizationInputs } {
  const reader = new TreeReader();
  const root = reader.read(resolve(dir));
  const sorted = (s: Set<string>) => [...s].sort();
  return { root, inputs: { files: sorted(reader.files), dirs: sorted(reader.dirs), remote: reader.remote, problems: reader.problems, special: reader.special } };
}

/**
 * Every file the kustomization in DIR reads, transitively (kustomization files, resources, bases,
 * components, patches, CRDs, generator sources, transformer configurations…), the kustomization
 * directories visited, the remote references it would fetch (at their entry), and problems
 * (unreadable kustomization files, missing entries). Parses the kustomization files with js-yaml
 * (the loader's YAML rules); never runs kustomize and never throws.
 * Used to exclude these files from raw linting, to refuse rendering what would fetch, and as
 * cache keys.
 */
export function kustomizationInputs(dir: string): KustomizationInputs {
  return readKustomizationTree(dir).inputs;
}

/**
 * The files a kustomization reads that are not resources: patches, generator sources,
 * transformer configurations, replacements (kustomization files themselves excluded). When a
 * kustomization cannot be rendered, these must not be linted as if they were objects: a
 * strategic-merge patch looks like a half object.
 * @param dir a kustomization directory
 * @returns absolute paths, sorted
 */
export function nonResourceFiles(dir: string): string[] {
  const { root, inputs } = readKustomizationTree(dir);
  const kept = new Set<string>();
  const visit = (node: KustomizationNode) => {
    kept.add(node.file);
    for (const entry of node.resources) {
      if (entry.file !== undefined) kept.add(entry.file);
      else visit(entry.node);
    }
    for (const component of node.components) visit(component);
  };
  if (root) visit(root);
  return inputs.files.filter((f) => !kept.has(f));
}
