import { describe, expect, it } from 'vitest';
import type { Finding } from '../../src/engine/types.js';
import { formatStylish } from '../../src/report/stylish.js';
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
