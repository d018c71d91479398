/**
 * Exact positions and readable messages for YAML syntax errors.
 *
 * js-yaml stops at the first error and marks a single character; when it rejects a file, the file
 * is parsed again with the `yaml` package, which reports every error with a source range. Only
 * then is `yaml` loaded, so clean runs never pay for it.
 */
import type { LoadProblem } from './types.js';
import type { Span } from '../base/types.js';
import { loadYamlPackage } from './yaml-package.js';

/**
 * A mapping key at the start of the text: quoted (JSON allows `"a":1`) or plain (YAML needs a
 * space or line end after the colon). Widens a duplicate-key mark to the whole key.
 */
const KEY_AT = /^(?:"(?:[^"\\\n]|\\.)*"(?=[ \t]*:)|'(?:[^'\n]|'')*'(?=[ \t]*:)|[^\s:#,[\]{}?][^:\n]*?(?=[ \t]*:(?:[ \t\r\n]|$)))/;

interface MarkLike {
  line: number;
  column: number;
}

/** js-yaml's depth limit (see `MAX_DEPTH` in index.ts) and V8's own stack limit. */
const TOO_DEEP = /maxDepth|call stack/i;

function fallbackProblem(file: string, err: unknown): LoadProblem {
  const e = err as { reason?: string; message?: string; mark?: MarkLike };
  const line = (e.mark?.line ?? 0) + 1;
  const column = (e.mark?.column ?? 0) + 1;
  const raw = e.reason ?? e.message ?? String(err);
  const reason = TOO_DEEP.test(raw) ? 'collections nested too deeply to be a Kubernetes manifest (the limit is 1000 levels)' : raw;
  return {
    rule: 'parse-error',
    message: `YAML syntax error: ${reason}`,
    file,
    span: { line, column, endLine: line, endColumn: column + 1 },
  };
}

/**
 * Describes why `text` failed to parse: every duplicate key plus the first other syntax error,
 * each with a 1-based span. Falls back to js-yaml's own error (`err`) when `yaml` accepts the text.
 */
export async function syntaxProblems(file: string, text: string, err: unknown): Promise<LoadProblem[]> {
  if (TOO_DEEP.test((err as { message?: string }).message ?? '')) return [fallbackProblem(file, err)];
  const { parseAllDocuments, LineCounter } = await loadYamlPackage();
  const lineCounter = new LineCounter();
  let errors: { code: string; message: string; pos: [number, number] }[];
  try {
    const docs = parseAllDocuments(text, { lineCounter, prettyErrors: false, version: '1.1', uniqueKeys: true });
    errors = (Array.isArray(docs) ? docs : [docs]).flatMap((d) => d.errors);
  } catch {
    return [fallbackProblem(file, err)];
  }
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
