/**
 * End-to-end: `TIMING` (ESLint's per-rule table, plus mclint's stages) and `--stats` (times in
 * `--format json`), through the built binary. No time is asserted (machines are noisy): only the
 * tables' shape, which rules and stages are listed, and that the report itself never changes.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bin, runCli } from './helpers/run-cli.js';
import { writeScenario, yaml } from './helpers/scenario.js';
import { formatTimingTable, timingRows } from '../src/report/timing.js';

const STAGES = ['config', 'discover', 'render', 'load', 'model', 'rules', 'locate', 'suppress', 'report'];

const service = (cluster: string, port: number) => yaml`
  apiVersion: v1
  kind: Service
  metadata:
    name: ledger
    namespace: payments
  spec:
    ports:
      - name: http
        port: ${port}
  ---
  apiVersion: multicluster.x-k8s.io/v1alpha1
  kind: ServiceExport
  metadata:
    name: ledger
    namespace: payments
  ---
  apiVersion: submariner.io/v1alpha1
  kind: Submariner
  metadata:
    name: submariner
    namespace: submariner-operator
  spec:
    clusterID: ${cluster}
    clusterCIDR: 10.0.0.0/16
    serviceCIDR: 10.96.0.0/16
`;

/** Two clusters whose pod CIDRs overlap: a run with findings (exit 1). */
const root = writeScenario({ 'clusters/east/apps.yaml': service('east', 80), 'clusters/west/apps.yaml': service('west', 8080) });

/** Every rule id and its default severity, from `--list-rules`. */
function listRules(): { id: string; severity: string }[] {
  const lines = runCli(['--list-rules']).stdout.trim().split('\n').slice(2);
  return lines.map((l) => {
    const [id, severity] = l.split(/\s+/);
    return { id, severity };
  });
}

/** The rows of one `X | Time (ms) | Relative` table, checked for ESLint's shape; returns the names. */
function tableNames(lines: readonly string[], header: string): string[] {
  expect(lines[0]).toMatch(new RegExp(`^${header} +\\| Time \\(ms\\) \\| Relative$`));
  const widths = lines[0].split(' | ').map((c) => c.length);
  // ESLint's alignment row: left-aligned first column, right-aligned numbers.
  expect(lines[1]).toBe([':'.padEnd(widths[0] + 1, '-'), ':'.padStart(widths[1] + 2, '-'), ':'.padStart(widths[2] + 1, '-')].join('|'));
  const rows = lines.slice(2);
  for (const row of rows) {
    expect(row).toMatch(/^\S+ +\| +\d+\.\d{3} \| +\d+\.\d%$/);
    expect(row.length).toBe(lines[0].length);
  }
  return rows.map((r) => r.split(' | ')[0].trimEnd());
}

/** Splits `TIMING` output into the rule table's and the stage table's lines. */
function tables(stderr: string): { rules: string[]; stages: string[] } {
  expect(stderr.endsWith('\n')).toBe(true);
  const [rules, stages, ...rest] = stderr.trimEnd().split('\n\n');
  expect(rest).toEqual([]);
  return { rules: rules.split('\n'), stages: stages.split('\n') };
}

