/**
 * Suppression comments in YAML files, ESLint's disable directives with `#` comments:
 *
 * - `# mclint-disable-next-line <rule>[, <rule>] -- <reason>`: findings on the next line
 * - `# mclint-disable-line <rule>…` (usually at the end of a line): findings on that line
 * - `# mclint-disable <rule>…` … `# mclint-enable <rule>…`: findings between the two comments
 *   (to the end of the file without an enable)
 * - `# mclint-disable-file <rule>…`: every finding in the file
 *
 * No rule list means every rule. Rule ids are separated by commas (or spaces); the reason follows
 * ` -- ` (two or more dashes between spaces). Comments are found with the `yaml` package's lexer,
 * so a `#` inside a quoted or block scalar is never taken for a comment.
 */
import { loadYamlPackage } from '../load/yaml-package.js';
import type { Span } from '../base/types.js';

/** The kinds of directive, named as written after `mclint-`. */
export type DirectiveType = 'disable' | 'enable' | 'disable-line' | 'disable-next-line' | 'disable-file';

/** What a directive comment says. `rules` empty: every rule. `reason` '' when none is given. */
export interface DirectiveContent {
  readonly type: DirectiveType;
  readonly rules: readonly string[];
  readonly reason: string;
}

/** A directive comment found in a file, with the comment's span (1-based, end column exclusive). */
export interface Directive extends DirectiveContent, Span {}

const DIRECTIVE = /^mclint-(disable-next-line|disable-line|disable-file|disable|enable)(?=\s|$)([\s\S]*)$/;
const REASON = /\s-{2,}(?:\s|$)/;

/**
 * Parses the text of one comment (with or without its leading `#`).
 * @returns the directive, or undefined when the comment is not a directive (directives start
 *   the comment: `# see mclint-disable` is prose)
 */
export function parseDirectiveComment(comment: string): DirectiveContent | undefined {
  const m = DIRECTIVE.exec(comment.trim().replace(/^#/, '').trim());
  if (!m) return undefined;
  const rest = m[2];
  const sep = REASON.exec(rest);
  const list = sep ? rest.slice(0, sep.index) : rest;
  const reason = sep ? rest.slice(sep.index + sep[0].length).trim() : '';
  return {
    type: m[1] as DirectiveType,
    rules: list.split(/[\s,]+/).filter((r) => r !== ''),
    reason,
  };
}

/** Lexer marks that are not source text (document, scalar and flow-end markers). */
const MARKERS = new Set(['\x02', '\x1f', '\x18']);

/**
 * Finds every directive comment in a YAML/JSON text, in file order. Works on text that does not
 * parse too (the lexer is error-tolerant). Columns count UTF-16 code units, as `locate` does.
 */
export async function findDirectives(text: string): Promise<Directive[]> {
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const { Lexer } = await loadYamlPackage();
  const found: Directive[] = [];
  let line = 1;
  let column = 1;
  let afterScalarMark = false;
  for (const token of new Lexer().lex(text)) {
    if (MARKERS.has(token)) {
      afterScalarMark = token === '\x1f';
      continue;
    }
    // A token right after the scalar mark is scalar content (block scalars may hold `#`).
    if (!afterScalarMark && token.charCodeAt(0) === 0x23 /* # */) {
      const content = parseDirectiveComment(token);
      if (content) found.push({ ...content, line, column, endLine: line, endColumn: column + token.length });
    }
    afterScalarMark = false;
    const lastNewline = token.lastIndexOf('\n');
    if (lastNewline < 0) column += token.length;
    else {
      for (let i = token.indexOf('\n'); i >= 0; i = token.indexOf('\n', i + 1)) line++;
      column = token.length - lastNewline;
    }
  }
  return found;
}
