/**
 * Mapping rendered kustomize objects back to their sources: the origin document of each object
 * and, for each field, the patch (or kustomization field) that wrote it last.
 *
 * kustomize's build metadata (`buildMetadata: [originAnnotations, transformerAnnotations]`, see
 * kubernetes-sigs/kustomize `api/resource/origin.go`) tells which FILE an object came from
 * (`config.kubernetes.io/origin: path:`), or which generator made it (`configuredIn`/`configuredBy`),
 * but not which document of the file, nor which patch file set a field: its
 * `alpha.config.kubernetes.io/transformations` annotation names only the kustomization file and the
 * transformer kind, and lists a `PatchTransformer` even for objects the patch did not select.
 * So this module replays, over the tree read by `kustomize-inputs.ts`, the decisions kustomize made:
 *
 * - Transformers of one kustomization run in kustomize's fixed order
 *   (`api/internal/target/kusttarget.go` `configureBuiltinTransformers`): `patchesStrategicMerge`,
 *   `patches`, `namespace`, `namePrefix`, `nameSuffix`, labels, annotations, `patchesJson6902`,
 *   `replicas`, images, replacements. A kustomization's components run after its resources were
 *   accumulated and before its own transformers; nested kustomizations (bases) are built first.
 *   The last writer of a field wins, so places are searched from the outermost overlay inwards.
 * - A patch selects an object by its `target` (`api/types/selector.go`: group, version, kind,
 *   name and namespace are regular expressions anchored as `^(?:…)$`; `labelSelector` and
 *   `annotationSelector` are label-selector expressions), or, for strategic-merge patches without
 *   a target, by the patch's own kind and name. kustomize matches a resource by its current or any
 *   previous name (`resmap.GetMatchingResourcesByAnyId`), so every name the object had along the
 *   chain (original, after each `namePrefix`/`nameSuffix`) is accepted.
 * - A `patches` entry whose content is a YAML/JSON list is a JSON 6902 patch, else a strategic-merge
 *   patch (`api/filters/patchjson6902`, `builtins/PatchTransformer.go`).
 *
 * Strategic-merge list items are matched by the usual merge keys (`name`, `port`, `containerPort`,
 * `mountPath`, `devicePath`, `ip`, `type`, `topologyKey`), else by index when the lists have the
 * same length. The replay is an approximation for attribution only (never for values): when it
 * cannot tell, the origin place applies.
 */
import { resolve as resolvePath } from 'node:path';
import { readRegularFile } from '../base/regular-file.js';
import { parseDocuments, withoutBom } from '../load/read.js';
import type { Path, Place } from '../base/types.js';
import type { KustomizationNode } from './kustomize-inputs.js';

/** The largest kustomize input re-read for field origins, in bytes (the loader's limit). */
const MAX_INPUT_BYTES = 32 * 1024 * 1024;

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

/** A parsed file's non-empty documents, memoised per render (undefined when unreadable or invalid). */
export class DocumentCache {
  private readonly files = new Map<string, unknown[] | undefined>();

  /** The non-empty documents of `file`, in the loader's order (see `src/load/read.ts`). */
  documents(file: string): unknown[] | undefined {
    if (this.files.has(file)) return this.files.get(file);
    let docs: unknown[] | undefined;
    try {
      const read = readRegularFile(file, MAX_INPUT_BYTES);
      docs = read.text === undefined ? undefined : parseText(file, read.text);
    } catch {
      docs = undefined;
    }
    this.files.set(file, docs);
    return docs;
  }
}

/** The non-empty documents of a YAML text (throws on syntax errors). */
function parseText(file: string, text: string): unknown[] {
  return parseDocuments(file, withoutBom(text)).filter((d) => d !== null && d !== undefined);
}

/** A patch target selector (`patches[].target`, `patchesJson6902[].target`). */
interface Selector {
  readonly group?: string;
  readonly version?: string;
  readonly kind?: string;
  readonly name?: string;
  readonly namespace?: string;
  readonly labelSelector?: string;
  readonly annotationSelector?: string;
}

