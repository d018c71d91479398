/**
 * `github`: GitHub Actions workflow commands, one per finding, which the runner turns into
 * annotations on the pull request's diff:
 * `::error file=<path>,line=<l>,col=<c>,endLine=<l>,endColumn=<c>,title=<rule id>::<message>`
 * (`::warning` for warnings, `::notice` for info-level notes). Paths are relative to `cwd` (the workspace root in a workflow), with
 * `/` separators. Suppressed findings are not annotated.
 */
import { relative, sep } from 'node:path';
import type { Finding, Note } from '../engine/types.js';
import type { ReportInput } from './types.js';
import { inert } from './inert.js';

/**
 * Escapes a workflow command's message (the runner's `escapeData`): `%` → `%25`, CR → `%0D`,
 * LF → `%0A`.
 */
export function escapeData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/**
 * Escapes a workflow command property value (the runner's `escapeProperty`): as `escapeData`,
 * plus `:` → `%3A` and `,` → `%2C`, which delimit properties.
 */
export function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

/** `path` relative to `cwd` with `/` separators (absolute when on another drive). */
export function relativePath(cwd: string, path: string): string {
  const rel = relative(cwd, path);
  return (rel === '' ? '.' : rel).split(sep).join('/');
}

function command(f: Finding | Note, cwd: string): string {
  const props: [string, string | number][] = [
    // The exact path (so the annotation lands on the file) unless it holds control characters.
    ['file', inert(relativePath(cwd, f.file))],
    ['line', f.line],
    ['col', f.column],
    ['endLine', f.endLine],
    ['endColumn', f.endColumn],
    ['title', f.ruleId],
  ];
  // Text from the repository is inert (control characters and `##[` escaped visibly) except for line
  // breaks, which `escapeData` %-escapes like the runner's own toolkit: they break the annotation's
  // text, never the command.
  let message = inert(f.message, true);
  for (const r of f.related) {
    const who = r.cluster !== undefined ? `${inert(r.cluster)}: ` : '';
    message += `\n↳ ${who}${inert(relativePath(cwd, r.file))}:${r.line}:${r.column}${r.message !== undefined ? `  ${inert(r.message, true)}` : ''}`;
  }
  const level = !('severity' in f) ? 'notice' : f.severity === 2 ? 'error' : 'warning';
  return `::${level} ${props.map(([k, v]) => `${k}=${escapeProperty(String(v))}`).join(',')}::${escapeData(message)}`;
}

/**
 * Formats findings as GitHub workflow commands, one line each, in finding order; info-level
 * notes follow as `::notice` commands. Repository text (the `file` property, messages, related
 * places) is inert (`inert.ts`: control characters escaped visibly, so a path keeps its exact form
 * unless it holds one) and then %-escaped like the runner's toolkit does (`escapeProperty`,
 * `escapeData`), so nothing from the repository can end the command or start another.
 */
export function formatGithub({ findings, notes = [], cwd = process.cwd() }: ReportInput): string {
  return [...findings, ...notes].map((f) => `${command(f, cwd)}\n`).join('');
}
