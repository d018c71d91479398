/**
 * Config stage: reads `mclint.config.yaml` (YAML only — never executable config, so a pull
 * request cannot make the Action run code), validates it against
 * `schemas/mclint.config.schema.json`, and resolves it together with the CLI flags.
 */
import { readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import jsyaml from 'js-yaml';
import { locatePlaces } from '../load/locate.js';
import { validateConfigValue, type SchemaError } from '../schema/index.js';
import type { Place } from '../load/types.js';

/** The config file name looked up in the linted directory. */
export const CONFIG_FILE_NAME = 'mclint.config.yaml';

/** A usage, config or setup problem: printed as a clear message, exit code 2. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Severity as written in config or on the command line. */
export type SeverityName = 'off' | 'warn' | 'error';
/** A severity as a word or ESLint's number (0 off, 1 warn, 2 error). */
export type SeveritySetting = SeverityName | 0 | 1 | 2;

/** A rule setting as written: a severity, or `[severity, options]`. */
export type RuleSetting = SeveritySetting | [SeveritySetting] | [SeveritySetting, Record<string, unknown>];

/**
 * A cluster declared in the config file. Paths are absolute; `index` is the entry's position in
 * `clusters`, so facts can point back at the config line they came from.
 */
export interface ClusterConfig {
  readonly name: string;
  readonly index: number;
  readonly path?: string;
  readonly podCIDRs: readonly string[];
  readonly serviceCIDRs: readonly string[];
  readonly region?: string;
  readonly zones: readonly string[];
  readonly network?: string;
  /** The MCS implementation handling this cluster's ServiceExports, when the manifests do not show it. */
  readonly mcsImplementation?: 'lighthouse' | 'cilium' | 'generic';
}

/** A ClusterSet declared in the config file; `index` is its position in `clusterSets`. */
export interface ClusterSetConfig {
  readonly name: string;
  readonly index: number;
  readonly clusters: readonly string[];
}

/**
 * An `overrides` entry: rule severities for the findings matching every given selector (glob
 * lists; `files` relative to the config file's directory). `index` is its position in the list.
 */
export interface OverrideConfig {
  readonly index: number;
  readonly files?: readonly string[];
  readonly clusters?: readonly string[];
  readonly namespaces?: readonly string[];
  readonly kinds?: readonly string[];
  readonly rules: Readonly<Record<string, SeveritySetting>>;
  readonly reason?: string;
}

/** The config file, parsed and validated; every field has its default applied. */
export interface FileConfig {
  /** Absolute path of the config file, when there is one. */
  readonly file?: string;
  /** Directory relative paths in the config are resolved against. */
  readonly dir: string;
  readonly clusterDomain: string;
  readonly clusters?: readonly ClusterConfig[];
  readonly clusterSets?: readonly ClusterSetConfig[];
  readonly rules: Readonly<Record<string, RuleSetting>>;
  readonly ignore: readonly string[];
  /** Default: none. */
  readonly overrides: readonly OverrideConfig[];
  /** Suppression comments and annotations are ignored (default false). */
  readonly noInlineConfig: boolean;
  /** Severity for suppressions that suppress nothing; undefined when the file does not say. */
  readonly reportUnusedDisableDirectives?: SeveritySetting;
}

const DEFAULTS = { clusterDomain: 'cluster.local' };

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/** One line per error, `line:column  message`, in file order. */
async function describeErrors(file: string, errors: readonly SchemaError[]): Promise<string> {
  const places: Place[] = errors.map((e) => ({ file, doc: 0, path: e.path, key: e.key }));
  const spans = await locatePlaces(places);
  return errors
    .map((e, i) => ({ e, s: spans.get(places[i])! }))
    .sort((a, b) => a.s.line - b.s.line || a.s.column - b.s.column)
    .map(({ e, s }) => `  ${s.line}:${s.column}  ${e.message}`)
    .join('\n');
}

/**
 * Loads and validates a config file.
 * @param file path of the config file (relative to the current directory or absolute)
 * @throws ConfigError when the file cannot be read, is not valid YAML, or fails the schema
 */
export async function loadConfigFile(file: string): Promise<FileConfig> {
  const abs = resolve(file);
  let text: string;
  try {
    text = readFileSync(abs, 'utf8');
  } catch (err) {
    throw new ConfigError(`cannot read config file ${file}: ${(err as Error).message}`);
  }
  let value: unknown;
  try {
    // mclint's own file, read as YAML 1.2 (core schema): `off` is the severity, not a boolean.
    const docs = (jsyaml.loadAll(text, null, { schema: jsyaml.CORE_SCHEMA, filename: abs }) as unknown[]).filter((d) => d !== null && d !== undefined);
    if (docs.length > 1) throw new ConfigError(`${file}: the config file must hold a single YAML document`);
    value = docs[0] ?? {};
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      throw new ConfigError(`${file}:1:1: the config must be a YAML mapping (clusters, clusterSets, rules, overrides, ignore, clusterDomain), found ${Array.isArray(value) ? 'a list' : typeof value}`);
    }
  } catch (err) {
    if (err instanceof ConfigError) throw err;
    const e = err as { reason?: string; mark?: { line: number; column: number } };
    const at = e.mark ? `:${e.mark.line + 1}:${e.mark.column + 1}` : '';
    throw new ConfigError(`${file}${at}: invalid YAML: ${e.reason ?? String(err)}`);
  }
  const errors = validateConfigValue(value);
  if (errors.length > 0) {
    throw new ConfigError(`${file} is not a valid mclint config:\n${await describeErrors(abs, errors)}`);
  }
  return resolveFileConfig(value as RawConfig, abs, dirname(abs));
}

