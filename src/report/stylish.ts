/**
 * `stylish`: ESLint's default layout — a file header, then `line:col  severity  message  rule-id`
 * rows aligned per file, then `✖ N problems (E errors, W warnings)`. mclint adds a dimmed `↳`
 * line per related place (the other side of a cross-cluster problem), a `Rule docs:` footer linking
 * the pages of the rules that fired (at the installed version's tag, docs-url.ts) and the run summary.
 *
 * On a terminal (`ReportInput.width`, see `terminalWidth`) the message column is wrapped at spaces so
 * that each row, rule id included, fits the width; continuation lines are indented under the message
 * column and the rule id stays on the row's first line. ESLint's own stylish never wraps (its rows run
 * past the edge and the terminal folds them, rule id and all, under the line number); without a width
 * (a pipe or a file) mclint does not wrap either, so tools that read the report see one line per finding.
 */
import { Chalk } from 'chalk';
import { displayPath } from '../model/describe.js';
import { compareFindings } from '../engine/run.js';
import { groupByFile, plural } from './common.js';
import { inert, inertLines } from './inert.js';
import { formatSummary } from './summary.js';
import { docsBaseUrl, ruleDocsUrl } from './docs-url.js';
import type { Finding, Note, RuleMeta } from '../engine/types.js';
import type { ReportInput } from './types.js';

/** The widest a message column is padded to (longer messages are not padded). */
const MAX_MESSAGE_PAD = 160;
/** The narrowest the message column is wrapped to, however narrow the terminal: the rule id then runs past its edge. */
const MIN_MESSAGE_WIDTH = 20;

/**
 * The width in columns to wrap the stylish report to, or undefined for no wrapping.
 *
 * `COLUMNS` wins when it is a positive integer (POSIX "Environment Variables": the user's preferred
 * width in column positions for the terminal screen or window), also when the output is not a terminal,
 * so `COLUMNS=100 mclint … | less` wraps; otherwise the terminal's width (`process.stdout.columns`)
 * when standard output is a terminal; otherwise (a pipe, a file, CI logs) undefined.
 * @param env the process environment (`COLUMNS` is read)
 * @param isTTY whether standard output is a terminal
 * @param columns the terminal's width (`process.stdout.columns`, undefined when not a terminal)
 */
export function terminalWidth(env: NodeJS.ProcessEnv, isTTY: boolean, columns: number | undefined = process.stdout.columns): number | undefined {
  const fromEnv = env.COLUMNS?.trim();
  if (fromEnv && /^\d+$/.test(fromEnv) && Number(fromEnv) > 0) return Number(fromEnv);
  return isTTY && columns !== undefined && columns > 0 ? columns : undefined;
}

/**
 * `text` broken into lines of at most `width` characters (UTF-16 code units) at spaces, never inside
 * a word: a word longer than `width` (a long path or name) gets a line of its own, longer than `width`.
 * Runs of spaces between words become one; no line starts or ends with a space.
 */
export function wrapWords(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/ +/)) {
    if (word === '') continue;
    if (line === '') line = word;
    else if (line.length + 1 + word.length <= width) line += ` ${word}`;
    else {
      lines.push(line);
      line = word;
    }
  }
  lines.push(line);
  return lines;
}

function fileBlock(chalk: InstanceType<typeof Chalk>, file: string, findings: readonly (Finding | Note)[], verbose: boolean, width: number | undefined): string {
  const rows = findings.map((f) => ({
    pos: `${f.line}:${f.column}`,
    type: !('severity' in f) ? 'note' : f.severity === 2 ? 'error' : 'warning',
    // One finding, one line: a line break or escape sequence a manifest put into a name is shown
    // escaped (inert.ts), so no line of the report starts with text from the repository.
    message: inert(f.message.replace(/([^ ])\.$/, '$1')),
    ruleId: inert(f.ruleId),
    finding: f,
    lines: [] as string[],
  }));
  // Column widths by a loop (a spread of 100,000 rows would overflow the stack); messages are padded
  // to at most MAX_MESSAGE_PAD characters, so one huge message cannot make every line as long.
  const widest = (measure: (r: (typeof rows)[number]) => number) => rows.reduce((w, r) => Math.max(w, measure(r)), 0);
  const wPos = widest((r) => r.pos.length);
  const wType = widest((r) => r.type.length);
  // `  pos  type  ` comes before the message, `  rule-id` after it: on a terminal, the message column
  // gets what is left so the rule id stays on screen; continuation lines start under the message.
  const indent = 2 + wPos + 2 + wType + 2;
  const room = width === undefined ? undefined : Math.max(MIN_MESSAGE_WIDTH, width - indent - 2 - widest((r) => r.ruleId.length));
  for (const r of rows) r.lines = room === undefined || r.message.length <= room ? [r.message] : wrapWords(r.message, room);
  const wMsg = Math.min(
    MAX_MESSAGE_PAD,
    widest((r) => r.lines.reduce((w, l) => Math.max(w, l.length), 0)),
  );
  const under = ' '.repeat(indent);
  const sub = `  ${' '.repeat(wPos)}  `;
  let out = `${chalk.underline(inert(displayPath(file)))}\n`;
  for (const r of rows) {
    const paint = r.type === 'error' ? chalk.red : r.type === 'warning' ? chalk.yellow : chalk.blue;
    const type = paint(r.type.padEnd(wType));
    out += `  ${chalk.dim(r.pos.padEnd(wPos))}  ${type}  ${r.lines[0].padEnd(wMsg)}  ${chalk.dim(r.ruleId)}\n`;
    for (const line of r.lines.slice(1)) out += `${under}${line}\n`;
    if (r.finding.via !== undefined) out += chalk.dim(`${sub}↳ in cluster ${inert(r.finding.cluster ?? '?')} via ${inert(r.finding.via)}`) + '\n';
    // The hint (what the controller will do, how to fix it) with --verbose, as ESLint users expect;
    // on a terminal it wraps too, continuation lines under its first word.
    if (verbose && r.finding.hint !== undefined) {
      const hint = inert(r.finding.hint);
      const hintRoom = width === undefined ? undefined : Math.max(MIN_MESSAGE_WIDTH, width - sub.length - 'hint: '.length);
      const [first, ...rest] = hintRoom === undefined || hint.length <= hintRoom ? [hint] : wrapWords(hint, hintRoom);
      out += chalk.dim(`${sub}hint: ${first}`) + '\n';
      for (const line of rest) out += chalk.dim(`${sub}      ${line}`) + '\n';
    }
    for (const rel of r.finding.related) {
      const who = rel.cluster !== undefined ? `${inert(rel.cluster)}: ` : '';
      const what = rel.message !== undefined ? `  ${inert(rel.message)}` : '';
      out += chalk.dim(`${sub}↳ ${who}${inert(displayPath(rel.file))}:${rel.line}:${rel.column}${what}`) + '\n';
    }
  }
  return out;
}

