/**
 * Baselines: mclint's bulk suppressions, after ESLint's (ESLint ≥ 9.24, `lib/services/suppressions-service.js`,
 * `SuppressionsService`, and `lib/cli.js`; docs "Bulk Suppressions", https://eslint.org/docs/latest/use/suppressions).
 *
 * A file, `mclint-suppressions.json` in the working directory unless `--suppressions-location` names
 * another, records the findings a repository already has, per file and rule, so that only new ones are
 * reported and fail the run. The file is ESLint's `eslint-suppressions.json` shape,
 * `{ "<file>": { "<rule id>": { "count": N } } }` (file paths relative to the suppressions file's
 * directory, `/`-separated), plus, per rule, `fingerprints`: how many of the `count` findings have each
 * fingerprint (`fingerprint`). ESLint matches a file's findings of a rule by their number alone, all or
 * nothing; mclint matches each finding by its fingerprint, up to the count recorded for it, so a new
 * problem in a file that already has some is reported on its own, and a finding moved down by lines
 * inserted above it stays suppressed (positions are not part of the fingerprint). The format is
 * documented in `docs/baselines.md`.
 *
 * - `--suppress-all` records every current finding (ESLint records errors only; mclint records warnings
 *   too, since `--max-warnings` and the Action's `fail-on: warning` make them fail), `--suppress-rule ID`
 *   those of the rules named; for each file and rule with findings the entry is replaced by the current
 *   ones, other entries are kept (ESLint's `SuppressionsService#suppress`).
 * - A run suppresses the findings whose fingerprint has a recorded count left (`suppressions: [{ kind:
 *   'file', justification: '' }]`, ESLint's kind for bulk suppressions) and reports the rest.
 * - Recorded findings that no longer occur are *unused*; `--prune-suppressions` removes them
 *   (`SuppressionsService#prune`). ESLint drops unused entries of files the run did not lint; mclint
 *   does the same with a scope predicate (the FILE arguments of a pre-commit run), and also reports
 *   entries of files that were deleted below the linted directories, which ESLint never prunes.
 * - Fatal findings (`parse-error`) are never recorded, as ESLint's parse errors (no rule id) are not;
 *   a file that fails to parse keeps its entries (they are not unused: the file was not linted).
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { ConfigError } from '../config/index.js';
import type { Finding, SuppressedFinding, Suppression } from '../engine/types.js';

/** The suppressions file's default name (in the working directory), after ESLint's `eslint-suppressions.json`. */
export const SUPPRESSIONS_FILE_NAME = 'mclint-suppressions.json';

/** One rule's entry for one file: `count` findings, `fingerprints` says how many have each fingerprint (the counts add up to `count`). */
export interface RuleSuppressions {
  count: number;
  fingerprints: Record<string, number>;
}

/** The suppressions file: file (relative to the suppressions file's directory, `/`-separated) → rule id → entry. */
export type SuppressionsFile = Record<string, Record<string, RuleSuppressions>>;

/** What to do with the suppressions file (the CLI's flags, the Action's `baseline` input). */
export interface BaselineOptions {
  /**
   * `--suppressions-location`: the suppressions file, absolute or relative to `cwd`; a directory means
   * `mclint-suppressions.json` in it. When given, the file must exist unless this run records findings
   * (ESLint: "The suppressions file does not exist"). Default: `mclint-suppressions.json` in `cwd`, used
   * when it exists.
   */
  readonly location?: string;
  /** The directory the default location and a relative `location` start from. Default: `process.cwd()`. */
  readonly cwd?: string;
  /** `--suppress-all`: record every current finding (not with `suppressRules` or `prune`). */
  readonly suppressAll?: boolean;
  /** `--suppress-rule ID` (repeatable): record the current findings of these rules only. */
  readonly suppressRules?: readonly string[];
  /** `--prune-suppressions`: remove the recorded findings that no longer occur. */
  readonly prune?: boolean;
}

