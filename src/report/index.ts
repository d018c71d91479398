/**
 * Report stage: the formatters by name. Each turns a run's findings into text.
 */
import { formatGithub } from './github.js';
import { formatJson } from './json.js';
import { formatSarif } from './sarif.js';
import { formatStylish } from './stylish.js';
import type { Formatter } from './types.js';

/** Formatters by `--format` name. */
export const FORMATTERS: Readonly<Record<string, Formatter>> = {
  stylish: formatStylish,
  json: formatJson,
  github: formatGithub,
  sarif: formatSarif,
};

export { formatSummary } from './summary.js';
export type { Formatter, ReportInput } from './types.js';
