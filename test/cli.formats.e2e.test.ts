/**
 * End-to-end: the machine formats (github, sarif) and several --format/--output-file pairs,
 * spawning dist/mclint.js on the fixtures.
 */
import { existsSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
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
