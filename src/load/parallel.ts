/**
 * Loading many files with parse workers: worker threads read and parse YAML (js-yaml, the
 * largest single cost of a run) ahead of the main thread, which validates, classifies and
 * extracts facts in file order and parses a batch itself whenever no worker has taken it yet.
 * Files come out in the order asked, identical to a single-threaded load (`loadFile`), so output
 * never depends on thread timing.
 */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { loadFile, loadPrepared } from './index.js';
import type { ParseReply, ParseWork } from './parse-worker.js';
import { parseFile, type ParsedFile } from './read.js';
import type { LoadedFile, LoadOptions } from './types.js';

/**
 * How many parse workers to run: a count (0 = parse on the main thread), or `'auto'`: none below
 * `AUTO_MIN_FILES` files or on one CPU, else one per spare CPU, at most `AUTO_MAX_WORKERS`.
 */
export type Concurrency = number | 'auto';

/** Below this many files a worker's start-up (~40 ms) costs more than it saves. */
export const AUTO_MIN_FILES = 1000;
/** The main thread's own work (validation, facts) bounds the gain beyond this many workers. */
const AUTO_MAX_WORKERS = 3;
/** Files per batch: large enough to amortise a message, small enough to share the work finely. */
const BATCH = 64;

/** The built worker script next to the bundle; absent when running from TypeScript sources. */
const WORKER_SCRIPT = fileURLToPath(new URL('./parse-worker.js', import.meta.url));

/** Thrown when workers were asked for (`--concurrency N`) but cannot run. */
export class ConcurrencyError extends Error {}

/** Waits for one turn of the event loop, so that worker messages already queued are delivered. */
const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * The number of parse workers for `files` files.
 * @throws ConcurrencyError when a positive count is asked for and the worker script is missing
 */
export function workerCount(concurrency: Concurrency, files: number): number {
  if (concurrency === 'auto') {
    if (files < AUTO_MIN_FILES || !existsSync(WORKER_SCRIPT)) return 0;
    return Math.min(AUTO_MAX_WORKERS, Math.max(0, availableParallelism() - 1), Math.ceil(files / BATCH));
  }
  return Math.min(workersAsked(concurrency), Math.ceil(files / BATCH));
}

/** @throws ConcurrencyError when a positive count is asked for and the worker script is missing */
function workersAsked(count: number): number {
  if (count > 0 && !existsSync(WORKER_SCRIPT)) {
    throw new ConcurrencyError(`parse workers are unavailable: ${WORKER_SCRIPT} is missing (run the built CLI, dist/mclint.js)`);
  }
  return Math.max(0, count);
}

/**
 * The parse workers to start before the files are known, so that their start-up (a new V8
 * isolate and Node bootstrap, about 30 ms alone and over 100 ms beside a busy main thread)
 * overlaps other work: an explicit count at once; none for `'auto'`, whose workers start once
 * the files are counted (`workerCount`), so that a small repository never starts one.
 * `ParseWorkers.resize` adjusts them to the files.
 * @throws ConcurrencyError when a positive count is asked for and the worker script is missing
 */
export function workersToStart(concurrency: Concurrency): number {
  return concurrency === 'auto' ? 0 : workersAsked(concurrency);
}

/**
 * Parse worker threads, started ahead of their work: each waits for one `ParseWork` message,
 * parses the batches it claims, and exits. Errors before the work arrives are recorded, never
 * thrown. `loadInOrder` hands them their work and stops them when it is done.
 */
export class ParseWorkers {
  readonly #threads: Worker[] = [];
  /** Workers that failed or exited, by number (1-based). */
  readonly #failed = new Set<number>();
  #onFail: () => void = () => {};

  private constructor(private readonly script: string) {}

  /** Starts `count` workers running `script`. */
  static start(count: number, script = WORKER_SCRIPT): ParseWorkers {
    const workers = new ParseWorkers(script);
    workers.resize(count);
    return workers;
  }

  get size(): number {
    return this.#threads.length;
  }

