import { describe, expect, it } from 'vitest';
import type { Finding, RuleMeta } from '../../src/engine/types.js';
import pkg from '../../package.json' with { type: 'json' };
import { docsFooter, formatStylish, terminalWidth, wrapWords } from '../../src/report/stylish.js';
import type { ReportInput } from '../../src/report/types.js';

const stats = {
  clusterSets: 1,
  clusters: 2,
  files: 1,
  documents: 1,
  objects: 1,
  skipped: { binary: [], 'too-large': [], template: [], unreadable: [], outside: [], unreferenced: [], patch: [] },
  otherDocuments: { 'helm-values': 0, kustomization: 0, 'json-patch': 0, other: 0 },
};
const finding = (over: Partial<Finding>): Finding => ({
  ruleId: 'schema',
  severity: 2,
  message: 'x',
  file: '/repo/clusters/east/vs.yaml',
  line: 3,
  column: 9,
  endLine: 3,
  endColumn: 12,
  cluster: 'east',
  related: [],
  ...over,
});
const input = (findings: Finding[]): ReportInput => ({ findings, files: [], stats, colorLevel: 0, verbose: false, cwd: '/repo' });

describe('stylish', () => {
  it('one huge message does not pad every other line to its length (issue 17: output grew quadratically)', () => {
    const findings = [finding({ message: 'y'.repeat(200_000) }), ...Array.from({ length: 20_000 }, (_, i) => finding({ line: i + 4, message: 'short' }))];
    const out = formatStylish(input(findings));
    const lines = out.split('\n');
    expect(lines.find((l) => l.includes(' short '))).toMatch(new RegExp(`^ +4:9 +error  ${'short'.padEnd(160)}  schema$`));
    expect(out.length).toBeLessThan(200_000 + 20_001 * 200 + 1_000);
  });

  it('a line break inside a message (a name from the manifest) stays on the finding’s line, escaped', () => {
    const out = formatStylish(input([finding({ message: 'VirtualService "\n::error::x": "metadata.namespace" must be string' })]));
    expect(out.split('\n').filter((l) => l.startsWith('::'))).toEqual([]);
    expect(out).toContain('VirtualService "\\n::error::x": "metadata.namespace" must be string');
  });

  it('a finding that reached its cluster through a Flux Kustomization says so under it', () => {
    const out = formatStylish(input([finding({ via: 'Kustomization flux-system/apps' })]));
    expect(out).toContain('\n  3:9  error  x  schema\n       ↳ in cluster east via Kustomization flux-system/apps\n');
  });
});

const LONG = 'Link "linkerd-multicluster/east" in cluster "west" expects gateway trust domain cluster.local, but cluster "east" has identityTrustDomain east.example.';
const meta = (id: string, docs = `docs/rules/${id}.md`): RuleMeta => ({ id, description: id, severity: 'error', docs });
const DOCS = `https://github.com/mclint/mclint/blob/v${pkg.version}/docs/rules`;

describe('wrapWords', () => {
  it.each([
    ['fits', 'a b c', 10, ['a b c']],
    ['breaks at the last space that fits', 'aaa bbb ccc', 7, ['aaa bbb', 'ccc']],
    ['exactly the width', 'aaaa bbbb', 4, ['aaaa', 'bbbb']],
    ['a word longer than the width keeps a line of its own, unbroken', 'x https://example.com/a/very/long/path y', 10, ['x', 'https://example.com/a/very/long/path', 'y']],
    ['runs of spaces become one', 'a   b', 10, ['a b']],
  ])('%s', (_, text, width, lines) => {
    expect(wrapWords(text, width)).toEqual(lines);
  });
});

describe('terminalWidth', () => {
  it.each([
    ['COLUMNS wins, also in a pipe', { COLUMNS: '100' }, false, undefined, 100],
    ['COLUMNS wins over the terminal', { COLUMNS: '100' }, true, 200, 100],
    ['the terminal width on a TTY', {}, true, 120, 120],
    ['no wrapping in a pipe', {}, false, undefined, undefined],
    ['COLUMNS that is not a positive integer is ignored', { COLUMNS: 'wide' }, true, 90, 90],
    ['COLUMNS=0 is ignored', { COLUMNS: '0' }, false, undefined, undefined],
  ])('%s', (_, env, isTTY, columns, width) => {
    expect(terminalWidth(env, isTTY, columns)).toBe(width);
  });
});

