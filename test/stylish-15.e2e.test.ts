/**
 * Messages people read (issue 15, point 5), end to end: the built binary's stylish report wraps its
 * message column at the width `COLUMNS` gives (without breaking words, the rule id kept on each
 * finding's first line) and ends its problem count with a footer linking the docs of the rules that
 * fired, at the installed version's tag. Run against `fixtures/linkerd-links`, whose findings have
 * long messages from two rules.
 */
import { describe, expect, it } from 'vitest';
import pkg from '../package.json' with { type: 'json' };
import { RULES } from '../rules/index.js';
import { runCli } from './helpers/run-cli.js';

const FIXTURE = 'fixtures/linkerd-links';
const IDS = new Set(RULES.map((r) => r.meta.id));
/** A finding's first line: `  line:col  severity  message  rule-id` (the prefix up to the message column captured). */
const ROW = /^( {2}(\d+:\d+) +(?:error|warning|note) {2})(.*?) {2,}(\S+)$/;

interface Row {
  readonly pos: string;
  readonly rule: string;
  /** The message column: where the message starts on the first line and on every continuation line. */
  readonly column: number;
  message: string;
  readonly lines: string[];
}

/** The findings of a stylish report, each with its message (continuation lines joined with a space) and its lines. */
function findings(stdout: string): Row[] {
  const out: Row[] = [];
  for (const line of stdout.split('\n')) {
    const m = ROW.exec(line);
    if (m && IDS.has(m[4])) {
      out.push({ pos: m[2], rule: m[4], column: m[1].length, message: m[3].trimEnd(), lines: [line] });
      continue;
    }
    const last = out.at(-1);
    if (last && line.trim() !== '' && !line.trim().startsWith('↳') && line.search(/\S/) === last.column) {
      last.message += ` ${line.trim()}`;
      last.lines.push(line);
    }
  }
  return out;
}

describe('stylish on a terminal of a given width (COLUMNS)', () => {
  const wide = runCli([FIXTURE]);
  const unwrapped = findings(wide.stdout);

  it('the fixture has findings with messages longer than a narrow terminal', () => {
    expect(wide.status).toBe(1);
    expect(unwrapped.length).toBeGreaterThanOrEqual(5);
    expect(unwrapped.every((f) => f.lines.length === 1)).toBe(true);
    expect(Math.max(...unwrapped.map((f) => f.lines[0].length))).toBeGreaterThan(120);
  });

  it.each([72, 100])('COLUMNS=%i: every finding line fits, words whole, the rule id on the first line', (columns) => {
    const r = runCli([FIXTURE], { env: { COLUMNS: String(columns) } });
    expect(r.status).toBe(1);
    const wrapped = findings(r.stdout);
    // The same findings, in the same order, with the same words: wrapping only moved line breaks.
    expect(wrapped.map((f) => [f.pos, f.rule, f.message])).toEqual(unwrapped.map((f) => [f.pos, f.rule, f.message]));
    expect(wrapped.some((f) => f.lines.length > 1)).toBe(true);
    for (const f of wrapped) for (const line of f.lines) expect(line.length, line).toBeLessThanOrEqual(columns);
  });

  it('without COLUMNS and not on a terminal (a pipe, CI logs), each finding stays on one line', () => {
    expect(unwrapped.map((f) => f.lines.length)).toEqual(unwrapped.map(() => 1));
  });

  it('a footer after the problem count links the docs of the rules that fired, at the installed version', () => {
    const lines = wide.stdout.split('\n');
    const count = lines.findIndex((l) => /^✖ \d+ problems/.test(l));
    expect(lines[count + 1]).toBe(`Rule docs: https://github.com/mclint/mclint/blob/v${pkg.version}/docs/rules/<id>.md for linkerd-link, linkerd-trust-anchors`);
    expect(new Set(unwrapped.map((f) => f.rule))).toEqual(new Set(['linkerd-link', 'linkerd-trust-anchors']));
  });

  it('a clean run has no footer', () => {
    const r = runCli([FIXTURE, '--rule', 'linkerd-link:off', '--rule', 'linkerd-trust-anchors:off']);
    expect(r.status).toBe(0);
    expect(r.stdout).not.toContain('Rule docs:');
  });
});
