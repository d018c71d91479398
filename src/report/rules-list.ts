/**
 * `--list-rules`: every rule with its default severity, one-line description and documentation page,
 * in three layouts chosen with `--format`:
 *
 * - `stylish` (the default): a table in aligned columns under a header (`rule  default  description  docs`).
 * - `json`: an array, one object per rule in registry order: `{ id, severity, description, docs }`,
 *   plus `options` (the JSON Schema of the rule's options) and `defaultOptions` when it has options.
 * - `markdown`: a GitHub-flavoured Markdown table (`| Rule | Default | Description |`), each id linked
 *   to its page, for a README or a wiki.
 *
 * `docs` is the page on the web (the SARIF `helpUri`, from package.json `repository`), else the page's
 * path in the package (`docs/rules/<id>.md`).
 */
import type { RuleMeta } from '../engine/types.js';
import { helpUri } from './sarif.js';

/** The `--format` values `--list-rules` accepts. */
export const RULE_LIST_FORMATS = ['stylish', 'json', 'markdown'] as const;
export type RuleListFormat = (typeof RULE_LIST_FORMATS)[number];

/** Where a rule's documentation lives: its page on the web, else its path in the package. */
export function ruleDocsLink(meta: RuleMeta): string {
  return helpUri(meta) ?? meta.docs;
}

function table(metas: readonly RuleMeta[]): string {
  const header = ['rule', 'default', 'description', 'docs'];
  const rows = metas.map((m) => [m.id, m.severity, m.description, ruleDocsLink(m)]);
  const widths = header.map((h, i) => rows.reduce((w, row) => Math.max(w, row[i].length), h.length));
  const line = (cells: string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]))).join('  ');
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n') + '\n';
}

/** A Markdown table cell: pipes escaped, line breaks flattened (GFM tables are one line per row). */
const cell = (text: string) =>
  text
    .replace(/\\/g, '\\\\')
    .replace(/\|/g, '\\|')
    .replace(/\s*\r?\n\s*/g, ' ');

function markdown(metas: readonly RuleMeta[]): string {
  const rows = metas.map((m) => `| [\`${m.id}\`](${ruleDocsLink(m)}) | ${m.severity} | ${cell(m.description)} |`);
  return ['| Rule | Default | Description |', '|---|---|---|', ...rows].join('\n') + '\n';
}

function json(metas: readonly RuleMeta[]): string {
  const list = metas.map((m) => ({
    id: m.id,
    severity: m.severity,
    description: m.description,
    docs: ruleDocsLink(m),
    ...(m.options ? { options: m.options } : {}),
    ...(m.defaultOptions ? { defaultOptions: m.defaultOptions } : {}),
  }));
  return `${JSON.stringify(list, null, 2)}\n`;
}

/** The rule list in one of {@link RULE_LIST_FORMATS}, rules in the order given (the registry's). */
export function formatRuleList(metas: readonly RuleMeta[], format: RuleListFormat = 'stylish'): string {
  return format === 'json' ? json(metas) : format === 'markdown' ? markdown(metas) : table(metas);
}
