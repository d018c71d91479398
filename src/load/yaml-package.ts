/**
 * The `yaml` package, loaded on first use: only runs that report a finding (positions) or hit a
 * syntax error (exact error ranges) need it, so clean pre-commit runs never pay for it.
 */
import { cjsExports } from '../base/cjs.js';

type YamlPackage = typeof import('yaml');

let loaded: Promise<YamlPackage> | undefined;

/** The `yaml` package's exports, imported once on first call. */
export function loadYamlPackage(): Promise<YamlPackage> {
  loaded ??= import('yaml').then(cjsExports);
  return loaded;
}