interface RawConfig {
  clusterDomain?: string;
  clusters?: { name: string; path?: string; podCIDRs?: string[]; serviceCIDRs?: string[]; region?: string; zones?: string[]; network?: string; mcsImplementation?: 'lighthouse' | 'cilium' | 'generic' }[];
  clusterSets?: { name: string; clusters: string[] }[];
  rules?: Record<string, RuleSetting>;
  ignore?: string[];
  overrides?: Omit<OverrideConfig, 'index'>[];
  noInlineConfig?: boolean;
  reportUnusedDisableDirectives?: SeveritySetting | boolean;
}

/** Applies defaults and resolves paths against `dir`; `file` is undefined when there is no config file. */
function resolveFileConfig(raw: RawConfig, file: string | undefined, dir: string): FileConfig {
  const names = new Set<string>();
  const clusters = raw.clusters?.map((c, index): ClusterConfig => {
    if (names.has(c.name)) throw new ConfigError(`${file}: cluster "${c.name}" is declared twice in "clusters"`);
    names.add(c.name);
    return {
      name: c.name,
      index,
      path: c.path === undefined ? undefined : resolve(dir, c.path),
      podCIDRs: c.podCIDRs ?? [],
      serviceCIDRs: c.serviceCIDRs ?? [],
      region: c.region,
      zones: c.zones ?? [],
      network: c.network,
      ...(c.mcsImplementation !== undefined && { mcsImplementation: c.mcsImplementation }),
    };
  });
  const clusterSets = raw.clusterSets?.map((s, index) => ({ name: s.name, index, clusters: s.clusters }));
  return {
    file,
    dir,
    clusterDomain: raw.clusterDomain ?? DEFAULTS.clusterDomain,
    clusters,
    clusterSets,
    rules: raw.rules ?? {},
    ignore: raw.ignore ?? [],
    overrides: (raw.overrides ?? []).map((o, index) => ({ ...o, index })),
    noInlineConfig: raw.noInlineConfig ?? false,
    ...(raw.reportUnusedDisableDirectives !== undefined
      ? { reportUnusedDisableDirectives: typeof raw.reportUnusedDisableDirectives === 'boolean' ? (raw.reportUnusedDisableDirectives ? 'warn' : 'off') : raw.reportUnusedDisableDirectives }
      : {}),
  };
}

/**
 * Finds the config for a lint root: the explicit `--config` file, else `<root>/mclint.config.yaml`
 * when it exists, else defaults.
 * @throws ConfigError for an unreadable or invalid config file
 */
export async function findConfig(root: string, explicit?: string): Promise<FileConfig> {
  if (explicit !== undefined) return loadConfigFile(explicit);
  const candidate = join(root, CONFIG_FILE_NAME);
  if (isFile(candidate)) return loadConfigFile(candidate);
  return resolveFileConfig({}, undefined, root);
}

