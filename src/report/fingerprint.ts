/**
 * Stable identities of findings, for the reports that track a problem across runs: SARIF
 * `partialFingerprints` (GitHub code scanning matches alerts between analyses by them) and the GitLab
 * Code Quality `fingerprint` (the merge request widget compares the base and head reports by it, and
 * shows findings with the same fingerprint as one entry).
 *
 * A fingerprint hashes what the finding is, never where it sits: the rule, the cluster, the object
 * reported on (`apiVersion`, `kind`, namespace, name, not its document index), the message with any
 * line or column number and any file path in it masked, and the clusters of the related places. File names are left out
 * (an object moved to another file, or a repository checked out under another name, is the same
 * finding; the same input under other file names gives the same report, issue 17), and so are lines:
 * inserting lines or documents above a finding keeps its fingerprint. Findings that would still
 * collide (the same rule on the same object with the same message twice, or file-level problems of
 * one cluster with the same message) get an occurrence number in the order of their files and lines,
 * like GitHub's own `primaryLocationLineHash` (`github/codeql-action` `src/fingerprints.ts`), so every
 * finding keeps a distinct fingerprint.
 */
import { createHash } from 'node:crypto';
import { relative, sep } from 'node:path';
import type { Note } from '../engine/types.js';

/** `path` relative to `cwd` with `/` separators (`.` for `cwd` itself; unchanged outside it on another drive). */
export function repoPath(cwd: string, path: string): string {
  const rel = relative(cwd, path);
  return (rel === '' ? '.' : rel).split(sep).join('/');
}

/**
 * A message with the positions it quotes masked: `line 12`, `lines 3`, `column 4`, `col 4` become
 * `line #`…, and `:12:4` becomes `:#:#` (parse errors and Corefile findings quote where they are).
 */
export function maskPositions(message: string): string {
  return message.replace(/\b(lines?|columns?|col)(\s+)\d+/gi, '$1$2#').replace(/:\d+:\d+\b/g, ':#:#');
}

/**
 * A message with the file paths it quotes masked: absolute paths (kustomize's errors name the
 * directories it read) and paths of YAML/JSON files become `#path`, so that a message names the
 * same finding whatever the files are called. CIDRs and apiVersions (`apps/v1`) stay.
 */
export function maskPaths(message: string): string {
  // One pass over maximal runs of path characters (linear: a single character class, no backtracking).
  return message.replace(/[^\s"'():,;=]+/g, (token) => (isPathToken(token) ? '#path' : token));
}

/** An absolute path (`/…`, `\\…`; not a URL's `//host`), or a relative path of a YAML/JSON file. */
function isPathToken(token: string): boolean {
  const first = token[0];
  if ((first === '/' || first === '\\') && token[1] !== first) return true;
  return (token.includes('/') || token.includes('\\')) && /\.(?:ya?ml|json)$/.test(token);
}

/** The text a finding's fingerprint hashes (before its occurrence number): one field per line. */
function identity(f: Note): string {
  const o = f.object;
  return [
    f.ruleId,
    f.cluster ?? '',
    o ? [o.apiVersion, o.kind, o.namespace ?? '', o.name ?? ''].join('\u0000') : '',
    f.messageId ?? '',
    maskPaths(maskPositions(f.message)),
    ...f.related.map((r) => r.cluster ?? '').sort(),
  ].join('\n');
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/**
 * One fingerprint per finding, in the order given: 64 lowercase hex digits (SHA-256), stable across
 * line moves (see the module comment). `cwd` is the directory paths are taken relative to (the
 * repository root in CI). Two findings get the same fingerprint only if they are the same finding.
 */
export function fingerprints(cwd: string, findings: readonly Note[]): string[] {
  const ids = findings.map((f) => sha256(identity(f)));
  // Occurrence numbers follow the findings' files (in path order, which renaming a file with its
  // neighbours keeps) and positions, so they do not depend on the input order.
  const files = findings.map((f) => repoPath(cwd, f.file));
  const byFile = (a: number, b: number) => (files[a] < files[b] ? -1 : files[a] > files[b] ? 1 : 0);
  const order = findings.map((_, i) => i).sort((a, b) => byFile(a, b) || findings[a].line - findings[b].line || findings[a].column - findings[b].column || a - b);
  const seen = new Map<string, number>();
  const out: string[] = new Array<string>(findings.length);
  for (const i of order) {
    const n = seen.get(ids[i]) ?? 0;
    seen.set(ids[i], n + 1);
    out[i] = n === 0 ? ids[i] : sha256(`${ids[i]}\n${n}`);
  }
  return out;
}
