/**
 * Positions on demand: turns `Place`s (file, document, path) into 1-based line/column spans.
 *
 * Only files that carry a finding are parsed again, with the `yaml` package, whose CST keeps
 * source ranges; js-yaml's plain objects used everywhere else carry none. Each file is parsed
 * at most once per call.
 */
import { readFileSync } from 'node:fs';
import type { Document, LineCounter as LineCounterT, Node as YamlNode, Pair } from 'yaml';
import type { Place, Span } from '../base/types.js';
import { mayNestTooDeep, nestingCrossing } from './limits.js';
import { loadYamlPackage, withoutStacks } from './yaml-package.js';

/** Span used for places that have no text (directories, unreadable files). */
export const FILE_START: Span = { line: 1, column: 1, endLine: 1, endColumn: 1 };

type Yaml = typeof import('yaml');

interface ParsedFile {
  docs: Document.Parsed[];
  lineCounter: LineCounterT;
  text: string;
}

/**
 * Empty the way the loader sees it, so document indexes agree: no content, a null scalar
 * (anchored or not), or a zero-width tagged node (`--- !!str`), which js-yaml reads as null.
 */
function isEmptyDoc(yaml: Yaml, doc: Document.Parsed): boolean {
  const c = doc.contents;
  return c === null || (yaml.isScalar(c) && (c.value === null || (c.range[0] === c.range[1] && c.tag !== undefined)));
}

/** Texts that are not files (standard input), by the name findings give them. */
const TEXTS = new Map<string, string>();

/**
 * Makes `locatePlaces` find places in `name` from `text` instead of reading a file (standard
 * input, read once by the CLI).
 */
export function registerText(name: string, text: string): void {
  TEXTS.set(name, text);
}

/** Forgets every registered text (a new run starts: its standard input is read anew). */
export function forgetTexts(): void {
  TEXTS.clear();
}

/** The text of `file` (a registered text first), without a byte order mark; undefined when unreadable. */
function textOf(file: string): string | undefined {
  let text: string | undefined = TEXTS.get(file);
  if (text === undefined) {
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      return undefined;
    }
  }
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/**
 * True when `text` nests collections more than `MAX_NESTING` levels deep (`nestingCrossing`, on an
 * explicit stack): such a file is not parsed for positions at all, since whether the recursive
 * parser runs out of call stack depends on the thread and the run.
 */
async function tooDeep(text: string): Promise<boolean> {
  return mayNestTooDeep(text) && (await nestingCrossing(text)) !== undefined;
}

function parse(yaml: Yaml, text: string): ParsedFile | undefined {
  const lineCounter = new yaml.LineCounter();
  let docs: Document.Parsed[];
  try {
    const all = withoutStacks(() => yaml.parseAllDocuments(text, { lineCounter, version: '1.1', uniqueKeys: false, prettyErrors: false }));
    const list = Array.isArray(all) ? all : [all];
    // Out of call stack (reported, not thrown) at a depth that varies from run to run: no positions
    // rather than positions that depend on it. The load stage keeps such documents out (`limits.ts`).
    if (list.some((d) => d.errors.some((e) => e.code === 'RESOURCE_EXHAUSTION'))) return undefined;
    docs = list.filter((d) => !isEmptyDoc(yaml, d));
  } catch {
    // Nesting deeper than the parser's stack (a hostile file a finding points into, e.g. a broken
    // kustomization): the finding goes to the start of the file.
    return undefined;
  }
  return { docs, lineCounter, text };
}

/** A key as the loader names it; YAML 1.1 merge keys (`<<`, a symbol in `yaml`) come back as '<<'. */
function keyText(yaml: Yaml, key: unknown): string | undefined {
  if (!yaml.isScalar(key)) return undefined;
  return typeof key.value === 'symbol' ? key.source : String(key.value);
}