describe('stylish at a terminal width', () => {
  const findings = [finding({ ruleId: 'linkerd-link', message: LONG }), finding({ line: 12, column: 3, ruleId: 'schema', message: 'Short one.' })];
  const rows = (width: number | undefined) => {
    const out = formatStylish({ ...input(findings), width });
    return out.split('\n').filter((l) => l.startsWith('  '));
  };

  it.each([60, 80, 100])('every row fits %i columns, the rule id on the first line, continuations under the message', (width) => {
    const lines = rows(width);
    for (const l of lines) expect(l.length, l).toBeLessThanOrEqual(width);
    expect(lines[0]).toMatch(/^ {2}3:9 {3}error {2}Link\b.* {2}linkerd-link$/);
    const column = lines[0].indexOf('Link');
    const continuation = lines.slice(1).filter((l) => !l.includes('schema'));
    expect(continuation.length).toBeGreaterThan(0);
    for (const l of continuation) expect(l.search(/\S/)).toBe(column);
    // No word is broken: the lines joined by spaces give back the message (without its full stop).
    const words = [lines[0].slice(column, lines[0].lastIndexOf('  linkerd-link')).trimEnd(), ...continuation.map((l) => l.trim())];
    expect(words.join(' ')).toBe(LONG.replace(/\.$/, ''));
    expect(lines.at(-1)).toMatch(/^ {2}12:3 {2}error {2}Short one +schema$/);
  });

  it('without a width (a pipe or a file) nothing wraps', () => {
    expect(rows(undefined)[0]).toBe(`  3:9   error  ${LONG.replace(/\.$/, '')}  linkerd-link`);
  });

  it('a terminal too narrow for the layout still gets words whole and the rule id on the first line', () => {
    const lines = rows(30);
    expect(lines[0]).toMatch(/^ {2}3:9 {3}error {2}\S.{0,19} +linkerd-link$/);
    for (const l of lines) expect(l).not.toMatch(/\w-$/);
  });

  it('--verbose wraps the hint under its first word', () => {
    const hint = 'Proxies check the gateway identity against gatewayIdentity, so every connection through the gateway is refused. Re-run linkerd multicluster link.';
    const out = formatStylish({ ...input([finding({ ruleId: 'linkerd-link', message: 'x', hint })]), verbose: true, width: 70 });
    const lines = out.split('\n');
    const first = lines.findIndex((l) => l.includes('hint: '));
    expect(lines[first]).toMatch(/^ {7}hint: Proxies/);
    expect(lines[first + 1]).toMatch(/^ {13}\S/);
    for (const l of lines.slice(first, first + 3)) expect(l.length).toBeLessThanOrEqual(70);
  });
});

describe('the rule docs footer', () => {
  const rules = [meta('cidr-overlap'), meta('schema'), meta('linkerd-link'), meta('odd', 'README.md#odd')];

  it.each([
    ['one rule', ['schema'], `Rule docs: ${DOCS}/<id>.md for schema`],
    ['rules in registry order', ['linkerd-link', 'cidr-overlap'], `Rule docs: ${DOCS}/<id>.md for cidr-overlap, linkerd-link`],
    ['a page elsewhere is linked on its own', ['odd', 'schema'], `Rule docs: ${DOCS}/<id>.md for schema; odd: https://github.com/mclint/mclint/blob/v${pkg.version}/README.md#odd`],
    ['a rule without metadata is left out', ['schema', 'nope'], `Rule docs: ${DOCS}/<id>.md for schema`],
  ])('%s', (_, ids, line) => {
    expect(docsFooter(new Set(ids), rules)).toBe(line);
  });

  it('follows the problem count, once, and is absent from a clean run', () => {
    const out = formatStylish({ ...input([finding({}), finding({ line: 4 })]), rules });
    expect(out).toContain(`\n✖ 2 problems (2 errors, 0 warnings)\nRule docs: ${DOCS}/<id>.md for schema\n`);
    expect(out.match(/Rule docs:/g)).toHaveLength(1);
    expect(formatStylish({ ...input([]), rules })).not.toContain('Rule docs:');
  });
});
