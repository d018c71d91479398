/**
 * CLI stage: argv → options → lint → report → exit code.
 *
 * Exit codes (ESLint's, DESIGN.md §6): 0 no errors and warnings ≤ --max-warnings; 1 errors or
 * too many warnings; 2 usage, config or internal error. Never 1 for a crash, never 2 for findings.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { parseArgs } from 'node:util';
import { supportsColor } from 'chalk';
import pkg from '../package.json' with { type: 'json' };
import { RULES } from '../rules/index.js';
import { ConfigError } from './config/index.js';
import { parseRuleFlag } from './config/rules.js';
import type { Rule } from './engine/types.js';
import { lint } from './lint.js';
import { FORMATTERS } from './report/index.js';
import { formatSummary } from './report/summary.js';

/** The `--help` text. */
export const USAGE = `Usage: mclint [options] [DIR...]

Lints the manifests of every cluster of a ClusterSet together and reports what breaks between
clusters. DIR (default: .) holds mclint.config.yaml, or clusters/<name>/, or one subdirectory per
cluster.

Options:
  --cluster NAME=PATH      Lint PATH as cluster NAME (repeatable; instead of DIR)
  -c, --config FILE        Use this config file instead of DIR/mclint.config.yaml
  -f, --format NAME        Output format: ${Object.keys(FORMATTERS).join(', ')} (default: stylish)
  -o, --output-file FILE   Write the report to FILE instead of standard output
  --max-warnings N         Exit with code 1 when there are more than N warnings
  --quiet                  Report errors only
  --rule ID:SEVERITY       Set a rule's severity: off, warn or error (repeatable)
  --color, --no-color      Force or disable colors (default: on for a terminal; FORCE_COLOR, NO_COLOR honoured)
  --verbose                List skipped files
  --list-rules             List the rules and exit
  -v, --version            Print the version and exit
  -h, --help               Print this help and exit

Exit codes: 0 no problems (or only warnings within --max-warnings), 1 problems found,
2 usage, configuration or internal error.`;

const OPTIONS = {
  cluster: { type: 'string', multiple: true },
  config: { type: 'string', short: 'c' },
  format: { type: 'string', short: 'f' },
  'output-file': { type: 'string', short: 'o' },
  'max-warnings': { type: 'string' },
  quiet: { type: 'boolean' },
  rule: { type: 'string', multiple: true },
  color: { type: 'boolean' },
  'no-color': { type: 'boolean' },
  verbose: { type: 'boolean' },
  'list-rules': { type: 'boolean' },
  version: { type: 'boolean', short: 'v' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** Where the CLI writes; tests substitute buffers. */
export interface CliIO {
  stdout(text: string): void;
  stderr(text: string): void;
  readonly env: NodeJS.ProcessEnv;
  readonly isTTY: boolean;
}

class UsageError extends Error {}

/**
 * chalk color level. Precedence: `--no-color`/`--color`, then `FORCE_COLOR` (0/false disables,
 * 1–3 set the level; like Node itself, it wins over `NO_COLOR`), then `NO_COLOR` (any non-empty
 * value disables), then whether the output is a terminal.
 */
export function colorLevel(flags: { color?: boolean; noColor?: boolean }, env: NodeJS.ProcessEnv, isTTY: boolean, toFile: boolean): 0 | 1 | 2 | 3 {
  if (flags.noColor) return 0;
  const detected = supportsColor ? (supportsColor.level as 0 | 1 | 2 | 3) : 0;
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

function parseClusterFlag(flag: string): { name: string; path: string } {
  const eq = flag.indexOf('=');
  if (eq <= 0 || eq === flag.length - 1) throw new UsageError(`invalid --cluster "${flag}": expected NAME=PATH`);
  return { name: flag.slice(0, eq), path: flag.slice(eq + 1) };
}

function listRules(rules: readonly Rule[]): string {
  const w = Math.max(...rules.map((r) => r.meta.id.length));
  const rows = rules.map((r) => `${r.meta.id.padEnd(w)}  ${r.meta.severity.padEnd(5)}  ${r.meta.description}`);
  return `${'rule'.padEnd(w)}  ${'level'.padEnd(5)}  description\n${rows.join('\n')}\n`;
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
      parsed = parseArgs({ args: [...argv], options: OPTIONS, allowPositionals: true, strict: true });
    } catch (err) {
      throw new UsageError((err as Error).message);
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
      io.stdout(listRules(rules));
      return 0;
    }
    const format = values.format ?? 'stylish';
    const formatter = FORMATTERS[format];
    if (!formatter) throw new UsageError(`unknown format "${format}" (available: ${Object.keys(FORMATTERS).join(', ')})`);
    let maxWarnings = -1;
    if (values['max-warnings'] !== undefined) {
      if (!/^(-1|\d+)$/.test(values['max-warnings'])) throw new UsageError(`--max-warnings expects a whole number, got "${values['max-warnings']}"`);
      maxWarnings = Number(values['max-warnings']);
    }
    const clusters = (values.cluster ?? []).map(parseClusterFlag);
    if (clusters.length > 0 && positionals.length > 0) throw new UsageError('give either DIR arguments or --cluster NAME=PATH flags, not both');
    for (const flag of values.rule ?? []) {
      try {
        parseRuleFlag(flag);
      } catch (err) {
        throw new UsageError((err as Error).message);
      }
    }

    const result = await lint({
      dirs: positionals,
      clusters,
      configFile: values.config,
      ruleFlags: values.rule ?? [],
      rules,
    });

    const findings = values.quiet ? result.findings.filter((f) => f.severity === 2) : result.findings;
    const errors = findings.filter((f) => f.severity === 2).length;
    const warnings = findings.length - errors;
    const tooManyWarnings = maxWarnings >= 0 && warnings > maxWarnings;
    const outputFile = values['output-file'];
    const text = formatter({
      findings,
      notes: result.notes,
      files: result.files,
      stats: result.stats,
      colorLevel: colorLevel({ color: values.color, noColor: values['no-color'] }, io.env, io.isTTY, outputFile !== undefined),
      verbose: values.verbose ?? false,
      tooManyWarnings: tooManyWarnings ? maxWarnings : undefined,
    });
    if (outputFile !== undefined) {
      try {
        mkdirSync(dirname(outputFile), { recursive: true });
        writeFileSync(outputFile, text);
      } catch (err) {
        throw new ConfigError(`cannot write --output-file ${outputFile}: ${(err as Error).message}`);
      }
    } else {
      io.stdout(text);
    }
    if (format !== 'stylish') io.stderr(`${formatSummary(result.stats, values.verbose ?? false)}\n`);

    for (const e of result.internalErrors) {
      io.stderr(`mclint: internal error in rule "${e.ruleId}" (ClusterSet "${e.set}"): ${e.message}\n${e.stack ?? ''}\n`);
    }
    if (result.internalErrors.length > 0) return 2;
    return errors > 0 || tooManyWarnings ? 1 : 0;
  } catch (err) {
    if (err instanceof UsageError) {
      io.stderr(`mclint: ${err.message}\nRun "mclint --help" for usage.\n`);
      return 2;
    }
    if (err instanceof ConfigError) {
      io.stderr(`mclint: ${err.message}\n`);
      return 2;
    }
    const e = err instanceof Error ? err : new Error(String(err));
    io.stderr(`mclint: internal error: ${e.message}\n${e.stack ?? ''}\n`);
    return 2;
  }
}
