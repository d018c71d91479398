/**
 * Config stage: finds and reads `mclint.config.yaml` (or `.yml`, or `mclint.config.json`; data
 * only — never executable config, so a pull request cannot make the Action run code), validates
 * it against `schemas/mclint.config.schema.json`, and resolves it together with the CLI flags.
 */
import { existsSync, realpathSync, statSync } from 'node:fs';
import { dirname, extname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import jsyaml from 'js-yaml';
import picomatch from 'picomatch';
import { locatePlaces } from '../load/locate.js';
import { validateConfigValue, type SchemaError } from '../schema/index.js';
import type { Path, Place } from '../base/types.js';
import { readRegularFile } from '../base/regular-file.js';
import { closest } from '../base/edit-distance.js';

/** Config files larger than this many bytes are refused (real ones are a few KB). */
const MAX_CONFIG_BYTES = 4 * 1024 * 1024;

/** The usual config file name (messages say it when no config file was found). */
export const CONFIG_FILE_NAME = 'mclint.config.yaml';

/** The config file names looked up, in each directory from DIR up to the repository root. */
export const CONFIG_FILE_NAMES: readonly string[] = [CONFIG_FILE_NAME, 'mclint.config.yml', 'mclint.config.json'];

/**
 * Where in a config file a `ConfigError` lies, for an annotation on that line (the GitHub
 * Action's `::error file=…,line=…`). `file` is the config file's absolute path; `message` is the
 * problem at that place, one line (a schema error names one field). Either `line` and `column`
 * (1-based) are known, or `path` (with `key`: the key of its last segment, as `Place.key`) is
 * located in the parsed file by `locateConfigError`; neither: the file's first line.
 */
export interface ConfigErrorPlace {
  readonly file: string;
  readonly message: string;
  readonly line?: number;
  readonly column?: number;
  readonly path?: Path;
  readonly key?: boolean;
}

/**
 * Compiles config globs (`ignore`, `overrides[].files`) with picomatch, `dot: true`.
 * @param patterns the globs, relative to the config file's directory
 * @param where what they are, for the message (`ignore`, `overrides[2].files`)
 * @param place where they are in the config file, when known (for annotations)
 * @throws ConfigError when picomatch refuses a pattern (e.g. one longer than its 65,536-character
 *   limit), instead of an internal error
 */
export function compileGlobs(patterns: readonly string[], where: string, configName: string, place?: Omit<ConfigErrorPlace, 'message'>): (path: string) => boolean {
  try {
    return picomatch([...patterns], { dot: true });
  } catch (err) {
    const message = `${where}: invalid glob: ${(err as Error).message}`;
    throw new ConfigError(`${configName}: ${message}`, place ? [{ ...place, message }] : []);
  }
}

/** A `ConfigErrorPlace` with its line and column (1-based) resolved. */
export interface LocatedConfigError {
  readonly file: string;
  readonly message: string;
  readonly line: number;
  readonly column: number;
}

/**
 * A usage, config or setup problem: printed as a clear message, exit code 2. `places` says where
 * in a config file the problem is (empty when it is not about a config file's content: a bad
 * flag, a missing or unreadable file).
 */
export class ConfigError extends Error {
  override name = 'ConfigError';
  readonly places: readonly ConfigErrorPlace[];
  constructor(message: string, places: readonly ConfigErrorPlace[] = []) {
    super(message);
    this.places = places;
  }
}

/**
 * Resolves the places of a `ConfigError` to lines and columns: those given with a `path` are
 * located in the config file as parsed now (`locatePlaces`; a path that is not there resolves to
 * its deepest existing key, an unreadable file to 1:1). Never throws.
 */
export async function locateConfigError(err: ConfigError): Promise<LocatedConfigError[]> {
  const pending = err.places.map((p): Place | undefined => (p.line === undefined && p.path !== undefined ? { file: p.file, doc: 0, path: p.path, key: p.key } : undefined));
  const spans = await locatePlaces(pending.filter((p): p is Place => p !== undefined)).catch(() => new Map<Place, { line: number; column: number }>());
  return err.places.map((p, i) => {
    const span = pending[i] && spans.get(pending[i]);
    return { file: p.file, message: p.message, line: p.line ?? span?.line ?? 1, column: p.column ?? span?.column ?? 1 };
  });
}

/**
 * The word of `candidates` an unknown `word` (a rule id, a long option) is likely a typo of:
 * `closest` in `base/edit-distance.ts` (a case difference first, then the fewest edits), within a
 * third of the word's length and at least 2 edits, so that unrelated words get no suggestion.
 * ESLint's CLI suggests the closest option the same way (optionator `lib/index.js`, `getOption`:
 * "Invalid option '--x' - perhaps you meant '--y'?"; `lib/util.js`, `closestString`, Levenshtein).
 * Ties go to the candidate first in sorted order.
 * @returns the suggestion, or undefined when none is that close
 */
export function likelyMeant(word: string, candidates: Iterable<string>): string | undefined {
  return closest(word, [...candidates].sort(), Math.max(2, Math.floor(word.length / 3)));
}

/**
 * The text naming an unknown rule id, with the likely meant registered id (`likelyMeant`) and
 * the known ids: `unknown rule "schma"; did you mean "schema"? (known rules: …)`.
 */
export function unknownRuleText(id: string, known: Iterable<string>): string {
  const ids = [...known].sort();
  const suggestion = likelyMeant(id, ids);
  return `unknown rule "${id}"${suggestion !== undefined ? `; did you mean "${suggestion}"?` : ''} (known rules: ${ids.join(', ')})`;
}

/** Severity as written in config or on the command line. */
export type SeverityName = 'off' | 'warn' | 'error';
/**
 * A severity as a word or ESLint's number (0 off, 1 warn, 2 error); `warning` (the word SARIF,
 * GitHub annotations and the Action's `fail-on` use) is accepted as `warn`.
 */
export type SeveritySetting = SeverityName | 'warning' | 0 | 1 | 2;

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
 * A `connectivity` entry: how every pair of `clusters` reaches each other, stated because the
 * manifests cannot show it. `kind`: `flat` (pod IPs routed unchanged), `remapped` (addresses
 * translated between them), `gateway` (they meet only through gateways or proxies); `via`: what
 * connects them, printed as the evidence; `clusterSet`: the set it applies to (undefined: every
 * set). `index` is its position in `connectivity`.
 */
export interface ConnectivityConfig {
  readonly index: number;
  readonly clusterSet?: string;
  readonly clusters: readonly string[];
  readonly kind: 'flat' | 'remapped' | 'gateway';
  readonly via?: string;
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
  /** Default: none. */
  readonly connectivity?: readonly ConnectivityConfig[];
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

/**
 * Every schema violation of the config file (`abs`), located and in file order.
 * @returns the message lines (`  line:column  message`) and the places, one per violation
 */
async function describeErrors(abs: string, errors: readonly SchemaError[]): Promise<{ text: string; places: ConfigErrorPlace[] }> {
  const places: Place[] = errors.map((e) => ({ file: abs, doc: 0, path: e.path, key: e.key }));
  const spans = await locatePlaces(places);
  const sorted = errors.map((e, i) => ({ e, s: spans.get(places[i])! })).sort((a, b) => a.s.line - b.s.line || a.s.column - b.s.column);
  return {
    text: sorted.map(({ e, s }) => `  ${s.line}:${s.column}  ${e.message}`).join('\n'),
    places: sorted.map(({ e, s }) => ({ file: abs, message: e.message, line: s.line, column: s.column })),
  };
}

/** `text` at a 0-based character offset as a 1-based line and column. */
function lineColumnOf(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, Math.min(offset, text.length));
  return { line: before.split('\n').length, column: before.length - before.lastIndexOf('\n') };
}

/** True when `prefix` already holds a JSON syntax error (not merely an unfinished document). */
function brokenJsonPrefix(prefix: string): boolean {
  try {
    JSON.parse(prefix);
    return false;
  } catch (err) {
    const message = (err as Error).message;
    if (/^Unexpected end of JSON input/.test(message)) return false;
    const at = /at position (\d+)/.exec(message);
    return at === null || Number(at[1]) < prefix.length;
  }
}

/**
 * The 0-based offset of a JSON syntax error, for `line:column` in the message. V8's
 * `JSON.parse` names the position for most errors (`… in JSON at position 8`) but not for an
 * unexpected token (`Unexpected token 'e', …"x": error… is not valid JSON`); then the offset is
 * found by bisection: the shortest prefix of `text` that `JSON.parse` rejects for a reason other
 * than its end (unfinished prefixes fail with "Unexpected end of JSON input" or at their very end)
 * ends just past the bad character. Parsing stays `JSON.parse`'s own.
 */
function jsonErrorOffset(text: string, message: string): number {
  const at = /at position (\d+)/.exec(message);
  if (at) return Number(at[1]);
  if (/^Unexpected end of JSON input/.test(message)) return text.length;
  let lo = 1;
  let hi = text.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (brokenJsonPrefix(text.slice(0, mid))) hi = mid;
    else lo = mid + 1;
  }
  return lo - 1;
}