/** Recorded findings that no longer occur, for one file and rule. */
export interface UnusedSuppression {
  /** As written in the suppressions file (relative to its directory, `/`-separated). */
  readonly file: string;
  readonly ruleId: string;
  /** How many of the recorded findings were not found. */
  readonly count: number;
}

/** What applying a baseline did. */
export interface BaselineOutcome {
  /** The suppressions file (absolute); it may not exist when nothing was recorded. */
  readonly file: string;
  /** Whether the file was read (it existed) or written by this run. */
  readonly active: boolean;
  /** The findings left to report, in their order. */
  readonly findings: Finding[];
  /** The findings the baseline suppressed (`suppressions: [{ kind: 'file', … }]`), in their order. */
  readonly suppressed: SuppressedFinding[];
  /** Recorded findings in scope that no longer occur (after a prune: none), sorted by file and rule. */
  readonly unused: UnusedSuppression[];
  /** What was written: `suppress` (`--suppress-all`, `--suppress-rule`), `prune`, or undefined (nothing). */
  readonly wrote?: 'suppress' | 'prune';
  /** With `wrote: 'suppress'`: the findings recorded by this run; with `'prune'`: the recorded findings removed. */
  readonly changed: number;
}

/**
 * Checks the baseline flags the way ESLint's CLI does (`lib/cli.js`): `--suppress-all` with
 * `--suppress-rule`, either with `--prune-suppressions`, and any of them with standard input are usage
 * errors (the messages are ESLint's).
 * @returns the error message, or undefined when the combination is valid
 */
export function baselineFlagError(options: BaselineOptions, stdin: boolean): string | undefined {
  const rules = (options.suppressRules?.length ?? 0) > 0;
  if (options.suppressAll && rules) return 'the --suppress-all option and the --suppress-rule option cannot be used together';
  if (options.suppressAll && options.prune) return 'the --suppress-all option and the --prune-suppressions option cannot be used together';
  if (rules && options.prune) return 'the --suppress-rule option and the --prune-suppressions option cannot be used together';
  if (stdin && (options.suppressAll || rules || options.prune)) {
    return 'the --suppress-all, --suppress-rule and --prune-suppressions options cannot be used with standard input (--cluster NAME=-)';
  }
  return undefined;
}

/**
 * The suppressions file a run uses: `location` resolved from `cwd` (a directory: `mclint-suppressions.json`
 * in it), else `mclint-suppressions.json` in `cwd`. Absolute.
 */
export function suppressionsPath(options: Pick<BaselineOptions, 'location' | 'cwd'>): string {
  const cwd = resolve(options.cwd ?? process.cwd());
  if (options.location === undefined) return join(cwd, SUPPRESSIONS_FILE_NAME);
  const path = resolve(cwd, options.location);
  try {
    if (statSync(path).isDirectory()) return join(path, SUPPRESSIONS_FILE_NAME);
  } catch {
    // Not there yet: a file to create.
  }
  return path;
}

/** `path` relative to `base`, `/`-separated (ESLint's `getRelativeFilePath`); '.' for `base` itself. */
function relativeKey(base: string, path: string): string {
  if (!isAbsolute(path)) return path; // `<stdin>`
  const rel = relative(base, path);
  return rel === '' ? '.' : rel.split(sep).join('/');
}

/**
 * The message as the fingerprint reads it: without positions (`line 12`, `column 3`, `file.yaml:12:3`),
 * without the suppressions file's directory in absolute paths, lower-cased, and as its words in sorted
 * order without the punctuation around them, so that the same problem worded from its other side
 * ("Service CIDR … of cluster "west" overlaps service CIDR … of cluster "east", …" and the same with
 * the clusters swapped) reads the same.
 */
export function normalizeMessage(message: string, baseDir: string): string {
  const prefix = baseDir.endsWith(sep) ? baseDir : baseDir + sep;
  return message
    .split(prefix)
    .join('')
    .replace(/\b(line|column|col)\s+\d+(\s*(:|,)\s*(column\s+)?\d+)?/gi, '$1')
    .replace(/(\.(ya?ml|json)):\d+(:\d+)?/gi, '$1')
    .toLowerCase()
    .split(/\s+/)
    .map((w) => w.replace(/^[\p{P}]+|[\p{P}]+$/gu, ''))
    .filter((w) => w !== '')
    .sort()
    .join(' ');
}

