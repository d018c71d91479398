/**
 * `--print-config` (ESLint's `--print-config`): the configuration a run would use, resolved from
 * the config file (found as `findConfig` finds it), the rule registry and the command-line flags,
 * printed instead of linting.
 */
import { isAbsolute, relative, resolve, sep } from 'node:path';
import type { RuleMeta } from '../engine/types.js';
import { compileOverrides } from '../suppress/index.js';
import { CONFIG_FILE_NAME, findConfig, type ClusterConfig, type SeverityName } from '../config/index.js';
import { resolveRuleStates, severityOf } from '../engine/rule-config.js';
import { inertJson, inertYaml, needsEscape } from './inert.js';

/** What `--print-config` resolves from: the CLI's flags, as `lint` receives them. */
export interface PrintConfigInput {
  /** The directory the config is looked up from (DIR, or the working directory). */
  readonly root: string;
  /** `--config FILE`. */
  readonly configFile?: string;
  /** `--cluster NAME=PATH` flags (paths relative to the working directory). */
  readonly clusters?: readonly { name: string; path: string }[];
  /** `--rule ID:SEVERITY` flags, in order. */
  readonly ruleFlags?: readonly string[];
  /** The rules of the run (the registry). */
  readonly rules: readonly RuleMeta[];
  /** false for `--no-inline-config`. Default true. */
  readonly inlineConfig?: boolean;
  /** `--report-unused-disable-directives[-severity]`, when given. */
  readonly reportUnusedDisableDirectives?: SeverityName;
}

/**
 * One cluster as printed: a config cluster without its index, its path relative to the working
 * directory (undefined when the config gives none: discovery looks for `clusters/<name>` or `<name>`).
 */
export type PrintedCluster = Omit<ClusterConfig, 'index'>;

/**
 * The resolved configuration. Paths are relative to the working directory (absolute when outside
 * it), with `/` separators; `ignore` and `overrides[].files` globs are printed as written (they
 * are relative to `baseDirectory`). Key order is the printed order.
 */
export interface PrintedConfig {
  /** The config file used, or null when none was found (defaults apply). */
  readonly configFile: string | null;
  /** The directory relative paths and globs of the config resolve against. */
  readonly baseDirectory: string;
  readonly clusterDomain: string;
  /**
   * Clusters declared by the config or by `--cluster` flags (these win, with the config's facts
   * for the same name). Empty: discovery decides from the directories (`--print-clusterset`).
   */
  readonly clusters: readonly PrintedCluster[];
  readonly clusterSets: readonly { readonly name: string; readonly clusters: readonly string[] }[];
  /** Every rule of the registry, by id (sorted): its severity and options after config and `--rule` flags. */
  readonly rules: Readonly<Record<string, { readonly severity: SeverityName; readonly options: Readonly<Record<string, unknown>> }>>;
  readonly overrides: readonly Record<string, unknown>[];
  readonly ignore: readonly string[];
  /** After `--no-inline-config`. */
  readonly noInlineConfig: boolean;
  /** After `--report-unused-disable-directives[-severity]`; `off` when nothing sets it. */
  readonly reportUnusedDisableDirectives: SeverityName;
}

/** `path` relative to the working directory (`..` above it), `/`-separated; absolute on another drive. */
function shown(path: string): string {
  const rel = relative(process.cwd(), path);
  return (rel === '' ? '.' : isAbsolute(rel) ? path : rel).split(sep).join('/');
}

/** A cluster as printed; `path` absolute, or `-` for standard input (`--cluster NAME=-`). */
function printedCluster(name: string, path: string | undefined, facts: ClusterConfig | undefined): PrintedCluster {
  return {
    name,
    ...(path !== undefined ? { path: path === '-' ? path : shown(path) } : {}),
    podCIDRs: facts?.podCIDRs ?? [],
    serviceCIDRs: facts?.serviceCIDRs ?? [],
    ...(facts?.region !== undefined ? { region: facts.region } : {}),
    zones: facts?.zones ?? [],
    ...(facts?.network !== undefined ? { network: facts.network } : {}),
    ...(facts?.mcsImplementation !== undefined ? { mcsImplementation: facts.mcsImplementation } : {}),
  };
}

