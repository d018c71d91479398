/**
 * The pipeline, end to end: config → discover → load → model → rules. The CLI (and later the
 * GitHub Action and the pre-commit hook) call `lint` and hand its result to a reporter.
 */
import { realpathSync, statSync } from 'node:fs';
import { dirname, resolve, sep } from 'node:path';
import { RULES } from '../rules/index.js';
import { CONFIG_FILE_NAME, ConfigError, findConfig, type RuleSetting, type SeverityName } from './config/index.js';
import { parseRuleFlag, resolveRuleStates, severityOf } from './engine/rule-config.js';
import { discover, STDIN, STDIN_FILE, type ClusterPlan } from './discover/index.js';
import type { WalkSkipReason } from './discover/walk.js';
import { forgetTexts, registerText } from './load/locate.js';
import { GitignoreFinder, gitignoreMatcher } from './discover/gitignore.js';
import { loadText } from './load/index.js';
import { emptyRenderStats, Renderer, type InputPlan, type RenderStats } from './render/index.js';
import { FleetInputs, type Pull } from './render/fleet.js';
import { FLEET_TYPES, isWithin, repositoryRoot } from './render/pulls.js';
import { RenderCache, renderCacheDir } from './render/cache.js';
import pkg from '../package.json' with { type: 'json' };
import { compareFindings, runRules } from './engine/run.js';
import { choosePrimary } from './engine/primary.js';
import type { Timing } from './engine/timing.js';
import type { Finding, InternalError, Note, Rule, RuleMeta, SuppressedFinding } from './engine/types.js';
import { ConcurrencyError, loadInOrder, ParseWorkers, workerCount, workersToStart, type Concurrency } from './load/parallel.js';
import type { LoadedFile, LoadOptions, OtherClass, SkipReason } from './load/types.js';
import { ModelBuilder, READ_TYPES } from './model/index.js';
import { reportDataOf, type ReportData } from './model/views/report-data.js';
import { connectivityOverview, type LinkOverview } from './model/connectivity.js';
import { compileOverrides, DIRECTIVE_RULES, suppress } from './suppress/index.js';
import { applyBaseline, type BaselineOptions, type BaselineOutcome } from './suppress/baseline.js';
import { sortStrings } from './base/order.js';

/** What to lint and how; the CLI builds it from its flags. */
export interface LintOptions {
  /** Directories to lint (each resolved on its own, DESIGN.md §2); empty: the current directory. */
  readonly dirs: readonly string[];
  /** `--cluster NAME=PATH` clusters; exclusive with `dirs`. */
  readonly clusters?: readonly { name: string; path: string }[];
  /**
   * Report only the findings located in, or related to (`related`), these files (paths relative
   * to the current directory, or absolute). The ClusterSets are still read whole from `dirs`:
   * cross-cluster findings need every cluster. Findings about a whole set located at a directory
   * are kept when one of the files is inside it. Used by the pre-commit hook, which passes the
   * changed files. A two-sided finding whose other side only is in these files is reported at
   * that side (`engine/primary.ts`). Undefined: report everything.
   */
  readonly files?: readonly string[];
  /**
   * Files known to have changed (the Action: a pull request's changed files), reported on without
   * restricting the report: a two-sided finding whose other side only is in one of them is
   * reported at that side (`engine/primary.ts`). Paths as for `files`; missing files (deleted by
   * the change) are ignored. `files` wins when both are given.
   */
  readonly changedFiles?: readonly string[];
  /** `--config FILE`. */
  readonly configFile?: string;
  /** `--rule ID:severity` flags, in order. */
  readonly ruleFlags?: readonly string[];
  /** Rules to run; default: the registry. Tests inject failing rules here. */
  readonly rules?: readonly Rule[];
  /** false: ignore suppression comments and annotations (`--no-inline-config`). Default true. */
  readonly inlineConfig?: boolean;
  /**
   * Report directives and annotations that suppress nothing with this severity
   * (`--report-unused-disable-directives[-severity]`); default: the config's
   * `reportUnusedDisableDirectives`, else off.
   */
  readonly reportUnusedDisableDirectives?: SeverityName;
  /**
   * Parse worker threads (`--concurrency`): a count, 0 for none, or `'auto'` (the default: workers
   * for large repositories only; see `load/parallel.ts`). Output does not depend on it.
   */
  readonly concurrency?: Concurrency;
  /** `--no-ignore`: read files that `.gitignore` or the config's `ignore` globs hide. */
  readonly noIgnore?: boolean;
  /** false (`--no-render`): never run kustomize; kustomizations are read file by file. Default true. */
  readonly render?: boolean;
  /**
   * false (`--no-render-cache`): render every kustomization again instead of reusing what an
   * earlier run rendered from the same inputs (`src/render/cache.ts`). Default true.
   */
  readonly renderCache?: boolean;
  /** The text of standard input, for a `--cluster NAME=-` cluster (the CLI reads it). */
  readonly stdin?: string;
  /**
   * Records wall time per stage and per rule (`TIMING`, `--stats`; see `engine/timing.ts`): the
   * clock runs from the start of `lint` and is stopped when it returns. Undefined (the default):
   * nothing is timed and no timing code runs per file.
   */
  readonly timing?: Timing;
  /** Also build the report data (`LintResult.reportData`: ranges, exports, meshes) the HTML report draws. Default false. */
  readonly reportData?: boolean;
  /**
   * The baseline (`mclint-suppressions.json`, `suppress/baseline.ts`): record findings, suppress the
   * recorded ones, prune. Undefined: no baseline is read.
   */
  readonly baseline?: BaselineOptions;
}

