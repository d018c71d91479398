/**
 * Render stage, kustomize part: a kustomization directory → the objects `kustomize build` makes
 * of it, each with the source place it was written at and, per field, the patch that set it.
 *
 * How rendering works (never touching the user's files):
 * 1. `kustomizationInputs` reads the kustomization tree first; a tree with remote resources, bases
 *    or components (`https://…`, `git@…`, `github.com/…`, `?ref=`, `//`) is not rendered at all
 *    (reason `remote`, at the entry): mclint never fetches behind the user's back.
 * 2. A temporary wrapper kustomization (`mkdtemp`) lists the target directory by a RELATIVE path
 *    (kustomize rejects absolute resource roots) under `resources:` (`components:` for a
 *    `kind: Component`) and sets `buildMetadata: [originAnnotations, transformerAnnotations]`, so
 *    kustomize annotates each object with `config.kubernetes.io/origin` (`path:` relative to the
 *    wrapper; generated objects carry `configuredIn`/`configuredBy`) and
 *    `alpha.config.kubernetes.io/transformations` (kubernetes-sigs/kustomize
 *    `api/resource/origin.go`, `api/types/kustomization.go` `buildMetadata`).
 * 3. The binary runs with an argument array (no shell): `kustomize build WRAPPER` or
 *    `kubectl kustomize WRAPPER`, offline and safe: no `--enable-helm`, `--enable-alpha-plugins` or
 *    `--enable-exec`, the default `LoadRestrictionsRootOnly`; as a safety net proxies point at a
 *    closed loopback port (`HTTP(S)_PROXY=http://127.0.0.1:9`), git may use only local transports
 *    (`GIT_ALLOW_PROTOCOL=file`, `GIT_TERMINAL_PROMPT=0`), and a timeout (60 s) stops it.
 * 4. The output is parsed with the loader's YAML rules (`parseDocuments`, `src/load/read.ts`); the
 *    build-metadata annotations are removed from each object, and each object is mapped to its
 *    origin document (kind + name, see `kustomize-origin.ts` for patches). The wrapper directory
 *    is removed afterwards.
 *
 * `loadRendered` turns a render into the load stage's `LoadedFile`, so rendered objects are
 * validated and their facts extracted like files, at their source places.
 */