/**
 * A finding's stable fingerprint (16 hex digits of a SHA-256): its rule id, the clusters and files of
 * its places (its own and its `related` ones, as a set: relative to `baseDir`, positions left out) and
 * its message (`normalizeMessage`). Inserting or removing lines above a finding leaves it unchanged; a
 * two-cluster finding has the same fingerprint whichever of its sides is the primary one.
 */
export function fingerprint(f: Finding, baseDir: string): string {
  const places = new Set([f, ...f.related].map((p) => `${p.cluster ?? ''}\u0000${relativeKey(baseDir, p.file)}`));
  const text = [f.ruleId, ...[...places].sort(), normalizeMessage(f.message, baseDir)].join('\u0001');
  return createHash('sha256').update(text).digest('hex').slice(0, 16);
}

/**
 * Reads a suppressions file. ESLint's own files (`{ count }` without fingerprints) are read too: their
 * findings match by rule and file alone, up to the count.
 * @throws ConfigError when the file cannot be read or is not a suppressions file
 */
export function readSuppressions(path: string): SuppressionsFile {
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    throw new ConfigError(`cannot read the suppressions file ${path}: ${e.code ?? e.message}`);
  }
  const bad = (what: string) => new ConfigError(`${path}: not a suppressions file (${what}); recreate it with --suppress-all`);
  const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
  const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0;
  if (!isRecord(data)) throw bad('expected an object of files');
  const out: SuppressionsFile = {};
  for (const [file, rules] of Object.entries(data)) {
    if (!isRecord(rules)) throw bad(`"${file}": expected an object of rule ids`);
    const entries: Record<string, RuleSuppressions> = {};
    for (const [ruleId, entry] of Object.entries(rules)) {
      if (!isRecord(entry) || !isCount(entry.count)) throw bad(`"${file}" › "${ruleId}": expected { "count": N }`);
      const fingerprints: Record<string, number> = {};
      if (entry.fingerprints !== undefined) {
        if (!isRecord(entry.fingerprints)) throw bad(`"${file}" › "${ruleId}" › fingerprints: expected an object of counts`);
        for (const [fp, n] of Object.entries(entry.fingerprints)) {
          if (!isCount(n)) throw bad(`"${file}" › "${ruleId}" › fingerprints › "${fp}": expected a count`);
          if (n > 0) fingerprints[fp] = n;
        }
      }
      entries[ruleId] = { count: entry.count, fingerprints };
    }
    out[file] = entries;
  }
  return out;
}

/** The file's text: keys sorted at every level (ESLint 9.39 writes it with a stable stringify too), two-space indents, a final newline. */
export function formatSuppressions(file: SuppressionsFile): string {
  const sorted = (o: Record<string, unknown>) =>
    Object.fromEntries(
      Object.keys(o)
        .sort()
        .map((k) => [k, o[k]]),
    );
  const out: Record<string, unknown> = {};
  for (const f of Object.keys(file).sort()) {
    const rules: Record<string, unknown> = {};
    for (const r of Object.keys(file[f]).sort()) rules[r] = { count: file[f][r].count, fingerprints: sorted(file[f][r].fingerprints) };
    out[f] = rules;
  }
  return JSON.stringify(out, null, 2) + '\n';
}

/** Writes the file (`formatSuppressions`). @throws ConfigError when it cannot be written */
function writeSuppressions(path: string, file: SuppressionsFile): void {
  try {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, formatSuppressions(file));
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    throw new ConfigError(`cannot write the suppressions file ${path}: ${e.code ?? e.message}`);
  }
}