/**
 * Parses config text: JSON (`JSON.parse`, RFC 8259: no comments or trailing commas) for a `.json`
 * file, else YAML 1.2 with js-yaml's core schema (`off` is the severity, not a boolean).
 * @returns the parsed value, `{}` for an empty YAML file
 * @throws ConfigError naming `file:line:column` for a syntax error, and for a YAML file holding
 *   more than one document
 */
function parseConfigText(file: string, abs: string, text: string): unknown {
  if (extname(abs).toLowerCase() === '.json') {
    if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    try {
      return JSON.parse(text);
    } catch (err) {
      const message = (err as Error).message;
      // V8 quotes the text around the error; the position is enough and the quote may be long.
      const reason = message.replace(/, (?:\.\.\.)?"[\s\S]*"(?:\.\.\.)? is not valid JSON$/, '').replace(/ in JSON at position \d+.*$/, '');
      const at = lineColumnOf(text, jsonErrorOffset(text, message));
      throw new ConfigError(`${file}:${at.line}:${at.column}: invalid JSON: ${reason}`, [{ file: abs, message: `invalid JSON: ${reason}`, ...at }]);
    }
  }
  try {
    const docs = jsyaml.loadAll(text, null, { schema: jsyaml.CORE_SCHEMA, filename: abs }).filter((d) => d !== null && d !== undefined);
    if (docs.length > 1)
      throw new ConfigError(`${file}: the config file must hold a single YAML document`, [{ file: abs, message: 'the config file must hold a single YAML document' }]);
    return docs[0] ?? {};
  } catch (err) {
    if (err instanceof ConfigError) throw err;
    const e = err as { reason?: string; mark?: { line: number; column: number } };
    const at = e.mark ? `:${e.mark.line + 1}:${e.mark.column + 1}` : '';
    const message = `invalid YAML: ${e.reason ?? String(err)}`;
    throw new ConfigError(`${file}${at}: ${message}`, [{ file: abs, message, ...(e.mark && { line: e.mark.line + 1, column: e.mark.column + 1 }) }]);
  }
}

