/**
 * Timing output: ESLint's `TIMING` table (the slowest rules, then mclint's stages) for standard
 * error, and the `stats` object `--stats` adds to `--format json`.
 *
 * The table mirrors ESLint's `lib/linter/timing.js` (eslint/eslint): enabled by any non-empty
 * `TIMING`; 10 rows, more when `TIMING` is a larger number, every rule with `TIMING=all`; columns
 * `Rule | Time (ms) | Relative`, times with three decimals, the share of the listed total with one,
 * a `:---|---:|---:` alignment row, slowest first.
 */
import { STAGES, type Timing } from '../engine/timing.js';

/** ESLint's default and minimum number of rules listed. */
const MINIMUM_ROWS = 10;

/**
 * How many rules `TIMING` asks to list, as ESLint's `getListSize`: undefined when timing is off
 * (unset or empty), `Infinity` for `all` (any case), the number when it is an integer above 10,
 * else 10 (`TIMING=1`).
 */
export function timingRows(value: string | undefined): number | undefined {
  if (value === undefined || value === '') return undefined;
  if (value.toLowerCase() === 'all') return Number.POSITIVE_INFINITY;
  const n = Number.parseInt(value, 10);
  return n > MINIMUM_ROWS ? n : MINIMUM_ROWS;
}

/**
 * One ESLint timing table: `header` over `Time (ms)` and `Relative`, rows sorted by time
 * (slowest first; ties in the given order), at most `limit` rows. `Relative` is each time's share
 * of the sum of all `entries` (not only those listed), as ESLint computes it; 0 when that sum is 0.
 * @param entries names and milliseconds
 */
export function formatTimingTable(header: string, entries: Iterable<readonly [string, number]>, limit = Number.POSITIVE_INFINITY): string {
  const all = [...entries];
  const sorted = all.map((e, i) => ({ e, i })).sort((a, b) => b.e[1] - a.e[1] || a.i - b.i);
  return table(
    header,
    sorted.slice(0, limit).map(({ e }) => e),
    all.reduce((sum, [, t]) => sum + t, 0),
  );
}

/** The rows as given, each with its share of `total`, under ESLint's header and alignment row. */
function table(header: string, rows: readonly (readonly [string, number])[], total: number): string {
  const cells = [[header, 'Time (ms)', 'Relative'], ...rows.map(([name, t]) => [name, t.toFixed(3), `${(total > 0 ? (t * 100) / total : 0).toFixed(1)}%`])];
  const widths = [0, 1, 2].map((c) => Math.max(...cells.map((row) => row[c].length)));
  const lines = cells.map((row) => row.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join(' | '));
  // ESLint's alignment row: ":----|----:|----:", each column as wide as its cells and separators.
  lines.splice(1, 0, [':'.padEnd(widths[0] + 1, '-'), ':'.padStart(widths[1] + 2, '-'), ':'.padStart(widths[2] + 1, '-')].join('|'));
  return lines.join('\n') + '\n';
}

/**
 * What `TIMING` prints to standard error after the report: the `limit` slowest rules (ESLint's
 * table), a blank line, then every stage of the pipeline in run order (a pipeline reads best as it
 * runs), each relative to the run's wall time (the sum of the stages).
 */
export function formatTiming(timing: Timing, limit: number): string {
  const stages = STAGES.map((s) => [s, timing.stages.get(s) ?? 0] as const);
  const total = stages.reduce((sum, [, t]) => sum + t, 0);
  return `${formatTimingTable('Rule', timing.rules, limit)}\n${table('Stage', stages, total)}`;
}

/** The `stats` object of `--stats` (milliseconds, rounded to microseconds). */
export interface RunTimes {
  readonly times: {
    /** Wall time of the run: the sum of the stages. */
    readonly total: number;
    /** Every stage of `STAGES`, in run order. */
    readonly stages: Record<string, number>;
    /** Every rule that ran, in run order: its `check` summed over the ClusterSets. */
    readonly rules: Record<string, number>;
  };
}

const ms = (x: number) => Math.round(x * 1000) / 1000;

/** The `stats` object of a run's timing (see `RunTimes`). */
export function runTimes(timing: Timing): RunTimes {
  const stages: Record<string, number> = {};
  let total = 0;
  for (const s of STAGES) {
    const t = timing.stages.get(s) ?? 0;
    stages[s] = ms(t);
    total += t;
  }
  const rules: Record<string, number> = {};
  for (const [id, t] of timing.rules) rules[id] = ms(t);
  return { times: { total: ms(total), stages, rules } };
}

/**
 * `--format json --stats`: the JSON report (an array of ESLint file results, as `formatJson`
 * writes it) wrapped as `{"results": [...], "stats": {...}}`. ESLint puts `stats` on each file
 * result, but mclint's rules run per ClusterSet, not per file, so the run's times sit beside the
 * results; without `--stats` the output stays the bare array. The results text is kept as it is
 * (not parsed again).
 * @param json the JSON formatter's output
 */
export function withStats(json: string, timing: Timing): string {
  return `{"results":${json.trimEnd()},"stats":${JSON.stringify(runTimes(timing))}}\n`;
}
