/**
 * CLI stage: argv → options → lint → report → exit code.
 *
 * Exit codes (ESLint's, DESIGN.md §6): 0 no errors and warnings ≤ --max-warnings; 1 errors or
 * too many warnings; 2 usage, config or internal error. Never 1 for a crash, never 2 for findings.
 */
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { Concurrency } from './load/parallel.js';
import { parseArgs } from 'node:util';
import { supportsColor } from 'chalk';
import pkg from '../package.json' with { type: 'json' };
import { RULES } from '../rules/index.js';
import { ConfigError, likelyMeant, type SeveritySetting } from './config/index.js';
import { formatPrintedConfig, resolvePrintedConfig } from './report/print-config.js';
import { parseRuleFlag, severityOf } from './engine/rule-config.js';
import type { Rule } from './engine/types.js';
import { lint } from './lint.js';
import { wholeClusterSetReason } from './discover/staged.js';
import { FORMATTERS } from './report/index.js';
import { formatRuleList, RULE_LIST_FORMATS, type RuleListFormat } from './report/rules-list.js';
import { formatSummary } from './report/summary.js';
import { terminalWidth } from './report/stylish.js';
import { formatClusterSet, formatClusterSetJson } from './report/clusterset.js';
import { inert, inertLines } from './report/inert.js';
import { baselineFlagError, baselineWrittenMessage, unusedSuppressionsMessage, type BaselineOptions } from './suppress/baseline.js';
import { displayPath } from './model/describe.js';

/** Text for standard error that may quote the repository (rule options, paths): printed inertly, line breaks kept, no line a workflow command. */
const safe = (text: string) => inertLines(inert(text, true));
import { Timing } from './engine/timing.js';
import { formatTiming, timingRows, withStats } from './report/timing.js';