/** A patch that may write fields of selected objects, with where its content was written. */
type Writer =
  | {
      readonly type: 'smp';
      readonly target: Selector | undefined;
      readonly patch: Record<string, unknown>;
      /** The patch document's root (a patch file), or the inline `patch` entry of the kustomization. */
      readonly place: Place;
      readonly inline: boolean;
    }
  | { readonly type: 'json6902'; readonly target: Selector | undefined; readonly ops: unknown[]; readonly place: Place; readonly inline: boolean }
  | { readonly type: 'fields'; readonly node: KustomizationNode };

/** The object as the replay sees it: type, every name and namespace it had, its labels and annotations. */
export interface ObjectIdentity {
  readonly group: string;
  readonly version: string;
  readonly kind: string;
  readonly names: ReadonlySet<string>;
  readonly namespaces: ReadonlySet<string | undefined>;
  readonly labels: readonly Record<string, unknown>[];
  readonly annotations: readonly Record<string, unknown>[];
}

/** `apiVersion` split into group ('' for core) and version. */
export function groupVersion(apiVersion: unknown): { group: string; version: string } {
  const s = typeof apiVersion === 'string' ? apiVersion : '';
  const slash = s.lastIndexOf('/');
  return slash < 0 ? { group: '', version: s } : { group: s.slice(0, slash), version: s.slice(slash + 1) };
}

/** An anchored regular expression as kustomize compiles selector fields (`anchorRegex`). */
function matches(pattern: string | undefined, value: string | undefined): boolean {
  if (pattern === undefined || pattern === '') return true;
  try {
    return new RegExp(`^(?:${pattern})$`).test(value ?? '');
  } catch {
    return pattern === value;
  }
}

/**
 * Evaluates a Kubernetes label-selector expression (`a=b,c!=d,e in (f,g),h notin (i),j,!k`) against
 * a label map, as `k8s.io/apimachinery/pkg/labels.Parse` does for the cases listed.
 */
export function selectorMatches(expression: string, labels: Record<string, unknown>): boolean {
  const requirements = expression.match(/(?:[^,(]|\([^)]*\))+/g) ?? [];
  return requirements.every((raw) => {
    const r = raw.trim();
    if (r === '') return true;
    let m = /^(\S+)\s+(in|notin)\s*\(([^)]*)\)$/.exec(r);
    if (m) {
      const values = m[3].split(',').map((v) => v.trim());
      const has = typeof labels[m[1]] === 'string' && values.includes(labels[m[1]] as string);
      return m[2] === 'in' ? has : !has;
    }
    m = /^([^!=\s]+)\s*(==|=|!=)\s*(\S*)$/.exec(r);
    if (m) return m[2] === '!=' ? labels[m[1]] !== m[3] : labels[m[1]] === m[3];
    if (r.startsWith('!')) return !(r.slice(1).trim() in labels);
    return r in labels;
  });
}

function selects(target: Selector, id: ObjectIdentity): boolean {
  if (!matches(target.group, id.group) || !matches(target.version, id.version) || !matches(target.kind, id.kind)) return false;
  if (target.name !== undefined && target.name !== '' && ![...id.names].some((n) => matches(target.name, n))) return false;
  if (target.namespace !== undefined && target.namespace !== '' && ![...id.namespaces].some((n) => matches(target.namespace, n ?? 'default'))) return false;
  if (target.labelSelector && !id.labels.some((l) => selectorMatches(target.labelSelector!, l))) return false;
  if (target.annotationSelector && !id.annotations.some((a) => selectorMatches(target.annotationSelector!, a))) return false;
  return true;
}

/** A strategic-merge patch without target selects objects of its own kind (and group) and name. */
function patchSelects(patch: Record<string, unknown>, id: ObjectIdentity): boolean {
  if (patch.kind !== id.kind) return false;
  if (typeof patch.apiVersion === 'string' && groupVersion(patch.apiVersion).group !== id.group) return false;
  const meta = isRecord(patch.metadata) ? patch.metadata : {};
  if (typeof meta.name === 'string' && !id.names.has(meta.name)) return false;
  if (typeof meta.namespace === 'string' && !id.namespaces.has(meta.namespace) && !(meta.namespace === 'default' && id.namespaces.has(undefined))) return false;
  return true;
}

