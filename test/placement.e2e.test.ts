/**
 * End-to-end: the built binary on the placement fixtures (a Karmada control plane and its members,
 * a KubeFed host, an OCM hub), each with the defects its README lists and nothing else.
 */
import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '..');

interface Message {
  ruleId: string;
  severity: number;
  message: string;
  line: number;
  column: number;
  related?: { file: string; line: number; column: number }[];
}

/** Runs the binary on `fixtures/<name>` with JSON output: `path:line:column rule severity` per finding, sorted, and the messages. */
function lintFixture(name: string): { status: number | null; found: string[]; messages: Message[] } {
  const r = spawnSync(process.execPath, [join(root, process.env.MCLINT_DIST_DIR ?? 'dist', 'mclint.js'), join('fixtures', name), '--format', 'json'], {
    cwd: root,
    encoding: 'utf8',
  });
  const results = JSON.parse(r.stdout) as { filePath: string; messages: Message[] }[];
  const found = results.flatMap((f) => f.messages.map((m) => `${f.filePath.slice(root.length + 1)}:${m.line}:${m.column} ${m.ruleId} ${m.severity}`)).sort();
  return { status: r.status, found, messages: results.flatMap((f) => f.messages) };
}

describe('placement fixtures', () => {
  it('Karmada: an unregistered weight target and override target, both affinity forms, a selector naming nothing', () => {
    const { status, found, messages } = lintFixture('placement-karmada');
    expect(status).toBe(1);
    expect(found).toEqual(
      [
        'fixtures/placement-karmada/karmada/policies/nginx.yaml:11:7 karmada-placement 1',
        'fixtures/placement-karmada/karmada/policies/nginx.yaml:30:19 karmada-placement 2',
        'fixtures/placement-karmada/karmada/policies/override.yaml:14:13 karmada-placement 2',
        'fixtures/placement-karmada/karmada/policies/override.yaml:30:3 karmada-placement 2',
      ].sort(),
    );
    const typo = messages.find((m) => m.message.includes('cluster-wset'))!;
    expect(typo.message).toBe(
      'PropagationPolicy "nginx-propagation" names cluster "cluster-wset" in staticWeightList.targetCluster.clusterNames, but no Karmada Cluster has that name (did you mean "cluster-west"?).',
    );
    expect(typo.related?.[0]).toMatchObject({ line: 15, column: 9 });
  });

  it('KubeFed: a FederatedService placed on an unregistered cluster', () => {
    const { found } = lintFixture('placement-kubefed');
    expect(found).toEqual(['fixtures/placement-kubefed/host/federation/nginx.yaml:53:15 kubefed-placement 2']);
  });

  it('OCM: a binding named unlike its set, a set bound in another namespace, an undefined set', () => {
    const { found } = lintFixture('placement-ocm');
    expect(found).toEqual(
      [
        'fixtures/placement-ocm/hub/bindings.yaml:23:15 ocm-placement 2',
        'fixtures/placement-ocm/hub/placement.yaml:9:7 ocm-placement 2',
        'fixtures/placement-ocm/hub/placement.yaml:10:7 ocm-placement 2',
      ].sort(),
    );
  });
});
