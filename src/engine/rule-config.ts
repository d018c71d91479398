/**
 * Rule settings: severities and options from the config file and `--rule` flags, checked against
 * the registered rules (unknown ids are config errors) and each rule's options JSON Schema.
 */
import { CONFIG_FILE_NAME, ConfigError, unknownRuleText, type RuleSetting, type SeverityName, type SeveritySetting } from '../config/index.js';
import type { RuleMeta } from './types.js';
import { isAbsolute } from 'node:path';
import { cjsExports } from '../base/cjs.js';
import { toSchemaErrors } from '../schema/index.js';
import { compileUserPattern, loadRegexEngine, UserPatternError } from '../base/regex.js';

/** The effective setting of one enabled rule. */
export interface RuleState {
  readonly severity: 'warn' | 'error';
  readonly options: Readonly<Record<string, unknown>>;
}

const SEVERITY_NAMES: Record<string, SeverityName> = { off: 'off', warn: 'warn', warning: 'warn', error: 'error', '0': 'off', '1': 'warn', '2': 'error' };

/** A severity as a word: `off`, `warn` or `error` (ESLint's 0, 1, 2 and `warning` accepted). */
export function severityOf(s: SeveritySetting): SeverityName {
  return SEVERITY_NAMES[String(s)];
}

/** Parses one `--rule ID:off|warn|error` flag (`warning`, 0, 1, 2 accepted). @throws ConfigError on bad syntax */
export function parseRuleFlag(flag: string): [string, SeverityName] {
  const m = /^\s*([a-z0-9-]+)\s*:\s*(off|warn|warning|error|0|1|2)\s*$/.exec(flag);
  if (!m) throw new ConfigError(`invalid --rule "${flag}": expected ID:off|warn|error, e.g. --rule cidr-overlap:warn`);
  return [m[1], SEVERITY_NAMES[m[2]]];
}

/**
 * Loads the RE2 engine when the rule's options have a `format: regex` property, and rejects a
 * pattern RE2 cannot compile with its reason (look-around, back-references: see `base/regex.ts`).
 * @throws ConfigError naming the rule, the option and RE2's reason
 */
async function checkPatterns(meta: RuleMeta, schema: object, options: Record<string, unknown>, where: string): Promise<void> {
  const properties = (schema as { properties?: Record<string, { format?: string }> }).properties ?? {};
  if (!JSON.stringify(schema).includes('"format":"regex"')) return;
  await loadRegexEngine();
  const names = Object.keys(properties).filter((k) => properties[k].format === 'regex');
  for (const name of names) {
    const value = options[name];
    if (typeof value !== 'string') continue;
    try {
      compileUserPattern(value);
    } catch (err) {
      if (!(err instanceof UserPatternError)) throw err;
      throw optionsError(where, meta.id, `${name} ${JSON.stringify(value)} is not a pattern mclint can run: ${err.message}`);
    }
  }
}

/** Invalid options of rule `id` in the config file `where` (an absolute path: placed at `rules.<id>` for annotations). */
function optionsError(where: string, id: string, detail: string): ConfigError {
  const message = `invalid options for rule "${id}": ${detail}`;
  return new ConfigError(`${where}: ${message}`, isAbsolute(where) ? [{ file: where, message, path: ['rules', id] }] : []);
}

async function checkOptions(meta: RuleMeta, options: Record<string, unknown>, where: string): Promise<void> {
  const schema = meta.options ?? { type: 'object', additionalProperties: false, properties: {} };
  const { Ajv } = cjsExports(await import('ajv'));
  const ajv = new Ajv({ allErrors: true, strict: false, verbose: true });
  // `format: regex`: a pattern RE2 compiles (rules run it with `compileUserPattern`).
  ajv.addFormat('regex', (s: string) => {
    try {
      compileUserPattern(s);
      return true;
    } catch {
      return false;
    }
  });
  const validate = ajv.compile(schema);
  await checkPatterns(meta, schema, options, where);
  if (!validate(options)) {
    const detail = toSchemaErrors(validate.errors ?? [], options, 'config')
      .map((e) => e.message)
      .join('; ');
    throw optionsError(where, meta.id, detail);
  }
}

/**
 * Resolves every rule's effective severity and options. Later sources win: rule default, config
 * file, then `--rule` flags in order.
 * @returns settings of the enabled rules only, keyed by rule id
 * @throws ConfigError for unknown rule ids or options that fail the rule's schema
 */
export async function resolveRuleStates(
  metas: readonly RuleMeta[],
  fromConfig: Readonly<Record<string, RuleSetting>>,
  fromFlags: readonly string[],
  configName = CONFIG_FILE_NAME,
): Promise<Map<string, RuleState>> {
  const byId = new Map(metas.map((m) => [m.id, m]));
  // In the config file, the error is placed at the rule's key (`rules.<id>`) for annotations.
  const unknown = (id: string, where: string) => {
    const message = unknownRuleText(id, byId.keys());
    return new ConfigError(`${where}: ${message}`, where === configName && isAbsolute(where) ? [{ file: where, message, path: ['rules', id], key: true }] : []);
  };
  const severity = new Map<string, SeverityName>(metas.map((m) => [m.id, m.severity]));
  const options = new Map<string, Record<string, unknown>>();
  for (const [id, setting] of Object.entries(fromConfig)) {
    const meta = byId.get(id);
    if (!meta) throw unknown(id, configName);
    const [sev, opts] = Array.isArray(setting) ? setting : [setting];
    severity.set(id, severityOf(sev));
    if (opts) {
      await checkOptions(meta, opts, configName);
      options.set(id, opts);
    }
  }
  for (const flag of fromFlags) {
    const [id, sev] = parseRuleFlag(flag);
    if (!byId.has(id)) throw unknown(id, '--rule');
    severity.set(id, sev);
  }
  const states = new Map<string, RuleState>();
  for (const meta of metas) {
    const sev = severity.get(meta.id);
    if (sev === 'off' || sev === undefined) continue;
    states.set(meta.id, { severity: sev, options: { ...(meta.defaultOptions ?? {}), ...(options.get(meta.id) ?? {}) } });
  }
  return states;
}