function toSelector(v: unknown): Selector | undefined {
  if (!isRecord(v)) return undefined;
  const s = (k: string) => (typeof v[k] === 'string' ? v[k] : undefined);
  return {
    group: s('group'),
    version: s('version'),
    kind: s('kind'),
    name: s('name'),
    namespace: s('namespace'),
    labelSelector: s('labelSelector'),
    annotationSelector: s('annotationSelector'),
  };
}

/**
 * The writers of one patch entry: a file (`path`) or an inline string (`patch`) holding a JSON 6902
 * list or one or more strategic-merge documents.
 */
function patchWriters(node: KustomizationNode, cache: DocumentCache, entry: { path?: string; patch?: string; target?: Selector; at: Path; forceJson?: boolean }): Writer[] {
  let docs: unknown[] | undefined;
  let inline = false;
  let file = '';
  if (entry.patch !== undefined) {
    inline = true;
    try {
      docs = parseText(node.file, entry.patch);
    } catch {
      return [];
    }
  } else if (entry.path !== undefined) {
    file = resolvePath(node.dir, entry.path);
    docs = cache.documents(file);
  }
  if (!docs) return [];
  const inlinePlace: Place = { file: node.file, doc: node.doc, path: [...entry.at, 'patch'] };
  if (docs.length === 1 && Array.isArray(docs[0])) {
    return [{ type: 'json6902', target: entry.target, ops: docs[0], inline, place: inline ? inlinePlace : { file, doc: 0, path: [] } }];
  }
  if (entry.forceJson) return [];
  return docs.flatMap((d, i): Writer[] => (isRecord(d) ? [{ type: 'smp', target: entry.target, patch: d, inline, place: inline ? inlinePlace : { file, doc: i, path: [] } }] : []));
}

/** The writers of one kustomization itself (not its components), in kustomize's order. */
function ownWriters(node: KustomizationNode, cache: DocumentCache): Writer[] {
  const out: Writer[] = [];
  const b = node.body;
  if (Array.isArray(b.patchesStrategicMerge)) {
    b.patchesStrategicMerge.forEach((e, i) => {
      if (typeof e !== 'string') return;
      const inline = e.includes('\n') || /^\s*[\w.-]+\s*:\s/.test(e);
      out.push(...patchWriters(node, cache, inline ? { patch: e, at: ['patchesStrategicMerge', i] } : { path: e, at: ['patchesStrategicMerge', i] }).map(fixInlineSmp(node, i)));
    });
  }
  if (Array.isArray(b.patches)) {
    b.patches.forEach((e, i) => {
      if (!isRecord(e)) return;
      out.push(...patchWriters(node, cache, { path: str(e.path), patch: typeof e.patch === 'string' ? e.patch : undefined, target: toSelector(e.target), at: ['patches', i] }));
    });
  }
  out.push({ type: 'fields', node });
  if (Array.isArray(b.patchesJson6902)) {
    b.patchesJson6902.forEach((e, i) => {
      if (!isRecord(e)) return;
      out.push(
        ...patchWriters(node, cache, {
          path: str(e.path),
          patch: typeof e.patch === 'string' ? e.patch : undefined,
          target: toSelector(e.target),
          at: ['patchesJson6902', i],
          forceJson: true,
        }),
      );
    });
  }
  return out;
}

/** Inline `patchesStrategicMerge` strings are entries themselves (no `patch` key below them). */
function fixInlineSmp(node: KustomizationNode, i: number): (w: Writer) => Writer {
  return (w) => (w.type === 'smp' && w.inline ? { ...w, place: { file: node.file, doc: node.doc, path: ['patchesStrategicMerge', i] } } : w);
}

/** Every writer of a component (its own components first), in application order. */
function componentWriters(node: KustomizationNode, cache: DocumentCache, seen: Set<KustomizationNode>): Writer[] {
  if (seen.has(node)) return [];
  seen.add(node);
  const out = node.components.flatMap((c) => componentWriters(c, cache, seen));
  out.push(...ownWriters(node, cache));
  seen.delete(node);
  return out;
}

/**
 * The writers that apply to objects accumulated through `chain` (innermost kustomization first),
 * in application order. A component in the chain (the object comes from its resources) is applied
 * once, at its own level.
 */
