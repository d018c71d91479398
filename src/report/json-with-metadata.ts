/**
 * `json-with-metadata`: ESLint's formatter of that name — `{ "results": [...], "metadata": {...} }`,
 * where `results` is exactly the `json` format's array and `metadata` is what ESLint passes a
 * formatter as its second argument (ESLint's `LintResultData`): `cwd`, `rulesMeta` and, when
 * `--max-warnings` was exceeded, `maxWarningsExceeded: { foundWarnings, maxWarnings }`.
 *
 * `rulesMeta` maps each rule that appears in the results (a finding, a note or a suppressed finding),
 * like ESLint's `ESLint#getRulesMetaForResults`, to ESLint's rule `meta` shape: `type` (`problem`:
 * every mclint rule finds what will break), `docs: { description, url }` (the rule's documentation
 * page on the web, the SARIF `helpUri`), plus mclint's `defaultSeverity`, the option schema as
 * `schema` (ESLint's name) when the rule has options, and `messages` (message id → text template)
 * when it words its findings from message ids.
 */
import type { RuleMeta } from '../engine/types.js';
import { formatJson } from './json.js';
import { inertJson } from './inert.js';
import { helpUri } from './sarif.js';
import type { ReportInput } from './types.js';

/** One entry of `metadata.rulesMeta`. */
export interface RulesMetaEntry {
  type: 'problem';
  docs: { description: string; url: string };
  defaultSeverity: RuleMeta['severity'];
  schema?: Record<string, unknown>;
  messages?: Record<string, string>;
}

/** ESLint's rule `meta` shape for one mclint rule. */
export function rulesMetaEntry(meta: RuleMeta): RulesMetaEntry {
  return {
    type: 'problem',
    docs: { description: meta.description, url: helpUri(meta) ?? meta.docs },
    defaultSeverity: meta.severity,
    ...(meta.options ? { schema: meta.options } : {}),
    ...(meta.messages ? { messages: Object.fromEntries(Object.entries(meta.messages).map(([id, m]) => [id, m.text])) } : {}),
  };
}

/** Formats the `json` results with ESLint's metadata (newline-terminated JSON). */
export function formatJsonWithMetadata(input: ReportInput): string {
  const results = JSON.parse(formatJson(input)) as unknown[];
  const used = new Set([...input.findings, ...(input.notes ?? []), ...(input.suppressed ?? [])].map((f) => f.ruleId));
  const byId = new Map((input.rules ?? []).map((m) => [m.id, m]));
  const rulesMeta: Record<string, RulesMetaEntry> = {};
  for (const id of [...used].sort()) {
    // A rule the input does not describe (a finding of a rule that did not run here) gets its page by convention.
    rulesMeta[id] = rulesMetaEntry(byId.get(id) ?? { id, description: id, severity: 'error', docs: `docs/rules/${id}.md` });
  }
  const warnings = input.findings.filter((f) => f.severity === 1).length;
  const metadata = {
    cwd: input.cwd ?? process.cwd(),
    rulesMeta,
    ...(input.tooManyWarnings !== undefined ? { maxWarningsExceeded: { foundWarnings: warnings, maxWarnings: input.tooManyWarnings } } : {}),
  };
  // inertJson: DEL, C1 and bidirectional controls from the repository written as \u escapes (same values).
  return `${inertJson(JSON.stringify({ results, metadata }))}\n`;
}