/** Reasons a file cannot be opened (`errno` codes of open(2)) as words, not raw codes. */
const OPEN_ERRORS: Readonly<Record<string, string>> = {
  ENOENT: 'no such file',
  ENOTDIR: 'no such file (a directory on its path is a file)',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  ELOOP: 'too many levels of symbolic links',
  ENAMETOOLONG: 'file name too long',
  EISDIR: 'it is a directory, not a file',
};

/**
 * Why a config file could not be read, in words: a missing file, a directory, a permission or
 * other open(2) error (`OPEN_ERRORS`, the raw code only for others, in parentheses), a FIFO or
 * device, a file over the size limit.
 */
function unreadReason(abs: string, reason: 'not-regular' | 'too-large' | 'unreadable', code: string | undefined): string {
  if (reason === 'too-large') return `larger than ${MAX_CONFIG_BYTES / 1024 / 1024} MiB`;
  if (reason === 'not-regular') {
    let directory = false;
    try {
      directory = statSync(abs).isDirectory();
    } catch {
      // Gone since the read: "not a regular file" still says why it was not read.
    }
    return directory ? OPEN_ERRORS.EISDIR : 'not a regular file';
  }
  return (code !== undefined && OPEN_ERRORS[code]) || `unreadable${code !== undefined ? ` (${code})` : ''}`;
}

/**
 * Loads and validates a config file: JSON when its name ends in `.json`, else YAML.
 * @param file path of the config file (relative to the current directory or absolute)
 * @throws ConfigError when the file cannot be read (`cannot read config file FILE: no such
 *   file`, `…: it is a directory, not a file`, `…: permission denied`; no raw errno code or stack),
 *   does not parse (the message names `file:line:column`), is not a mapping, or fails the schema
 *   (every violation, one line each); `places` say where in the file, except for a file not read
 */
