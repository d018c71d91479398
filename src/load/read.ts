/**
 * Reading and parsing one manifest file: the part of the load stage that needs nothing but the
 * file system and js-yaml, so the parse worker (`parse-worker.ts`) can run it on another thread.
 * Nothing here throws for bad input except `parseDocuments`, whose syntax errors the caller turns
 * into findings.
 */
import jsyaml from 'js-yaml';
import { KUBERNETES_YAML_SCHEMA } from './yaml11.js';
import type { SkipReason } from './types.js';
import { readRegularFile } from '../base/regular-file.js';
import { readFileSync } from 'node:fs';
import { isUtf8 } from 'node:buffer';
import { MIN_CHARS_FOR_LONG_COLLECTION, mayNestTooDeep } from './limits.js';

/**
 * Files larger than this many bytes are skipped as too large to be manifests; checked with `fstat`
 * before reading (`readRegularFile`), so a 200 MB file costs one system call, not a read. Files too
 * large for a string at all are skipped the same way.
 */
export const MAX_FILE_CHARS = 32 * 1024 * 1024;
/** Deepest collection nesting accepted (CRD schemas nest deeply; 1000 is far beyond them). */
const MAX_DEPTH = 1000;

/** A file's text, or why it is not linted. */
export type ReadResult = { readonly text: string; readonly skipped?: undefined } | { readonly text?: undefined; readonly skipped: SkipReason };

/**
 * Reads one file as UTF-8 text. Never throws: unreadable, binary and oversized files come back as
 * `skipped`.
 * @param path absolute file path of a regular file: the discovery walk (`src/discover/walk.ts`)
 *   and the fleet walk hand over only regular files (FIFOs, devices and sockets are listed as
 *   skips there), so the file is read in one native call, the fastest way Node reads a text file;
 *   `verify` (for paths that did not come from a walk) opens it without blocking and checks it
 *   first (`src/base/regular-file.ts`)
 */
export function readManifest(path: string, verify = false): ReadResult {
  if (verify) {
    const read = readRegularFile(path, MAX_FILE_CHARS);
    if (read.reason !== undefined) return { skipped: read.reason === 'not-regular' ? 'unreadable' : read.reason };
    if (read.invalidUtf8 || read.text.includes('\0')) return { skipped: 'binary' };
    return { text: read.text };
  }
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    const code = (err as { code?: string }).code;
    return { skipped: code === 'ERR_FS_FILE_TOO_LARGE' || code === 'ERR_STRING_TOO_LONG' ? 'too-large' : 'unreadable' };
  }
  if (text.length > MAX_FILE_CHARS) return { skipped: 'too-large' };
  // NUL never occurs in YAML; invalid UTF-8 decodes to U+FFFD, which a text file may also
  // contain legitimately, so only then are the raw bytes checked.
  if (text.includes('\0') || (text.includes('\uFFFD') && !isUtf8(readFileSync(path)))) return { skipped: 'binary' };
  return { text };
}

/** `text` without a leading byte order mark. */
export function withoutBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/**
 * Every YAML document of `text` (BOM already removed) as plain values, with the API server's
 * YAML 1.1 scalar rules (`yaml11.ts`). Empty documents are `null`/`undefined`.
 * @param path the file's path, named in error messages
 * @throws jsyaml.YAMLException on the first syntax error (`mark` holds its 0-based position)
 */
export function parseDocuments(path: string, text: string): unknown[] {
  return jsyaml.loadAll(text, null, { schema: KUBERNETES_YAML_SCHEMA, filename: path, maxDepth: MAX_DEPTH } as jsyaml.LoadOptions);
}

/**
 * The documents of `text` as far as they parse, with duplicate keys allowed (the last one wins,
 * js-yaml's `json` mode): for measuring the shape of a text another tool reads leniently
 * (kustomize's YAML reader takes a document with a duplicate key, and reads the documents before
 * a syntax error). Never throws.
 */
export function parseDocumentsLeniently(path: string, text: string): unknown[] {
  const docs: unknown[] = [];
  try {
    jsyaml.loadAll(text, (doc) => docs.push(doc), { schema: KUBERNETES_YAML_SCHEMA, filename: path, maxDepth: MAX_DEPTH, json: true } as jsyaml.LoadOptions);
  } catch {
    // the documents before the error are measured
  }
  return docs;
}