/** What a run read, for the summary line. */
export interface RunStats {
  clusterSets: number;
  clusters: number;
  /** Files read (including those with parse errors), not counting skipped ones. */
  files: number;
  documents: number;
  objects: number;
  /**
   * Skipped files by reason, paths sorted. `outside`: not inside any cluster directory;
   * `unreferenced`: below a rendered kustomization that does not read them (never applied);
   * `patch`: patches of kustomizations read unrendered (not objects). The walk's reasons
   * (`WalkSkipReason`: links outside the repository, loops, FIFOs, unreadable directories) are
   * present once one occurs.
   */
  skipped: Record<SkipReason | 'outside' | 'unreferenced' | 'patch', string[]> & Partial<Record<WalkSkipReason, string[]>>;
  /** Non-Kubernetes documents by class. */
  otherDocuments: Record<OtherClass, number>;
  /** The config files used (absolute, in the order of the DIR arguments); absent or empty: none. */
  configFiles?: string[];
  /**
   * Objects of kinds no rule reads, by `apiVersion Kind` (see `LoadedFile.unreadKinds`); absent
   * or empty: none.
   */
  unreadKinds?: Record<string, number>;
  /** What the render stage did: the binary, kustomizations rendered, failed and read unrendered. */
  render?: RenderStats;
  /** Every cluster read, in set order: its name, origin, inputs and who pulled folders into it. */
  clusterList?: ClusterBrief[];
  /** The baseline read: the suppressions file (absolute) and how many findings it suppressed. Absent: none. */
  baseline?: { file: string; suppressed: number };
}

/** A cluster as the run summary names it. */
export interface ClusterBrief {
  readonly name: string;
  readonly origin: ClusterPlan['origin'];
  readonly inputs: number;
  /** The tools that pulled folders into it (`flux`, `argocd`), each once. */
  readonly pulledBy: readonly Pull['tool'][];
}

/**
 * One cluster as a run saw it, for summaries (the GitHub Action's job summary): its name and
 * address ranges as written (`"10.0.0.0/16"`), each range once, in source order.
 */
export interface ClusterOverview {
  readonly name: string;
  /** Where the cluster came from: its folder, the config file, a `--cluster` flag, an Argo CD destination. */
  readonly origin?: ClusterPlan['origin'];
  /** Its folder (absolute), when it has one. */
  readonly root?: string;
  /** Inputs read for it: files, rendered kustomizations, standard input. */
  readonly inputs?: number;
  /** Folders Flux Kustomizations and Argo CD Applications pulled in (or could not). */
  readonly pulls?: readonly Pull[];
  readonly podCIDRs: readonly string[];
  readonly serviceCIDRs: readonly string[];
  /** Submariner GlobalNet CIDRs (`Submariner spec.globalCIDR`). */
  readonly globalCIDRs: readonly string[];
}

