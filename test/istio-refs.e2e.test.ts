/**
 * End-to-end: the built binary on the Istio references fixture (two primaries of one mesh on two
 * networks, references that resolve only across clusters, east-west gateways).
 */
import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '..');
const fixture = join('fixtures', 'istio-refs-mesh');

interface Message {
  ruleId: string;
  severity: number;
  message: string;
  hint?: string;
  line: number;
  column: number;
}

describe('Istio references fixture', () => {
  it('reports the references no cluster of the mesh resolves and the east-west gateway without 15443, nothing else', () => {
    const r = spawnSync(process.execPath, [join(root, process.env.MCLINT_DIST_DIR ?? 'dist', 'mclint.js'), fixture, '--format', 'json', '--rule', 'istio-port-name:off'], {
      cwd: root,
      encoding: 'utf8',
    });
    expect(r.stderr).toContain('Read 2 clusters in 1 ClusterSet');
    expect(r.status).toBe(1);
    const results = JSON.parse(r.stdout) as { filePath: string; messages: Message[] }[];
    const found = results.flatMap((f) => f.messages.map((m) => `${f.filePath.slice(root.length + 1)}:${m.line}:${m.column} ${m.ruleId} ${m.severity}`)).sort();
    expect(found).toEqual(
      [
        // A DestinationRule host matching nothing is a warning, as istioctl analyze's IST0174.
        'fixtures/istio-refs-mesh/east/apps/details-rule.yaml:18:9 istio-reference-not-found 1',
        'fixtures/istio-refs-mesh/east/apps/reviews.yaml:23:7 istio-reference-not-found 2',
        'fixtures/istio-refs-mesh/east/apps/reviews.yaml:29:15 istio-reference-not-found 2',
        'fixtures/istio-refs-mesh/west/istio/eastwest-gateway.yaml:48:17 istio-gateway-workload 2',
      ].sort(),
    );
    const all = results.flatMap((f) => f.messages);
    const mirror = all.find((m) => m.message.includes('reviews-canary'))!;
    expect(mirror.message).toBe('VirtualService "shop/reviews" mirror host "reviews-canary" in cluster "east" resolves to no Service or ServiceEntry in clusters "east", "west".');
    expect(mirror.hint).toContain('"reviews-canary.shop.svc.cluster.local"');
    // `ratings` lives in west only: the mesh merges it, no finding.
    expect(all.some((m) => m.message.includes('"ratings"'))).toBe(false);
  });
});