/** What a run needs to know about the files it read, to tell unused entries from entries of files it did not lint. */
export interface BaselineScope {
  /** True for an absolute path the run linted (or would have: a deleted file below a linted directory). */
  readonly inScope: (path: string) => boolean;
  /** Rule ids that exist, to check `--suppress-rule`. */
  readonly ruleIds: ReadonlySet<string>;
  /** true: the run is incomplete (a rule threw), so nothing is written and nothing is unused. */
  readonly incomplete?: boolean;
}

/**
 * Applies the baseline to a run's findings: records them first with `suppressAll`/`suppressRules`,
 * suppresses the recorded ones, finds the unused entries in scope and, with `prune`, removes those.
 * Without a suppressions file (and no flag that writes one) the findings pass through unchanged.
 * @param findings the run's findings after inline suppressions and FILE filtering, sorted
 * @throws ConfigError for an unreadable or malformed suppressions file, a missing `location`, an
 *   unknown `--suppress-rule` id, or a file that cannot be written
 */
export function applyBaseline(findings: readonly Finding[], options: BaselineOptions, scope: BaselineScope): BaselineOutcome {
  const path = suppressionsPath(options);
  const baseDir = dirname(path);
  const suppressRules = options.suppressRules ?? [];
  for (const id of suppressRules) {
    if (!scope.ruleIds.has(id)) throw new ConfigError(`--suppress-rule: unknown rule "${id}" (mclint --list-rules lists them)`);
  }
  const recording = options.suppressAll === true || suppressRules.length > 0;
  let exists = true;
  try {
    statSync(path);
  } catch {
    exists = false;
  }
  if (!exists && options.location !== undefined && !recording) {
    throw new ConfigError(`the suppressions file ${options.location} does not exist; run mclint with --suppress-all or --suppress-rule to create it`);
  }
  if (!exists && !recording) return { file: path, active: false, findings: [...findings], suppressed: [], unused: [], changed: 0 };

  const file = exists ? readSuppressions(path) : {};
  const recordable = (f: Finding) => !f.fatal && (options.suppressAll === true || suppressRules.includes(f.ruleId));
  const fps = new Map<Finding, string>();
  const fp = (f: Finding) => {
    let v = fps.get(f);
    if (v === undefined) fps.set(f, (v = fingerprint(f, baseDir)));
    return v;
  };

  let changed = 0;
  let wrote: BaselineOutcome['wrote'];
  if (recording && !scope.incomplete) {
    // ESLint's suppress: each (file, rule) with current findings gets exactly those; the others stay.
    const fresh: SuppressionsFile = {};
    for (const f of findings) {
      if (!recordable(f)) continue;
      const entry = ((fresh[relativeKey(baseDir, f.file)] ??= {})[f.ruleId] ??= { count: 0, fingerprints: {} });
      entry.count++;
      entry.fingerprints[fp(f)] = (entry.fingerprints[fp(f)] ?? 0) + 1;
      changed++;
    }
    for (const [key, rules] of Object.entries(fresh)) Object.assign((file[key] ??= {}), rules);
    writeSuppressions(path, file);
    wrote = 'suppress';
  }

  // What is left of each entry: per fingerprint, plus the count no fingerprint accounts for (files
  // written by ESLint, or edited by hand), which any finding of the rule in the file may use.
  const left = new Map<string, Map<string, { byFp: Map<string, number>; loose: number }>>();
  for (const [key, rules] of Object.entries(file)) {
    const m = new Map<string, { byFp: Map<string, number>; loose: number }>();
    for (const [ruleId, e] of Object.entries(rules)) {
      const byFp = new Map(Object.entries(e.fingerprints));
      const listed = [...byFp.values()].reduce((a, b) => a + b, 0);
      m.set(ruleId, { byFp, loose: Math.max(0, e.count - listed) });
    }
    left.set(key, m);
  }
  const suppression: Suppression = { kind: 'file', justification: '', at: { file: path, line: 1, column: 1, endLine: 1, endColumn: 1 } };
  const kept: Finding[] = [];
  const suppressed: SuppressedFinding[] = [];
  const fatalFiles = new Set<string>();
  for (const f of findings) {
    if (f.fatal) {
      fatalFiles.add(relativeKey(baseDir, f.file));
      kept.push(f);
      continue;
    }
    // The entry may be under the file of any side of the finding: the primary side of a two-cluster
    // finding can change (the side in a changed file is shown), its fingerprint does not.
    const keys = [...new Set([f, ...f.related].map((p) => relativeKey(baseDir, p.file)))];
    const entries = keys.map((k) => left.get(k)?.get(f.ruleId)).filter((e) => e !== undefined);
    const exact = entries.find((e) => (e.byFp.get(fp(f)) ?? 0) > 0);
    const loose = exact ? undefined : left.get(keys[0])?.get(f.ruleId);
    if (exact) exact.byFp.set(fp(f), exact.byFp.get(fp(f))! - 1);
    else if (loose && loose.loose > 0) loose.loose--;
    else {
      kept.push(f);
      continue;
    }
    suppressed.push({ ...f, suppressions: [suppression] });
  }

  const unused: UnusedSuppression[] = [];
  if (!scope.incomplete) {
    for (const [key, rules] of left) {
      if (fatalFiles.has(key) || !scope.inScope(isAbsolute(key) ? key : resolve(baseDir, key))) continue;
      for (const [ruleId, e] of rules) {
        const count = e.loose + [...e.byFp.values()].reduce((a, b) => a + b, 0);
        if (count > 0) unused.push({ file: key, ruleId, count });
      }
    }
  }
  unused.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : 0));

  if (options.prune && !scope.incomplete && exists) {
    // ESLint's prune: lower each entry by what was not found; drop empty entries and files.
    for (const u of unused) {
      const e = file[u.file][u.ruleId];
      const l = left.get(u.file)!.get(u.ruleId)!;
      for (const [k, n] of l.byFp) {
        if (n === 0) continue;
        e.fingerprints[k] -= n;
        if (e.fingerprints[k] <= 0) delete e.fingerprints[k];
      }
      e.count -= u.count;
      changed += u.count;
      if (e.count <= 0) delete file[u.file][u.ruleId];
      if (Object.keys(file[u.file]).length === 0) delete file[u.file];
    }
    writeSuppressions(path, file);
    return { file: path, active: true, findings: kept, suppressed, unused: [], wrote: 'prune', changed };
  }
  return { file: path, active: true, findings: kept, suppressed, unused, wrote, changed };
}

