/**
 * Exact positions and readable messages for YAML syntax errors.
 *
 * js-yaml stops at the first error and marks a single character; when it rejects a file, the file
 * is parsed again with the `yaml` package, which reports every error with a source range. Only
 * then is `yaml` loaded, so clean runs never pay for it.
 */
import type { LoadProblem } from './types.js';
import type { Span } from '../base/types.js';
import { loadYamlPackage, withoutStacks } from './yaml-package.js';
import { mayNestTooDeep, NESTING_MESSAGE, nestingProblem } from './limits.js';

/**
 * A mapping key at the start of the text: quoted (JSON allows `"a":1`) or plain (YAML needs a
 * space or line end after the colon). Widens a duplicate-key mark to the whole key.
 */
const KEY_AT = /^(?:"(?:[^"\\\n]|\\.)*"(?=[ \t]*:)|'(?:[^'\n]|'')*'(?=[ \t]*:)|[^\s:#,[\]{}?][^:\n]*?(?=[ \t]*:(?:[ \t\r\n]|$)))/;

interface MarkLike {
  line: number;
  column: number;
}

/** js-yaml's depth limit (`MAX_DEPTH` in read.ts) and V8's own stack limit. */
const TOO_DEEP = /maxDepth|call stack/i;

function fallbackProblem(file: string, err: unknown): LoadProblem {
  const e = err as { reason?: string; message?: string; mark?: MarkLike };
  const line = (e.mark?.line ?? 0) + 1;
  const column = (e.mark?.column ?? 0) + 1;
  const raw = e.reason ?? e.message ?? String(err);
  const reason = TOO_DEEP.test(raw) ? NESTING_MESSAGE : raw;
  return {
    rule: 'parse-error',
    message: `YAML syntax error: ${reason}`,
    file,
    span: { line, column, endLine: line, endColumn: column + 1 },
  };
}

/** A `DUPLICATE_KEY` error as the `yaml` package's `uniqueKeys: true` reports it: at the key's start. */
interface KeyError {
  code: string;
  message: string;
  pos: [number, number];
}

/**
 * Every key of `docs` equal to an earlier key of its mapping, with the `yaml` package's
 * `uniqueKeys: true` equality (scalars with the same value; `yaml` `compose/util-map-includes.js`),
 * in time linear in the number of nodes: one set of key values per mapping, and an explicit stack
 * instead of recursion (nesting depth is bounded by `limits.ts`, but never by the call stack here).
 */
function duplicateKeys(yaml: typeof import('yaml'), docs: readonly { contents: unknown }[]): KeyError[] {
  const found: KeyError[] = [];
  const stack: unknown[] = docs.map((d) => d.contents);
  while (stack.length > 0) {
    const node = stack.pop();
    if (yaml.isMap(node)) {
      const seen = new Set<unknown>();
      for (const pair of node.items) {
        const key = pair.key;
        if (yaml.isScalar(key) && !Number.isNaN(key.value)) {
          if (seen.has(key.value) && key.range) found.push({ code: 'DUPLICATE_KEY', message: 'Map keys must be unique', pos: [key.range[0], key.range[0] + 1] });
          seen.add(key.value);
        }
        stack.push(pair.key, pair.value);
      }
    } else if (yaml.isSeq(node)) {
      for (const item of node.items) stack.push(item);
    }
  }
  return found;
}

/**
 * Describes why `text` failed to parse: every duplicate key plus the first other syntax error,
 * each with a 1-based span. Falls back to js-yaml's own error (`err`) when `yaml` accepts the text.
 */
export async function syntaxProblems(file: string, text: string, err: unknown): Promise<LoadProblem[]> {
  // A text nested deeper than the limit is reported where it crosses it, before the recursive
  // parser below sees it: how deep that parser gets depends on the call stack left (the thread,
  // how much code the JIT has optimised), so what it finds first would vary from run to run.
  const deep = TOO_DEEP.test((err as { message?: string }).message ?? '') || mayNestTooDeep(text) ? await nestingProblem(file, text) : undefined;
  if (deep) return [deep];
  if (TOO_DEEP.test((err as { message?: string }).message ?? '')) return [fallbackProblem(file, err)];
  const yaml = await loadYamlPackage();
  const { parseAllDocuments, LineCounter } = yaml;
  const lineCounter = new LineCounter();
  let errors: { code: string; message: string; pos: [number, number] }[];
  try {
    // Not `uniqueKeys: true`: the parser compares each key with every earlier key of its mapping
    // (quadratic: 15 s for 40,000 keys); `duplicateKeys` finds the same ones with one set per mapping.
    const docs = withoutStacks(() => parseAllDocuments(text, { lineCounter, prettyErrors: false, version: '1.1', uniqueKeys: false }));
    const list = Array.isArray(docs) ? docs : [docs];
    errors = [...list.flatMap((d) => d.errors), ...duplicateKeys(yaml, list)];
  } catch {
    return [fallbackProblem(file, err)];
  }
  // The parser composes recursively and reports running out of stack at a depth that varies
  // from run to run: such a text is reported where it crosses the nesting limit instead.
  if (errors.some((e) => e.code === 'RESOURCE_EXHAUSTION')) return [(await nestingProblem(file, text)) ?? fallbackProblem(file, err)];
  const duplicates = errors.filter((e) => e.code === 'DUPLICATE_KEY');
  const firstOther = errors.find((e) => e.code !== 'DUPLICATE_KEY');
  const chosen = [...duplicates, ...(firstOther ? [firstOther] : [])].sort((a, b) => a.pos[0] - b.pos[0]);
  if (chosen.length === 0) return [fallbackProblem(file, err)];

  const spanOf = (start: number, end: number): Span => {
    const s = lineCounter.linePos(start);
    const e = lineCounter.linePos(Math.max(end, start + 1));
    return { line: s.line, column: s.col, endLine: e.line, endColumn: e.col };
  };
  return chosen.map((e) => {
    if (e.code === 'DUPLICATE_KEY') {
      const key = KEY_AT.exec(text.slice(e.pos[0], e.pos[0] + 512))?.[0];
      const what = key ? `Duplicate key ${JSON.stringify(key.replace(/^["']|["']$/g, ''))}` : 'Duplicate key';
      return {
        rule: 'parse-error',
        message: `${what}: kubectl apply rejects duplicate fields and tools disagree on which value wins; keep one`,
        file,
        span: spanOf(e.pos[0], e.pos[0] + (key?.length ?? 1)),
      };
    }
    return {
      rule: 'parse-error',
      message: `YAML syntax error: ${e.message}`,
      file,
      span: spanOf(e.pos[0], e.pos[1]),
    };
  });
}
