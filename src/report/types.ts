import type { Finding, Note } from '../engine/types.js';
import type { RunStats } from '../lint.js';

/** What every reporter gets. Reporters format; they never compute findings. */
export interface ReportInput {
  /** Already filtered (`--quiet`) and sorted. */
  readonly findings: readonly Finding[];
  /** Info-level notes: shown, never counted as problems. */
  readonly notes?: readonly Note[];
  /** Every linted file, absolute and sorted. */
  readonly files: readonly string[];
  readonly stats: RunStats;
  /** chalk color level: 0 none, 1 basic, 2 256, 3 truecolor. */
  readonly colorLevel: 0 | 1 | 2 | 3;
  readonly verbose: boolean;
  /** `--max-warnings` when exceeded, for the "too many warnings" note. */
  readonly tooManyWarnings?: number;
}

/** Turns a run's findings into the text of one output format. */
export type Formatter = (input: ReportInput) => string;
