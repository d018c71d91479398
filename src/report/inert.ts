/**
 * Text mclint did not write (file and folder names, object names, values quoted in messages, cluster
 * names, config paths) made inert before a report prints it, so that it can neither start a line nor
 * talk to whatever reads the output:
 *
 * - **Terminals**: C0 controls (LF, CR, TAB, ESC …), DEL, C1 controls (U+0080–U+009F, among them the
 *   8-bit CSI U+009B and OSC U+009D), the Unicode line and paragraph separators and the bidirectional
 *   formatting characters (the "Trojan Source" overrides, CVE-2021-42574) are written as visible
 *   escapes (`\n`, `\r`, `\t`, `\x1b`, `\x9b`, `\u202e`), so no ANSI sequence (SGR colors, OSC 8
 *   hyperlinks, title changes) and no line break from the repository reaches the terminal.
 * - **GitHub Actions runner** (`actions/runner` `src/Runner.Common/ActionCommand.cs`): `TryParseV2`
 *   executes a line that, after `TrimStart()` of its leading white space, starts with `::`
 *   (`::error file=…::text`); the legacy `TryParse`, tried next, executes `##[command]` found
 *   ANYWHERE in a line (`IndexOf("##[")`), `stop-commands` included. {@link inertLines} therefore
 *   escapes a `:` that starts a line (after white space) and every `##[` of a text report.
 *
 * Backslashes are not doubled: escapes are for people reading the output, not a reversible encoding
 * (the JSON and SARIF reports keep every value exact).
 */

/**
 * Characters that never reach the output raw: C0 controls, DEL, C1 controls, U+2028/U+2029, and the
 * bidirectional marks, embeddings, overrides and isolates (U+061C, U+200E, U+200F, U+202A–U+202E,
 * U+2066–U+2069).
 */
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
/** The same characters minus C0 controls (which JSON.stringify already escapes). */
const UNSAFE_IN_JSON = /[\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
/** The legacy workflow-command prefix, recognised by the runner anywhere in a line. */
const LEGACY_COMMAND = /##\[/g;
/**
 * A line whose first non-blank characters are `::` (the runner trims leading white space, NEL
 * included). The blanks never include a line break, so the match stays within its line (linear time).
 */
const COMMAND_AT_LINE_START = /^((?:[^\S\r\n\u2028\u2029]|\u0085)*):(?=:)/gm;

const NAMED: Readonly<Record<string, string>> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/** `\n`, `\r`, `\t`, `\xNN` (up to U+00FF) or `\uNNNN`. */
function escapeChar(c: string): string {
  const named = NAMED[c];
  if (named !== undefined) return named;
  const code = c.charCodeAt(0);
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

/**
 * One piece of foreign text, inert inside a line: every character of {@link UNSAFE} escaped
 * visibly (`"a\n::error::x"` → `a\n::error::x` on one line, ESC → `\x1b`), and `##[` written `##\[`.
 * With `keepLineBreaks`, CR and LF stay (for the `github` format, whose `escapeData` writes them
 * `%0D`/`%0A`, a line break inside the annotation). Text without such characters is returned
 * unchanged. Never throws; non-strings (bad input that reached a report) are turned into their
 * `String` form first.
 */
export function inert(text: string, keepLineBreaks = false): string {
  const s = typeof text === 'string' ? text : String(text);
  return s.replace(UNSAFE, (c) => (keepLineBreaks && (c === '\n' || c === '\r') ? c : escapeChar(c))).replace(LEGACY_COMMAND, '##\\[');
}

/**
 * A whole text report made safe for a GitHub Actions log, line by line (the last guard after each
 * piece went through {@link inert}): a line that starts with `::` after white space gets its first
 * `:` written `\x3a`, and `##[` anywhere becomes `##\[`. Never used on the `github` format, whose lines
 * are workflow commands by design (it %-escapes instead). The report's own ANSI colors are kept.
 */
export function inertLines(text: string): string {
  return text.replace(COMMAND_AT_LINE_START, '$1\\x3a').replace(LEGACY_COMMAND, '##\\[');
}

/**
 * JSON text (from `JSON.stringify`) with the characters JSON.stringify leaves raw escaped as
 * `\uNNNN` — DEL, C1 controls, U+2028/U+2029, bidirectional formatting — and `##[` written
 * `#\u0023[`. These can only occur inside JSON strings, so the text parses to the same value.
 */
export function inertJson(json: string): string {
  return json.replace(UNSAFE_IN_JSON, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`).replace(LEGACY_COMMAND, '#\\u0023[');
}

/** Whether a string holds a character or sequence that {@link inert} would change. */
export function needsEscape(text: string): boolean {
  UNSAFE.lastIndex = 0;
  const unsafe = UNSAFE.test(text);
  UNSAFE.lastIndex = 0;
  return unsafe || text.includes('##[') || /^[\s\u0085]*::/.test(text);
}

/**
 * YAML text (from the `yaml` package, with every string that {@link needsEscape} forced to a
 * double-quoted scalar) with the characters the package leaves raw inside double quotes — DEL, C1,
 * U+2028/U+2029, bidirectional formatting — written as YAML escapes (`\x9b`, `\u202e`), and `##[`
 * as `#\x23[`. Both can only occur inside those double-quoted scalars, so the text loads to the same
 * value (YAML 1.2 §5.7 escapes).
 */
export function inertYaml(yaml: string): string {
  return yaml.replace(UNSAFE_IN_JSON, escapeChar).replace(LEGACY_COMMAND, '#\\x23[');
}
