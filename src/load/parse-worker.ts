/**
 * The parse worker: a worker thread that reads manifest files and parses their YAML while the
 * main thread classifies and extracts facts from files parsed before (see `parallel.ts`).
 *
 * Input: one `ParseWork` message (all batches of paths, and the shared claims). Messages out: `ParseReply`,
 * one per batch the worker claimed, one `ParsedFile` per path in the same order. Parsed
 * documents travel as JSON text: `JSON.parse` on the main thread is several times faster than
 * js-yaml, and a string crosses threads as one copy. Files whose documents JSON cannot carry (`jsonSafe`), and files that do not parse, come
 * back as text only; the main thread parses those itself, so every outcome (syntax errors,
 * alias limits, special floats) is exactly the single-threaded one.
 */
import { parentPort } from 'node:worker_threads';
import { parseFile, type ParsedFile } from './read.js';

export type { ParsedFile };

/**
 * What a parse worker is given (its one message): every batch of paths, and shared claims:
 * index 0 holds the next unclaimed batch id, index 1 + id who claimed batch id (0 the main
 * thread, else the worker's number). Workers and the main thread claim batches with atomic
 * operations.
 */
export interface ParseWork {
  readonly batches: readonly (readonly string[])[];
  readonly shared: Int32Array;
  /** This worker's number, from 1. */
  readonly worker: number;
}

/** The files of the batch `id`, in batch order. */
export interface ParseReply {
  readonly id: number;
  readonly files: readonly ParsedFile[];
}

// Started before the files are known (see `ParseWorkers`): the work comes as the first message,
// and the worker exits once no batch is left to claim.
parentPort?.once('message', ({ batches, shared, worker }: ParseWork) => {
  for (let id = Atomics.add(shared, 0, 1); id < batches.length; id = Atomics.add(shared, 0, 1)) {
    Atomics.store(shared, 1 + id, worker);
    const reply: ParseReply = { id, files: batches[id].map((path) => parseFile(path, 'json')) };
    parentPort!.postMessage(reply);
  }
});
