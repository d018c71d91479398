/**
 * Regular expressions written by users (rule options in the config file) run on RE2's
 * linear-time engine, never on JavaScript's backtracking one: a config is input too (a pull
 * request can change the one a CI job or the GitHub Action runs), and a pattern such as `(a+)+$`
 * takes minutes on a 40-character name in JavaScript. The engine is `re2js` (a pure JavaScript port
 * of Google's RE2: no native build), loaded on first use so that runs without such a pattern never
 * pay for it.
 *
 * RE2 syntax (github.com/google/re2/wiki/Syntax) is JavaScript's without look-around (`(?=`,
 * `(?!`, `(?<=`) and back-references (`\1`), and with repetition counts up to 1000: patterns
 * using those are rejected with RE2's own reason (`UserPatternError`).
 */

type Re2Engine = (typeof import('re2js'))['RE2JS'];

let engine: Re2Engine | undefined;

/** Loads the RE2 engine (once); `compileUserPattern` needs it. */
export async function loadRegexEngine(): Promise<void> {
  engine ??= (await import('re2js')).RE2JS;
}

/** A pattern RE2 cannot compile: `message` says which part and why, in RE2's words. */
export class UserPatternError extends Error {}

/** A user's pattern, compiled: `test` searches like `RegExp.prototype.test`, in linear time. */
export interface UserPattern {
  /** The pattern as written. */
  readonly source: string;
  /** True when the pattern matches somewhere in `text` (unanchored, like `RegExp.test`). */
  test(text: string): boolean;
}

/**
 * Compiles `source` for RE2.
 * @throws UserPatternError when RE2 rejects the pattern (syntax error, look-around,
 *   back-reference, repetition count over 1000), with RE2's reason
 * @throws Error when `loadRegexEngine` has not completed (a programming error)
 */
export function compileUserPattern(source: string): UserPattern {
  if (!engine) throw new Error('compileUserPattern called before loadRegexEngine');
  let compiled: { test(text: string): boolean };
  try {
    compiled = engine.compile(source);
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    throw new UserPatternError(`${reason} (patterns run on RE2, which matches in linear time: no look-around, no back-references)`);
  }
  return { source, test: (text) => compiled.test(text) };
}