/**
 * The footer that points at the documentation of the rules that fired, or undefined when none did:
 * `Rule docs: https://github.com/<owner>/<repo>/blob/v<version>/docs/rules/<id>.md for cidr-overlap, schema`
 * (one line; `ruleDocsUrl`, the installed version's tag). A rule whose page is elsewhere
 * (`meta.docs` is not `docs/rules/<id>.md`) is added as `; <id>: <url>`. Rules are named in
 * registry order (`rules`); a rule id without metadata is left out.
 */
export function docsFooter(ruleIds: ReadonlySet<string>, rules: readonly RuleMeta[]): string | undefined {
  const fired = rules.filter((m) => ruleIds.has(m.id));
  if (fired.length === 0) return undefined;
  const standard = fired.filter((m) => m.docs === `docs/rules/${m.id}.md`);
  const parts: string[] = [];
  if (standard.length > 0) parts.push(`${docsBaseUrl() ?? ''}docs/rules/<id>.md for ${standard.map((m) => m.id).join(', ')}`);
  for (const m of fired.filter((x) => !standard.includes(x))) parts.push(`${m.id}: ${ruleDocsUrl(m) ?? m.docs}`);
  return `Rule docs: ${parts.join('; ')}`;
}

/**
 * Formats findings in ESLint's stylish layout, followed by the run summary. Notes are listed
 * with their file like findings (type `note`) but not counted as problems. Text from the linted
 * repository (paths, names, values in messages) is printed inert (`inert.ts`): control characters
 * escaped visibly, and no line can be a GitHub workflow command (the Action prints this report to
 * its log).
 */
export function formatStylish(input: ReportInput): string {
  const chalk = new Chalk({ level: input.colorLevel });
  const byFile = groupByFile<Finding | Note>([...input.findings, ...(input.notes ?? [])]);
  for (const list of byFile.values()) list.sort(compareFindings);
  let out = '';
  for (const file of [...byFile.keys()].sort()) out += `\n${fileBlock(chalk, file, byFile.get(file)!, input.verbose, input.width)}`;
  const errors = input.findings.filter((f) => f.severity === 2).length;
  const warnings = input.findings.length - errors;
  if (errors + warnings > 0) {
    const color = errors > 0 ? chalk.red : chalk.yellow;
    out += `\n${color.bold(`\u2716 ${plural(errors + warnings, 'problem')} (${plural(errors, 'error')}, ${plural(warnings, 'warning')})`)}\n`;
  }
  // Where to read about the rules that fired (notes included), right under the problem count.
  const footer = docsFooter(new Set([...input.findings, ...(input.notes ?? [])].map((f) => f.ruleId)), input.rules ?? []);
  if (footer !== undefined) out += `${errors + warnings > 0 ? '' : '\n'}${chalk.dim(inert(footer))}\n`;
  // Those of the baseline (kind `file`) are counted by the run summary ("suppressed by mclint-suppressions.json").
  const suppressed = input.suppressed?.filter((f) => !f.suppressions.some((s) => s.kind === 'file')).length ?? 0;
  if (suppressed > 0) {
    out += `\n${chalk.dim(`${plural(suppressed, 'problem')} suppressed by comments, annotations or config overrides (--format json or sarif lists them with their justification).`)}\n`;
  }
  if (input.tooManyWarnings !== undefined) {
    out += `\n${chalk.red.bold(`mclint found too many warnings (maximum: ${input.tooManyWarnings}).`)}\n`;
  }
  out += `\n${chalk.dim(formatSummary(input.stats, input.verbose))}\n`;
  return inertLines(out);
}
