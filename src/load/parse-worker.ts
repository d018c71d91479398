/**
 * The parse worker: a worker thread that reads manifest files and parses their YAML while the
 * main thread classifies and extracts facts from files parsed before (see `parallel.ts`).
 *
 * Message in: `ParseRequest` (a batch of absolute paths). Message out: `ParseReply`, one
 * `ParsedFile` per path in the same order. Parsed documents travel as JSON text: `JSON.parse` on
 * the main thread is several times faster than js-yaml, and a string crosses threads as one
 * copy. Files whose documents JSON cannot carry (`jsonSafe`), and files that do not parse, come
 * back as text only; the main thread parses those itself, so every outcome (syntax errors,
 * alias limits, special floats) is exactly the single-threaded one.
 */
import { parentPort } from 'node:worker_threads';
import { parseFile, type ParsedFile } from './read.js';

export type { ParsedFile };

/** A batch of files to read and parse, numbered by the sender. */
export interface ParseRequest {
  readonly id: number;
  readonly paths: readonly string[];
}

/** The files of the batch `id`, in request order. */
export interface ParseReply {
  readonly id: number;
  readonly files: readonly ParsedFile[];
}

parentPort?.on('message', (request: ParseRequest) => {
  const reply: ParseReply = { id: request.id, files: request.paths.map(parseFile) };
  parentPort!.postMessage(reply);
});