/** One ClusterSet as a run saw it: its name and clusters (sorted by name). */
export interface ClusterSetOverview {
  readonly name: string;
  readonly clusters: readonly ClusterOverview[];
  /** How each pair of its clusters connects (the model's connectivity), for `--print-clusterset`; `omitted`: too many clusters to list. */
  readonly connectivity?: { readonly pairs: readonly LinkOverview[]; readonly omitted?: number };
}

/** A run's findings, internal errors and statistics, ready for a reporter. */
export interface LintResult {
  /** Sorted deterministically (file, position, rule). */
  readonly findings: Finding[];
  /** Info-level notes (never problems), sorted like findings. */
  readonly notes: Note[];
  /** Findings silenced by directives, annotations or config overrides, with justification; sorted the same way. */
  readonly suppressed: SuppressedFinding[];
  /** Metadata of the rules of the run, plus the suppress stage's own reports (for SARIF). */
  readonly rules: RuleMeta[];
  readonly internalErrors: InternalError[];
  readonly stats: RunStats;
  /** Every file that was linted (absolute, sorted), for reporters that list clean files too. */
  readonly files: string[];
  /** The ClusterSets read, in the order of the DIR arguments, then as discovered. */
  readonly clusterSets: ClusterSetOverview[];
  /** What the HTML report draws, when `LintOptions.reportData` asked for it (sets of every DIR, in order). */
  readonly reportData?: ReportData;
  /** What the baseline did (`LintOptions.baseline`): the suppressions file, unused entries, what was written. */
  readonly baseline?: BaselineOutcome;
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** The real path of `path` (symbolic links resolved), or `path` itself when it does not exist. */
function realOrSelf(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}

/**
 * A predicate for `LintOptions.files`: true for a path (absolute) that is one of `files` or a
 * directory holding one of them. Paths are compared after resolving symbolic links.
 * @param lenient skip paths that do not exist or are not regular files instead of throwing
 * @throws ConfigError when one of `files` does not exist or is not a regular file (unless `lenient`)
 */
function fileFilter(files: readonly string[], lenient = false): (path: string) => boolean {
  const wanted = new Set<string>();
  for (const f of files) {
    let isFile = false;
    try {
      isFile = statSync(f).isFile();
    } catch {
      if (lenient) continue;
      throw new ConfigError(`${f}: no such file or directory`);
    }
    if (!isFile && lenient) continue;
    if (!isFile) throw new ConfigError(`${f}: not a regular file`);
    wanted.add(realpathSync(f));
  }
  const sorted = [...wanted].sort();
  const cache = new Map<string, boolean>();
  return (path) => {
    let hit = cache.get(path);
    if (hit === undefined) {
      const real = realOrSelf(path);
      // Binary search for the first wanted path ≥ real; every path equal to or under real follows it.
      let lo = 0;
      let hi = sorted.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (sorted[mid] < real) lo = mid + 1;
        else hi = mid;
      }
      // Entries sharing the prefix without a separator ("a/b-c" sorts between "a/b" and "a/b/x")
      // are skipped.
      const under = real.endsWith(sep) ? real : real + sep;
      hit = false;
      for (let i = lo; i < sorted.length && sorted[i].startsWith(real); i++) {
        if (sorted[i] === real || sorted[i].startsWith(under)) {
          hit = true;
          break;
        }
      }
      cache.set(path, hit);
    }
    return hit;
  };
}

/**
 * A FILE argument that `.gitignore` hides would never be linted: a usage error saying so (ESLint:
 * "File ignored because of a matching ignore pattern"). The pre-commit hook never passes one.
 * @throws ConfigError
 */
function rejectIgnored(file: string): void {
  const real = realOrSelf(resolve(file));
  const ignored = gitignoreMatcher(new GitignoreFinder().find(dirname(real), dirname(real)));
  if (ignored?.(real)) throw new ConfigError(`${file}: ignored by .gitignore, so it is never linted (lint it with --no-ignore)`);
}

function emptyStats(): RunStats {
  return {
    clusterSets: 0,
    clusters: 0,
    files: 0,
    documents: 0,
    objects: 0,
    skipped: { binary: [], 'too-large': [], template: [], unreadable: [], outside: [], unreferenced: [], patch: [] },
    otherDocuments: { 'helm-values': 0, kustomization: 0, 'json-patch': 0, other: 0 },
    configFiles: [],
    unreadKinds: {},
  };
}

