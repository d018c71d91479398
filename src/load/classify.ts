/**
 * Document classification: which parsed YAML documents are Kubernetes objects, which are other
 * YAML found in manifest repositories (Helm values, kustomization files, JSON-patch lists), and
 * which files are unrendered templates that cannot be linted at all.
 */
import { existsSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { hasObjectSchema, validateObject } from '../schema/index.js';
import type { LoadOptions, LoadProblem, ManifestObject, OtherDocument, UnreadKind } from './types.js';
import type { Path } from '../base/types.js';
import { RunTable, kept, sharedApiVersion, detached } from '../base/memory.js';

/** The API group of kustomize's own files (Kustomization, Component): build inputs, not objects. */
const KUSTOMIZE_API = 'kustomize.config.k8s.io/';
const KUSTOMIZATION_FILE = /(?:^|[\\/])(?:kustomization|Kustomization)\.ya?ml$/;

/**
 * Helm's own vocabulary inside an action: built-in objects (`.Values`, `.Release`, `.Chart`…) and
 * Helm-only functions. Generic Go-template text (`{{ .Labels.x }}`, `{{ range .Alerts }}` in an
 * Alertmanager ConfigMap, `{{env "NODE_NAME"}}` in container args) is ordinary string content.
 */
const HELM_WORD = /\.(?:Values|Release|Chart|Capabilities|Files|Template)\b|\b(?:include|required)\s+"|\b(?:toYaml|nindent|tpl)\b/;

/**
 * True when an action of `text` (from a `{{` to the next `}`, or to the end) uses Helm's
 * vocabulary (`HELM_WORD`). Linear in the text's length: the `{{`s before one `}` share that
 * action's end, so only the first of them is searched (a regular expression starting at every
 * `{{` took quadratic time on 100,000 × `{{`).
 */
function hasHelmAction(text: string): boolean {
  for (let from = 0; from < text.length;) {
    const start = text.indexOf('{{', from);
    if (start < 0) return false;
    const brace = text.indexOf('}', start + 2);
    const end = brace < 0 ? text.length : brace;
    if (HELM_WORD.test(text.slice(start + 2, end))) return true;
    from = end + 1;
  }
  return false;
}

/** js-yaml's name for a mapping key that is itself a mapping: what `{{ x }}` in key or value position parses to. */
const OBJECT_KEY = '[object Object]';

/**
 * Each node is visited once, so shared (aliased) subtrees cannot make this exponential, and with
 * an explicit stack: it runs before the nesting limits are checked (`limits.ts`), so a document
 * nested deeply through aliases must not overflow the call stack here.
 */
function hasObjectKey(value: unknown): boolean {
  const seen = new Set<object>();
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const node = stack.pop();
    if (typeof node !== 'object' || node === null || seen.has(node)) continue;
    seen.add(node);
    if (Array.isArray(node)) {
      for (const v of node) stack.push(v);
      continue;
    }
    for (const [k, v] of Object.entries(node)) {
      if (k === OBJECT_KEY) return true;
      stack.push(v);
    }
  }
  return false;
}

/**
 * Directories known to be (or not be) a Helm chart's `templates/`, by path: a run's memo of
 * `existsSync` (a file system fact, so never kept from one run to the next).
 */
const CHART_TEMPLATE_DIRS = new RunTable(() => new Map<string, boolean>());

/** True when `file` is below a `templates/` directory of a Helm chart (a `Chart.yaml` beside it). */
function inChartTemplates(file: string): boolean {
  for (let d = dirname(file); dirname(d) !== d; d = dirname(d)) {
    if (basename(d) !== 'templates') continue;
    const dirs = CHART_TEMPLATE_DIRS.get();
    let known = dirs.get(d);
    if (known === undefined) dirs.set(d, (known = existsSync(join(dirname(d), 'Chart.yaml'))));
    if (known) return true;
  }
  return false;
}

