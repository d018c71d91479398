/**
 * Loading many files with parse workers: worker threads read and parse YAML (js-yaml, the
 * largest single cost of a run) while the main thread validates, classifies and extracts facts
 * from the files parsed before. Files come out in the order asked, identical to a
 * single-threaded load (`loadFile`), so output never depends on thread timing.
 */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { loadFile, loadPrepared } from './index.js';
import type { ParseReply, ParseRequest } from './parse-worker.js';
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
/** Files per batch: large enough to amortise a round trip, small enough to keep both threads busy. */
const BATCH = 64;
/** Batches queued per worker: one being parsed and one waiting keep it busy. */
const WINDOW = 2;

/** The built worker script next to the bundle; absent when running from TypeScript sources. */
const WORKER_SCRIPT = fileURLToPath(new URL('./parse-worker.js', import.meta.url));

/** Thrown when workers were asked for (`--concurrency N`) but cannot run. */
export class ConcurrencyError extends Error {}

/**
 * The number of parse workers for `files` files.
 * @throws ConcurrencyError when a positive count is asked for and the worker script is missing
 */
export function workerCount(concurrency: Concurrency, files: number): number {
  if (concurrency === 'auto') {
    if (files < AUTO_MIN_FILES || !existsSync(WORKER_SCRIPT)) return 0;
    return Math.min(AUTO_MAX_WORKERS, Math.max(0, availableParallelism() - 1), Math.ceil(files / BATCH));
  }
  if (concurrency > 0 && !existsSync(WORKER_SCRIPT)) {
    throw new ConcurrencyError(`parse workers are unavailable: ${WORKER_SCRIPT} is missing (run the built CLI, dist/mclint.js)`);
  }
  return Math.min(concurrency, Math.ceil(files / BATCH));
}

/** A started worker and the batch ids it owes replies for. */
interface Lane {
  readonly worker: Worker;
  readonly owed: Set<number>;
  failed: boolean;
}

/** Waits for one turn of the event loop, so that worker messages already queued are delivered. */
const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Loads `paths` and yields each file's result in the order of `paths`, as `loadFile` would
 * produce it. Batches of files are claimed in order, by the workers (each keeps `WINDOW` batches
 * queued) and by the calling thread whenever the next batch it needs is not parsed yet: it then
 * prepares the next unclaimed batch itself (`parseFile`, as a worker does) instead of waiting.
 * Prepared batches wait for their turn as text and JSON, a few batches at a time: parsed bodies
 * waiting would survive garbage collections. A worker that fails leaves its batches to the
 * calling thread. Never throws for bad input (see `loadFile`).
 * @param workers parse worker threads to start (0: load everything on the calling thread)
 */
export async function* loadInOrder(paths: readonly string[], options: LoadOptions, workers: number): AsyncGenerator<LoadedFile> {
  if (workers <= 0) {
    for (const path of paths) yield await loadFile(path, options);
    return;
  }
  const batches: string[][] = [];
  for (let i = 0; i < paths.length; i += BATCH) batches.push(paths.slice(i, i + BATCH));
  /** Prepared batches, from workers or this thread (undefined: the worker failed). */
  const parsed = new Map<number, readonly ParsedFile[] | undefined>();
  let next = 0;
  let wake: (() => void) | undefined;
  const notify = () => {
    wake?.();
    wake = undefined;
  };
  const claim = (lane: Lane) => {
    if (lane.failed || next >= batches.length) return;
    const id = next++;
    lane.owed.add(id);
    lane.worker.postMessage({ id, paths: batches[id] } satisfies ParseRequest);
  };
  const lanes: Lane[] = [];
  for (let i = 0; i < workers; i++) {
    const lane: Lane = { worker: new Worker(WORKER_SCRIPT), owed: new Set(), failed: false };
    const fail = () => {
      // The batches this worker owes are loaded on this thread instead.
      if (lane.failed) return;
      lane.failed = true;
      for (const id of lane.owed) parsed.set(id, undefined);
      lane.owed.clear();
      notify();
    };
    lane.worker.on('message', (reply: ParseReply) => {
      lane.owed.delete(reply.id);
      parsed.set(reply.id, reply.files);
      claim(lane);
      notify();
    });
    lane.worker.on('error', fail);
    lane.worker.on('exit', fail);
    lanes.push(lane);
  }
  for (let k = 0; k < WINDOW; k++) for (const lane of lanes) claim(lane);
  try {
    for (let id = 0; id < batches.length; id++) {
      while (!parsed.has(id)) {
        if (next < batches.length) {
          // Nothing to do but wait: prepare the next unclaimed batch here.
          const own = next++;
          parsed.set(own, batches[own].map(parseFile));
          await turn();
        } else {
          await new Promise<void>((resolve) => (wake = resolve));
        }
      }
      const files = parsed.get(id);
      parsed.delete(id);
      const batch = batches[id];
      for (let i = 0; i < batch.length; i++) yield files ? await loadPrepared(batch[i], files[i], options) : await loadFile(batch[i], options);
    }
  } finally {
    for (const lane of lanes) {
      lane.worker.removeAllListeners('exit');
      void lane.worker.terminate();
    }
  }
}