export function chainWriters(chain: readonly KustomizationNode[], cache: DocumentCache): Writer[] {
  const out: Writer[] = [];
  chain.forEach((node, i) => {
    const inner = i > 0 ? chain[i - 1] : undefined;
    for (const c of node.components) if (c !== inner) out.push(...componentWriters(c, cache, new Set()));
    out.push(...ownWriters(node, cache));
  });
  return out;
}

/** Merge keys of Kubernetes strategic-merge lists, tried in this order. */
const MERGE_KEYS = ['name', 'port', 'containerPort', 'mountPath', 'devicePath', 'ip', 'type', 'topologyKey'];

/** Maps a rendered path into a strategic-merge patch document; undefined when the patch lacks it. */
function smpPath(patch: unknown, rendered: unknown, path: Path): { path: Path; value: unknown } | undefined {
  const out: (string | number)[] = [];
  let p = patch;
  let r = rendered;
  for (const seg of path) {
    if (typeof seg === 'number') {
      if (!Array.isArray(p) || !Array.isArray(r)) return undefined;
      const item: unknown = r[seg];
      let j = -1;
      if (isRecord(item)) {
        const key = MERGE_KEYS.find((k) => item[k] !== undefined && typeof item[k] !== 'object');
        if (key) j = p.findIndex((x) => isRecord(x) && x[key] === item[key]);
        else if (p.length === r.length) j = seg;
      } else {
        j = p.indexOf(item);
        if (j < 0 && p.length === r.length) j = seg;
      }
      if (j < 0) return undefined;
      out.push(j);
      p = p[j];
      r = item;
    } else {
      if (!isRecord(p) || !(seg in p)) return undefined;
      out.push(seg);
      p = p[seg];
      r = isRecord(r) ? r[seg] : undefined;
    }
  }
  return { path: out, value: p };
}

