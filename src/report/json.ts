/**
 * `json`: ESLint's JSON formatter shape (one entry per linted file, sorted), plus `cluster` and
 * `related` on each message (DESIGN.md §6). Findings about a directory or the config file get an
 * entry of their own.
 */
import type { Finding, Note, SuppressedFinding } from '../engine/types.js';
import { groupByFile } from './common.js';
import type { ReportInput } from './types.js';
import { inertJson } from './inert.js';
import { sortStrings } from '../base/order.js';

interface JsonMessage {
  ruleId: string;
  severity: 1 | 2;
  message: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  cluster?: string;
  /** The Flux Kustomization or Argo CD Application through which the file reached the cluster. */
  via?: string;
  /** The id of the rule message it was worded from (ESLint's `messageId`). */
  messageId?: string;
  /** What the controller will do and how to fix it. */
  hint?: string;
  related: { filePath: string; line: number; column: number; endLine: number; endColumn: number; cluster?: string; message?: string }[];
  fatal?: true;
}

function toMessage(f: Finding): JsonMessage {
  return {
    ...toNote(f),
    severity: f.severity,
    ...(f.fatal ? { fatal: true as const } : {}),
  };
}

/** A note in JSON: a message without severity (notes are not ESLint messages). */
function toNote(f: Note): Omit<JsonMessage, 'severity'> {
  return {
    ruleId: f.ruleId,
    message: f.message,
    line: f.line,
    column: f.column,
    endLine: f.endLine,
    endColumn: f.endColumn,
    ...(f.cluster !== undefined ? { cluster: f.cluster } : {}),
    ...(f.via !== undefined ? { via: f.via } : {}),
    ...(f.messageId !== undefined ? { messageId: f.messageId } : {}),
    ...(f.hint !== undefined ? { hint: f.hint } : {}),
    related: f.related.map((r) => ({
      filePath: r.file,
      line: r.line,
      column: r.column,
      endLine: r.endLine,
      endColumn: r.endColumn,
      ...(r.cluster !== undefined ? { cluster: r.cluster } : {}),
      ...(r.message !== undefined ? { message: r.message } : {}),
    })),
  };
}

/** A suppressed finding as ESLint's `suppressedMessages` entry: the message plus `suppressions`. */
function toSuppressedMessage(f: SuppressedFinding) {
  return { ...toMessage(f), suppressions: f.suppressions.map((s) => ({ kind: s.kind, justification: s.justification })) };
}

/** The JSON of a file's entry after its path when it has no finding, note or suppressed finding. */
const CLEAN_TAIL = JSON.stringify({
  messages: [],
  suppressedMessages: [],
  errorCount: 0,
  fatalErrorCount: 0,
  warningCount: 0,
  fixableErrorCount: 0,
  fixableWarningCount: 0,
  usedDeprecatedRules: [],
}).slice(1);

/**
 * Formats findings as ESLint JSON (plus `cluster` and `related`); one entry per linted file.
 * Suppressed findings are in `suppressedMessages` with `suppressions: [{ kind, justification }]`
 * (`kind`: `directive`, `annotation` or `config`) and are not counted. Info-level notes go to a
 * `notes` list on their file's entry, never into `messages`.
 */
export function formatJson({ findings, notes = [], suppressed = [], files }: ReportInput): string {
  const byFile = groupByFile(findings, files);
  const notesByFile = groupByFile(notes);
  for (const file of notesByFile.keys()) if (!byFile.has(file)) byFile.set(file, []);
  const suppressedByFile = new Map<string, SuppressedFinding[]>();
  for (const f of suppressed) {
    if (!byFile.has(f.file)) byFile.set(f.file, []);
    const list = suppressedByFile.get(f.file);
    if (list) list.push(f);
    else suppressedByFile.set(f.file, [f]);
  }
  const paths = sortStrings([...byFile.keys()]);
  const results = paths.map((filePath) => {
    const list = byFile.get(filePath)!;
    const fileNotes = notesByFile.get(filePath);
    // Most files of a large repository are clean: their entries are written from one constant
    // text (the bytes JSON.stringify gives the full object), sparing 20,000 objects.
    if (list.length === 0 && !fileNotes && !suppressedByFile.has(filePath)) return `{"filePath":${JSON.stringify(filePath)},${CLEAN_TAIL}`;
    return JSON.stringify({
      filePath,
      messages: list.map(toMessage),
      ...(fileNotes ? { notes: fileNotes.map(toNote) } : {}),
      suppressedMessages: (suppressedByFile.get(filePath) ?? []).map(toSuppressedMessage),
      errorCount: list.filter((f) => f.severity === 2).length,
      fatalErrorCount: list.filter((f) => f.fatal).length,
      warningCount: list.filter((f) => f.severity === 1).length,
      fixableErrorCount: 0,
      fixableWarningCount: 0,
      usedDeprecatedRules: [],
    });
  });
  // inertJson: DEL, C1 and bidirectional controls from the repository written as \u escapes (same values).
  return inertJson(`[${results.join(',')}]`) + '\n';
}
