/**
 * The GitHub Action's job summary (`$GITHUB_STEP_SUMMARY`): GitHub-flavoured Markdown with the
 * totals, a table of findings by cluster and rule, the clusters of every ClusterSet with their
 * address ranges, and the findings themselves (folded, capped at `MAX_LISTED`).
 */
import type { Finding } from '../engine/types.js';
import type { LintResult } from '../lint.js';
import { plural } from '../report/common.js';
import { relativePath } from '../report/github.js';
import { formatSummary } from '../report/summary.js';
import { inert, inertLines } from '../report/inert.js';

/** How many findings the folded list shows; annotations and SARIF carry every one. */
export const MAX_LISTED = 200;

/**
 * Escapes text for a Markdown table cell: HTML-special characters become entities, Markdown
 * punctuation is backslash-escaped, `|` cannot end the cell, and line breaks become `<br>`; any
 * other control character (CR, ESC, C1, bidirectional overrides) is escaped visibly (`inert.ts`).
 */
export function escapeMarkdown(text: string): string {
  return text
    .split(/\r?\n/)
    .map((line) =>
      inert(line)
        .replace(/&/g, '&amp;')
        .replace(/</g, '&lt;')
        .replace(/>/g, '&gt;')
        .replace(/[\\`*_[\]|~#]/g, (c) => `\\${c}`),
    )
    .join('<br>');
}

/** Text inside a Markdown code span of a table cell: inert, without backticks, `|` escaped (GFM tables). */
function codeSpan(text: string): string {
  return `\`${inert(text).replace(/`/g, '').replace(/\|/g, '\\|')}\``;
}

/** A Markdown table; `align` per column: 'l' or 'r'. Cells are escaped by the caller. */
function table(header: readonly string[], rows: readonly (readonly string[])[], align: string): string {
  const sep = [...align].map((a) => (a === 'r' ? '---:' : '---'));
  return [header, sep, ...rows].map((r) => `| ${r.join(' | ')} |`).join('\n');
}

/** `3 errors, 1 warning`; `no problems` when clean. */
function totals(errors: number, warnings: number): string {
  if (errors + warnings === 0) return 'no problems';
  return `${plural(errors, 'error')}, ${plural(warnings, 'warning')}`;
}

/** What the summary needs besides the run's result. */
export interface JobSummaryInput {
  /** The findings as reported (after `--quiet`-like filtering, if any), sorted. */
  readonly result: LintResult;
  /** Paths in the summary are relative to this directory (the workspace). */
  readonly workspace: string;
  /** Whether the step fails, and why (shown under the title). */
  readonly failure?: string;
  /** Where the SARIF log was written (relative to the workspace), when it was. */
  readonly sarifFile?: string;
  /** A rule's documentation URL, for links; undefined: no link. */
  readonly ruleUrl?: (ruleId: string) => string | undefined;
}

/**
 * Builds the job summary in Markdown. Text from the repository (names, paths, values in messages,
 * address ranges) is escaped for Markdown and HTML and printed inert (`inert.ts`).
 * @returns the Markdown text, ending with a newline
 */
export function jobSummary({ result, workspace, failure, sarifFile, ruleUrl = () => undefined }: JobSummaryInput): string {
  const { findings } = result;
  const errors = findings.filter((f) => f.severity === 2).length;
  const warnings = findings.length - errors;
  const rule = (id: string) => {
    const url = ruleUrl(id);
    return url ? `[${escapeMarkdown(id)}](${url})` : escapeMarkdown(id);
  };
  const out: string[] = [];
  out.push(`## mclint: ${errors > 0 ? '❌' : warnings > 0 ? '⚠️' : '✅'} ${totals(errors, warnings)}`, '');
  if (failure) out.push(`**${escapeMarkdown(failure)}**`, '');
  // With `verbose`, the first line is the totals, then the clusters read, then one line per skipped
  // file and one per kind no rule reads.
  const [read, ...rest] = formatSummary(result.stats, true).split('\n');
  out.push(escapeMarkdown(read), '');
  const clusters = rest.filter((l) => l.startsWith('Clusters: '));
  if (clusters.length > 0) out.push(...clusters.map(escapeMarkdown), '');
  const listed = (prefix: string, one: string, many?: string) => {
    const lines = rest.filter((l) => l.startsWith(`  ${prefix} `)).map((l) => l.slice(prefix.length + 3));
    if (lines.length > 0) out.push(`<details><summary>${plural(lines.length, one, many)}</summary>`, '', ...lines.map((l) => `- ${escapeMarkdown(l)}`), '', '</details>', '');
  };
  listed('skipped', 'skipped file');
  listed('no rule reads', 'kind no rule reads', 'kinds no rule reads');
  for (const e of result.internalErrors) {
    out.push(`> **Internal error** in rule ${rule(e.ruleId)} (ClusterSet ${escapeMarkdown(e.set)}): ${escapeMarkdown(e.message)}`, '');
  }
  // The baseline's (kind `file`) are counted in the first line ("suppressed by mclint-suppressions.json").
  const inline = result.suppressed.filter((f) => !f.suppressions.some((s) => s.kind === 'file')).length;
  if (inline > 0) {
    out.push(`${plural(inline, 'finding')} suppressed (by comments, annotations or config overrides; the SARIF log keeps them with their justification).`, '');
  }
  if (sarifFile) out.push(`SARIF log: ${codeSpan(sarifFile)}`, '');

  if (findings.length > 0) {
    // By cluster, then rule; findings about a whole ClusterSet (no cluster) come last.
    const counts = new Map<string, { cluster: string | undefined; ruleId: string; errors: number; warnings: number }>();
    for (const f of findings) {
      const key = `${f.cluster === undefined ? '\u{10FFFF}' : f.cluster}\u0000${f.ruleId}`;
      const c = counts.get(key) ?? { cluster: f.cluster, ruleId: f.ruleId, errors: 0, warnings: 0 };
      if (f.severity === 2) c.errors++;
      else c.warnings++;
      counts.set(key, c);
    }
    const rows = [...counts.entries()]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([, c]) => [c.cluster === undefined ? '*(ClusterSet)*' : escapeMarkdown(c.cluster), rule(c.ruleId), String(c.errors), String(c.warnings)]);
    out.push('### Findings by cluster and rule', '', table(['cluster', 'rule', 'errors', 'warnings'], rows, 'llrr'), '');
  }

  const clusterRows = result.clusterSets.flatMap((set) =>
    set.clusters.map((c) => {
      const ranges = (list: readonly string[]) => (list.length > 0 ? list.map(codeSpan).join('<br>') : '—');
      const inCluster = findings.filter((f) => f.cluster === c.name);
      return [escapeMarkdown(set.name), escapeMarkdown(c.name), ranges(c.podCIDRs), ranges(c.serviceCIDRs), ranges(c.globalCIDRs), totals(inCluster.filter((f) => f.severity === 2).length, inCluster.filter((f) => f.severity === 1).length)];
    }),
  );
  if (clusterRows.length > 0) {
    out.push('### Clusters', '', table(['ClusterSet', 'cluster', 'pod CIDRs', 'service CIDRs', 'GlobalNet CIDRs', 'findings'], clusterRows, 'llllll'), '');
  }

  if (findings.length > 0) {
    const listed = findings.slice(0, MAX_LISTED);
    const where = (f: Finding) => codeSpan(`${relativePath(workspace, f.file)}:${f.line}:${f.column}`);
    const rows = listed.map((f) => [f.severity === 2 ? 'error' : 'warning', where(f), f.cluster === undefined ? '' : escapeMarkdown(f.cluster), rule(f.ruleId), escapeMarkdown(f.message)]);
    out.push(`<details><summary>${plural(findings.length, 'finding')}</summary>`, '', table(['severity', 'location', 'cluster', 'rule', 'message'], rows, 'lllll'), '');
    if (findings.length > listed.length) out.push(`… and ${findings.length - listed.length} more: see the annotations or the SARIF log.`, '');
    out.push('</details>', '');
  }
  // No line of the summary starts with `::` or holds `##[` (inert.ts), wherever it is shown.
  return inertLines(out.join('\n'));
}

