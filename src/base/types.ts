/**
 * The bottom layer's shared shapes: where something is in the input. Every stage may import this
 * module (it imports nothing); see the import-direction test in `test/architecture.test.ts`.
 */

/** A path into a parsed YAML document: mapping keys and 0-based sequence indexes. */
export type Path = readonly (string | number)[];

/**
 * A place in the input, resolved to line/column only when a finding needs it.
 * - `file`: absolute path of the YAML/JSON file (or of a directory for set-level findings).
 * - `doc`: 0-based index among the file's non-empty YAML documents; -1 for a directory.
 * - `path`: keys/indexes from the document root to the field (List items included).
 */
export interface Place {
  readonly file: string;
  readonly doc: number;
  readonly path: Path;
  /** Point at the key of the last path segment instead of its value (unknown fields). */
  readonly key?: boolean;
}

/** A resolved source range: 1-based lines and columns, end column exclusive (ESLint's convention). */
export interface Span {
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}
