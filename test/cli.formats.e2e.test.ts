/**
 * End-to-end: the machine formats (github, sarif) and several --format/--output-file pairs,
 * spawning dist/mclint.js on the fixtures.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bin, runCli } from './helpers/run-cli.js';

const STORY = 'fixtures/submariner-clusterset';

beforeAll(() => {
  if (!existsSync(bin)) throw new Error('dist/mclint.js is missing: run `npm run build` (npm test does it)');
});

describe('--format github', () => {
  it('annotates every finding with a workflow command, paths relative to the working directory', () => {
    const r = runCli([STORY, '--format', 'github']);
    expect(r.status).toBe(1);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(4);
    const ledger = lines.find((l) => l.includes('/ledger.yaml,'))!;
    expect(ledger).toMatch(
      /^::error file=fixtures\/submariner-clusterset\/cluster-b\/apps\/ledger\.yaml,line=16,col=9,endLine=16,endColumn=15,title=service-export-pairing::ServiceExport "payments\/ledger" has no Service/,
    );
    expect(ledger).toMatch(/%0A↳ cluster-b: fixtures\/submariner-clusterset\/cluster-b\/apps\/ledger\.yaml:4:9  Service "payment\/ledger"$/);
    expect(lines.filter((l) => l.startsWith('::error '))).toHaveLength(3);
    expect(lines.filter((l) => l.startsWith('::warning file=fixtures/submariner-clusterset/cluster-a/apps/status.yaml,line=18,col=14,'))).toHaveLength(1);
    const overlap = lines.find((l) => l.includes('title=cidr-overlap'))!;
    expect(overlap).toMatch(/^::error file=fixtures\/submariner-clusterset\/cluster-c\/submariner\/submariner\.yaml,line=9,col=16,endLine=9,endColumn=\d+,title=cidr-overlap::/);
    expect(overlap).toContain('%0A↳ cluster-a: fixtures/submariner-clusterset/cluster-a/submariner/submariner.yaml:9:16');
    // The run summary goes to standard error, out of the annotations' way.
    expect(r.stderr).toMatch(/^Read 3 clusters in 1 ClusterSet/);
  });
});

describe('--format sarif', () => {
  it('prints a SARIF 2.1.0 log with a region on every result', () => {
    const r = runCli([STORY, '--format', 'sarif']);
    expect(r.status).toBe(1);
    const log = JSON.parse(r.stdout);
    expect(log.version).toBe('2.1.0');
    const results = log.runs[0].results as { ruleId: string; locations: { physicalLocation: { region: { startLine: number } } }[] }[];
    expect(results.map((x) => x.ruleId).sort()).toEqual(['cidr-overlap', 'service-export-pairing', 'service-export-pairing', 'service-export-pairing']);
    for (const x of results) expect(x.locations[0].physicalLocation.region.startLine).toBeGreaterThanOrEqual(1);
    // The rule documentation ships with the package: help text comes from docs/rules.
    expect(log.runs[0].tool.driver.rules.find((x: { id: string }) => x.id === 'cidr-overlap').help.markdown).toMatch(/^# cidr-overlap\n/);
    expect(r.stderr).toMatch(/^Read 3 clusters/);
  });
});

describe('several --format/--output-file pairs in one run', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mclint-outputs-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('stylish on the console and SARIF and JSON to files', () => {
    const sarif = join(dir, 'reports', 'mclint.sarif');
    const json = join(dir, 'reports', 'mclint.json');
    const r = runCli([STORY, '-f', 'stylish', '--format', `sarif:${sarif}`, '-f', `json:${json}`]);
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('✖ 4 problems (3 errors, 1 warning)');
    expect(r.stdout).not.toContain('"version"');
    expect(r.stderr).toBe('');
    expect(JSON.parse(readFileSync(sarif, 'utf8')).runs[0].results).toHaveLength(4);
    expect(JSON.parse(readFileSync(json, 'utf8'))).toHaveLength(11);
  });

  it('--output-file still takes the one format without a file; the summary goes to standard error', () => {
    const sarif = join(dir, 'b.sarif');
    const gh = join(dir, 'b.txt');
    const r = runCli([STORY, '-f', `sarif:${sarif}`, '-f', 'github', '-o', gh]);
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^Read 3 clusters/);
    expect(readFileSync(gh, 'utf8').split('\n').filter((l) => l.startsWith('::'))).toHaveLength(4);
    expect(JSON.parse(readFileSync(sarif, 'utf8')).version).toBe('2.1.0');
  });

  it('ambiguous pairings are usage errors (exit 2) and write nothing', () => {
    const r = runCli([STORY, '-f', 'stylish', '-f', 'json']);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/only one --format can go to standard output; give the others a file \(NAME:FILE\)/);
  });
});
