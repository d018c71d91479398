/**
 * End-to-end: the machine formats (github, sarif) and several --format/--output-file pairs,
 * spawning dist/mclint.js on the fixtures.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Log } from 'sarif';
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
    expect(ledger).toMatch(/%0A↳ cluster-b: fixtures\/submariner-clusterset\/cluster-b\/apps\/ledger\.yaml:4:9 {2}Service "payment\/ledger"$/);
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
    const log = JSON.parse(r.stdout) as Log;
    expect(log.version).toBe('2.1.0');
    const results = log.runs[0].results as { ruleId: string; locations: { physicalLocation: { region: { startLine: number } } }[] }[];
    expect(results.map((x) => x.ruleId).sort()).toEqual(['cidr-overlap', 'service-export-pairing', 'service-export-pairing', 'service-export-pairing']);
    for (const x of results) expect(x.locations[0].physicalLocation.region.startLine).toBeGreaterThanOrEqual(1);
    // The rule documentation ships with the package: help text comes from docs/rules.
    expect(log.runs[0].tool.driver.rules?.find((x) => x.id === 'cidr-overlap')?.help?.markdown).toMatch(/^# cidr-overlap\n/);
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
    expect((JSON.parse(readFileSync(sarif, 'utf8')) as Log).runs[0].results).toHaveLength(4);
    expect(JSON.parse(readFileSync(json, 'utf8'))).toHaveLength(11);
  });

  it('--output-file still takes the one format without a file; the summary goes to standard error', () => {
    const sarif = join(dir, 'b.sarif');
    const gh = join(dir, 'b.txt');
    const r = runCli([STORY, '-f', `sarif:${sarif}`, '-f', 'github', '-o', gh]);
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^Read 3 clusters/);
    expect(
      readFileSync(gh, 'utf8')
        .split('\n')
        .filter((l) => l.startsWith('::')),
    ).toHaveLength(4);
    expect((JSON.parse(readFileSync(sarif, 'utf8')) as Log).version).toBe('2.1.0');
  });

  it('ambiguous pairings are usage errors (exit 2) and write nothing', () => {
    const r = runCli([STORY, '-f', 'stylish', '-f', 'json']);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/only one --format can go to standard output; give the others a file \(NAME:FILE\)/);
  });
});

describe('suppressions, end to end (fixtures/suppressions)', () => {
  const SUP = 'fixtures/suppressions';
  interface JsonFile {
    filePath: string;
    messages: { ruleId: string; severity: number; line: number }[];
    suppressedMessages: { ruleId: string; severity: number; line: number; column: number; suppressions: { kind: string; justification: string }[] }[];
    errorCount: number;
    warningCount: number;
  }
  const rel = (f: JsonFile) => f.filePath.slice(f.filePath.indexOf(SUP) + SUP.length + 1);

  it('comments, annotations and overrides suppress; the rest is reported; exit 0 with a warning', () => {
    const r = runCli([SUP]);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('✖ 1 problem (0 errors, 1 warning)');
    expect(r.stdout).toContain('4 problems suppressed by comments, annotations or config overrides');
  });

  it('JSON lists suppressed findings in suppressedMessages with kind and justification, uncounted', () => {
    const r = runCli([SUP, '-f', 'json']);
    const files = JSON.parse(r.stdout) as JsonFile[];
    const suppressed = files.flatMap((f) => f.suppressedMessages.map((m) => [rel(f), m.line, m.ruleId, m.suppressions]));
    expect(suppressed).toEqual([
      ['clusters/east/apps/cart.yaml', 4, 'service-export-pairing', [{ kind: 'annotation', justification: 'the cart operator creates the Service at run time' }]],
      ['clusters/west/legacy/exports.yaml', 4, 'service-export-pairing', [{ kind: 'config', justification: 'legacy exports; their Services move over in Q3' }]],
      ['clusters/west/legacy/exports.yaml', 10, 'service-export-pairing', [{ kind: 'config', justification: 'legacy exports; their Services move over in Q3' }]],
      ['clusters/west/submariner/submariner.yaml', 10, 'cidr-overlap', [{ kind: 'directive', justification: 'west is cut off from east until the CIDR migration (OPS-1234)' }]],
    ]);
    for (const f of files) expect(f.errorCount).toBe(f.messages.filter((m) => m.severity === 2).length);
  });

  it('--no-inline-config brings back what comments and annotations suppressed, not what config does', () => {
    const r = runCli([SUP, '--no-inline-config', '-f', 'json']);
    expect(r.status).toBe(1);
    const files = JSON.parse(r.stdout) as JsonFile[];
    expect(files.flatMap((f) => f.messages.map((m) => `${rel(f)}:${m.line} ${m.ruleId}`)).sort()).toEqual([
      'clusters/east/apps/cart.yaml:4 service-export-pairing',
      'clusters/east/apps/status.yaml:15 service-export-pairing',
      'clusters/west/submariner/submariner.yaml:10 cidr-overlap',
    ]);
    expect(files.flatMap((f) => f.suppressedMessages.map((m) => m.suppressions[0].kind))).toEqual(['config', 'config']);
  });

  it('--report-unused-disable-directives reports the stale comment as a warning; -severity error fails the run', () => {
    const warn = runCli([SUP, '--report-unused-disable-directives']);
    expect(warn.status).toBe(0);
    expect(warn.stdout).toMatch(
      /cart\.yaml\n {2}16:3 {2}warning {2}Unused "mclint-disable-next-line" directive \(no "schema" problems were reported where it applies\).*unused-disable-directive/,
    );
    const error = runCli([SUP, '--report-unused-disable-directives-severity', 'error']);
    expect(error.status).toBe(1);
    expect(error.stdout).toContain('✖ 2 problems (1 error, 1 warning)');
    expect(runCli([SUP, '--report-unused-disable-directives-severity', 'loud']).status).toBe(2);
  });

  it('SARIF keeps suppressed results with suppressions (inSource, external) and the directive location', () => {
    const r = runCli([SUP, '-f', 'sarif', '--report-unused-disable-directives']);
    expect(r.status).toBe(0);
    const run = (JSON.parse(r.stdout) as Log).runs[0];
    const byRule = (id: string) => (run.results ?? []).filter((x) => x.ruleId === id);
    const [overlap] = byRule('cidr-overlap');
    expect(overlap.suppressions).toEqual([
      {
        kind: 'inSource',
        status: 'accepted',
        justification: 'west is cut off from east until the CIDR migration (OPS-1234)',
        location: {
          physicalLocation: {
            artifactLocation: { uri: 'fixtures/suppressions/clusters/west/submariner/submariner.yaml', uriBaseId: '%SRCROOT%' },
            region: { startLine: 9, startColumn: 3, endLine: 9, endColumn: 107 },
          },
        },
        properties: { mclintKind: 'directive' },
      },
    ]);
    expect(overlap.relatedLocations).toHaveLength(1);
    expect(byRule('service-export-pairing').map((x) => x.suppressions?.map((s) => s.kind) ?? [])).toEqual([['inSource'], [], ['external'], ['external']]);
    const unused = byRule('unused-disable-directive')[0];
    expect(unused.level).toBe('warning');
    expect(run.tool.driver.rules?.[unused.ruleIndex ?? -1]).toMatchObject({
      id: 'unused-disable-directive',
      helpUri: expect.stringMatching(/^https:\/\/github\.com\/mclint\/mclint\/blob\/v\d+\.\d+\.\d+[^/]*\/README\.md#suppressions$/),
    });
  });
});