export async function loadConfigFile(file: string): Promise<FileConfig> {
  const abs = resolve(file);
  // Never a blocking or endless read: a FIFO or a link to /dev/zero is refused (src/base/regular-file.ts).
  const read = readRegularFile(abs, MAX_CONFIG_BYTES);
  if (read.reason !== undefined) throw new ConfigError(`cannot read config file ${file}: ${unreadReason(abs, read.reason, read.code)}`);
  const text = read.text;
  const value = parseConfigText(file, abs, text);
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    const format = extname(abs).toLowerCase() === '.json' ? 'a JSON object' : 'a YAML mapping';
    const message = `the config must be ${format} (clusters, clusterSets, rules, overrides, ignore, clusterDomain), found ${Array.isArray(value) ? 'a list' : value === null ? 'null' : typeof value}`;
    throw new ConfigError(`${file}:1:1: ${message}`, [{ file: abs, message, line: 1, column: 1 }]);
  }
  const errors = validateConfigValue(value);
  if (errors.length > 0) {
    const described = await describeErrors(abs, errors);
    throw new ConfigError(`${file} is not a valid mclint config:\n${described.text}`, described.places);
  }
  return resolveFileConfig(value, abs, dirname(abs));
}

interface RawConfig {
  clusterDomain?: string;
  clusters?: {
    name: string;
    path?: string;
    podCIDRs?: string[];
    serviceCIDRs?: string[];
    region?: string;
    zones?: string[];
    network?: string;
    mcsImplementation?: 'lighthouse' | 'cilium' | 'generic';
  }[];
  clusterSets?: { name: string; clusters: string[] }[];
  connectivity?: Omit<ConnectivityConfig, 'index'>[];
  rules?: Record<string, RuleSetting>;
  ignore?: string[];
  overrides?: Omit<OverrideConfig, 'index'>[];
  noInlineConfig?: boolean;
  reportUnusedDisableDirectives?: SeveritySetting | boolean;
}

/**
 * A `connectivity` entry checked against the clusters and sets the config declares: when it
 * declares `clusters`, every name the entry gives must be one of them, and a `clusterSet` must be
 * `default` or a declared set (holding those clusters). Names of discovered clusters cannot be
 * checked here (discovery runs later): an entry naming no cluster of a set says nothing about it.
 * @throws ConfigError naming the entry and the unknown name
 */
function checkConnectivity(
  entry: ConnectivityConfig,
  file: string | undefined,
  clusters: readonly ClusterConfig[] | undefined,
  sets: readonly ClusterSetConfig[] | undefined,
): ConnectivityConfig {
  const where = `${file}: connectivity[${entry.index}]`;
  const fail = (message: string, path: Path) =>
    new ConfigError(`${where}${message}`, file === undefined ? [] : [{ file, message: `connectivity[${entry.index}]${message}`, path: ['connectivity', entry.index, ...path] }]);
  const unknown = clusters && entry.clusters.find((name) => !clusters.some((c) => c.name === name));
  if (unknown !== undefined) throw fail(` names cluster "${unknown}", which "clusters" does not declare`, ['clusters', entry.clusters.indexOf(unknown)]);
  if (entry.clusterSet === undefined || entry.clusterSet === 'default') return entry;
  const set = sets?.find((s) => s.name === entry.clusterSet);
  if (!set) throw fail(` names clusterSet "${entry.clusterSet}", which "clusterSets" does not declare`, ['clusterSet']);
  const outside = entry.clusters.find((name) => !set.clusters.includes(name));
  if (outside !== undefined) throw fail(`: cluster "${outside}" is not in clusterSet "${set.name}"`, ['clusters', entry.clusters.indexOf(outside)]);
  return entry;
}