import { realOrSelf, type Containment } from '../discover/walk.js';
import { mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { classifyDocument, type ClassifySink } from '../load/classify.js';
import { onPath, rendererEnv, run } from './process.js';
import { ALIAS, MAX_FILE_CHARS, hasNonFinite, jsonSafe, parseDocuments, parseDocumentsLeniently, withoutBom } from '../load/read.js';
import type { RenderCache } from './cache.js';
import { shapeProblem } from '../load/limits.js';
import { readRegularFile } from '../base/regular-file.js';
import { RunTable } from '../base/memory.js';
import { prepareValidators } from '../schema/index.js';
import type { LoadedFile, LoadOptions, LoadProblem, ManifestObject } from '../load/types.js';
import type { Path, Place } from '../base/types.js';
import { readKustomizationTree, type KustomizationInputs, type KustomizationNode } from './kustomize-inputs.js';
export { readKustomizationTree } from './kustomize-inputs.js';
import { chainWriters, DocumentCache, fieldPlaceOf, groupVersion, type FieldContext, type ObjectIdentity } from './kustomize-origin.js';

export { isKustomizationDir, kustomizationInputs, isRemoteReference, type KustomizationInputs, type RemoteReference, type InputProblem } from './kustomize-inputs.js';

/** Which binary renders: standalone `kustomize build DIR`, else `kubectl kustomize DIR`. */
export interface KustomizeTool {
  readonly name: 'kustomize' | 'kubectl';
  /** The command to run: an absolute path when found on PATH, else as given in `MCLINT_KUSTOMIZE`. */
  readonly command: string;
}

/**
 * The kustomize binary to render with: `MCLINT_KUSTOMIZE` when set (a path or a command name;
 * named `kubectl` when its base name starts with `kubectl`, else `kustomize`), else `kustomize`,
 * then `kubectl`, looked up on `env.PATH`. Undefined when none is found. Never throws.
 * @param env the environment to read (default `process.env`)
 */
export function findKustomizeTool(env: NodeJS.ProcessEnv = process.env): KustomizeTool | undefined {
  const explicit = env.MCLINT_KUSTOMIZE?.trim();
  if (explicit) {
    const command = explicit.includes('/') || explicit.includes(sep) ? resolve(explicit) : (onPath(explicit, env) ?? explicit);
    return { name: basename(command).toLowerCase().startsWith('kubectl') ? 'kubectl' : 'kustomize', command };
  }
  for (const name of ['kustomize', 'kubectl'] as const) {
    const command = onPath(name, env);
    if (command) return { name, command };
  }
  return undefined;
}

/** One rendered object and where its parts were written. */
export interface RenderedDocument {
  /** The rendered object, with kustomize's build-metadata annotations removed (an annotations map left empty is removed). */
  readonly body: Record<string, unknown>;
  /**
   * Where the object was written: origin file (absolute), its 0-based document index among the
   * file's non-empty YAML documents (as `src/load/read.ts` counts), and its base path (`[]`, or
   * `['items', i]` in a `kind: List`). For generated objects (configMapGenerator, secretGenerator),
   * the generator entry in its kustomization file.
   */
  readonly origin: Place;
  /**
   * Where the value at `path` (relative to the body) was written when a patch or a kustomization
   * field (not the origin) set it: a strategic-merge patch document at the same path, a JSON 6902
   * op's `value` plus the rest of the path, an inline `patch` string's entry, the kustomization's
   * `namespace`/`namePrefix`/`nameSuffix`/`commonLabels`/`labels`/`commonAnnotations`/`replicas`
   * field. When no patch set it but a strategic merge moved list items (a patch's item merged in
   * before the origin's), the origin document at the item's written index. Undefined: the origin
   * place (`origin` + path) applies.
   */
  fieldPlace(path: Path): Place | undefined;
  /** Absolute paths of the kustomization files the object went through, outermost first. */
  readonly via: readonly string[];
}

/** The result of rendering one kustomization directory. */
export type KustomizeRender =
  | { readonly ok: true; readonly documents: readonly RenderedDocument[] }
  | {
      readonly ok: false;
      /** Why: kustomize's own error text (cleaned of the wrapper's layer), or the remote reference. */
      readonly message: string;
      /** The offending entry of a kustomization file when it can be known, else the root kustomization file. */
      readonly place: Place;
      readonly reason: 'remote' | 'failed' | 'timeout';
    };

/** Options of `renderKustomization`. */
export interface RenderOptions {
  /** Milliseconds before the binary is killed (default 60,000). */
  readonly timeoutMs?: number;
  /** The environment the binary starts from (default `process.env`); the safety variables are always set. */
  readonly env?: NodeJS.ProcessEnv;
  /**
   * Where the kustomization may read (real paths: the repository and paths named on the command
   * line); an input outside it (through a symbolic link or `../` entries) is never rendered.
   * Undefined: no restriction.
   */
  readonly trusted?: Containment;
  /** The kustomization tree of the directory, when the caller read it already (`readKustomizationTree`). */
  readonly tree?: KustomizationTree;
  /** Parsed origin files, shared by the renders of a run (one per render otherwise). */
  readonly documents?: DocumentCache;
  /**
   * The render cache (`cache.ts`) and what else the output depends on besides the inputs
   * (mclint's version, the binary and its version output): a render whose key is found runs no
   * binary; a successful render is stored.
   */
  readonly cache?: { readonly store: RenderCache; readonly parts: readonly string[] };
}

/** What `readKustomizationTree` reads: the root node and every input. */
export type KustomizationTree = ReturnType<typeof readKustomizationTree>;

/** kustomize's build-metadata annotations, removed from rendered bodies. */
const ORIGIN_ANNOTATION = 'config.kubernetes.io/origin';
const TRANSFORMATIONS_ANNOTATION = 'alpha.config.kubernetes.io/transformations';
const DEFAULT_TIMEOUT_MS = 60_000;
/** The wrapper kustomization's request for build metadata (where each object and field came from). */
const BUILD_METADATA = 'buildMetadata: [originAnnotations, transformerAnnotations]';

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * kustomize's error text without kubectl's log prefix, the `Error: ` of standalone kustomize, and
 * the wrapper kustomization's layer (`accumulating resources from '<wrapper path>' … recursed
 * accumulation of path '<dir>': `).
 */
export function cleanError(stderr: string, wrapper: string): string {
  let text = stderr.trim();
  // A Go runtime crash (e.g. a stack overflow on a deeply nested input) prints goroutine dumps with
  // addresses that change on every run: only its stable first lines are kept.
  const fatal = /^fatal error: (.+)$/m.exec(text);
  if (fatal) {
    const cause = /^runtime: (goroutine stack exceeds [^\n]*)$/m.exec(text);
    return `the Go runtime stopped it: ${fatal[1]}${cause ? ` (${cause[1]})` : ''}`;
  }
  // A Go panic prints its goroutine trace (pointers that change on every run) after the panic
  // value: the value and where it happened are kept, at the first frame of the trace.
  const panic = /^panic: (.+)$/m.exec(text);
  if (panic && /^goroutine \d+ \[/m.test(text)) {
    const frame = /^goroutine \d+ \[[^\]]*\]:\n(.+)\([^()\n]*\)[ \t]*$/m.exec(text);
    return `it panicked: ${panic[1].replace(/ \[recovered\]$/, '')}${frame ? ` (in ${frame[1]})` : ''}`;
  }
  const klog = /"command failed" err=(?:"((?:[^"\\]|\\.)*)"|<\n?([\s\S]*?)\n?\s*>\s*$)/m.exec(text);
  if (klog) text = klog[1] !== undefined ? klog[1].replace(/\\"/g, '"').replace(/\\n/g, '\n').replace(/\\t/g, '\t') : klog[2].replace(/^\t/gm, '');
  else
    text = text
      .split('\n')
      .filter((l) => !l.startsWith('# Warning:'))
      .join('\n')
      .replace(/^Error: /, '');
  text = text.replace(
    /^accumulating resources: accumulation err='accumulating resources from '[^']*': '[^']*' must resolve to a file': (?:recursed accumulation of path '[^']*': |couldn't make target for path '[^']*': )?/,
    '',
  );
  return text.split(wrapper).join('<wrapper>').trim();
}

/** Every string value of a kustomization (its entries), with its path, in document order. */
function entries(value: unknown, path: (string | number)[] = [], out: { value: string; path: Path }[] = []): { value: string; path: Path }[] {
  if (typeof value === 'string') out.push({ value, path });
  else if (Array.isArray(value)) value.forEach((v, i) => entries(v, [...path, i], out));
  else if (isRecord(value)) for (const [k, v] of Object.entries(value)) entries(v, [...path, k], out);
  return out;
}

/**
 * The kustomization entry an error is about: the innermost kustomization the message names
 * (`recursed accumulation of path '…'`, `couldn't make target for path '…'`), and the entry of it
 * quoted in the rest of the message; else that kustomization file; else the root's.
 */
function errorPlace(message: string, root: KustomizationNode | undefined, rootFile: Place, realRoot: string, dir: string): Place {
  if (!root) return rootFile;
  const nodes = new Map<string, KustomizationNode>();
  const visit = (n: KustomizationNode) => {
    if (nodes.has(n.dir)) return;
    nodes.set(n.dir, n);
    for (const r of n.resources) if (r.node) visit(r.node);
    for (const c of n.components) visit(c);
  };
  visit(root);
  let node = root;
  let tail = message;
  const re = /(?:recursed accumulation of path|couldn't make target for path|accumulating components from) '([^']*)'/g;
  for (let m = re.exec(message); m; m = re.exec(message)) {
    const found = nodes.get(toUserPath(m[1], realRoot, dir)) ?? nodes.get(m[1]);
    if (found) {
      node = found;
      tail = message.slice(m.index + m[0].length);
    }
  }
  const candidates = entries(node.body).filter((e) => e.value.length > 0 && (tail.includes(`'${e.value}'`) || tail.includes(`(${e.value})`) || tail.includes(`"${e.value}"`)));
  const best = candidates.sort((a, b) => b.value.length - a.value.length)[0];
  return { file: node.file, doc: node.doc, path: best ? best.path : [] };
}

/** A real (symlink-free) path kustomize printed, as a path below the caller's `dir` spelling. */
function toUserPath(real: string, realRoot: string, dir: string): string {
  const rel = relative(realRoot, real);
  return rel === '' ? dir : isAbsolute(rel) ? real : resolve(dir, rel);
}

/** Removes kustomize's build-metadata annotations; returns their values. */
function stripBuildMetadata(body: Record<string, unknown>): { origin?: string } {
  const meta = body.metadata;
  if (!isRecord(meta) || !isRecord(meta.annotations)) return {};
  const annotations = meta.annotations;
  const origin = typeof annotations[ORIGIN_ANNOTATION] === 'string' ? annotations[ORIGIN_ANNOTATION] : undefined;
  delete annotations[ORIGIN_ANNOTATION];
  delete annotations[TRANSFORMATIONS_ANNOTATION];
  if (Object.keys(annotations).length === 0) delete meta.annotations;
  return { origin };
}

/** Paths from the root to every kustomization that satisfies `holds`, outermost first. */
function chainsTo(root: KustomizationNode, holds: (n: KustomizationNode) => boolean): KustomizationNode[][] {
  const out: KustomizationNode[][] = [];
  const stack: KustomizationNode[] = [];
  const visit = (n: KustomizationNode) => {
    if (stack.includes(n) || out.length > 16) return;
    stack.push(n);
    if (holds(n)) out.push([...stack]);
    for (const r of n.resources) if (r.node) visit(r.node);
    for (const c of n.components) visit(c);
    stack.pop();
  };
  visit(root);
  return out;
}

/** The name an object gets from `name` through a chain (innermost first) of prefixes and suffixes. */
function namesThrough(name: string | undefined, chain: readonly KustomizationNode[]): string[] {
  if (name === undefined) return [];
  const names = [name];
  let n = name;
  for (const node of chain) {
    const prefix = typeof node.body.namePrefix === 'string' ? node.body.namePrefix : '';
    const suffix = typeof node.body.nameSuffix === 'string' ? node.body.nameSuffix : '';
    n = prefix + n + suffix;
    names.push(n);
  }
  return names;
}

const metaOf = (v: unknown): Record<string, unknown> => (isRecord(v) && isRecord(v.metadata) ? v.metadata : {});
const nameOf = (v: unknown): string | undefined => (typeof metaOf(v).name === 'string' ? (metaOf(v).name as string) : undefined);

/** Every object of a file's documents, `kind: List` items expanded (as the loader expands them). */
function objectsIn(docs: readonly unknown[]): { doc: number; base: Path; value: Record<string, unknown> }[] {
  const out: { doc: number; base: Path; value: Record<string, unknown> }[] = [];
  const add = (v: unknown, doc: number, base: Path, depth: number) => {
    if (!isRecord(v)) return;
    if (typeof v.kind === 'string' && v.kind.endsWith('List') && Array.isArray(v.items) && depth < 16)
      v.items.forEach((item, i) => add(item, doc, [...base, 'items', i], depth + 1));
    else out.push({ doc, base, value: v });
  };
  docs.forEach((d, i) => add(d, i, [], 0));
  return out;
}

/** The generator entry (`configMapGenerator[i]`/`secretGenerator[i]`) that made an object named `rendered`. */
function generatorEntry(
  node: KustomizationNode,
  kind: string,
  rendered: string | undefined,
  chain: readonly KustomizationNode[],
): { index: number; key: string; name?: string } | undefined {
  const key = kind === 'SecretGenerator' ? 'secretGenerator' : 'configMapGenerator';
  const list = node.body[key];
  if (!Array.isArray(list)) return undefined;
  let best: { index: number; key: string; name?: string; score: number } | undefined;
  list.forEach((g, index) => {
    const name = isRecord(g) && typeof g.name === 'string' ? g.name : undefined;
    if (name === undefined) return;
    const final = namesThrough(name, chain).at(-1)!;
    const score = rendered === undefined ? 0 : rendered === final || rendered.startsWith(final + '-') ? 3 : rendered.includes(name) ? 1 + name.length / 1e6 : 0;
    if (!best || score > best.score) best = { index, key, name, score };
  });
  return best && (best.score > 0 || list.length === 1) ? best : undefined;
}

/** Builds the rendered documents of one kustomize output. */
function mapDocuments(
  bodies: Record<string, unknown>[],
  root: KustomizationNode,
  rootPlace: Place,
  realWrapper: string,
  realRoot: string,
  dir: string,
  cache = new DocumentCache(),
): RenderedDocument[] {
  const writersByChain = new Map<string, ReturnType<typeof chainWriters>>();
  const writersOf = (chain: KustomizationNode[]) => {
    const key = chain.map((n) => n.file).join('\0');
    let w = writersByChain.get(key);
    if (!w) writersByChain.set(key, (w = chainWriters(chain, cache)));
    return w;
  };
  // The objects of one source file share their origin annotation's text, path and chains: each is
  // worked out once per render (400 objects of 80 files: 80 parses and path resolutions, not 400).
  const origins = new Map<string, Record<string, unknown>>();
  const originOf = (text: string | undefined): Record<string, unknown> => {
    if (text === undefined) return {};
    let origin = origins.get(text);
    if (!origin) {
      origin = {};
      try {
        const parsed = parseDocuments('origin', text)[0];
        if (isRecord(parsed)) origin = parsed;
      } catch {
        // unreadable annotation: the object is placed at the root kustomization
      }
      origins.set(text, origin);
    }
    return origin;
  };
  const userPaths = new Map<string, string>();
  const fromWrapper = (p: string) => {
    let path = userPaths.get(p);
    if (path === undefined) userPaths.set(p, (path = toUserPath(resolve(realWrapper, p), realRoot, dir)));
    return path;
  };
  const chainsByFile = new Map<string, KustomizationNode[][]>();
  const chainsToFile = (file: string) => {
    let chains = chainsByFile.get(file);
    if (!chains) chainsByFile.set(file, (chains = chainsTo(root, (n) => n.resources.some((r) => r.file === file))));
    return chains;
  };
  return bodies.map((body): RenderedDocument => {
    const origin = originOf(stripBuildMetadata(body).origin);
    const { group, version } = groupVersion(body.apiVersion);
    const kind = typeof body.kind === 'string' ? body.kind : '';
    const renderedName = nameOf(body);

    let place: Place = rootPlace;
    let chain: KustomizationNode[] = [root]; // outermost first
    let written: Record<string, unknown> | undefined;
    const configuredBy = isRecord(origin.configuredBy) ? origin.configuredBy : undefined;
    if (typeof origin.path === 'string') {
      const file = fromWrapper(origin.path);
      const chains = chainsToFile(file);
      const candidates = objectsIn(cache.documents(file) ?? []).filter((o) => o.value.kind === kind && groupVersion(o.value.apiVersion).group === group);
      const pick = () => {
        for (const c of chains.length > 0 ? chains : [[root]]) {
          const inner = [...c].reverse();
          const hit = candidates.find((o) => namesThrough(nameOf(o.value), inner).includes(renderedName ?? '\0'));
          if (hit) return { hit, chain: c };
        }
        const c = chains[0] ?? [root];
        const named = candidates.filter((o) => renderedName !== undefined && nameOf(o.value) !== undefined && renderedName.includes(nameOf(o.value)!));
        named.sort((a, b) => nameOf(b.value)!.length - nameOf(a.value)!.length);
        return { hit: named[0] ?? candidates[0], chain: c };
      };
      const { hit, chain: c } = pick();
      chain = c;
      written = hit?.value;
      place = hit ? { file, doc: hit.doc, path: hit.base } : { file, doc: 0, path: [] };
    } else if (typeof origin.configuredIn === 'string' && configuredBy) {
      const file = fromWrapper(origin.configuredIn);
      const chains = chainsTo(root, (n) => n.file === file);
      chain = chains[0] ?? [root];
      const node = chain.at(-1)!;
      const entry = generatorEntry(node, typeof configuredBy.kind === 'string' ? configuredBy.kind : '', renderedName, [...chain].reverse());
      place = { file: node.file, doc: node.doc, path: entry ? [entry.key, entry.index] : [] };
      if (entry?.name !== undefined) written = { metadata: { name: entry.name } };
    }
    const inner = [...chain].reverse();
    const writtenName = nameOf(written);
    const writtenNamespace = typeof metaOf(written).namespace === 'string' ? (metaOf(written).namespace as string) : undefined;
    const namespaces = new Set<string | undefined>([writtenNamespace]);
    for (const n of inner) if (typeof n.body.namespace === 'string') namespaces.add(n.body.namespace);
    const renderedNs = metaOf(body).namespace;
    if (typeof renderedNs === 'string') namespaces.add(renderedNs);
    const names = new Set(namesThrough(writtenName, inner));
    if (renderedName !== undefined) names.add(renderedName);
    const labels = [metaOf(written).labels, metaOf(body).labels].filter(isRecord);
    const annotations = [metaOf(written).annotations, metaOf(body).annotations].filter(isRecord);
    const id: ObjectIdentity = { group, version, kind, names, namespaces, labels, annotations };
    const ctx: FieldContext = { id, body, written, writtenName, writtenNamespace, origin: place };
    const writers = writersOf(inner);
    return {
      body,
      origin: place,
      fieldPlace: (path: Path) => fieldPlaceOf(writers, path, ctx),
      via: chain.map((n) => n.file),
    };
  });
}

/**
 * The first document among `files` that YAML aliases expand past the loader's limits
 * (`src/load/limits.ts`: expanded nodes, nesting, recursion), as a place; undefined when none does.
 * Only files with an anchor and an alias are parsed (js-yaml keeps aliased nodes shared, so
 * parsing is linear); unreadable or invalid files are left to kustomize, which reports them.
 */
function inputProblem(files: readonly string[]): InputShape | undefined {
  const shapes = INPUT_SHAPES.get();
  for (const file of files) {
    let shape = shapes.get(file);
    if (shape === undefined) shapes.set(file, (shape = inputShape(file) ?? null));
    if (shape) return shape;
  }
  return undefined;
}

/**
 * The most entries of one mapping or list in a file kustomize is given. kustomize's time grows with
 * the square of them (`kubectl kustomize`, kustomize v5.5: 10,000 keys of one ConfigMap 1 s,
 * 20,000 keys 5 s, 40,000 keys 19 s), so a file over it would hold the run (and a pull request's
 * CI job) for up to the render timeout; docs/limits.md.
 */
export const MAX_RENDER_ENTRIES = 10_000;

/** Why an input file is not handed to kustomize: an alias bomb, or a collection over `MAX_RENDER_ENTRIES`. */
interface InputShape {
  readonly kind: 'aliases' | 'entries';
  readonly place: Place;
}

/** The first reason `file` is not handed to kustomize, or undefined. */
function inputShape(file: string): InputShape | undefined {
  const read = readRegularFile(file, MAX_FILE_CHARS);
  if (read.text === undefined) return undefined;
  const aliases = read.text.includes('&') && ALIAS.test(read.text);
  // Each entry takes at least two characters (`1,`): a shorter text cannot hold too many.
  const long = read.text.length > 2 * MAX_RENDER_ENTRIES;
  if (!aliases && !long) return undefined;
  // Leniently: kustomize reads a document with a duplicate key, and expands its aliases too.
  const docs = parseDocumentsLeniently(file, withoutBom(read.text));
  for (let doc = 0; doc < docs.length; doc++) {
    if (aliases) {
      const p = shapeProblem(docs[doc], false);
      if (p !== undefined && p.kind !== 'entries') return { kind: 'aliases', place: { file, doc, path: [] } };
    }
    if (long) {
      const path = largeCollection(docs[doc]);
      if (path) return { kind: 'entries', place: { file, doc, path } };
    }
  }
  return undefined;
}

/**
 * The path to the first mapping or list of `value` with more than `MAX_RENDER_ENTRIES` entries
 * (an explicit stack; documents with aliases were measured by `shapeProblem` first), or undefined.
 */
function largeCollection(value: unknown): Path | undefined {
  const stack: [unknown, Path][] = [[value, []]];
  const seen = new Set<object>();
  while (stack.length > 0) {
    const [node, path] = stack.pop()!;
    if (typeof node !== 'object' || node === null || seen.has(node)) continue;
    seen.add(node);
    const entries = Array.isArray(node) ? node.map((v, i): [unknown, Path] => [v, [...path, i]]) : Object.entries(node).map(([k, v]): [unknown, Path] => [v, [...path, k]]);
    if (entries.length > MAX_RENDER_ENTRIES) return path;
    for (let i = entries.length - 1; i >= 0; i--) if (typeof entries[i][0] === 'object' && entries[i][0] !== null) stack.push(entries[i]);
  }
  return undefined;
}

/**
 * A run's memos of the checks every input of every kustomization gets (`refuse`): a base shared by
 * fifty overlays is resolved and read for aliases and large collections once, not fifty times.
 */
const INPUT_SHAPES = new RunTable(() => new Map<string, InputShape | null>());
const REAL_PATHS = new RunTable(() => new Map<string, string>());

/** `realOrSelf`, remembered for the run. */
function realPathOf(path: string): string {
  const reals = REAL_PATHS.get();
  let real = reals.get(path);
  if (real === undefined) reals.set(path, (real = realOrSelf(path)));
  return real;
}

/**
 * Why the kustomization in `dir` is not handed to kustomize at all, decided from our own reading of
 * it (nothing is run): no kustomization file, remote references, FIFOs or devices, inputs outside
 * the trusted roots, alias bombs. Undefined when it may be rendered.
 * @param dir a kustomization directory (relative paths resolve against the working directory)
 */
export function kustomizationRefusal(dir: string, options: RenderOptions = {}): KustomizeRender | undefined {
  dir = resolve(dir);
  const { root, inputs } = options.tree ?? readKustomizationTree(dir);
  const rootPlace: Place = root ? { file: root.file, doc: root.doc, path: [] } : { file: dir, doc: -1, path: [] };
  return refuse(dir, root, inputs, rootPlace, options);
}

function refuse(dir: string, root: KustomizationNode | undefined, inputs: KustomizationInputs, rootPlace: Place, options: RenderOptions): KustomizeRender | undefined {
  if (!root) return { ok: false, reason: 'failed', message: `${dir} holds no kustomization.yaml, kustomization.yml or Kustomization`, place: rootPlace };
  if (inputs.remote.length > 0) {
    const r = inputs.remote[0];
    const more = inputs.remote.length > 1 ? ` (and ${inputs.remote.length - 1} more remote reference${inputs.remote.length > 2 ? 's' : ''})` : '';
    return {
      ok: false,
      reason: 'remote',
      // The fix (vendor the base, or lint rendered output) is render-error's hint.
      message: `remote reference "${r.ref}" is not fetched${more}`,
      place: r.place,
    };
  }
  // Never hand kustomize a FIFO or device (it would block or read without end), nor a file
  // outside the repository (its content would reach the findings).
  if (inputs.special.length > 0) return { ok: false, reason: 'failed', message: `${inputs.special[0].message}: not rendered`, place: inputs.special[0].place };
  const outside = options.trusted ? [...inputs.files, ...inputs.dirs].find((p) => !options.trusted!.contains(realPathOf(p))) : undefined;
  if (outside !== undefined)
    return { ok: false, reason: 'failed', message: `${outside} is outside the repository (through a symbolic link or ../): not rendered`, place: rootPlace };
  const shape = inputProblem(inputs.files);
  if (shape?.kind === 'aliases')
    return {
      ok: false,
      reason: 'failed',
      message: `${shape.place.file} expands through YAML aliases beyond mclint's limits (a "billion laughs" document kustomize would expand in memory): not rendered`,
      place: shape.place,
    };
  if (shape)
    return {
      ok: false,
      reason: 'failed',
      message: `${shape.place.file} holds a mapping or list of more than ${MAX_RENDER_ENTRIES} entries, and kustomize's time grows with the square of them (20,000 keys take 5 s, 40,000 take 19 s): not rendered`,
      place: shape.place,
    };
  return undefined;
}

/**
 * Renders the kustomization in `dir` with `tool` (see the module comment for how). Never throws:
 * remote references (reason `remote`, nothing is run), a non-zero exit or unparsable output
 * (`failed`, with kustomize's error text) and a timeout (`timeout`) come back as problems placed
 * at the offending kustomization entry when it can be known, else at the root kustomization file.
 * @param dir a kustomization directory (relative paths resolve against the working directory)
 * @param tool from `findKustomizeTool`
 */
export async function renderKustomization(dir: string, tool: KustomizeTool, options: RenderOptions = {}): Promise<KustomizeRender> {
  dir = resolve(dir);
  const { root, inputs } = options.tree ?? readKustomizationTree(dir);
  const rootPlace: Place = root ? { file: root.file, doc: root.doc, path: [] } : { file: dir, doc: -1, path: [] };
  const refusal = refuse(dir, root, inputs, rootPlace, options);
  if (refusal || !root) return refusal ?? { ok: false, reason: 'failed', message: `${dir} holds no kustomization`, place: rootPlace };
  let wrapper: string | undefined;
  try {
    const realRoot = realpathSync(dir);
    const field = root.body.kind === 'Component' ? 'components' : 'resources';
    const cacheKey = options.cache?.store.key([...options.cache.parts, tool.name, realRoot, field, BUILD_METADATA], inputs.files);
    const cached = options.cache?.store.get(cacheKey);
    if (cached) return { ok: true, documents: mapDocuments(cached.documents.filter(isRecord), root, rootPlace, cached.wrapper, realRoot, dir, options.documents) };
    wrapper = realpathSync(mkdtempSync(join(tmpdir(), 'mclint-kustomize-')));
    const target = relative(wrapper, realRoot).split(sep).join('/');
    writeFileSync(join(wrapper, 'kustomization.yaml'), `${field}:\n- ${JSON.stringify(target)}\n${BUILD_METADATA}\n`);
    const env = rendererEnv(options.env ?? process.env);
    const args = tool.name === 'kubectl' ? ['kustomize', wrapper] : ['build', wrapper];
    const result = await run(tool.command, args, env, options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
    const command = tool.name === 'kubectl' ? 'kubectl kustomize' : 'kustomize build';
    if (result.timedOut) {
      return { ok: false, reason: 'timeout', message: `${command} did not finish within ${Math.round((options.timeoutMs ?? DEFAULT_TIMEOUT_MS) / 1000)} s`, place: rootPlace };
    }
    if (result.code !== 0) {
      const text = cleanError(result.stderr, wrapper) || result.error || `exit code ${String(result.code)}`;
      return { ok: false, reason: 'failed', message: `${command} failed: ${text}`, place: errorPlace(text, root, rootPlace, realRoot, dir) };
    }
    let docs: unknown[];
    try {
      docs = parseDocuments(`${command} output`, result.stdout);
    } catch (err) {
      return { ok: false, reason: 'failed', message: `${command} printed output that is not YAML: ${(err as Error).message.split('\n')[0]}`, place: rootPlace };
    }
    // Stored as printed (mapping strips the build metadata from the bodies), when JSON carries it losslessly.
    if (jsonSafe(result.stdout) && !hasNonFinite(docs)) options.cache?.store.set(cacheKey, { wrapper, documents: docs });
    const bodies = docs.filter(isRecord);
    return { ok: true, documents: mapDocuments(bodies, root, rootPlace, wrapper, realRoot, dir, options.documents) };
  } catch (err) {
    return { ok: false, reason: 'failed', message: `cannot render ${dir}: ${(err as Error).message}`, place: rootPlace };
  } finally {
    if (wrapper) rmSync(wrapper, { recursive: true, force: true });
  }
}

/** A place below a rendered object's origin, or where a patch wrote it. */
function remap(doc: RenderedDocument, place: Place): Place {
  const written = doc.fieldPlace(place.path);
  if (written) return place.key ? { ...written, key: true } : written;
  return { file: doc.origin.file, doc: doc.origin.doc, path: [...doc.origin.path, ...place.path], ...(place.key ? { key: true } : {}) };
}

/**
 * A rendered kustomization as the load stage's `LoadedFile` (`path` = `key`, e.g.
 * `<dir>/kustomization.yaml`): each object classified with `classifyDocument`
 * (`src/load/classify.ts`) at its ORIGIN file/doc/base, carrying `fieldPlace` so that facts and
 * schema problems point at the patch when a patch set the field; load problems (e.g. a missing
 * `kind`) are remapped the same way. Never throws.
 * @param key the path the file is known by (discovery's input key)
 * @param render the documents of a successful render
 */
export async function loadRendered(key: string, render: readonly RenderedDocument[], options: LoadOptions = {}): Promise<LoadedFile> {
  const istio = render.some((d) => typeof d.body.apiVersion === 'string' && d.body.apiVersion.startsWith('networking.istio.io/'));
  const loading = prepareValidators(istio ? 'networking.istio.io' : '');
  if (loading) await loading;
  const objects: ManifestObject[] = [];
  const others: LoadedFile['others'] = [];
  const problems: LoadProblem[] = [];
  let objectCount = 0;
  // Objects of kinds no rule reads, counted like a plain file's (`LoadedFile.unreadKinds`).
  const unread = new Map<string, number>();
  for (const doc of render) {
    const sink: ClassifySink = { objectCount: 0, objects: [], others: [], problems: [] };
    // Flux post-build substitution and the like (`LoadOptions.transform`) apply to rendered output too.
    const body = options.transform ? options.transform(doc.body) : doc.body;
    if (body === null || body === undefined) continue;
    classifyDocument(body, doc.origin.file, doc.origin.doc, sink, options);
    objectCount += sink.objectCount;
    for (const o of sink.objects) {
      // Classified as a whole document: its paths are relative to the body; the base is the origin's.
      objects.push({ ...o, base: doc.origin.path, fieldPlace: (path: Path) => doc.fieldPlace(path) });
    }
    for (const other of sink.others) others.push(other);
    for (const u of sink.unread ?? []) unread.set(u.type, (unread.get(u.type) ?? 0) + u.count);
    for (const p of sink.problems) {
      const place = p.place ? remap(doc, p.place) : undefined;
      problems.push({ ...p, file: place?.file ?? p.file, ...(place ? { place } : {}) });
    }
  }
  const unreadKinds = [...unread].map(([type, count]) => ({ type, count }));
  return { path: key, documents: render.length, objectCount, objects, others, problems, ...(unreadKinds.length > 0 && { unreadKinds }) };
}
