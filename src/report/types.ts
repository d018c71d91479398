import type { Finding, InternalError, Note, RuleMeta, SuppressedFinding } from '../engine/types.js';
import type { RunStats } from '../lint.js';
import type { ReportData } from '../model/views/report-data.js';

/** What every reporter gets. Reporters format; they never compute findings. */
export interface ReportInput {
  /** Already filtered (`--quiet`) and sorted. */
  readonly findings: readonly Finding[];
  /** Info-level notes: shown, never counted as problems. */
  readonly notes?: readonly Note[];
  /**
   * Findings silenced by an inline directive, an annotation or a config override, kept with
   * their justification (JSON `suppressedMessages`, SARIF `suppressions`). Default: none.
   */
  readonly suppressed?: readonly SuppressedFinding[];
  /** Every linted file, absolute and sorted. */
  readonly files: readonly string[];
  readonly stats: RunStats;
  /** chalk color level: 0 none, 1 basic, 2 256, 3 truecolor. */
  readonly colorLevel: 0 | 1 | 2 | 3;
  readonly verbose: boolean;
  /**
   * Terminal width in columns that `stylish` wraps its message column to (`terminalWidth` in
   * stylish.ts: `COLUMNS`, else the terminal's width). Default: no wrapping (a file or a pipe).
   */
  readonly width?: number;
  /** `--max-warnings` when exceeded, for the "too many warnings" note. */
  readonly tooManyWarnings?: number;
  /** Metadata of the rules that ran (SARIF describes them in `tool.driver.rules`). Default: none. */
  readonly rules?: readonly RuleMeta[];
  /**
   * Directory that relative paths in the output start from (GitHub annotations, SARIF
   * `%SRCROOT%`): the repository root in CI. Default: `process.cwd()`.
   */
  readonly cwd?: string;
  /** Rules that threw (SARIF `invocations[].toolExecutionNotifications`). Default: none. */
  readonly internalErrors?: readonly InternalError[];
  /** Ranges, exports and meshes for the `html` format (`lint({ reportData: true })`). Default: none. */
  readonly reportData?: ReportData;
}

/**
 * Turns a run's findings into the text of one output format. Formatters that load a library on
 * first use (SARIF) return a promise; callers always `await` the result.
 */
export type Formatter = (input: ReportInput) => string | Promise<string>;