/** Reports written to files go here, outside the scenario (which they would join). */
const out = mkdtempSync(join(tmpdir(), 'mclint-timing-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

beforeAll(() => {
  if (!existsSync(bin)) throw new Error('dist/mclint.js is missing: run `npm run build` (npm test does it)');
});

describe('TIMING', () => {
  const plain = runCli([root]);

  it('lints the scenario with findings (the run the other cases time)', () => {
    expect(plain.status).toBe(1);
    expect(plain.stdout).toContain('cidr-overlap');
    expect(plain.stderr).toBe('');
  });

  it.each([['1'], ['0'], ['yes'], ['5']])('TIMING=%s: the 10 slowest rules, then every stage in run order, on standard error after the report', (value) => {
    const r = runCli([root], { env: { TIMING: value } });
    expect(r.status).toBe(plain.status);
    expect(r.stdout).toBe(plain.stdout);
    const { rules, stages } = tables(r.stderr);
    const names = tableNames(rules, 'Rule');
    expect(names).toHaveLength(10);
    const enabled = listRules()
      .filter((rule) => rule.severity !== 'off')
      .map((rule) => rule.id);
    for (const n of names) expect(enabled).toContain(n);
    expect(new Set(names).size).toBe(names.length);
    expect(tableNames(stages, 'Stage')).toEqual(STAGES);
  });

  it('rules are listed slowest first', () => {
    const { rules } = tables(runCli([root], { env: { TIMING: 'all' } }).stderr);
    const times = rules.slice(2).map((r) => Number(r.split('|')[1]));
    expect(times).toEqual([...times].sort((a, b) => b - a));
  });

  it('TIMING=all lists every rule once (default-off rules when turned on); TIMING=N above 10 lists N', () => {
    const all = listRules();
    expect(all.length).toBeGreaterThan(12);
    const turnOn = all.filter((rule) => rule.severity === 'off').flatMap((rule) => ['--rule', `${rule.id}:warn`]);
    const r = runCli([root, ...turnOn], { env: { TIMING: 'all' } });
    expect(r.status).toBe(1);
    const names = tableNames(tables(r.stderr).rules, 'Rule');
    expect([...names].sort()).toEqual(all.map((rule) => rule.id).sort());
    expect(tableNames(tables(runCli([root, ...turnOn], { env: { TIMING: 'ALL' } }).stderr).rules, 'Rule')).toHaveLength(all.length);
    expect(tableNames(tables(runCli([root, ...turnOn], { env: { TIMING: '12' } }).stderr).rules, 'Rule')).toHaveLength(12);
  });

  it('a rule turned off is not timed', () => {
    const r = runCli([root, '--rule', 'cidr-overlap:off'], { env: { TIMING: 'all' } });
    const names = tableNames(tables(r.stderr).rules, 'Rule');
    expect(names).not.toContain('cidr-overlap');
    expect(names).toContain('schema');
  });

  it('with --format json the table follows the summary on standard error; standard output is unchanged', () => {
    const base = runCli([root, '--format', 'json']);
    const r = runCli([root, '--format', 'json'], { env: { TIMING: '1' } });
    expect(r.stdout).toBe(base.stdout);
    expect(r.stderr.startsWith(base.stderr)).toBe(true);
    const { rules, stages } = tables(r.stderr.slice(base.stderr.length));
    expect(tableNames(rules, 'Rule')).toHaveLength(10);
    expect(tableNames(stages, 'Stage')).toEqual(STAGES);
  });

  it('TIMING empty is off, as in ESLint', () => {
    const r = runCli([root], { env: { TIMING: '' } });
    expect(r.stdout).toBe(plain.stdout);
    expect(r.stderr).toBe('');
  });
});

describe('--stats', () => {
  const plain = runCli([root, '--format', 'json']);

  it('without --stats, --format json is the bare array of ESLint results', () => {
    const results = JSON.parse(plain.stdout) as { filePath: string }[];
    expect(Array.isArray(results)).toBe(true);
    expect(results.map((f) => f.filePath).sort()).toEqual([`${root}/clusters/east/apps.yaml`, `${root}/clusters/west/apps.yaml`]);
    expect(plain.stdout).not.toContain('"stats"');
  });

  it('wraps the same results with the times of every stage and every rule that ran', () => {
    const r = runCli([root, '--format', 'json', '--stats']);
    expect(r.status).toBe(plain.status);
    expect(r.stderr).toBe(plain.stderr);
    expect(r.stdout.startsWith(`{"results":${plain.stdout.trimEnd()},"stats":`)).toBe(true);
    const out = JSON.parse(r.stdout) as { results: unknown; stats: { times: { total: number; stages: Record<string, number>; rules: Record<string, number> } } };
    expect(Object.keys(out)).toEqual(['results', 'stats']);
    expect(out.results).toEqual(JSON.parse(plain.stdout));
    const { times } = out.stats;
    expect(Object.keys(times)).toEqual(['total', 'stages', 'rules']);
    expect(Object.keys(times.stages)).toEqual(STAGES);
    // Rules in run (registry) order: those on by default.
    expect(Object.keys(times.rules)).toEqual(
      listRules()
        .filter((rule) => rule.severity !== 'off')
        .map((rule) => rule.id),
    );
    for (const t of [times.total, ...Object.values(times.stages), ...Object.values(times.rules)]) {
      expect(typeof t).toBe('number');
      expect(t).toBeGreaterThanOrEqual(0);
    }
  });

  it('a json report written to a file gets the stats; the console stylish report beside it does not change', () => {
    const file = join(out, 'report.json');
    const r = runCli([root, '--stats', '-f', 'stylish', '-f', `json:${file}`]);
    expect(r.stdout).toBe(runCli([root]).stdout);
    const written = JSON.parse(readFileSync(file, 'utf8')) as { results: unknown; stats: { times: { stages: Record<string, number> } } };
    expect(written.results).toEqual(JSON.parse(plain.stdout));
    expect(Object.keys(written.stats.times.stages)).toEqual(STAGES);
  });

  it('stylish, sarif and github are unchanged by --stats', () => {
    for (const format of ['stylish', 'sarif', 'github']) {
      expect(runCli([root, '--format', format, '--stats']).stdout).toBe(runCli([root, '--format', format]).stdout);
    }
  });

  it('--help documents --stats and TIMING', () => {
    const help = runCli(['--help']).stdout;
    expect(help).toMatch(/^ {2}--stats {2,}Add the run's times/m);
    expect(help).toContain('TIMING=1 prints the 10 slowest rules');
  });
});

describe('the table as ESLint prints it (lib/linter/timing.js)', () => {
  it('aligns names left and times right, slowest first, shares of the whole total', () => {
    expect(
      formatTimingTable(
        'Rule',
        [
          ['a', 1],
          ['bb', 3],
          ['c', 0],
        ],
        2,
      ),
    ).toBe(['Rule | Time (ms) | Relative', ':----|----------:|--------:', 'bb   |     3.000 |    75.0%', 'a    |     1.000 |    25.0%', ''].join('\n'));
    expect(formatTimingTable('Rule', [['x', 0]])).toBe(['Rule | Time (ms) | Relative', ':----|----------:|--------:', 'x    |     0.000 |     0.0%', ''].join('\n'));
  });

  it.each([
    [undefined, undefined],
    ['', undefined],
    ['1', 10],
    ['0', 10],
    ['true', 10],
    ['10', 10],
    ['25', 25],
    ['all', Number.POSITIVE_INFINITY],
    ['All', Number.POSITIVE_INFINITY],
  ])('TIMING=%s lists %s rules', (value, rows) => {
    expect(timingRows(value)).toBe(rows);
  });
});
