/**
 * `gitlab`: a GitLab Code Quality report (`artifacts:reports:codequality` in `.gitlab-ci.yml`), which
 * GitLab shows in the merge request widget, the changes view and the pipeline's Code Quality tab.
 *
 * GitLab's "Implement a custom tool" (docs `ci/testing/code_quality.md`) asks for a JSON array of
 * objects with `description`, `check_name`, `fingerprint`, `severity` (`info`, `minor`, `major`,
 * `critical` or `blocker`), `location.path` (relative to the repository root) and
 * `location.lines.begin`; GitLab ignores the other fields of the Code Climate spec it is a subset of
 * (`codeclimate/platform` `spec/analyzers/SPEC.md`) and rejects a byte order mark. mclint also writes
 * the fields Code Climate requires (`type: "issue"`, `categories`), `location.lines.end`, and the
 * other side of a cross-cluster finding as Code Climate `other_locations`.
 *
 * - `severity`: fatal parse errors `blocker`, errors `major`, warnings `minor`, info-level notes
 *   `info` (the mapping of ESLint's community GitLab formatters: errors above warnings in the widget).
 * - `fingerprint`: {@link fingerprints}, stable when lines are inserted above a finding, so the widget
 *   does not report a moved finding as fixed and new.
 * - Paths are relative to `cwd` (the repository root: run mclint from it, as GitLab's job does).
 * - Suppressed findings are left out: they are not problems.
 */
import type { Finding, Note } from '../engine/types.js';
import { fingerprints, repoPath } from './fingerprint.js';
import { inertJson } from './inert.js';
import type { ReportInput } from './types.js';

/** GitLab's Code Quality severities, lowest first. */
export type CodeQualitySeverity = 'info' | 'minor' | 'major' | 'critical' | 'blocker';

/** One Code Quality issue as written. */
export interface CodeQualityIssue {
  type: 'issue';
  check_name: string;
  description: string;
  categories: string[];
  fingerprint: string;
  severity: CodeQualitySeverity;
  location: { path: string; lines: { begin: number; end: number } };
  other_locations?: { path: string; lines: { begin: number; end: number } }[];
}

function severityOf(f: Finding | Note): CodeQualitySeverity {
  if (!('severity' in f)) return 'info';
  if (f.fatal) return 'blocker';
  return f.severity === 2 ? 'major' : 'minor';
}

/** Formats findings (and info-level notes) as a GitLab Code Quality report: a JSON array, newline-terminated. */
export function formatGitlab(input: ReportInput): string {
  const cwd = input.cwd ?? process.cwd();
  const all: (Finding | Note)[] = [...input.findings, ...(input.notes ?? [])];
  const prints = fingerprints(cwd, all);
  const issues = all.map((f, i): CodeQualityIssue => ({
    type: 'issue',
    check_name: f.ruleId,
    description: f.message,
    // Code Climate's category for code that will misbehave when it runs.
    categories: ['Bug Risk'],
    fingerprint: prints[i],
    severity: severityOf(f),
    location: { path: repoPath(cwd, f.file), lines: { begin: f.line, end: Math.max(f.line, f.endLine) } },
    ...(f.related.length > 0 ? { other_locations: f.related.map((r) => ({ path: repoPath(cwd, r.file), lines: { begin: r.line, end: Math.max(r.line, r.endLine) } })) } : {}),
  }));
  issues.sort((a, b) => (a.location.path < b.location.path ? -1 : a.location.path > b.location.path ? 1 : a.location.lines.begin - b.location.lines.begin));
  // inertJson: DEL, C1 and bidirectional controls from the repository written as \u escapes (same values).
  return `${inertJson(JSON.stringify(issues, null, 2))}\n`;
}
