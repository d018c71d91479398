/**
 * Load stage: one file in, Kubernetes objects and classified documents out.
 *
 * Parsing uses js-yaml (plain objects, no AST: ~1 KB per document instead of ~8 KB) with the
 * API server's YAML 1.1 scalar rules; positions are recovered later, only for fields a finding
 * points at (see `locate.ts`). Nothing here throws for bad input: every defect becomes a
 * `LoadProblem` or a counted skip.
 */
import { ALIAS, DIRECTIVE_MARK, parseDocuments, readManifest, withoutBom, type TextSummary } from './read.js';
import { classifyDocument, isUnrenderedTemplate, unreadKindsOf, type ClassifySink } from './classify.js';
import { syntaxProblems } from './syntax.js';
import { MAX_COLLECTION_ENTRIES, MAX_EXPANDED_NODES, MAX_NESTING, MIN_CHARS_FOR_LONG_COLLECTION, mayNestTooDeep, nestingProblem, shapeProblem, treeTooDeep } from './limits.js';
import { prepareValidators } from '../schema/index.js';
import type { ParsedFile } from './parse-worker.js';
import type { LoadedFile, LoadOptions, LoadProblem, SkipReason } from './types.js';

export type * from './types.js';
export { MAX_FILE_CHARS } from './read.js';
/** Shared by files with nothing in a list, so 20,000 clean files do not hold 60,000 empty arrays. */
const EMPTY: never[] = Object.freeze([]) as never[];

const emptyFile = (path: string, extra: Partial<LoadedFile>): LoadedFile => ({
  path,
  documents: 0,
  objectCount: 0,
  objects: EMPTY,
  others: EMPTY,
  problems: EMPTY,
  ...extra,
});
const skipped = (path: string, reason: SkipReason) => emptyFile(path, { skipped: reason });
const failed = (path: string, problems: LoadProblem[]) => emptyFile(path, { problems });

/**
 * Parses YAML/JSON text into documents and classifies them.
 * @param path absolute file path (used for provenance only; the text is not re-read)
 * @param text file contents, BOM allowed
 * @param options which objects keep their bodies
 * @param parsed the documents of `text` as `parseDocuments` returns them, when another thread
 *   already parsed it (see `parallel.ts`); parsed here otherwise
 */
export async function loadText(path: string, text: string, options: LoadOptions = {}, parsed?: unknown[]): Promise<LoadedFile> {
  text = withoutBom(text);
  let docs: unknown[];
  try {
    docs = parsed ?? parseDocuments(path, text);
  } catch (err) {
    if (isUnrenderedTemplate(path, text, undefined)) return skipped(path, 'template');
    return failed(path, await syntaxProblems(path, text, err));
  }
  if (isUnrenderedTemplate(path, text, docs)) return skipped(path, 'template');
  const istio = text.includes('networking.istio.io');
  const mayAlias = text.includes('&') && ALIAS.test(text);
  const mayBeLong = text.length >= MIN_CHARS_FOR_LONG_COLLECTION;
  const mayBeDeep = !mayAlias && !mayBeLong && mayNestTooDeep(text);
  const limits = mayAlias || mayBeLong || mayBeDeep ? { text, mayAlias, mayBeLong, mayBeDeep } : undefined;
  return classifyAll(path, docs, { istio, directives: text.includes(DIRECTIVE_MARK) }, limits, options);
}

/** Which limits a file's documents must be measured against, and the text to locate a crossing in. */
interface LimitChecks {
  readonly text: string;
  readonly mayAlias: boolean;
  readonly mayBeLong: boolean;
  readonly mayBeDeep: boolean;
}

/**
 * Classifies the parsed documents of one file (`loadText`, or `loadPrepared` for a file a parse
 * worker summarized): validators loaded as `summary` says, each document measured against the
 * limits `limits` names (none when undefined).
 */
