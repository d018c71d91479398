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

/**
 * Runs `parse` (a call into the `yaml` package) with stack traces off: the package makes an Error
 * object for every problem it finds, and capturing each one's stack dominated hostile input (a
 * 200,000-character line of `{{ .` gave 66,000 errors: 1.2 s of a 3.2 s run). Its errors carry
 * their positions; mclint never prints their stacks. Synchronous, so nothing else runs meanwhile.
 */
export function withoutStacks<T>(parse: () => T): T {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    return parse();
  } finally {
    Error.stackTraceLimit = limit;
  }
}