/** The `--help` text. */
export const USAGE = `Usage: mclint [options] [DIR...] [FILE...]

Lints the manifests of every cluster of a ClusterSet together and reports what breaks between
clusters. In DIR (default: .), the clusters are those the config file names (mclint.config.yaml|yml|json,
looked up from DIR up to the repository root), else the subdirectories of the clusters/ folders at
the shallowest depth below DIR (k8s/clusters/<name>), else DIR's own subdirectories. Kustomizations
are rendered with kustomize (or kubectl) and Helm charts with helm when installed; Flux
Kustomizations and Argo CD Applications pull the repository folders they name into their clusters.

FILE arguments (the pre-commit hook passes the changed files) restrict the report to findings
located in those files or related to them (the other side of a cross-cluster finding, which is
then reported at the side in a FILE); the ClusterSet is still read whole from DIR (default: the
current directory), since cross-cluster findings need every cluster. Files outside every cluster
are accepted and ignored. The whole ClusterSet is reported when a FILE is the config file, or when
the git index stages the deletion of a YAML or JSON file below DIR (a commit that deletes a
manifest passes no file for it).

Options:
  --cluster NAME=PATH      Lint PATH as cluster NAME (repeatable; instead of DIR); PATH is a folder,
                           a file (e.g. rendered output) or - for standard input (once per run)
  -c, --config FILE        Use this config file instead of the nearest mclint.config.yaml|yml|json
                           (looked up from DIR, or the working directory, up to the repository root)
  -f, --format NAME[:FILE] Output format (default: stylish), one of:
                           ${Object.keys(FORMATTERS).join(', ')};
                           repeatable, NAME:FILE writes that format to FILE, e.g.
                           -f stylish -f sarif:mclint.sarif (console and SARIF file)
  -o, --output-file FILE   Write the report (the --format given without :FILE) to FILE
  --max-warnings N         Exit with code 1 when there are more than N warnings
  --quiet                  Report errors only (no warnings, no notes)
  --rule ID:SEVERITY       Set a rule's severity: off, warn (or warning) or error (repeatable)
  --no-inline-config       Ignore # mclint-disable comments and mclint.io/ignore annotations
  --report-unused-disable-directives
                           Report comments and annotations that suppress nothing (as warnings)
  --report-unused-disable-directives-severity SEVERITY
                           ...with this severity: off, warn or error
  --suppress-all           Record every current problem in the baseline, mclint-suppressions.json
                           (ESLint's bulk suppressions): later runs report only new problems
  --suppress-rule ID       Record the current problems of rule ID only (repeatable)
  --suppressions-location FILE
                           The baseline file (default: mclint-suppressions.json in the working
                           directory, used when it exists)
  --prune-suppressions     Remove recorded problems that no longer occur from the baseline
  --pass-on-unpruned-suppressions
                           Do not exit with code 2 when recorded problems no longer occur
  --no-ignore              Also read files that .gitignore or the config's ignore globs hide
                           (rendered output is often git-ignored)
  --no-render              Do not run kustomize: read kustomizations file by file
  --no-render-cache        Render every kustomization again instead of reusing an earlier run's
                           output for the same inputs (kept in $XDG_CACHE_HOME/mclint,
                           default ~/.cache/mclint)
  --concurrency N|auto|off Parse YAML on N worker threads (default auto: for 1000 files or more,
                           one per spare CPU, at most 3); the output never depends on it
  --color, --no-color      Force or disable colors (default: on for a terminal; FORCE_COLOR, NO_COLOR honoured)
  --verbose                Show findings' hints; list skipped files and kinds no rule reads
  --stats                  Add the run's times per stage and per rule (ms) to --format json, which
                           becomes {"results": [...], "stats": {...}}; other formats are unchanged
  --list-rules             List the rules (id, default severity, description, docs) and exit;
                           --format json prints a JSON array, --format markdown a Markdown table
  --print-config           Print the resolved configuration (YAML; JSON with --format json) and exit
  --print-clusterset       Print the ClusterSets built (clusters, where each came from, its inputs,
                           what Flux/Argo CD pulled in and what was rendered; JSON with --format json)
                           and exit
  -v, --version            Print the version and exit
  -h, --help               Print this help and exit

Environment: TIMING=1 prints the 10 slowest rules (TIMING=all: every rule; TIMING=N: N rules)
and the time of each stage to standard error after the report, as ESLint does.

Exit codes: 0 no problems (or only warnings within --max-warnings), 1 problems found,
2 usage, configuration or internal error, or baseline entries that no longer occur.`;

