/**
 * End-to-end: the built binary on the Istio fixture (two clusters of one mesh on two networks).
 */
import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '..');
const fixture = join('fixtures', 'istio-multicluster');

interface Message {
  ruleId: string;
  severity: number;
  message: string;
  hint?: string;
  line: number;
  column: number;
  cluster?: string;
  related: { filePath: string; line: number; column: number; cluster?: string }[];
}

function run(args: string[]) {
  const r = spawnSync(process.execPath, [join(root, process.env.MCLINT_DIST_DIR ?? 'dist', 'mclint.js'), ...args], { cwd: root, encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('Istio multi-cluster fixture', () => {
  it('reports every cross-cluster Istio defect at its line, with the other cluster related', () => {
    const r = run([fixture, '--format', 'json']);
    expect(r.stderr).toContain('Read 2 clusters in 1 ClusterSet');
    expect(r.status).toBe(1);
    const results = JSON.parse(r.stdout) as { filePath: string; messages: Message[] }[];
    const found = results.flatMap((f) => f.messages.map((m) => `${f.filePath.slice(root.length + 1)}:${m.line}:${m.column} ${m.ruleId} ${m.severity}`)).sort();
    expect(found).toEqual(
      [
        'fixtures/istio-multicluster/cluster1/apps/reviews.yaml:60:48 istio-subset-consistency 2',
        'fixtures/istio-multicluster/cluster2/apps/reviews.yaml:17:13 istio-port-name 1',
        'fixtures/istio-multicluster/cluster2/apps/reviews.yaml:17:7 istio-service-consistency 1',
        'fixtures/istio-multicluster/cluster2/apps/reviews.yaml:47:9 istio-locality 1',
        'fixtures/istio-multicluster/cluster2/apps/reviews.yaml:49:17 istio-locality 2',
        'fixtures/istio-multicluster/cluster2/apps/reviews.yaml:50:3 istio-subset-consistency 1',
        'fixtures/istio-multicluster/cluster2/istio/istio.yaml:12:16 istio-mesh-identity 1',
      ].sort(),
    );
    const all = results.flatMap((f) => f.messages);
    const inconsistent = all.find((m) => m.ruleId === 'istio-service-consistency')!;
    expect(inconsistent.message).toContain('Service "bookinfo/reviews" differs between clusters "cluster1" and "cluster2"');
    expect(inconsistent.hint).toContain('The service reviews in namespace "bookinfo" is inconsistent across clusters ["cluster1" "cluster2"]');
    expect(inconsistent.related).toMatchObject([{ filePath: join(root, fixture, 'cluster1/apps/reviews.yaml'), line: 17, column: 7, cluster: 'cluster1' }]);
    // Subset v3 selects a workload that only cluster2 runs: no finding.
    expect(all.some((m) => m.message.includes('subset "v3" selects'))).toBe(false);
  });

  it('--rule turns Istio rules off; warnings alone exit 0', () => {
    const r = run([fixture, '--rule', 'istio-subset-consistency:off', '--rule', 'istio-locality:off', '--format', 'json']);
    const ids = (JSON.parse(r.stdout) as { messages: Message[] }[]).flatMap((f) => f.messages.map((m) => m.ruleId));
    expect(ids).not.toContain('istio-subset-consistency');
    expect(ids).toContain('istio-mesh-identity');
    expect(r.status).toBe(0);
  });
});