/**
 * Resolves the configuration a run with these flags would use, with the checks a run makes
 * before reading manifests: the config file's schema, unknown rule ids and invalid rule options
 * (config and `--rule`), and unknown rules in `overrides`.
 * @throws ConfigError for any of those (exit code 2), as `lint` would
 */
export async function resolvePrintedConfig(input: PrintConfigInput): Promise<PrintedConfig> {
  const config = await findConfig(input.root, input.configFile);
  const configName = config.file ?? CONFIG_FILE_NAME;
  const flags = input.ruleFlags ?? [];
  const states = await resolveRuleStates(input.rules, config.rules, flags, configName);
  compileOverrides(config.overrides, new Set(input.rules.map((m) => m.id)), configName);

  const rules: Record<string, { severity: SeverityName; options: Record<string, unknown> }> = {};
  for (const meta of [...input.rules].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))) {
    const state = states.get(meta.id);
    if (state) {
      rules[meta.id] = { severity: state.severity, options: { ...state.options } };
      continue;
    }
    // Off: the options it would run with once turned on (defaults, then the config's).
    const setting = config.rules[meta.id];
    const configured = Array.isArray(setting) && setting.length > 1 ? (setting[1] as Record<string, unknown>) : {};
    rules[meta.id] = { severity: 'off', options: { ...(meta.defaultOptions ?? {}), ...configured } };
  }

  const explicit = input.clusters ?? [];
  const clusters =
    explicit.length > 0
      ? explicit.map((c) =>
          printedCluster(
            c.name,
            c.path === '-' ? c.path : resolve(c.path),
            config.clusters?.find((d) => d.name === c.name),
          ),
        )
      : (config.clusters ?? []).map((c) => printedCluster(c.name, c.path, c));

  const unused = config.reportUnusedDisableDirectives;
  return {
    configFile: config.file === undefined ? null : shown(config.file),
    baseDirectory: shown(config.dir),
    clusterDomain: config.clusterDomain,
    clusters,
    clusterSets: (config.clusterSets ?? []).map((s) => ({ name: s.name, clusters: [...s.clusters] })),
    rules,
    overrides: config.overrides.map(({ index: _index, ...o }) => ({ ...o })),
    ignore: [...config.ignore],
    noInlineConfig: input.inlineConfig === false || config.noInlineConfig,
    reportUnusedDisableDirectives: input.reportUnusedDisableDirectives ?? (unused !== undefined ? severityOf(unused) : 'off'),
  };
}

/**
 * The printed text: YAML (the `yaml` package's `stringify`, block style) or, for `json`, JSON
 * indented by two spaces; both end with a newline. Strings from the config (paths, names, globs,
 * option values) are printed inert and still load to the same values: in YAML a string that holds a
 * control character, a line break, `##[` or a leading `::` is a double-quoted scalar with those
 * characters escaped (never a block scalar whose lines would start with repository text); in JSON
 * the characters `JSON.stringify` leaves raw are `\u` escapes (`inert.ts`).
 */
export async function formatPrintedConfig(config: PrintedConfig, format: 'yaml' | 'json'): Promise<string> {
  if (format === 'json') return `${inertJson(JSON.stringify(config, null, 2))}\n`;
  const { loadYamlPackage } = await import('../load/yaml-package.js');
  const yaml = await loadYamlPackage();
  const doc = new yaml.Document(config);
  yaml.visit(doc, {
    Scalar(_key, node) {
      if (typeof node.value === 'string' && needsEscape(node.value)) node.type = 'QUOTE_DOUBLE';
    },
  });
  // Never fold a double-quoted scalar at its line breaks: each would start a line with repository text.
  return inertYaml(doc.toString({ lineWidth: 0, doubleQuotedMinMultiLineLength: Number.POSITIVE_INFINITY }));
}