/** Finds the pair for `segment` in a mapping, following `<<` merge keys. */
function findPair(yaml: Yaml, doc: Document.Parsed, map: unknown, segment: string, depth = 0): Pair | undefined {
  if (!yaml.isMap(map) || depth > 8) return undefined;
  let merge: unknown;
  for (const pair of map.items) {
    const k = keyText(yaml, pair.key);
    if (k === segment) return pair;
    if (k === '<<') merge = pair.value;
  }
  if (merge === undefined) return undefined;
  const sources = yaml.isSeq(merge) ? merge.items : [merge];
  for (const src of sources) {
    const target = yaml.isAlias(src) ? src.resolve(doc) : src;
    const found = findPair(yaml, doc, target, segment, depth + 1);
    if (found) return found;
  }
  return undefined;
}

function rangeOf(node: unknown): [number, number] | undefined {
  const r = (node as YamlNode | null)?.range;
  return r ? [r[0], r[1]] : undefined;
}

/** Walks `path` as far as the document allows and returns the source range to report. */
function resolveRange(yaml: Yaml, parsed: ParsedFile, place: Place): [number, number] | undefined {
  const doc = parsed.docs[place.doc];
  if (!doc) return undefined;
  let node: unknown = doc.contents;
  let holder: Pair | undefined;
  for (const segment of place.path) {
    if (yaml.isAlias(node)) node = node.resolve(doc);
    if (yaml.isMap(node)) {
      const pair = findPair(yaml, doc, node, String(segment));
      if (!pair) return rangeOf(holder?.key) ?? rangeOf(node);
      holder = pair;
      node = pair.value;
    } else if (yaml.isSeq(node) && typeof segment === 'number' && segment < node.items.length) {
      holder = undefined;
      node = node.items[segment];
    } else {
      return rangeOf(holder?.key) ?? rangeOf(node);
    }
  }
  if (place.key && holder) return rangeOf(holder.key);
  const isBlockCollection = (yaml.isMap(node) || yaml.isSeq(node)) && !node.flow;
  const value = rangeOf(node);
  // An empty value (`status:`) has a zero-width range after the colon: report its key.
  if (!value || value[0] === value[1] || isBlockCollection) {
    const key = rangeOf(holder?.key);
    if (key) return key;
    if (!value) return undefined;
    let lineEnd = parsed.text.indexOf('\n', value[0]);
    if (lineEnd > 0 && parsed.text[lineEnd - 1] === '\r') lineEnd--;
    return [value[0], lineEnd < 0 ? value[1] : Math.min(value[1], lineEnd)];
  }
  return value;
}

function toSpan(lineCounter: LineCounterT, [start, end]: [number, number]): Span {
  const s = lineCounter.linePos(start);
  const e = lineCounter.linePos(Math.max(end, start));
  return { line: s.line, column: s.col, endLine: e.line, endColumn: e.col };
}

/**
 * Resolves every place to a span. Missing fields resolve to the deepest existing key on their
 * path; places in directories or unreadable files resolve to `FILE_START`.
 * @returns a map keyed by the very `Place` objects passed in
 */
export async function locatePlaces(places: Iterable<Place>): Promise<Map<Place, Span>> {
  const result = new Map<Place, Span>();
  const byFile = new Map<string, Place[]>();
  for (const p of places) {
    if (p.doc < 0) result.set(p, FILE_START);
    else {
      const list = byFile.get(p.file);
      if (list) list.push(p);
      else byFile.set(p.file, [p]);
    }
  }
  if (byFile.size === 0) return result;
  const yaml = await loadYamlPackage();
  for (const [file, list] of byFile) {
    const text = textOf(file);
    const parsed = text === undefined || (await tooDeep(text)) ? undefined : parse(yaml, text);
    for (const place of list) {
      const range = parsed && resolveRange(yaml, parsed, place);
      result.set(place, parsed && range ? toSpan(parsed.lineCounter, range) : FILE_START);
    }
  }
  return result;
}