const OPTIONS = {
  cluster: { type: 'string', multiple: true },
  config: { type: 'string', short: 'c' },
  format: { type: 'string', short: 'f', multiple: true },
  'output-file': { type: 'string', short: 'o' },
  'max-warnings': { type: 'string' },
  quiet: { type: 'boolean' },
  rule: { type: 'string', multiple: true },
  'no-inline-config': { type: 'boolean' },
  'report-unused-disable-directives': { type: 'boolean' },
  'report-unused-disable-directives-severity': { type: 'string' },
  color: { type: 'boolean' },
  'no-color': { type: 'boolean' },
  concurrency: { type: 'string' },
  'no-ignore': { type: 'boolean' },
  verbose: { type: 'boolean' },
  stats: { type: 'boolean' },
  'list-rules': { type: 'boolean' },
  'print-config': { type: 'boolean' },
  'print-clusterset': { type: 'boolean' },
  'no-render': { type: 'boolean' },
  'no-render-cache': { type: 'boolean' },
  'suppress-all': { type: 'boolean' },
  'suppress-rule': { type: 'string', multiple: true },
  'suppressions-location': { type: 'string' },
  'prune-suppressions': { type: 'boolean' },
  'pass-on-unpruned-suppressions': { type: 'boolean' },
  version: { type: 'boolean', short: 'v' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** Where the CLI writes; tests substitute buffers. */
export interface CliIO {
  stdout(text: string): void;
  stderr(text: string): void;
  readonly env: NodeJS.ProcessEnv;
  readonly isTTY: boolean;
  /** Reads all of standard input (for `--cluster NAME=-`); default: file descriptor 0. */
  readStdin?(): string;
}

class UsageError extends Error {}

/**
 * chalk color level. Precedence: `--no-color`/`--color`, then `FORCE_COLOR` (0/false disables,
 * 1–3 set the level; like Node itself, it wins over `NO_COLOR`), then `NO_COLOR` (any non-empty
 * value disables), then whether the output is a terminal.
 */
export function colorLevel(flags: { color?: boolean; noColor?: boolean }, env: NodeJS.ProcessEnv, isTTY: boolean, toFile: boolean): 0 | 1 | 2 | 3 {
  if (flags.noColor) return 0;
  const detected = supportsColor ? supportsColor.level : 0;
  if (flags.color) return detected > 0 ? detected : 1;
  const force = env.FORCE_COLOR;
  if (force !== undefined) {
    if (force === '0' || force === 'false') return 0;
    const n = Number(force);
    return n >= 1 && n <= 3 ? (n as 1 | 2 | 3) : 1;
  }
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return 0;
  if (toFile || !isTTY) return 0;
  return detected > 0 ? detected : 1;
}

/** All of standard input as text; a terminal or a closed input gives ''. */
function readStdin(io: CliIO): string {
  if (io.readStdin) return io.readStdin();
  try {
    return readFileSync(0, 'utf8');
  } catch {
    return '';
  }
}

function parseClusterFlag(flag: string): { name: string; path: string } {
  const eq = flag.indexOf('=');
  if (eq <= 0 || eq === flag.length - 1) throw new UsageError(`invalid --cluster "${flag}": expected NAME=PATH`);
  return { name: flag.slice(0, eq), path: flag.slice(eq + 1) };
}

/** One report to write: a format and its destination (undefined: standard output). */
export interface OutputSpec {
  readonly format: string;
  readonly file?: string;
}

/**
 * Pairs `--format` values with destinations. Each value is `NAME` or `NAME:FILE` (split at the
 * first colon). At most one format goes without a file: it is written to `--output-file` when
 * given, else to standard output. No `--format`: stylish. Two reports to the same file, an unknown
 * format, or an `--output-file` no format is left to write are usage errors.
 * @throws UsageError
 */
export function parseOutputs(formats: readonly string[] | undefined, outputFile: string | undefined, known: readonly string[]): OutputSpec[] {
  const specs = (formats && formats.length > 0 ? formats : ['stylish']).map((value): OutputSpec => {
    const colon = value.indexOf(':');
    const format = colon < 0 ? value : value.slice(0, colon);
    const file = colon < 0 ? undefined : value.slice(colon + 1);
    if (!known.includes(format)) throw new UsageError(`unknown format "${format}" (available: ${known.join(', ')})`);
    if (file === '') throw new UsageError(`--format ${value}: expected NAME:FILE with a file name after the colon`);
    return { format, file };
  });
  const unpaired = specs.filter((s) => s.file === undefined);
  if (unpaired.length > 1) {
    throw new UsageError(
      `only one --format can go to ${outputFile === undefined ? 'standard output' : '--output-file'}; give the others a file (NAME:FILE), e.g. -f stylish -f sarif:mclint.sarif`,
    );
  }
  if (outputFile !== undefined) {
    if (unpaired.length === 0) throw new UsageError(`--output-file ${outputFile}: every --format already names its file (NAME:FILE)`);
    specs[specs.indexOf(unpaired[0])] = { format: unpaired[0].format, file: outputFile };
  }
  const seen = new Set<string>();
  for (const s of specs) {
    if (s.file === undefined) continue;
    const abs = resolve(s.file);
    if (seen.has(abs)) throw new UsageError(`two reports would be written to ${s.file}`);
    seen.add(abs);
  }
  return specs;
}

/**
 * Splits positional arguments into directories to lint and files to report on.
 * @throws UsageError for a path that does not exist
 */
function splitPositionals(positionals: readonly string[]): { dirs: string[]; files: string[] } {
  const dirs: string[] = [];
  const files: string[] = [];
  for (const p of positionals) {
    let isDir: boolean;
    try {
      isDir = statSync(p).isDirectory();
    } catch {
      throw new UsageError(`${p}: no such file or directory`);
    }
    (isDir ? dirs : files).push(p);
  }
  return { dirs, files };
}

/**
 * The `--list-rules` output (`report/rules-list.ts`): by default a table with one row per rule (id,
 * default severity, one-line description, documentation page) in aligned columns under a header;
 * `--format json` an array of objects, `--format markdown` a Markdown table.
 * @throws UsageError for another format, or a format with a file
 */
export function listRules(rules: readonly Rule[], formats: readonly string[] = []): string {
  if (formats.length > 1) throw new UsageError('--list-rules prints one list: give at most one --format (json or markdown)');
  const format = formats[0] ?? 'stylish';
  if (!(RULE_LIST_FORMATS as readonly string[]).includes(format)) throw new UsageError(`--list-rules prints a table, or --format json or --format markdown, not "${format}"`);
  return formatRuleList(
    rules.map((r) => r.meta),
    format as RuleListFormat,
  );
}

/**
 * `--max-warnings -1` (ESLint's "no limit"): node's parseArgs takes `-1` for a short option, so a
 * negative number after `--max-warnings` is joined to it (`--max-warnings=-1`).
 */
function joinNegativeValues(argv: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--max-warnings' && i + 1 < argv.length && /^-\d+$/.test(argv[i + 1])) out.push(`--max-warnings=${argv[++i]}`);
    else out.push(argv[i]);
  }
  return out;
}

/**
 * For node's `parseArgs` error on an unknown option (`ERR_PARSE_ARGS_UNKNOWN_OPTION`, message
 * `Unknown option '--confg'. To specify a positional argument…`): `unknown option '--confg'; did
 * you mean '--config'?` when a long option is that close (`likelyMeant`), as ESLint's CLI
 * suggests (optionator). Undefined for other errors and when nothing is close (node's message
 * stays, with its hint about `--`).
 */
function unknownOptionMessage(err: Error & { code?: string }): string | undefined {
  if (err.code !== 'ERR_PARSE_ARGS_UNKNOWN_OPTION') return undefined;
  const option = /^Unknown option '(--[^'=]+)'/.exec(err.message)?.[1];
  const meant = option === undefined ? undefined : likelyMeant(option.slice(2), Object.keys(OPTIONS));
  return meant === undefined ? undefined : `unknown option '${option}'; did you mean '--${meant}'?`;
}

