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
import { jsonSafe, parseDocuments, readManifest, withoutBom } from './read.js';
import type { SkipReason } from './types.js';

/** A batch of files to read and parse, numbered by the sender. */
export interface ParseRequest {
  readonly id: number;
  readonly paths: readonly string[];
}

/**
 * One file as the worker left it: skipped (read failed, binary, too large), or its text as read
 * (BOM included) with, when it parsed and JSON carries it losslessly, its documents as JSON.
 */
export interface ParsedFile {
  readonly skipped?: SkipReason;
  readonly text?: string;
  readonly json?: string;
}

/** The files of the batch `id`, in request order. */
export interface ParseReply {
  readonly id: number;
  readonly files: readonly ParsedFile[];
}

/** Reads and parses one file (never throws). */
export function parseFile(path: string): ParsedFile {
  const read = readManifest(path);
  if (read.skipped) return { skipped: read.skipped };
  const text = withoutBom(read.text);
  if (!jsonSafe(text)) return { text: read.text };
  try {
    return { text: read.text, json: JSON.stringify(parseDocuments(path, text)) };
  } catch {
    // A syntax error (or a document too large for one string): the main thread parses the text
    // again and reports it.
    return { text: read.text };
  }
}

parentPort?.on('message', (request: ParseRequest) => {
  const reply: ParseReply = { id: request.id, files: request.paths.map(parseFile) };
  parentPort!.postMessage(reply);
});