/**
 * What a run wrote to the suppressions file, for standard error: `recorded 2 problems in
 * mclint-suppressions.json.` or `removed 1 recorded problem that no longer occur from …`; undefined when
 * it wrote nothing.
 * @param display the suppressions file as the user sees it (relative to the working directory)
 */
export function baselineWrittenMessage(outcome: BaselineOutcome, display: string): string | undefined {
  const problems = `${outcome.changed} ${outcome.wrote === 'prune' ? 'recorded ' : ''}problem${outcome.changed === 1 ? '' : 's'}`;
  if (outcome.wrote === 'suppress') return `recorded ${problems} in ${display}.`;
  if (outcome.wrote === 'prune') return `removed ${problems} that no longer occur from ${display}.`;
  return undefined;
}

/**
 * The text for unused entries (ESLint: "There are suppressions left that do not occur anymore. Consider
 * re-running the command with `--prune-suppressions`."), naming up to 10 of them.
 * @param display the suppressions file as the user sees it (relative to the working directory)
 */
export function unusedSuppressionsMessage(unused: readonly UnusedSuppression[], display: string): string {
  const total = unused.reduce((n, u) => n + u.count, 0);
  const lines = unused.slice(0, 10).map((u) => `  ${u.file}: ${u.ruleId} (${u.count} not found)`);
  if (unused.length > 10) lines.push(`  … and ${unused.length - 10} more`);
  return [
    `There are suppressions left that do not occur anymore: ${total} recorded ${total === 1 ? 'problem' : 'problems'} in ${display} no longer found.`,
    ...lines,
    'Re-run mclint with --prune-suppressions to remove them, or with --pass-on-unpruned-suppressions to ignore them.',
  ].join('\n');
}
