/**
 * The pipeline, end to end: config → discover → load → model → rules. The CLI (and later the
 * GitHub Action and the pre-commit hook) call `lint` and hand its result to a reporter.
 */
import { realpathSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { RULES } from '../rules/index.js';
import { CONFIG_FILE_NAME, ConfigError, findConfig } from './config/index.js';
import { resolveRuleStates } from './config/rules.js';
import { discover } from './discover/index.js';
import { compareFindings, runRules } from './engine/run.js';
import type { Finding, InternalError, Note, Rule } from './engine/types.js';
import { loadFile } from './load/index.js';
import type { LoadedFile, LoadOptions, OtherClass, SkipReason } from './load/types.js';
import { buildModel, READ_TYPES } from './model/index.js';

/** What to lint and how; the CLI builds it from its flags. */
export interface LintOptions {
  /** Directories to lint (each resolved on its own, DESIGN.md §2); empty: the current directory. */
  readonly dirs: readonly string[];
  /** `--cluster NAME=PATH` clusters; exclusive with `dirs`. */
  readonly clusters?: readonly { name: string; path: string }[];
  /** `--config FILE`. */
  readonly configFile?: string;
  /** `--rule ID:severity` flags, in order. */
  readonly ruleFlags?: readonly string[];
  /** Rules to run; default: the registry. Tests inject failing rules here. */
  readonly rules?: readonly Rule[];
}

/** What a run read, for the summary line. */
export interface RunStats {
  clusterSets: number;
  clusters: number;
  /** Files read (including those with parse errors), not counting skipped ones. */
  files: number;
  documents: number;
  objects: number;
  /** Skipped files by reason, paths sorted. `outside`: not inside any cluster directory. */
  skipped: Record<SkipReason | 'outside', string[]>;
  /** Non-Kubernetes documents by class. */
  otherDocuments: Record<OtherClass, number>;
}

/** A run's findings, internal errors and statistics, ready for a reporter. */
export interface LintResult {
  /** Sorted deterministically (file, position, rule). */
  readonly findings: Finding[];
  /** Info-level notes (never problems), sorted like findings. */
  readonly notes: Note[];
  readonly internalErrors: InternalError[];
  readonly stats: RunStats;
  /** Every file that was linted (absolute, sorted), for reporters that list clean files too. */
  readonly files: string[];
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

function emptyStats(): RunStats {
  return {
    clusterSets: 0,
    clusters: 0,
    files: 0,
    documents: 0,
    objects: 0,
    skipped: { binary: [], 'too-large': [], template: [], unreadable: [], outside: [] },
    otherDocuments: { 'helm-values': 0, kustomization: 0, 'json-patch': 0, other: 0 },
  };
}

/**
 * Loads the files one after the other. Small files read synchronously cost less than thread-pool
 * round trips, and parsing is synchronous anyway; worker threads were measured to gain nothing on
 * a 2-core machine once bodies of unread kinds are dropped.
 */
async function loadFiles(paths: readonly string[], options: LoadOptions): Promise<Map<string, LoadedFile>> {
  const result = new Map<string, LoadedFile>();
  for (const path of paths) result.set(path, await loadFile(path, options));
  return result;
}

interface Scope {
  readonly root: string;
  readonly explicit?: readonly { name: string; path: string }[];
}

async function lintScope(scope: Scope, options: LintOptions, stats: RunStats) {
  const config = await findConfig(scope.root, options.configFile);
  const rules = options.rules ?? RULES;
  const states = await resolveRuleStates(
    rules.map((r) => r.meta),
    config.rules,
    options.ruleFlags ?? [],
    config.file ?? CONFIG_FILE_NAME,
  );
  const discovery = await discover({ root: scope.root, config, explicit: scope.explicit });
  const paths = [...new Set(discovery.sets.flatMap((s) => s.clusters.flatMap((c) => c.files)))].sort();
  const loaded = await loadFiles(paths, { retainTypes: READ_TYPES });
  const model = buildModel(discovery, loaded, config);
  const result = await runRules(model, rules, states);

  stats.clusterSets += discovery.sets.length;
  stats.clusters += discovery.sets.reduce((n, s) => n + s.clusters.length, 0);
  stats.skipped.outside.push(...discovery.outside);
  const files: string[] = [];
  for (const file of loaded.values()) {
    if (file.skipped) {
      stats.skipped[file.skipped].push(file.path);
      continue;
    }
    files.push(file.path);
    stats.files++;
    stats.documents += file.documents;
    stats.objects += file.objectCount;
    for (const other of file.others) stats.otherDocuments[other.class]++;
  }
  return { ...result, files };
}

/**
 * Lints the given directories (or explicit clusters).
 * @throws ConfigError for usage and configuration problems (exit code 2)
 */
export async function lint(options: LintOptions): Promise<LintResult> {
  const explicit = options.clusters ?? [];
  if (explicit.length > 0 && options.dirs.length > 0) {
    throw new ConfigError('give either DIR arguments or --cluster NAME=PATH flags, not both');
  }
  const scopes: Scope[] = [];
  if (explicit.length > 0) {
    scopes.push({ root: process.cwd(), explicit: explicit.map((c) => ({ name: c.name, path: resolve(c.path) })) });
  } else {
    // The same directory named twice (or through a symlink) is linted once.
    const seen = new Set<string>();
    for (const d of options.dirs.length > 0 ? options.dirs : ['.']) {
      const root = resolve(d);
      if (!isDirectory(root)) throw new ConfigError(`${d}: no such directory`);
      const real = realpathSync(root);
      if (!seen.has(real)) scopes.push({ root });
      seen.add(real);
    }
  }
  const stats = emptyStats();
  const findings: Finding[] = [];
  const notes: Note[] = [];
  const internalErrors: InternalError[] = [];
  const files = new Set<string>();
  for (const scope of scopes) {
    const r = await lintScope(scope, options, stats);
    findings.push(...r.findings);
    notes.push(...r.notes);
    internalErrors.push(...r.internalErrors);
    for (const f of r.files) files.add(f);
  }
  for (const list of Object.values(stats.skipped)) list.sort();
  findings.sort(compareFindings);
  // Nested DIR arguments lint some files twice: report each finding once.
  const unique = findings.filter((f, i) => i === 0 || compareFindings(f, findings[i - 1]) !== 0);
  notes.sort(compareFindings);
  const uniqueNotes = notes.filter((n, i) => i === 0 || compareFindings(n, notes[i - 1]) !== 0);
  return { findings: unique, notes: uniqueNotes, internalErrors, stats, files: [...files].sort() };
}