/** A configuration or input error located in a config file, for `configErrorSummary`. */
export interface ConfigErrorSummaryInput {
  /** The error's whole message (may span lines: a schema error lists every violation). */
  readonly message: string;
  /** Where in config files the problems are (absolute paths, 1-based lines and columns); may be empty. */
  readonly places: readonly { readonly file: string; readonly line: number; readonly column: number; readonly message: string }[];
  /** Paths in the summary are relative to this directory (the workspace). */
  readonly workspace: string;
}

/**
 * The job summary of a run stopped by a configuration or input error (a bad `mclint.config.yaml`,
 * a missing config file, an invalid input): a failed title, what is wrong, a table of the places
 * in the config file with their problems, and that nothing was linted. Text is escaped as in
 * `jobSummary`.
 * @returns the Markdown text, ending with a newline
 */
export function configErrorSummary({ message, places, workspace }: ConfigErrorSummaryInput): string {
  const out: string[] = ['## mclint: ❌ configuration error', ''];
  const [first, ...rest] = message.split('\n');
  out.push(`**${escapeMarkdown(first)}**`, '');
  if (places.length > 0) {
    const rows = places.map((p) => [codeSpan(`${relativePath(workspace, p.file)}:${p.line}:${p.column}`), escapeMarkdown(p.message)]);
    out.push(table(['location', 'problem'], rows, 'll'), '');
  } else if (rest.length > 0) {
    out.push(...rest.map((l) => `- ${escapeMarkdown(l.trim())}`), '');
  }
  out.push('Nothing was linted: fix the configuration and run again.', '');
  return inertLines(out.join('\n'));
}
