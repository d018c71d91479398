/**
 * Run timing (`TIMING=1`, `--stats`): wall time per pipeline stage and per rule, so the next
 * optimisation goes where the time is. Off by default: the pipeline holds `undefined` instead of
 * a `Timing` and takes its untimed path, with no `performance.now()` call or extra closure on the
 * per-file hot path.
 *
 * Mirrors ESLint's rule timing (eslint/eslint `lib/linter/timing.js`: time of each rule summed
 * over the run, milliseconds from `performance.now()`) and its `--stats` times (`lib/shared/stats.js`).
 * mclint's rules run once per ClusterSet, not per file, so a rule's time is its `check` summed over
 * the ClusterSets. As typescript-eslint warns for type-aware rules (typescript-eslint/typescript-eslint
 * issue 9315), a rule that first asks for something the model builds lazily pays for building it.
 */

/**
 * The pipeline stages, in run order. `config`: finding and resolving the config file and rule
 * settings; `discover`: the walk and cluster assignment; `render`: kustomize/helm renders and Flux
 * and Argo CD pulls, with reading and parsing what they yield and reading fleet references from
 * every loaded file, minus the model's share;
 * `load`: reading, parsing and classifying files, including waits for parse workers; `model`: fact
 * extraction (`ModelBuilder.add`/`addTo`, summed) and `ModelBuilder.finish`; `rules`: every rule's
 * `check` (see `Timing.rules`); `locate`: resolving the reported places to lines and columns and
 * ordering the findings; `suppress`: directives, annotations and config overrides; `report`: the
 * formatters (CLI only).
 */
export const STAGES = ['config', 'discover', 'render', 'load', 'model', 'rules', 'locate', 'suppress', 'report'] as const;

/** One of `STAGES`. */
export type Stage = (typeof STAGES)[number];

/**
 * A stopwatch that is always running in exactly one stage: `enter` charges the time since the
 * last switch to the stage that was running and starts the next one, so nested work (fact
 * extraction inside loading) is charged to its own stage only, and the stages add up to the wall
 * time between the first `enter` and `stop`. Times are milliseconds (`performance.now()`).
 * Not for concurrent stages on one thread: the pipeline awaits one stage before the next.
 */
export class Timing {
  /** Exclusive milliseconds per stage, summed over the run (every DIR argument). */
  readonly stages = new Map<Stage, number>(STAGES.map((s) => [s, 0]));
  /** Milliseconds of each rule's `check`, summed over the ClusterSets; rules that ran, in run order. */
  readonly rules = new Map<string, number>();
  private current: Stage | undefined;
  private since = 0;

  /**
   * Charges the time since the last switch to the running stage and starts `stage`.
   * @returns the stage that was running (undefined before the first `enter` or after `stop`), to
   *   hand back to `enter` when nested work is done
   */
  enter(stage: Stage | undefined): Stage | undefined {
    const now = performance.now();
    const previous = this.current;
    if (previous !== undefined) this.stages.set(previous, this.stages.get(previous)! + (now - this.since));
    this.current = stage;
    this.since = now;
    return previous;
  }

  /**
   * Charges the time so far to the running stage, which keeps running: `stages` is then up to date
   * (for output written while the run goes on, as `--stats` in the report).
   * @returns this timing
   */
  lap(): this {
    this.enter(this.current);
    return this;
  }

  /** Charges the running stage and stops the clock (`enter` starts it again). */
  stop(): void {
    this.enter(undefined);
  }

  /** Adds `ms` milliseconds to rule `id`. */
  addRule(id: string, ms: number): void {
    this.rules.set(id, (this.rules.get(id) ?? 0) + ms);
  }

  /**
   * Wraps `fn` so that each call is charged to `stage` and the clock then returns to the stage
   * that was running. Used only when timing is on (the untimed pipeline calls `fn` itself).
   */
  charge<A extends unknown[], R>(stage: Stage, fn: (...args: A) => R): (...args: A) => R {
    return (...args) => {
      const previous = this.enter(stage);
      try {
        return fn(...args);
      } finally {
        this.enter(previous);
      }
    };
  }
}