/** A JSON pointer's segments (RFC 6901 `~1`, `~0` decoded). */
function pointer(path: string): string[] {
  if (path === '' || path === '/') return path === '/' ? [''] : [];
  return path
    .replace(/^\//, '')
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** Whether an op path segment names the rendered path segment (`-` appends: the list's last item). */
function segmentMatches(opSeg: string, seg: string | number, list: unknown): boolean {
  if (opSeg === '-') return Array.isArray(list) && seg === list.length - 1;
  return opSeg === String(seg);
}

function valueAt(root: unknown, path: Path): { found: boolean; value: unknown } {
  let v = root;
  for (const seg of path) {
    if (Array.isArray(v) && typeof seg === 'number' && seg < v.length) v = v[seg];
    else if (isRecord(v) && typeof seg === 'string' && seg in v) v = v[seg];
    else return { found: false, value: undefined };
  }
  return { found: true, value: v };
}

/** Context for deciding the place of one field of one rendered object. */
export interface FieldContext {
  readonly id: ObjectIdentity;
  readonly body: Record<string, unknown>;
  /** The origin document (the object as written), for "did the patch create this collection?". */
  readonly written: unknown;
  /** The name as written in the origin document (for name transformers). */
  readonly writtenName: string | undefined;
  readonly writtenNamespace: string | undefined;
  /** The origin place of the object (its document and base path). */
  readonly origin: Place;
}

/** Where the kustomization's own fields (`namespace`, `namePrefix`, labels…) wrote `path`, if they did. */
function fieldsPlace(node: KustomizationNode, path: Path, ctx: FieldContext): Place | undefined {
  const b = node.body;
  const at = (...p: (string | number)[]): Place => ({ file: node.file, doc: node.doc, path: p });
  const [a, c, d] = path;
  if (
    path.length === 2 &&
    a === 'metadata' &&
    c === 'namespace' &&
    str(b.namespace) &&
    (ctx.body.metadata as Record<string, unknown> | undefined)?.namespace === b.namespace &&
    ctx.writtenNamespace !== b.namespace
  ) {
    return at('namespace');
  }
  if (path.length === 2 && a === 'metadata' && c === 'name' && (ctx.body.metadata as Record<string, unknown> | undefined)?.name !== ctx.writtenName) {
    if (str(b.namePrefix)) return at('namePrefix');
    if (str(b.nameSuffix)) return at('nameSuffix');
  }
  if (path.length === 3 && a === 'metadata' && (c === 'labels' || c === 'annotations') && typeof d === 'string') {
    const common = c === 'labels' ? b.commonLabels : b.commonAnnotations;
    if (isRecord(common) && d in common) return at(c === 'labels' ? 'commonLabels' : 'commonAnnotations', d);
    if (c === 'labels' && Array.isArray(b.labels)) {
      for (let i = b.labels.length - 1; i >= 0; i--) {
        const e: unknown = b.labels[i];
        if (isRecord(e) && isRecord(e.pairs) && d in e.pairs) return at('labels', i, 'pairs', d);
      }
    }
  }
  if (path.length === 2 && a === 'spec' && c === 'replicas' && Array.isArray(b.replicas)) {
    for (let i = b.replicas.length - 1; i >= 0; i--) {
      const e: unknown = b.replicas[i];
      if (isRecord(e) && typeof e.name === 'string' && ctx.id.names.has(e.name) && e.count !== undefined) return at('replicas', i, 'count');
    }
  }
  return undefined;
}

/** Fields of a strategic-merge patch that select its target rather than set values. */
const IDENTIFYING = new Set(['apiVersion', 'kind', 'metadata.name', 'metadata.namespace']);

/** Where `writer` wrote `path` of the object, if it selects the object and wrote that field. */
function writerPlace(writer: Writer, path: Path, ctx: FieldContext): Place | undefined {
  if (writer.type === 'fields') return fieldsPlace(writer.node, path, ctx);
  if (writer.target ? !selects(writer.target, ctx.id) : writer.type === 'json6902' || !patchSelects(writer.patch, ctx.id)) return undefined;
  if (writer.type === 'smp') {
    // A patch's type and name identify its target; they are not written by it.
    if (path.length === 0 || IDENTIFYING.has(path.length === 1 ? String(path[0]) : path[0] === 'metadata' && path.length === 2 ? `metadata.${String(path[1])}` : ''))
      return undefined;
    const mapped = smpPath(writer.patch, ctx.body, path);
    if (!mapped) return undefined;
    // A collection the origin document already had was only merged into, not written.
    if (typeof mapped.value === 'object' && mapped.value !== null && valueAt(ctx.written, path).found) return undefined;
    return writer.inline ? writer.place : { file: writer.place.file, doc: writer.place.doc, path: mapped.path };
  }
  for (let i = writer.ops.length - 1; i >= 0; i--) {
    const op = writer.ops[i];
    if (!isRecord(op) || (op.op !== 'add' && op.op !== 'replace') || typeof op.path !== 'string') continue;
    const segs = pointer(op.path);
    if (segs.length > path.length) continue;
    let ok = true;
    for (let k = 0; k < segs.length && ok; k++) ok = segmentMatches(segs[k], path[k], valueAt(ctx.body, path.slice(0, k)).value);
    if (!ok) continue;
    const rest = path.slice(segs.length);
    if (!valueAt(op.value, rest).found) continue;
    return writer.inline ? writer.place : { file: writer.place.file, doc: writer.place.doc, path: [i, 'value', ...rest] };
  }
  return undefined;
}

/**
 * The place that last wrote `path` of a rendered object: the latest writer (outermost overlay,
 * later transformer) that selects the object and wrote that field. When none did, the origin
 * document's own place if a merge moved list items (the rendered index differs from the written
 * one); else undefined (the origin place + path applies).
 */
export function fieldPlaceOf(writers: readonly Writer[], path: Path, ctx: FieldContext): Place | undefined {
  for (let i = writers.length - 1; i >= 0; i--) {
    const place = writerPlace(writers[i], path, ctx);
    if (place) return place;
  }
  if (ctx.written === undefined || !path.some((seg) => typeof seg === 'number')) return undefined;
  const mapped = smpPath(ctx.written, ctx.body, path);
  if (!mapped || mapped.path.every((seg, i) => seg === path[i])) return undefined;
  return { file: ctx.origin.file, doc: ctx.origin.doc, path: [...ctx.origin.path, ...mapped.path] };
}

export type { Writer };