/** An alias (`*name`) somewhere in the text: the document may share or expand nodes. */
export const ALIAS = /(?:^|[\s[{,:-])\*[^\s,[\]{}]/;
/** A YAML 1.1 special float (`.nan`, `-.Inf`, …): a value JSON cannot carry. */
const SPECIAL_FLOAT = /\.(?:nan|NaN|NAN|inf|Inf|INF)\b/;

/**
 * True when a parsed value holds a number JSON cannot carry (an infinity or NaN: a number too large
 * for a double, `1e400`, reads as an infinity). An explicit stack: the documents are trees (no
 * aliases, see `jsonSafe`), so this is linear in their nodes.
 */
export function hasNonFinite(value: unknown): boolean {
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const v = stack.pop();
    if (typeof v === 'number') {
      if (!Number.isFinite(v)) return true;
    } else if (Array.isArray(v)) for (const x of v) stack.push(x);
    else if (typeof v === 'object' && v !== null) for (const k in v) stack.push((v as Record<string, unknown>)[k]);
  }
  return false;
}

/**
 * True when the parsed documents of `text` survive a JSON round trip unchanged: no aliases
 * (JSON would expand shared nodes, and a "billion laughs" document must be caught before that)
 * and no NaN or infinities written as such (`parseFile` also checks the parsed values when their
 * JSON holds a null: a number too large for a double reads as an infinity, which JSON turns into null). js-yaml produces nothing else JSON cannot carry with this schema
 * (timestamps and binaries stay strings).
 */
export function jsonSafe(text: string): boolean {
  return !(text.includes('&') && ALIAS.test(text)) && !SPECIAL_FLOAT.test(text);
}

/** Every suppression comment starts with this (`# mclint-disable…`, `# mclint-enable`). */
export const DIRECTIVE_MARK = 'mclint-';

/**
 * What loading needs to know of a parsed file's text when the text itself is not at hand: a parse
 * worker sends this instead of the text (tens of megabytes on a large repository) whenever
 * nothing else in the text needs a look (`summarize`).
 */
export interface TextSummary {
  /** The text mentions `networking.istio.io`: Istio's validators must be loaded (`prepareValidators`). */
  readonly istio: boolean;
  /** The text contains `mclint-`: it may hold suppression comments (`LoadedFile.mayHaveDirectives`). */
  readonly directives: boolean;
}

/**
 * The summary of `text` (BOM removed), or undefined when loading must see the text itself: it may
 * be an unrendered template (`{{` and `}}`), may hold a collection over the entry limit, or may
 * nest too deeply (`limits.ts`). Texts with aliases never reach this (`jsonSafe`).
 */
export function summarize(text: string): TextSummary | undefined {
  if (text.length >= MIN_CHARS_FOR_LONG_COLLECTION || (text.includes('{{') && text.includes('}}')) || mayNestTooDeep(text)) return undefined;
  return { istio: text.includes('networking.istio.io'), directives: text.includes(DIRECTIVE_MARK) };
}

/**
 * One file as it was prepared ahead of its turn: skipped (read failed, binary, too large), or, when
 * it parsed, its documents: as JSON text when another thread prepared it and JSON carries them
 * losslessly (`json`), as the parsed values when this thread did (`documents`). Its text as read
 * (BOM included) comes too, except when `summary` says all loading needs of it (JSON only).
 */
export interface ParsedFile {
  readonly skipped?: SkipReason;
  readonly text?: string;
  readonly summary?: TextSummary;
  readonly json?: string;
  readonly documents?: unknown[];
}

/**
 * Reads and parses one file for `loadPrepared` (never throws).
 * @param handOver `'json'`: for another thread (a parse worker), documents as JSON text, which
 *   crosses threads as one string and is parsed there several times faster than YAML; `'values'`:
 *   for the calling thread itself, which parses ahead while it waits for a worker
 */
export function parseFile(path: string, handOver: 'json' | 'values' = 'json'): ParsedFile {
  const read = readManifest(path);
  if (read.skipped) return { skipped: read.skipped };
  const text = withoutBom(read.text);
  if (handOver === 'json' && !jsonSafe(text)) return { text: read.text };
  try {
    const documents = parseDocuments(path, text);
    if (handOver === 'values') return { text: read.text, documents };
    const json = JSON.stringify(documents);
    if (json.includes('null') && hasNonFinite(documents)) return { text: read.text };
    const summary = summarize(text);
    return summary ? { summary, json } : { text: read.text, json };
  } catch {
    // A syntax error (or a document too large for one string): loadPrepared parses the text
    // again and reports it.
    return { text: read.text };
  }
}