/**
 * Runs the CLI.
 * @param argv arguments after the program name
 * @returns the exit code
 */
export async function main(argv: readonly string[], io: CliIO, rules: readonly Rule[] = RULES): Promise<number> {
  try {
    let parsed;
    try {
      parsed = parseArgs({ args: joinNegativeValues(argv), options: OPTIONS, allowPositionals: true, strict: true });
    } catch (err) {
      throw new UsageError(unknownOptionMessage(err as Error) ?? (err as Error).message);
    }
    const { values, positionals } = parsed;
    if (values.help) {
      io.stdout(`${USAGE}\n`);
      return 0;
    }
    if (values.version) {
      io.stdout(`${pkg.version}\n`);
      return 0;
    }
    if (values['list-rules']) {
      io.stdout(listRules(rules, values.format));
      return 0;
    }
    const outputs = parseOutputs(values.format, values['output-file'], Object.keys(FORMATTERS));
    let maxWarnings = -1;
    if (values['max-warnings'] !== undefined) {
      if (!/^(-1|\d+)$/.test(values['max-warnings'])) throw new UsageError(`--max-warnings expects a whole number, got "${values['max-warnings']}"`);
      maxWarnings = Number(values['max-warnings']);
    }
    let concurrency: Concurrency = 'auto';
    if (values.concurrency !== undefined && values.concurrency !== 'auto') {
      if (values.concurrency === 'off') concurrency = 0;
      else if (/^\d+$/.test(values.concurrency) && Number(values.concurrency) <= 64) concurrency = Number(values.concurrency);
      else throw new UsageError(`--concurrency expects a number of threads (0 to 64), auto or off, got "${values.concurrency}"`);
    }
    const clusters = (values.cluster ?? []).map(parseClusterFlag);
    const { dirs, files } = splitPositionals(positionals);
    if (clusters.length > 0 && dirs.length > 0) throw new UsageError('give either DIR arguments or --cluster NAME=PATH flags, not both');
    for (const flag of values.rule ?? []) {
      try {
        parseRuleFlag(flag);
      } catch (err) {
        throw new UsageError((err as Error).message);
      }
    }

    const unusedSeverity = values['report-unused-disable-directives-severity'];
    if (unusedSeverity !== undefined && !/^(off|warn|warning|error|0|1|2)$/.test(unusedSeverity)) {
      throw new UsageError(`--report-unused-disable-directives-severity expects off, warn or error, got "${unusedSeverity}"`);
    }
    const reportUnused = unusedSeverity !== undefined ? severityOf(unusedSeverity as SeveritySetting) : values['report-unused-disable-directives'] ? ('warn' as const) : undefined;

    // The baseline (suppress/baseline.ts): ESLint's flag combinations are usage errors.
    const baseline: BaselineOptions = {
      location: values['suppressions-location'],
      suppressAll: values['suppress-all'],
      suppressRules: values['suppress-rule'],
      prune: values['prune-suppressions'],
    };
    const fromStdin = clusters.some((c) => c.path === '-');
    const baselineError = baselineFlagError(baseline, fromStdin);
    if (baselineError !== undefined) throw new UsageError(baselineError);

    if (values['print-config']) {
      if (dirs.length > 1) throw new UsageError('--print-config takes at most one DIR');
      const asJson = outputs.some((o) => o.format === 'json');
      if (outputs.some((o) => o.format !== 'json' && o.format !== 'stylish') || outputs.some((o) => o.file !== undefined)) {
        throw new UsageError('--print-config prints YAML to standard output, or JSON with --format json');
      }
      const printed = await resolvePrintedConfig({
        root: resolve(dirs[0] ?? '.'),
        configFile: values.config,
        clusters,
        ruleFlags: values.rule ?? [],
        rules: rules.map((r) => r.meta),
        inlineConfig: !values['no-inline-config'],
        reportUnusedDisableDirectives: reportUnused,
      });
      io.stdout(await formatPrintedConfig(printed, asJson ? 'json' : 'yaml'));
      return 0;
    }

    // TIMING (ESLint's variable) and --stats time the run; otherwise nothing is timed.
    const rows = timingRows(io.env.TIMING);
    const timing = rows !== undefined || values.stats ? new Timing() : undefined;
    // A commit that changes the config or deletes a manifest can break any file: report the whole ClusterSet.
    const widened = files.length > 0 ? wholeClusterSetReason({ files, roots: dirs.length > 0 ? dirs : ['.'], configFile: values.config, env: io.env }) : undefined;
    if (widened !== undefined) io.stderr(safe(`mclint: ${widened}: reporting the whole ClusterSet, not only the findings of the files given.\n`));
    const result = await lint({
      timing,
      dirs,
      files: files.length > 0 && widened === undefined ? files : undefined,
      // Widened: every finding is reported, a two-sided one still at the side in a FILE.
      changedFiles: files.length > 0 && widened !== undefined ? files : undefined,
      clusters,
      configFile: values.config,
      ruleFlags: values.rule ?? [],
      rules,
      inlineConfig: !values['no-inline-config'],
      reportUnusedDisableDirectives: reportUnused,
      concurrency,
      noIgnore: values['no-ignore'] ?? false,
      render: !values['no-render'],
      renderCache: !values['no-render-cache'],
      stdin: clusters.some((c) => c.path === '-') ? readStdin(io) : undefined,
      // The HTML report draws ranges, exports and meshes, which the findings do not carry.
      reportData: outputs.some((o) => o.format === 'html'),
      baseline: values['print-clusterset'] ? undefined : baseline,
    });

    if (values['print-clusterset']) {
      const asJson = outputs.some((o) => o.format === 'json');
      io.stdout(asJson ? formatClusterSetJson(result) : formatClusterSet(result));
      return 0;
    }

    const findings = values.quiet ? result.findings.filter((f) => f.severity === 2) : result.findings;
    const errors = findings.filter((f) => f.severity === 2).length;
    const warnings = findings.length - errors;
    const tooManyWarnings = maxWarnings >= 0 && warnings > maxWarnings;
    const input = {
      findings,
      // --quiet reports errors only: notes are left out with the warnings.
      notes: values.quiet ? [] : result.notes,
      suppressed: result.suppressed,
      files: result.files,
      stats: result.stats,
      verbose: values.verbose ?? false,
      tooManyWarnings: tooManyWarnings ? maxWarnings : undefined,
      rules: result.rules,
      internalErrors: result.internalErrors,
      reportData: result.reportData,
    };
    timing?.enter('report');
    for (const output of outputs) {
      const formatted = await FORMATTERS[output.format]({
        ...input,
        colorLevel: colorLevel({ color: values.color, noColor: values['no-color'] }, io.env, io.isTTY, output.file !== undefined),
        // stylish wraps its message column to the terminal (COLUMNS, else the TTY's width); never in a file.
        width: output.file === undefined ? terminalWidth(io.env, io.isTTY) : undefined,
      });
      // The stats hold the report stage up to this point (the report cannot time its own writing).
      const text = values.stats && output.format === 'json' && timing ? withStats(formatted, timing.lap()) : formatted;
      if (output.file === undefined) {
        io.stdout(text);
        continue;
      }
      try {
        mkdirSync(dirname(output.file), { recursive: true });
        writeFileSync(output.file, text);
      } catch (err) {
        throw new ConfigError(`cannot write ${output.format} report to ${output.file}: ${(err as Error).message}`);
      }
    }
    // stylish ends with the run summary; otherwise it goes to standard error, out of the report's way.
    if (!outputs.some((o) => o.format === 'stylish' && o.file === undefined)) io.stderr(`${formatSummary(result.stats, values.verbose ?? false)}\n`);

    for (const e of result.internalErrors) {
      io.stderr(safe(`mclint: internal error in rule "${e.ruleId}" (ClusterSet "${e.set}"): ${e.message}\n${e.stack ?? ''}\n`));
    }
    timing?.stop();
    if (timing && rows !== undefined) io.stderr(formatTiming(timing, rows));
    const written = result.baseline && baselineWrittenMessage(result.baseline, displayPath(result.baseline.file));
    if (written !== undefined) io.stderr(safe(`mclint: ${written}\n`));
    if (result.internalErrors.length > 0) return 2;
    // ESLint: recorded problems that no longer occur exit 2 (after the report), unless --pass-on-unpruned-suppressions.
    if (result.baseline && result.baseline.unused.length > 0 && !values['pass-on-unpruned-suppressions']) {
      io.stderr(safe(`mclint: ${unusedSuppressionsMessage(result.baseline.unused, displayPath(result.baseline.file))}\n`));
      return 2;
    }
    return errors > 0 || tooManyWarnings ? 1 : 0;
  } catch (err) {
    if (err instanceof UsageError) {
      io.stderr(safe(`mclint: ${err.message}\nRun "mclint --help" for usage.\n`));
      return 2;
    }
    if (err instanceof ConfigError) {
      io.stderr(safe(`mclint: ${err.message}\n`));
      return 2;
    }
    const e = err instanceof Error ? err : new Error(String(err));
    io.stderr(safe(`mclint: internal error: ${e.message}\n${e.stack ?? ''}\n`));
    return 2;
  }
}