async function classifyAll(path: string, docs: readonly unknown[], summary: TextSummary, limits: LimitChecks | undefined, options: LoadOptions): Promise<LoadedFile> {
  const loading = prepareValidators(summary.istio ? 'networking.istio.io' : '');
  if (loading) await loading;
  const sink: ClassifySink = { objectCount: 0, objects: [], others: [], problems: [] };
  let doc = 0;
  for (const value of docs) {
    if (value === null || value === undefined) continue;
    if (limits && (limits.mayAlias || limits.mayBeLong || (limits.mayBeDeep && treeTooDeep(value)))) {
      const problem = await limitProblem(path, limits.text, doc, value, limits.mayAlias || limits.mayBeLong, limits.mayBeLong);
      if (problem) return failed(path, [problem]);
    }
    classifyDocument(options.transform ? options.transform(value) : value, path, doc, sink, options);
    doc++;
  }
  // Exact-size lists: every file's result lives as long as the run.
  const none = <T>(list: T[]): T[] => (list.length === 0 ? EMPTY : list.slice());
  const unreadKinds = unreadKindsOf(sink);
  return {
    path,
    documents: doc,
    objectCount: sink.objectCount,
    objects: none(sink.objects),
    others: none(sink.others),
    problems: none(sink.problems),
    ...(summary.directives ? { mayHaveDirectives: true as const } : {}),
    ...(unreadKinds !== undefined ? { unreadKinds } : {}),
  };
}

/**
 * The first limit of `limits.ts` one document crosses, as a `parse-error` problem where it is
 * crossed: for nesting, the token of the text where it gets too deep (`nestingProblem`), else the
 * node (the document for excessive aliasing); undefined when none is crossed.
 * @param text the file's text (BOM removed)
 * @param shared whether the document may share nodes (aliases) or be long: measured with
 *   `shapeProblem`; otherwise the caller found it too deep (`treeTooDeep`)
 * @param entries whether the text is long enough to hold a collection over `MAX_COLLECTION_ENTRIES`
 */
async function limitProblem(path: string, text: string, doc: number, value: unknown, shared: boolean, entries: boolean): Promise<LoadProblem | undefined> {
  const problem = shared ? shapeProblem(value, entries) : { kind: 'nested' as const, path: [] };
  if (!problem) return undefined;
  if (problem.kind === 'nested') {
    // Written that deep: where the text crosses the limit, as for a document js-yaml rejects.
    const written = await nestingProblem(path, text);
    if (written) return written;
  }
  const message = {
    recursive: 'YAML alias refers to its own anchor (recursive structure): kubectl rejects the document',
    expanded: `document contains excessive aliasing (more than ${MAX_EXPANDED_NODES} nodes once aliases are expanded): kubectl rejects it as a possible "billion laughs" attack`,
    nested: `collections nested too deeply once aliases are expanded (the limit is ${MAX_NESTING} levels): mclint reads no document nested this deeply`,
    entries: `a list or mapping with more than ${MAX_COLLECTION_ENTRIES} entries (the limit mclint reads): this is entry ${MAX_COLLECTION_ENTRIES + 1}`,
  }[problem.kind];
  const key = problem.kind === 'entries' && problem.key ? { key: true as const } : {};
  return { rule: 'parse-error', message, file: path, place: { file: path, doc, path: problem.path, ...key } };
}

/**
 * Reads and loads one file. Never throws: unreadable, binary and oversized files come back as
 * skipped, syntax errors as `parse-error` problems.
 */
export async function loadFile(path: string, options: LoadOptions = {}): Promise<LoadedFile> {
  const read = readManifest(path);
  return read.skipped ? skipped(path, read.skipped) : loadText(path, read.text, options);
}

/**
 * Loads one file that was read (and usually parsed) ahead of its turn, by a parse worker or by
 * the calling thread (`parseFile`): the same result as `loadFile(path)` on the same contents.
 * @param prepared `parseFile`'s result for `path`
 */
export async function loadPrepared(path: string, prepared: ParsedFile, options: LoadOptions = {}): Promise<LoadedFile> {
  if (prepared.skipped) return skipped(path, prepared.skipped);
  const documents = prepared.documents ?? (prepared.json === undefined ? undefined : (JSON.parse(prepared.json) as unknown[]));
  // Summarized: parsed, no template, alias or limit to look for (`summarize`).
  if (prepared.summary && documents) return classifyAll(path, documents, prepared.summary, undefined, options);
  return loadText(path, prepared.text!, options, documents);
}