/** Applies defaults and resolves paths against `dir`; `file` is undefined when there is no config file. */
function resolveFileConfig(raw: RawConfig, file: string | undefined, dir: string): FileConfig {
  const names = new Set<string>();
  const clusters = raw.clusters?.map((c, index): ClusterConfig => {
    if (names.has(c.name)) {
      const message = `cluster "${c.name}" is declared twice in "clusters"`;
      throw new ConfigError(`${file}: ${message}`, file === undefined ? [] : [{ file, message, path: ['clusters', index, 'name'] }]);
    }
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
  const connectivity = raw.connectivity?.map((c, index) => checkConnectivity({ ...c, index }, file, clusters, clusterSets));
  return {
    file,
    dir,
    clusterDomain: raw.clusterDomain ?? DEFAULTS.clusterDomain,
    clusters,
    clusterSets,
    ...(connectivity !== undefined && { connectivity }),
    rules: raw.rules ?? {},
    ignore: raw.ignore ?? [],
    overrides: (raw.overrides ?? []).map((o, index) => ({ ...o, index })),
    noInlineConfig: raw.noInlineConfig ?? false,
    ...(raw.reportUnusedDisableDirectives !== undefined
      ? {
          reportUnusedDisableDirectives:
            typeof raw.reportUnusedDisableDirectives === 'boolean' ? (raw.reportUnusedDisableDirectives ? 'warn' : 'off') : raw.reportUnusedDisableDirectives,
        }
      : {}),
  };
}

/** `path` relative to the current directory (`..` above it), `/`-separated; absolute on another drive. */
function shown(path: string): string {
  const rel = relative(process.cwd(), path);
  return (rel === '' || isAbsolute(rel) ? path : rel).split(sep).join('/');
}

/**
 * The config file that applies to `start` (an absolute directory): the nearest
 * `mclint.config.yaml`, `mclint.config.yml` or `mclint.config.json` in `start` or a directory
 * above it. The search stops at the repository root — the nearest directory holding `.git`
 * (a directory, or a file in a worktree or submodule), searched itself — so a repository never
 * picks up a config from the directory it is checked out in. Outside any repository it goes on up
 * to the filesystem root, as ESLint's flat config lookup does (eslint/eslint
 * lib/config/config-loader.js, `locateConfigFileToUse`: find-up from the linted directory, the
 * nearest `eslint.config.*` wins and its directory is the base path); a pre-commit run always has
 * a `.git`, so the stop only matters there.
 * @returns the absolute path, or undefined when there is none
 * @throws ConfigError when one directory holds two of the names (which one is meant is unclear), or
 *   when the file found is a symbolic link leading outside the repository holding it (a pull request
 *   could otherwise make the Action read any file of the runner as its config)
 */
export function findConfigFile(start: string): string | undefined {
  for (let dir = resolve(start); ; dir = dirname(dir)) {
    const found = CONFIG_FILE_NAMES.map((name) => join(dir, name)).filter(isFile);
    if (found.length > 1) {
      throw new ConfigError(`${found.map(shown).join(' and ')}: two config files in one directory; keep one of them (or pass --config FILE)`);
    }
    if (found.length === 1) return insideRepository(found[0]);
    if (existsSync(join(dir, '.git')) || dirname(dir) === dir) return undefined;
  }
}

/**
 * `file` when its real path lies inside the git work tree holding it (or there is none).
 * @throws ConfigError when it is a symbolic link leading outside
 */
function insideRepository(file: string): string {
  let top = dirname(file);
  while (!existsSync(join(top, '.git')) && dirname(top) !== top) top = dirname(top);
  if (!existsSync(join(top, '.git'))) return file;
  let real: string;
  let realTop: string;
  try {
    real = realpathSync(file);
    realTop = realpathSync(top);
  } catch {
    return file;
  }
  if (real !== realTop && !real.startsWith(realTop.endsWith(sep) ? realTop : realTop + sep)) {
    throw new ConfigError(`${shown(file)}: the config file is a symbolic link to outside the repository (${shown(top)}); mclint does not read it (pass --config FILE)`);
  }
  return file;
}

/**
 * Finds the config for a lint root: the explicit `--config` file, else the nearest config file
 * from `root` up to the repository root (`findConfigFile`), else defaults with `root` as the
 * directory relative paths resolve against. Paths in a config file (`clusters[].path`,
 * `ignore`, `overrides[].files`) are relative to the file's own directory.
 * @throws ConfigError for an unreadable or invalid config file, or two config files in one
 *   directory
 */
export async function findConfig(root: string, explicit?: string): Promise<FileConfig> {
  if (explicit !== undefined) return loadConfigFile(explicit);
  const found = findConfigFile(root);
  // Messages name the file as the user would type it (relative to the working directory).
  if (found !== undefined) return loadConfigFile(shown(found));
  return resolveFileConfig({}, undefined, root);
}
