/**
 * `compact` (alias `unix`): one line per finding, `path:line:col: severity message [rule-id]`, for
 * editors' and CI's error parsers (Vim's `errorformat` `%f:%l:%c: %m`, Emacs `compilation-mode`,
 * VS Code problem matchers), then a blank line and `N problems` when there are any.
 *
 * ESLint's `unix` formatter (`lib/cli-engine/formatters/unix.js` until ESLint 9 moved it to the
 * `eslint-formatter-unix` package) writes
 * `filePath:line:column: message [Error/rule-id]` and its `compact` formatter `filePath: line L, col C,
 * Error - message (rule-id)`, both followed by `\n\nN problem(s)`; mclint keeps ESLint's summary and
 * the unix layout, with the severity (`error`, `warning`, or `note` for info-level notes, which are not
 * counted) before the message as compilers print it. Paths are relative to `cwd` (the working
 * directory), which is where editors resolve them. Text from the repository is printed inert
 * (`inert.ts`): one finding stays one line. Suppressed findings are not listed.
 */
import { compareFindings } from '../engine/run.js';
import type { Finding, Note } from '../engine/types.js';
import { plural } from './common.js';
import { repoPath } from './fingerprint.js';
import { inert, inertLines } from './inert.js';
import type { ReportInput } from './types.js';

/** One finding as a compact line (without the line break). */
export function compactLine(cwd: string, f: Finding | Note): string {
  const severity = !('severity' in f) ? 'note' : f.severity === 2 ? 'error' : 'warning';
  return `${inert(repoPath(cwd, f.file))}:${f.line}:${f.column}: ${severity} ${inert(f.message)} [${inert(f.ruleId)}]`;
}

/** Formats findings one per line (notes too), sorted by file and position, then `N problems`. */
export function formatCompact(input: ReportInput): string {
  const cwd = input.cwd ?? process.cwd();
  const all: (Finding | Note)[] = [...input.findings, ...(input.notes ?? [])];
  all.sort(compareFindings);
  let out = all.map((f) => `${compactLine(cwd, f)}\n`).join('');
  if (input.findings.length > 0) out += `\n${plural(input.findings.length, 'problem')}\n`;
  return inertLines(out);
}
