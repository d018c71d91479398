/**
 * `stylish`: ESLint's default layout — a file header, then `line:col  severity  message  rule-id`
 * rows aligned per file, then `✖ N problems (E errors, W warnings)`. mclint adds a dimmed `↳`
 * line per related place (the other side of a cross-cluster problem) and the run summary.
 */
import { Chalk } from 'chalk';
import { displayPath } from '../model/describe.js';
import { compareFindings } from '../engine/run.js';
import { groupByFile, plural } from './common.js';
import { inert, inertLines } from './inert.js';
import { formatSummary } from './summary.js';
import type { Finding, Note } from '../engine/types.js';
import type { ReportInput } from './types.js';

/** The widest a message column is padded to (longer messages are not padded). */
const MAX_MESSAGE_PAD = 160;

function fileBlock(chalk: InstanceType<typeof Chalk>, file: string, findings: readonly (Finding | Note)[], verbose: boolean): string {
  const rows = findings.map((f) => ({
    pos: `${f.line}:${f.column}`,
    type: !('severity' in f) ? 'note' : f.severity === 2 ? 'error' : 'warning',
    // One finding, one line: a line break or escape sequence a manifest put into a name is shown
    // escaped (inert.ts), so no line of the report starts with text from the repository.
    message: inert(f.message.replace(/([^ ])\.$/, '$1')),
    finding: f,
  }));
  // Column widths by a loop (a spread of 100,000 rows would overflow the stack); messages are padded
  // to at most MAX_MESSAGE_PAD characters, so one huge message cannot make every line as long.
  const widest = (width: (r: (typeof rows)[number]) => number) => rows.reduce((w, r) => Math.max(w, width(r)), 0);
  const wPos = widest((r) => r.pos.length);
  const wType = widest((r) => r.type.length);
  const wMsg = Math.min(
    MAX_MESSAGE_PAD,
    widest((r) => r.message.length),
  );
  let out = `${chalk.underline(inert(displayPath(file)))}\n`;
  for (const r of rows) {
    const paint = r.type === 'error' ? chalk.red : r.type === 'warning' ? chalk.yellow : chalk.blue;
    const type = paint(r.type.padEnd(wType));
    out += `  ${chalk.dim(r.pos.padEnd(wPos))}  ${type}  ${r.message.padEnd(wMsg)}  ${chalk.dim(inert(r.finding.ruleId))}\n`;
    if (r.finding.via !== undefined) out += chalk.dim(`  ${' '.repeat(wPos)}  ↳ in cluster ${inert(r.finding.cluster ?? '?')} via ${inert(r.finding.via)}`) + '\n';
    // The hint (what the controller will do, how to fix it) with --verbose, as ESLint users expect.
    if (verbose && r.finding.hint !== undefined) out += chalk.dim(`  ${' '.repeat(wPos)}  hint: ${inert(r.finding.hint)}`) + '\n';
    for (const rel of r.finding.related) {
      const who = rel.cluster !== undefined ? `${inert(rel.cluster)}: ` : '';
      const what = rel.message !== undefined ? `  ${inert(rel.message)}` : '';
      out += chalk.dim(`  ${' '.repeat(wPos)}  ↳ ${who}${inert(displayPath(rel.file))}:${rel.line}:${rel.column}${what}`) + '\n';
    }
  }
  return out;
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
  for (const file of [...byFile.keys()].sort()) out += `\n${fileBlock(chalk, file, byFile.get(file)!, input.verbose)}`;
  const errors = input.findings.filter((f) => f.severity === 2).length;
  const warnings = input.findings.length - errors;
  if (errors + warnings > 0) {
    const color = errors > 0 ? chalk.red : chalk.yellow;
    out += `\n${color.bold(`\u2716 ${plural(errors + warnings, 'problem')} (${plural(errors, 'error')}, ${plural(warnings, 'warning')})`)}\n`;
  }
  const suppressed = input.suppressed?.length ?? 0;
  if (suppressed > 0) {
    out += `\n${chalk.dim(`${plural(suppressed, 'problem')} suppressed by comments, annotations or config overrides (--format json or sarif lists them with their justification).`)}\n`;
  }
  if (input.tooManyWarnings !== undefined) {
    out += `\n${chalk.red.bold(`mclint found too many warnings (maximum: ${input.tooManyWarnings}).`)}\n`;
  }
  out += `\n${chalk.dim(formatSummary(input.stats, input.verbose))}\n`;
  return inertLines(out);
}