  /** Stops workers beyond the first `count`, or starts more up to `count`. */
  resize(count: number): void {
    // A number freed here may be given to a new worker: it starts without the old one's failure.
    for (let n = count + 1; n <= this.#threads.length; n++) this.#failed.delete(n);
    for (const thread of this.#threads.splice(count)) stopThread(thread);
    while (this.#threads.length < count) {
      const thread = new Worker(this.script);
      const n = this.#threads.push(thread);
      // Also on a normal exit: by then every reply was delivered.
      const fail = () => {
        this.#failed.add(n);
        this.#onFail();
      };
      thread.on('error', fail);
      thread.on('exit', fail);
    }
  }

  /** Stops every worker (no more replies are delivered). */
  stop(): void {
    this.resize(0);
  }

  /** Whether worker `worker` (1-based) failed or exited. */
  hasFailed(worker: number): boolean {
    return this.#failed.has(worker);
  }

  /** Whether every worker failed or exited. */
  get allFailed(): boolean {
    return this.#threads.every((_, i) => this.#failed.has(i + 1));
  }

  /**
   * Sends every worker `batches` and the shared claims; `onReply` receives each batch parsed,
   * and `onFail` runs whenever a worker fails or exits.
   */
  dispatch(batches: readonly (readonly string[])[], shared: Int32Array, onReply: (reply: ParseReply) => void, onFail: () => void): void {
    this.#onFail = onFail;
    this.#threads.forEach((thread, i) => {
      thread.on('message', onReply);
      const work: ParseWork = { batches, shared, worker: i + 1 };
      thread.postMessage(work);
    });
  }
}

function stopThread(thread: Worker): void {
  thread.removeAllListeners('message');
  thread.removeAllListeners('exit');
  // An error while it stops must not reach the process as an unhandled 'error' event.
  thread.removeAllListeners('error');
  thread.on('error', () => {});
  void thread.terminate();
}

/**
 * Loads `paths` and yields each file's result in the order of `paths`, as `loadFile` would
 * produce it. The files are cut into batches that are claimed in order through a shared counter
 * (`ParseWork`): workers claim the next batch as soon as they finish one and send it back as text
 * and JSON; the calling thread, when it reaches a batch nobody has claimed yet, claims and loads
 * it itself, and while the batch it needs is still being parsed, it claims a later one and reads
 * and parses it ahead; so neither side waits while work is left. A worker that fails
 * leaves its batches to the calling thread. Never throws for bad input (see
 * `loadFile`).
 * @param workers parse worker threads to start (0: load everything on the calling thread), or
 *   workers already started (`ParseWorkers.start`); either way they are stopped when done
 * @param script the worker script, when `workers` is a count (tests substitute their own)
 */
export async function* loadInOrder(paths: readonly string[], options: LoadOptions, workers: number | ParseWorkers, script = WORKER_SCRIPT): AsyncGenerator<LoadedFile> {
  const pool = typeof workers === 'number' ? ParseWorkers.start(Math.max(0, workers), script) : workers;
  pool.resize(Math.min(pool.size, Math.ceil(paths.length / BATCH)));
  if (pool.size === 0) {
    for (const path of paths) yield await loadFile(path, options);
    return;
  }
  const batches: string[][] = [];
  for (let i = 0; i < paths.length; i += BATCH) batches.push(paths.slice(i, i + BATCH));
  // [0]: the next unclaimed batch; [1 + id]: who claimed batch id (0: nobody or this thread, w + 1: worker w).
  const shared = new Int32Array(new SharedArrayBuffer(4 * (1 + batches.length)));
  const replies = new Map<number, readonly ParsedFile[]>();
  let wake: (() => void) | undefined;
  const notify = () => {
    wake?.();
    wake = undefined;
  };
  pool.dispatch(
    batches,
    shared,
    (reply) => {
      replies.set(reply.id, reply.files);
      notify();
    },
    notify,
  );
  try {
    for (let id = 0; id < batches.length; id++) {
      if (Atomics.compareExchange(shared, 0, id, id + 1) === id) {
        // Nobody took it: load it here, parsed once and never waiting.
        for (const path of batches[id]) yield await loadFile(path, options);
        continue;
      }
      let files = replies.get(id);
      while (!files) {
        // A worker that stopped without replying (it failed) leaves the batch to this thread.
        const owner = Atomics.load(shared, 1 + id);
        if ((owner !== 0 && pool.hasFailed(owner)) || pool.allFailed) break;
        const ahead = Atomics.add(shared, 0, 1);
        if (ahead < batches.length) {
          // Rather than wait, read and parse a later batch. Its documents stay parsed values:
          // a JSON round trip would spare garbage collections less time than it costs.
          replies.set(
            ahead,
            batches[ahead].map((path) => parseFile(path, 'values')),
          );
          await turn();
        } else {
          await new Promise<void>((resolve) => (wake = resolve));
        }
        files = replies.get(id);
      }
      replies.delete(id);
      const batch = batches[id];
      for (let i = 0; i < batch.length; i++) yield files ? await loadPrepared(batch[i], files[i], options) : await loadFile(batch[i], options);
    }
  } finally {
    pool.stop();
  }
}
