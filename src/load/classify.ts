/**
 * Document classification: which parsed YAML documents are Kubernetes objects, which are other
 * YAML found in manifest repositories (Helm values, kustomization files, JSON-patch lists), and
 * which files are unrendered templates that cannot be linted at all.
 */
import type { LoadProblem, ManifestObject, OtherDocument, Path } from './types.js';

/** API groups whose "objects" are build-tool inputs, never applied to a cluster. */
const KUSTOMIZE_GROUPS = new Set(['kustomize.config.k8s.io']);
const KUSTOMIZATION_FILE = /(?:^|[\\/])(?:kustomization|Kustomization)\.ya?ml$/;

/**
 * Helm template actions: `{{ .Values.x }}`, `{{- include … }}`, `{{ if … }}`, `{{ $v := … }}`.
 * Deliberately does not match Go-template placeholders that Kubernetes objects legitimately carry
 * inside strings (`{{env "NODE_NAME"}}`, aws-auth's `{{EC2PrivateDNSName}}`).
 */
const HELM_ACTION =
  /\{\{-?\s*(?:\.|\$|-|\/\*|(?:if|else|end|range|with|define|include|template|toYaml|tpl|required|default|printf|quote|fail)\b)/;

/**
 * True when a file is an unrendered Helm (Go) template that must be rendered before linting.
 * `parsed` says whether the YAML parser accepted the text: a file that does not parse and
 * contains `{{ … }}` is a template too.
 */
export function isUnrenderedTemplate(text: string, parsed: boolean): boolean {
  if (!text.includes('{{')) return false;
  if (HELM_ACTION.test(text)) return true;
  return !parsed && text.includes('}}');
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

function typeName(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  return `${typeof v} ${JSON.stringify(v)}`;
}

/** Splits `apiVersion` into group and version (`apps/v1` → apps, v1; `v1` → '', v1). */
export function splitApiVersion(apiVersion: string): { group: string; version: string } {
  const slash = apiVersion.lastIndexOf('/');
  return slash < 0
    ? { group: '', version: apiVersion }
    : { group: apiVersion.slice(0, slash), version: apiVersion.slice(slash + 1) };
}

/** Sink for what classification finds in one document. */
export interface ClassifySink {
  objects: ManifestObject[];
  others: OtherDocument[];
  problems: LoadProblem[];
}

function makeObject(
  body: Record<string, unknown>,
  file: string,
  doc: number,
  base: Path,
): ManifestObject {
  const apiVersion = body.apiVersion as string;
  const { group, version } = splitApiVersion(apiVersion);
  const meta = isRecord(body.metadata) ? body.metadata : undefined;
  return {
    apiVersion,
    kind: body.kind as string,
    group,
    version,
    name: typeof meta?.name === 'string' ? meta.name : undefined,
    namespace: typeof meta?.namespace === 'string' ? meta.namespace : undefined,
    body,
    file,
    doc,
    base,
  };
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
export function classifyDocument(value: unknown, file: string, doc: number, sink: ClassifySink): void {
  if (Array.isArray(value)) {
    const isPatch =
      value.length > 0 && value.every((op) => isRecord(op) && typeof op.op === 'string' && typeof op.path === 'string');
    sink.others.push({ class: isPatch ? 'json-patch' : 'other', file, doc, body: value });
    return;
  }
  if (!isRecord(value)) {
    sink.others.push({ class: 'other', file, doc, body: value });
    return;
  }
  if (!looksLikeObject(value)) {
    const cls = KUSTOMIZATION_FILE.test(file) ? 'kustomization' : 'helm-values';
    sink.others.push({ class: cls, file, doc, body: value });
    return;
  }
  const defect = typeMetaDefect(value);
  if (defect) {
    sink.problems.push({ rule: 'schema', message: defect.message, file, place: { file, doc, path: [defect.key] } });
    return;
  }
  const { group } = splitApiVersion(value.apiVersion as string);
  if (KUSTOMIZE_GROUPS.has(group)) {
    sink.others.push({ class: 'kustomization', file, doc, body: value });
    return;
  }
  const kind = value.kind as string;
  if (kind.endsWith('List') && 'items' in value) {
    expandList(value, file, doc, sink);
    return;
  }
  sink.objects.push(makeObject(value, file, doc, []));
}

/** `kind: List` (and typed lists such as `ServiceList`) expand to their items, as kubectl does. */
function expandList(list: Record<string, unknown>, file: string, doc: number, sink: ClassifySink): void {
  const items = list.items;
  if (items === null) return;
  if (!Array.isArray(items)) {
    sink.problems.push({
      rule: 'schema',
      message: `${list.kind} "items" must be a list of objects, found ${typeName(items)}`,
      file,
      place: { file, doc, path: ['items'] },
    });
    return;
  }
  items.forEach((item, i) => {
    const path: Path = ['items', i];
    if (!isRecord(item)) {
      sink.problems.push({
        rule: 'schema',
        message: `${list.kind} item ${i} must be a Kubernetes object, found ${typeName(item)}`,
        file,
        place: { file, doc, path },
      });
      return;
    }
    const defect = typeMetaDefect(item);
    if (defect) {
      sink.problems.push({
        rule: 'schema',
        message: `${list.kind} item ${i}: ${defect.message}`,
        file,
        place: { file, doc, path: [...path, defect.key] },
      });
      return;
    }
    sink.objects.push(makeObject(item, file, doc, path));
  });
}