/**
 * Starts the parse workers wanted before the files are known (`workersToStart`: an explicit
 * count); `'auto'` workers start when discovery's walk has counted the files
 * (`DiscoverInput.onWalked`). `loadFiles` keeps those the files need.
 * @throws ConfigError when `concurrency` asks for workers that cannot run
 */
function startWorkers(concurrency: Concurrency): ParseWorkers {
  try {
    return ParseWorkers.start(workersToStart(concurrency));
  } catch (err) {
    if (err instanceof ConcurrencyError) throw new ConfigError(`--concurrency: ${err.message}`);
    throw err;
  }
}

/**
 * Loads the files in path order, handing each to the model builder as soon as it is loaded so
 * its parsed bodies are released before the next file (a large repository never holds every
 * parsed document at once). With parse workers, YAML parsing runs ahead on other threads; the
 * files still reach the builder in the same order.
 * @param workers workers started by `startWorkers`: those `concurrency` does not give these
 *   files are stopped, the others stop when loading is done
 */
async function loadFiles(
  paths: readonly string[],
  options: LoadOptions,
  add: (file: LoadedFile) => void,
  concurrency: Concurrency,
  workers: ParseWorkers,
): Promise<Map<string, LoadedFile>> {
  workers.resize(workerCount(concurrency, paths.length));
  const result = new Map<string, LoadedFile>();
  for await (const file of loadInOrder(paths, options, workers)) {
    add(file);
    result.set(file.path, file);
  }
  return result;
}

/** Types whose bodies loading keeps: those fact sources read, and those fleet references are read from. */
const RETAINED: ReadonlySet<string> = new Set([...READ_TYPES, ...FLEET_TYPES]);

interface Scope {
  readonly root: string;
  readonly explicit?: readonly { name: string; path: string }[];
  /** The user named this directory: yielding no file is a usage error. */
  readonly explicitRoot?: boolean;
}

async function lintScope(scope: Scope, options: LintOptions, stats: RunStats, changed?: (path: string) => boolean) {
  const concurrency = options.concurrency ?? 'auto';
  options.timing?.enter('load');
  const workers = startWorkers(concurrency);
  try {
    return await lintScopeWith(scope, options, stats, concurrency, workers, changed);
  } finally {
    workers.stop();
  }
}