/**
 * True when a file is an unrendered Helm template that must be rendered before linting: it uses
 * `{{ }}` and either does not parse (`docs` undefined), sits in a chart's `templates/`, speaks
 * Helm's vocabulary, or has an action where YAML expects structure (it parsed as a mapping key).
 */
export function isUnrenderedTemplate(file: string, text: string, docs: readonly unknown[] | undefined): boolean {
  if (!text.includes('{{') || !text.includes('}}')) return false;
  if (docs === undefined || inChartTemplates(file) || hasHelmAction(text)) return true;
  return docs.some((d) => hasObjectKey(d));
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function typeName(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  return `${typeof v} ${JSON.stringify(v)}`;
}

/** `<group or "core">/<Kind>`: the key fact sources register under and `retain` receives. */
export function typeKey(group: string, kind: string): string {
  return `${group || 'core'}/${kind}`;
}

const NO_PATH: Path = Object.freeze([]);

/** Sink for what classification finds in one document. */
export interface ClassifySink {
  /** Every object found, kept or not. */
  objectCount: number;
  objects: ManifestObject[];
  others: OtherDocument[];
  problems: LoadProblem[];
  /** Objects of kinds no rule reads, by kind (see `unreadType`); created on the first one. */
  unread?: { readonly type: string; count: number }[];
}

/**
 * Whether `apiVersion`/`kind` objects are kept, memoised per `retainTypes` set and shared pair (no
 * string building): a run's memo (`RunTable`), like the other tables of the speed box.
 */
const RETAINED = new RunTable(() => new Map<ReadonlySet<string>, Map<string, Map<string, boolean>>>());
function isRetained(options: LoadOptions, group: string, apiVersion: string, kind: string): boolean {
  const types = options.retainTypes;
  if (types === undefined) return true;
  const retainCache = RETAINED.get();
  let byVersion = retainCache.get(types);
  if (!byVersion) retainCache.set(types, (byVersion = new Map<string, Map<string, boolean>>()));
  let byKind = byVersion.get(apiVersion);
  if (!byKind) byVersion.set(apiVersion, (byKind = new Map<string, boolean>()));
  let retained = byKind.get(kind);
  if (retained === undefined) byKind.set(kind, (retained = types.has(typeKey(group, kind))));
  return retained;
}

/** `apiVersion Kind` of the types no rule reads, by apiVersion then kind; null for the others (a run's memo). */
const UNREAD_TYPES = new RunTable(() => new Map<string, Map<string, string | null>>());

/**
 * The shared `apiVersion Kind` text (`apps/v1 Deployment`, `v1 ConfigMap`) of an object type that
 * no rule reads, or undefined when a rule does. Called for types no fact source reads (not
 * retained): of those, a rule still reads the ones with a schema of their own (the `schema` rule
 * checks their fields); the others are only checked against the generic object schema (string
 * `metadata.name`, label and annotation maps), which says nothing about what they do in a
 * cluster. Types are told apart by apiVersion, as their schemas are.
 */
function unreadType(apiVersion: string, kind: string): string | undefined {
  const unreadTypes = UNREAD_TYPES.get();
  let byKind = unreadTypes.get(apiVersion);
  if (!byKind) unreadTypes.set(apiVersion, (byKind = new Map<string, string | null>()));
  let type = byKind.get(kind);
  if (type === undefined) byKind.set(kind, (type = hasObjectSchema(apiVersion, kind) ? null : `${apiVersion} ${kind}`));
  return type ?? undefined;
}

/** Counts one object of an unread type in `sink` (a file holds few types: a linear search). */
function countUnread(sink: ClassifySink, type: string): void {
  const list = (sink.unread ??= []);
  for (const entry of list) {
    if (entry.type === type) {
      entry.count++;
      return;
    }
  }
  list.push({ type, count: 1 });
}

/** One shared, frozen `[{ type, count: 1 }]` per type (the common file: one object of one kind), per run. */
const SINGLE_UNREAD = new RunTable(() => new Map<string, readonly UnreadKind[]>());

/**
 * A file's unread kinds as `LoadedFile.unreadKinds` keeps them: undefined for none, the shared
 * single-entry list for one object of one kind, else a copy of exact size.
 */
export function unreadKindsOf(sink: ClassifySink): readonly UnreadKind[] | undefined {
  const list = sink.unread;
  if (list === undefined || list.length === 0) return undefined;
  if (list.length === 1 && list[0].count === 1) {
    const type = list[0].type;
    const singles = SINGLE_UNREAD.get();
    let single = singles.get(type);
    if (!single) singles.set(type, (single = Object.freeze([Object.freeze({ type, count: 1 })])));
    return single;
  }
  return list.map((e) => ({ type: e.type, count: e.count }));
}

/**
 * Validates one object and records it in `sink` (with its body when its type is retained).
 * When `options.retainTypes` says what rules read, objects of types outside it and without a
 * schema of their own are counted in `sink.unread` (see `unreadType`).
 */
function addObject(body: Record<string, unknown>, file: string, doc: number, base: Path, sink: ClassifySink, options: LoadOptions): void {
  sink.objectCount++;
  const { apiVersion, group, version } = sharedApiVersion(body.apiVersion as string);
  const kind = kept(body.kind as string);
  const schemaErrors = validateObject(apiVersion, kind, body);
  const retain = isRetained(options, group, apiVersion, kind);
  if (!retain) {
    const unread = unreadType(apiVersion, kind);
    if (unread !== undefined) countUnread(sink, unread);
  }
  const meta = body.metadata;
  const ignore = ignoreAnnotation(meta);
  if (!retain && schemaErrors.length === 0 && !ignore) return;
  const name = isRecord(meta) && typeof meta.name === 'string' ? meta.name : undefined;
  const namespace = isRecord(meta) && typeof meta.namespace === 'string' ? meta.namespace : undefined;
  sink.objects.push({
    apiVersion,
    kind,
    group,
    version,
    name: kept(name),
    namespace: kept(namespace),
    body: retain ? body : undefined,
    schemaErrors,
    file,
    doc,
    base,
    ...(ignore ? { ignore } : {}),
  });
}

/** Annotation naming the rules whose findings on an object are suppressed. */
export const IGNORE_ANNOTATION = 'mclint.io/ignore';
/** Annotation giving the reason for `mclint.io/ignore`. */
export const IGNORE_REASON_ANNOTATION = 'mclint.io/ignore-reason';

/** The object's `mclint.io/ignore` (and reason) annotations, when the former is a string. */
function ignoreAnnotation(meta: unknown): ManifestObject['ignore'] {
  if (!isRecord(meta) || !isRecord(meta.annotations)) return undefined;
  const rules = meta.annotations[IGNORE_ANNOTATION];
  if (typeof rules !== 'string') return undefined;
  const reason = meta.annotations[IGNORE_REASON_ANNOTATION];
  return { rules: detached(rules), ...(typeof reason === 'string' ? { reason: detached(reason) } : {}) };
}

/**
 * Checks that a mapping that claims to be a Kubernetes object has string `apiVersion` and `kind`;
 * returns a message describing the defect, or undefined when it is well-formed.
 */
function typeMetaDefect(body: Record<string, unknown>): { message: string; key: string } | undefined {
  for (const key of ['apiVersion', 'kind'] as const) {
    const v = body[key];
    if (v === undefined) return { message: `"${key}" is missing: kubectl cannot tell what kind of object this is`, key: 'kind' in body ? 'kind' : 'apiVersion' };
    if (typeof v !== 'string' || v === '') {
      return { message: `"${key}" must be a non-empty string, found ${typeName(v)}`, key };
    }
  }
  return undefined;
}

/**
 * True for a mapping that is trying to be a Kubernetes object: two of `apiVersion`, `kind` and a
 * `metadata` mapping. One alone is common in other files (Helm's Chart.yaml has `apiVersion`,
 * Helm values often have a `kind` key).
 */
function looksLikeObject(body: Record<string, unknown>): boolean {
  const signals = Number('apiVersion' in body) + Number('kind' in body) + Number(isRecord(body.metadata));
  return signals >= 2;
}

/**
 * Classifies one non-empty parsed document and records the result in `sink`.
 * `doc` is the 0-based index among the file's non-empty documents.
 */
export function classifyDocument(value: unknown, file: string, doc: number, sink: ClassifySink, options: LoadOptions = {}): void {
  if (Array.isArray(value)) {
    const isPatch = value.length > 0 && value.every((op) => isRecord(op) && typeof op.op === 'string' && typeof op.path === 'string');
    sink.others.push({ class: isPatch ? 'json-patch' : 'other', file, doc, body: value });
    return;
  }
  if (!isRecord(value)) {
    sink.others.push({ class: 'other', file, doc, body: value });
    return;
  }
  const wellFormed = typeof value.apiVersion === 'string' && value.apiVersion !== '' && typeof value.kind === 'string' && value.kind !== '';
  if (!wellFormed && !looksLikeObject(value)) {
    const cls = KUSTOMIZATION_FILE.test(file) ? 'kustomization' : 'helm-values';
    sink.others.push({ class: cls, file, doc, body: value });
    return;
  }
  const defect = wellFormed ? undefined : typeMetaDefect(value);
  if (defect) {
    sink.problems.push({ rule: 'schema', message: defect.message, file, place: { file, doc, path: [defect.key], key: true } });
    return;
  }
  if ((value.apiVersion as string).startsWith(KUSTOMIZE_API)) {
    sink.others.push({ class: 'kustomization', file, doc, body: value });
    return;
  }
  if (isList(value)) {
    expandList(value, file, doc, NO_PATH, sink, options);
    return;
  }
  addObject(value, file, doc, NO_PATH, sink, options);
}

const isList = (o: Record<string, unknown>) => typeof o.kind === 'string' && o.kind.endsWith('List') && 'items' in o;

/**
 * `kind: List` (and typed lists such as `ServiceList`) expand to their items, recursively, as
 * kubectl's resource builder flattens them.
 */
function expandList(list: Record<string, unknown>, file: string, doc: number, at: Path, sink: ClassifySink, options: LoadOptions, depth = 0): void {
  const items = list.items;
  if (items === null) return;
  if (!Array.isArray(items)) {
    sink.problems.push({
      rule: 'schema',
      message: `${list.kind as string} "items" must be a list of objects, found ${typeName(items)}`,
      file,
      place: { file, doc, path: [...at, 'items'] },
    });
    return;
  }
  items.forEach((value: unknown, i) => {
    const path: Path = [...at, 'items', i];
    if (!isRecord(value)) {
      sink.problems.push({
        rule: 'schema',
        message: `${list.kind as string} item ${i} must be a Kubernetes object, found ${typeName(value)}`,
        file,
        place: { file, doc, path },
      });
      return;
    }
    // Typed lists (ServiceList…) may omit the items' type meta; the API machinery then takes it
    // from the list, as apimachinery's UnstructuredList does.
    const item =
      list.kind !== 'List' && (value.apiVersion === undefined || value.kind === undefined)
        ? { apiVersion: list.apiVersion, kind: (list.kind as string).slice(0, -'List'.length), ...value }
        : value;
    const defect = typeMetaDefect(item);
    if (defect) {
      sink.problems.push({
        rule: 'schema',
        message: `${list.kind as string} item ${i}: ${defect.message}`,
        file,
        place: { file, doc, path: [...path, defect.key], key: true },
      });
      return;
    }
    if (isList(item) && depth < 16) expandList(item, file, doc, path, sink, options, depth + 1);
    else addObject(item, file, doc, path, sink, options);
  });
}
