/**
 * Report stage: the formatters by name. Each turns a run's findings into text (`sarif` returns a
 * promise: always `await` a formatter's result).
 */
import { formatCompact } from './compact.js';
import { formatGithub } from './github.js';
import { formatGitlab } from './gitlab.js';
import { formatHtml } from './html/index.js';
import { formatJson } from './json.js';
import { formatJsonWithMetadata } from './json-with-metadata.js';
import { formatJunit } from './junit.js';
import { formatSarif } from './sarif.js';
import { formatStylish } from './stylish.js';
import type { LintResult } from '../lint.js';
import type { Formatter, ReportInput } from './types.js';

/** Formatters by `--format` name. */
export const FORMATTERS: Readonly<Record<string, Formatter>> = {
  stylish: formatStylish,
  json: formatJson,
  github: formatGithub,
  sarif: formatSarif,
  html: formatHtml,
  'json-with-metadata': formatJsonWithMetadata,
  junit: formatJunit,
  gitlab: formatGitlab,
  compact: formatCompact,
  // ESLint's `unix` layout is what `compact` writes (file:line:col: …); both names work.
  unix: formatCompact,
};

/**
 * The reporters' input for a lint result: every finding, the suppressed ones, the rules' metadata
 * and the internal errors. `colorLevel` defaults to 0 (no colors), `cwd` to `process.cwd()`.
 * Usage: `await FORMATTERS.sarif(reportInputOf(await lint(options)))`.
 */
export function reportInputOf(result: LintResult, options: Partial<Pick<ReportInput, 'colorLevel' | 'verbose' | 'cwd' | 'tooManyWarnings'>> = {}): ReportInput {
  return {
    findings: result.findings,
    notes: result.notes,
    suppressed: result.suppressed,
    files: result.files,
    stats: result.stats,
    rules: result.rules,
    internalErrors: result.internalErrors,
    colorLevel: options.colorLevel ?? 0,
    verbose: options.verbose ?? false,
    ...(options.cwd !== undefined ? { cwd: options.cwd } : {}),
    ...(options.tooManyWarnings !== undefined ? { tooManyWarnings: options.tooManyWarnings } : {}),
  };
}

export { formatSummary } from './summary.js';
export type { Formatter, ReportInput } from './types.js';