async function lintScopeWith(scope: Scope, options: LintOptions, stats: RunStats, concurrency: Concurrency, workers: ParseWorkers, changed?: (path: string) => boolean) {
  const timing = options.timing;
  timing?.enter('config');
  const config = await findConfig(scope.root, options.configFile);
  const rules = options.rules ?? RULES;
  const metas = rules.map((r) => r.meta);
  const flags = options.ruleFlags ?? [];
  const configName = config.file ?? CONFIG_FILE_NAME;
  const states = await resolveRuleStates(metas, config.rules, flags, configName);
  const overrides = compileOverrides(config.overrides, new Set(metas.map((m) => m.id)), configName);
  const locked = new Set(flags.map((f) => parseRuleFlag(f)[0]));
  // A rule off in `rules` but turned on by an override runs; the suppress stage keeps only the
  // findings the override selects.
  const forced: Record<string, RuleSetting> = {};
  for (const o of overrides) {
    for (const [id, severity] of o.rules) {
      if (severity === 'off' || states.has(id) || locked.has(id)) continue;
      const setting = config.rules[id];
      forced[id] = Array.isArray(setting) && setting.length > 1 ? ['error', setting[1] as Record<string, unknown>] : 'error';
    }
  }
  const runStates = Object.keys(forced).length > 0 ? await resolveRuleStates(metas, { ...config.rules, ...forced }, flags, configName) : states;
  // 'auto' workers start once the walk has counted the files, while discovery assigns them.
  const onWalked = concurrency === 'auto' ? (files: number) => workers.resize(workerCount('auto', files)) : undefined;
  timing?.enter('discover');
  const discovery = await discover({ root: scope.root, config, explicit: scope.explicit, onWalked, noIgnore: options.noIgnore, explicitRoot: scope.explicitRoot });
  timing?.enter('render');
  const repoRoot = repositoryRoot(scope.root);
  const renderCache = new RenderCache(options.render !== false && options.renderCache !== false ? renderCacheDir(repoRoot) : undefined);
  const renderer = new Renderer(options.render !== false, process.env, renderCache, pkg.version);
  renderer.trusted = discovery.trusted;
  const loadOptions: LoadOptions = { retainTypes: RETAINED };
  /**
   * Loads every cluster's inputs into a new model builder: its own files (those below a
   * kustomization or chart it renders are read through the render), then what its Flux
   * Kustomizations and Argo CD Applications pull in. `carved`: folders inside a cluster's own
   * folder that a Flux Kustomization with post-build substitution reads (`FleetInputs.carving`);
   * their files are left out of the cluster's own and read through that Kustomization instead.
   */
  const loadInputs = async (carved: ReadonlyMap<string, readonly string[]>) => {
    const owners = new Map<string, string[]>();
    const plans = new Map<string, InputPlan>();
    for (const set of discovery.sets) {
      for (const c of set.clusters) {
        const cut = carved.get(c.name) ?? [];
        const plan = renderer.plan(c.files.filter((f) => f !== STDIN_FILE && !cut.some((d) => isWithin(f, d))));
        plans.set(c.name, plan);
        for (const f of plan.raw) {
          const list = owners.get(f);
          if (list) list.push(c.name);
          else owners.set(f, [c.name]);
        }
      }
    }
    const paths = sortStrings([...owners.keys()]);
    timing?.enter('model');
    const builder = new ModelBuilder(discovery, config);
    const fleet = new FleetInputs(repoRoot, discovery, renderer, builder, loadOptions, carved);
    if (timing) {
      // Timed runs only: fact extraction is charged to `model` and reading fleet references to
      // `render` wherever they are called from (loading, renders, pulls); untimed runs keep the plain methods.
      builder.add = timing.charge('model', builder.add.bind(builder));
      builder.addTo = timing.charge('model', builder.addTo.bind(builder));
      fleet.collect = timing.charge('render', fleet.collect.bind(fleet));
    }
    timing?.enter('load');
    const add = (file: LoadedFile) => {
      for (const c of owners.get(file.path) ?? []) fleet.collect(file, c);
      builder.add(file);
    };
    fleet.prefetchOwn(plans);
    const loaded = await loadFiles(paths, loadOptions, add, concurrency, workers);
    const stdinCluster = discovery.sets.flatMap((s) => s.clusters).find((c) => c.files.includes(STDIN_FILE));
    if (stdinCluster) {
      const text = options.stdin ?? '';
      registerText(STDIN_FILE, text);
      const file = await loadText(STDIN_FILE, text, loadOptions);
      fleet.collect(file, stdinCluster.name);
      builder.add(file);
      loaded.set(STDIN_FILE, file);
    }
    timing?.enter('render');
    await fleet.renderOwn(plans);
    await fleet.follow();
    return { builder, fleet, loaded, plans };
  };
  let { builder, fleet, loaded, plans } = await loadInputs(new Map());
  // A Flux Kustomization substituting variables into a folder of its own cluster (the common
  // `kubernetes/<cluster>/apps` layout): that folder was read as written; read it again through the
  // Kustomization, once, with the folders it names carved out of the clusters' own files.
  if (fleet.carving.size > 0) ({ builder, fleet, loaded, plans } = await loadInputs(fleet.carving));
  renderCache.prune();
  timing?.enter('model');
  const model = builder.finish(loaded);
  const result = await runRules(model, rules, runStates, timing);
  timing?.enter('suppress');
  const configUnused = config.reportUnusedDisableDirectives;
  // A two-sided finding is reported on the side in a changed file (FILE arguments, a pull request's changes).
  const { findings, suppressed, notes } = await suppress(
    choosePrimary(result.findings, changed),
    model,
    {
      severities: new Map(metas.map((m) => [m.id, states.get(m.id)?.severity ?? 'off'])),
      locked,
      overrides,
      configDir: config.dir,
      configFile: config.file,
      inlineConfig: options.inlineConfig !== false && !config.noInlineConfig,
      reportUnused: options.reportUnusedDisableDirectives ?? (configUnused !== undefined ? severityOf(configUnused) : 'off'),
    },
    choosePrimary(result.notes, changed),
  );
  timing?.enter('report');
  const withVia = <F extends Note>(f: F): F => {
    const via = f.cluster !== undefined ? fleet.via(f.cluster, f.file) : undefined;
    return via === undefined ? f : { ...f, via };
  };

  stats.clusterSets += discovery.sets.length;
  stats.clusters += model.sets.reduce((n, s) => n + s.clusters.length, 0);
  const render = (stats.render ??= emptyRenderStats());
  if (renderer.stats.tool) render.tool = renderer.stats.tool;
  if (renderer.stats.off) render.off = true;
  if (renderer.stats.tooOld) render.tooOld = renderer.stats.tooOld;
  // Renders finish in any order: the lists are sorted, so the output never depends on it.
  for (const key of ['rendered', 'unrendered', 'failed', 'patches', 'charts', 'chartsUnrendered'] as const) {
    for (const d of renderer.stats[key] ?? []) if (!(render[key] ??= []).includes(d)) render[key].push(d);
    render[key]?.sort();
  }
  if (config.file !== undefined && !stats.configFiles?.includes(config.file)) (stats.configFiles ??= []).push(config.file);
  const unreadKinds = (stats.unreadKinds ??= {});
  const files: string[] = [];
  const seenFiles = new Set<string>();
  for (const file of [...loaded.values(), ...fleet.loaded]) {
    if (file.skipped) {
      stats.skipped[file.skipped].push(file.path);
      continue;
    }
    // A rendered kustomization stands for the files kustomize read to make it; a file read for two
    // clusters is one file.
    for (const path of file.sources ?? [file.path]) {
      if (seenFiles.has(path)) continue;
      seenFiles.add(path);
      files.push(path);
      stats.files++;
    }
    stats.documents += file.documents;
    stats.objects += file.objectCount;
    for (const other of file.others) stats.otherDocuments[other.class]++;
    if (file.unreadKinds) for (const k of file.unreadKinds) unreadKinds[k.type] = (unreadKinds[k.type] ?? 0) + k.count;
  }
  for (const s of discovery.skipped ?? []) (stats.skipped[s.reason] ??= []).push(s.path);
  // Files outside every cluster folder that a render or a pull read after all are not skipped.
  stats.skipped.outside.push(...discovery.outside.filter((f) => !seenFiles.has(f)));
  // Files below a rendered kustomization that it does not read are never applied: said, not dropped.
  const patches = new Set(renderer.stats.patches ?? []);
  for (const p of patches) if (!stats.skipped.patch.includes(p)) stats.skipped.patch.push(p);
  for (const set of discovery.sets) {
    for (const c of set.clusters) {
      const raw = new Set(plans.get(c.name)?.raw ?? c.files);
      for (const f of c.files) if (f !== STDIN_FILE && !raw.has(f) && !patches.has(f) && !seenFiles.has(f)) stats.skipped.unreferenced.push(f);
    }
  }
  const planOf = new Map(discovery.sets.flatMap((s) => s.clusters.map((c) => [c.name, c] as const)));
  const texts = (facts: readonly { value: { text: string } }[]) => [...new Set(facts.map((f) => f.value.text))];
  const clusterSets = model.sets.map((set) => ({
    name: set.name,
    clusters: set.clusters.map((c) => ({
      name: c.name,
      origin: planOf.get(c.name)?.origin ?? fleet.created.get(c.name) ?? 'argocd',
      ...(c.root !== undefined ? { root: c.root } : {}),
      inputs: new Set(c.files.flatMap((f) => f.sources ?? [f.path])).size,
      pulls: fleet.pulls.filter((p) => p.cluster === c.name),
      podCIDRs: texts(c.network.podCIDRs),
      serviceCIDRs: texts(c.network.serviceCIDRs),
      globalCIDRs: texts(c.network.globalCIDRs),
    })),
    // Computed when read (--print-clusterset, the HTML report): every pair of a large set is work a plain run does not need.
    get connectivity() {
      return connectivityOverview(set);
    },
  }));
  for (const set of clusterSets) {
    for (const c of set.clusters) {
      (stats.clusterList ??= []).push({
        name: c.name,
        origin: c.origin,
        inputs: c.inputs,
        pulledBy: [...new Set(c.pulls.filter((p) => p.skipped === undefined).map((p) => p.tool))],
      });
    }
  }
  const reportData = options.reportData ? await reportDataOf(model) : undefined;
  return { findings: findings.map(withVia), notes: notes.map(withVia), suppressed: suppressed.map(withVia), internalErrors: result.internalErrors, files, clusterSets, reportData };
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
    scopes.push({ root: process.cwd(), explicit: explicit.map((c) => ({ name: c.name, path: c.path === STDIN ? STDIN : resolve(c.path) })) });
  } else {
    // The same directory named twice (or through a symlink) is linted once.
    const seen = new Set<string>();
    for (const d of options.dirs.length > 0 ? options.dirs : ['.']) {
      const root = resolve(d);
      if (!isDirectory(root)) throw new ConfigError(`${d}: no such directory`);
      const real = realpathSync(root);
      if (!seen.has(real)) scopes.push({ root, explicitRoot: options.dirs.length > 0 });
      seen.add(real);
    }
  }
  options.timing?.enter('config');
  // Texts registered by an earlier run in this process (standard input) are not this run's.
  forgetTexts();
  const keep = options.files !== undefined ? fileFilter(options.files) : undefined;
  if (options.files && !options.noIgnore) for (const f of options.files) rejectIgnored(f);
  const changed = keep ?? (options.changedFiles !== undefined ? fileFilter(options.changedFiles, true) : undefined);
  const stats = emptyStats();
  const findings: Finding[] = [];
  const notes: Note[] = [];
  const suppressed: SuppressedFinding[] = [];
  const internalErrors: InternalError[] = [];
  const files = new Set<string>();
  const clusterSets: ClusterSetOverview[] = [];
  const reportSets: ReportData['sets'] = [];
  for (const scope of scopes) {
    const r = await lintScope(scope, options, stats, changed);
    options.timing?.enter('report');
    clusterSets.push(...r.clusterSets);
    if (r.reportData) reportSets.push(...r.reportData.sets);
    findings.push(...r.findings);
    notes.push(...r.notes);
    suppressed.push(...r.suppressed);
    internalErrors.push(...r.internalErrors);
    for (const f of r.files) files.add(f);
  }
  for (const list of Object.values(stats.skipped)) list.sort();
  findings.sort(compareFindings);
  // Nested DIR arguments lint some files twice: report each finding once.
  let unique = findings.filter((f, i) => i === 0 || compareFindings(f, findings[i - 1]) !== 0);
  notes.sort(compareFindings);
  let uniqueNotes = notes.filter((n, i) => i === 0 || compareFindings(n, notes[i - 1]) !== 0);
  suppressed.sort(compareFindings);
  let uniqueSuppressed = suppressed.filter((f, i) => i === 0 || compareFindings(f, suppressed[i - 1]) !== 0);
  let linted = [...files].sort();
  if (keep) {
    const related = (f: Note) => keep(f.file) || f.related.some((r) => keep(r.file));
    unique = unique.filter(related);
    uniqueNotes = uniqueNotes.filter(related);
    uniqueSuppressed = uniqueSuppressed.filter(related);
    linted = linted.filter(keep);
  }
  const rules = [...(options.rules ?? RULES).map((r) => r.meta), ...DIRECTIVE_RULES];
  // The baseline, last: it sees the findings reported (after inline suppressions and FILE arguments);
  // entries of files outside the run (FILE arguments, other directories) are never unused.
  let baseline: BaselineOutcome | undefined;
  if (options.baseline) {
    // In scope: below a DIR, or below (or equal to) a --cluster path.
    const roots = scopes.flatMap((s) => (s.explicit ? s.explicit.filter((c) => c.path !== STDIN).map((c) => c.path) : [s.root]));
    const under = (p: string) => roots.some((r) => p === r || p.startsWith(r.endsWith(sep) ? r : r + sep));
    baseline = applyBaseline(unique, options.baseline, { inScope: keep ?? under, ruleIds: new Set(rules.map((r) => r.id)), incomplete: internalErrors.length > 0 });
    if (baseline.active) {
      unique = baseline.findings;
      uniqueSuppressed = [...uniqueSuppressed, ...baseline.suppressed].sort(compareFindings);
      stats.baseline = { file: baseline.file, suppressed: baseline.suppressed.length };
    }
    // The suppressions file is not a manifest left out of every cluster.
    stats.skipped.outside = stats.skipped.outside.filter((f) => f !== baseline?.file);
  }
  options.timing?.stop();
  return {
    findings: unique,
    notes: uniqueNotes,
    suppressed: uniqueSuppressed,
    rules,
    internalErrors,
    stats,
    files: linted,
    clusterSets,
    ...(options.reportData ? { reportData: { sets: reportSets } } : {}),
    ...(baseline ? { baseline } : {}),
  };
}
