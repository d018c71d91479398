/**
 * "Say what was not read" in the load stage: `LoadedFile.unreadKinds` counts the objects of
 * kinds no rule reads — no fact source retains them (`READ_TYPES`) and they have no schema of
 * their own — and the run summary reports them.
 */
import { describe, expect, it } from 'vitest';
import { loadText } from '../src/load/index.js';
import { loadRendered, type RenderedDocument } from '../src/render/kustomize.js';
import type { RunStats } from '../src/lint.js';
import { READ_TYPES } from '../src/model/index.js';
import { formatSummary } from '../src/report/summary.js';
import { yaml } from './helpers/scenario.js';

const MIXED = yaml`
  apiVersion: v1
  kind: Service
  metadata: { name: web }
  spec: { ports: [{ port: 80 }] }
  ---
  apiVersion: v1
  kind: ServiceAccount
  metadata: { name: a }
  ---
  apiVersion: rbac.authorization.k8s.io/v1
  kind: ClusterRole
  metadata: { name: r }
  ---
  apiVersion: v1
  kind: List
  items:
    - apiVersion: v1
      kind: ServiceAccount
      metadata: { name: b }
    - apiVersion: policy/v1
      kind: PodDisruptionBudget
      metadata: { name: s }
    - apiVersion: v1
      kind: ConfigMap
      metadata: { name: c }
  ---
  apiVersion: rbac.authorization.k8s.io/v1beta1
  kind: ClusterRole
  metadata: { name: old }
  ---
  apiVersion: v1
  kind: ServiceAccount
  metadata:
    name: ignored
    annotations: { mclint.io/ignore: schema }
  ---
  replicaCount: 2
`;

describe('LoadedFile.unreadKinds', () => {
  it('counts objects (List items one by one) of the kinds no fact source reads, by apiVersion and kind, in order of first appearance', async () => {
    const file = await loadText('/repo/east/mixed.yaml', MIXED, { retainTypes: READ_TYPES });
    expect(file.objectCount).toBe(8);
    expect(file.unreadKinds).toEqual([
      { type: 'v1 ServiceAccount', count: 3 },
      { type: 'rbac.authorization.k8s.io/v1 ClusterRole', count: 1 },
      { type: 'policy/v1 PodDisruptionBudget', count: 1 },
      { type: 'rbac.authorization.k8s.io/v1beta1 ClusterRole', count: 1 },
    ]);
  });

  it.each([
    [
      'only read kinds (Service, ConfigMap, Deployment)',
      'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: c }\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata: { name: d }\n',
    ],
    ['no Kubernetes object (Helm values)', 'replicaCount: 1\nimage: { tag: x }\n'],
    ['a parse error', 'apiVersion: v1\nkind: [Secret\n'],
    ['an empty file', ''],
  ])('absent for a file with %s', async (_name, text) => {
    const file = await loadText('/repo/east/x.yaml', text, { retainTypes: READ_TYPES });
    expect(file.unreadKinds).toBeUndefined();
    expect('unreadKinds' in file).toBe(false);
  });

  it('absent when no retainTypes say what rules read (everything is kept)', async () => {
    const file = await loadText('/repo/east/mixed.yaml', MIXED);
    expect(file.unreadKinds).toBeUndefined();
  });

  it('a kind with a schema of its own is read (by the schema rule) even when no fact source retains it', async () => {
    const text = 'apiVersion: v1\nkind: Service\nmetadata: { name: web }\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: { name: c }\n';
    // Neither is retained here: the Service still has its own schema, the ConfigMap only the generic one.
    const file = await loadText('/repo/east/x.yaml', text, { retainTypes: new Set(['apps/Deployment']) });
    expect(file.unreadKinds).toEqual([{ type: 'v1 ConfigMap', count: 1 }]);
  });

  it('one object of one kind: every file shares the same frozen list and type string', async () => {
    const text = (name: string) => `apiVersion: v1\nkind: ServiceAccount\nmetadata: { name: ${name} }\n`;
    const a = await loadText('/repo/east/a.yaml', text('a'), { retainTypes: READ_TYPES });
    const b = await loadText('/repo/west/b.yaml', text('b'), { retainTypes: READ_TYPES });
    expect(a.unreadKinds).toEqual([{ type: 'v1 ServiceAccount', count: 1 }]);
    expect(a.unreadKinds).toBe(b.unreadKinds);
    expect(Object.isFrozen(a.unreadKinds)).toBe(true);
    const two = await loadText('/repo/east/two.yaml', `${text('x')}---\n${text('y')}`, { retainTypes: READ_TYPES });
    expect(two.unreadKinds).toEqual([{ type: 'v1 ServiceAccount', count: 2 }]);
    expect(two.unreadKinds![0].type).toBe(a.unreadKinds![0].type);
  });
});

function stats(extra: Partial<RunStats>): RunStats {
  return {
    clusterSets: 1,
    clusters: 2,
    files: 3,
    documents: 9,
    objects: 9,
    skipped: { binary: [], 'too-large': [], template: [], unreadable: [], outside: [], unreferenced: [], patch: [] },
    otherDocuments: { 'helm-values': 0, kustomization: 0, 'json-patch': 0, other: 0 },
    ...extra,
  };
}

describe('LoadedFile.unreadKinds of a rendered kustomization', () => {
  it('counts the rendered objects no rule reads, as for a plain file', async () => {
    const rendered = (kind: string, i: number): RenderedDocument => ({
      body: { apiVersion: 'networking.istio.io/v1alpha3', kind, metadata: { name: `f${i}`, namespace: 'istio-system' } },
      origin: { file: `/repo/base/${kind}-${i}.yaml`, doc: 0, path: [] },
      fieldPlace: () => undefined,
      via: ['/repo/base/kustomization.yaml'],
    });
    const file = await loadRendered('/repo/base/kustomization.yaml', [rendered('EnvoyFilter', 0), rendered('EnvoyFilter', 1), rendered('Sidecar', 2)], { retainTypes: READ_TYPES });
    expect(file.unreadKinds).toEqual([
      { type: 'networking.istio.io/v1alpha3 EnvoyFilter', count: 2 },
      { type: 'networking.istio.io/v1alpha3 Sidecar', count: 1 },
    ]);
  });
});

describe('formatSummary: unread kinds and the config file', () => {
  const unreadKinds = { 'v1 ServiceAccount': 3, 'networking.k8s.io/v1 Ingress': 1, 'rbac.authorization.k8s.io/v1 ClusterRole': 2 };
  it.each<[string, Partial<RunStats>, boolean, string]>([
    ['nothing unread, no config', { unreadKinds: {}, configFiles: [] }, false, 'Read 2 clusters in 1 ClusterSet: 3 files, 9 documents.'],
    ['fields absent (older callers)', {}, true, 'Read 2 clusters in 1 ClusterSet: 3 files, 9 documents.'],
    ['unread kinds', { unreadKinds }, false, 'Read 2 clusters in 1 ClusterSet: 3 files, 9 documents; 6 objects of 3 kinds no rule reads, --verbose lists them.'],
    [
      'one unread object',
      { unreadKinds: { 'v1 Secret': 1 } },
      false,
      'Read 2 clusters in 1 ClusterSet: 3 files, 9 documents; 1 object of 1 kind no rule reads, --verbose lists them.',
    ],
    [
      'unread kinds, verbose: sorted by apiVersion and kind',
      { unreadKinds },
      true,
      'Read 2 clusters in 1 ClusterSet: 3 files, 9 documents; 6 objects of 3 kinds no rule reads.\n' +
        '  no rule reads networking.k8s.io/v1 Ingress: 1 object\n' +
        '  no rule reads rbac.authorization.k8s.io/v1 ClusterRole: 2 objects\n' +
        '  no rule reads v1 ServiceAccount: 3 objects',
    ],
    [
      'skipped files, unread kinds and a config',
      {
        unreadKinds: { 'v1 Secret': 2 },
        configFiles: [`${process.cwd()}/mclint.config.yml`],
        skipped: { binary: [], 'too-large': [], template: [`${process.cwd()}/t.yaml`], unreadable: [], outside: [], unreferenced: [], patch: [] },
      },
      false,
      'Read 2 clusters in 1 ClusterSet: 3 files, 9 documents; skipped 1 file (1 unrendered Helm template), --verbose lists them; 2 objects of 1 kind no rule reads, --verbose lists them; config mclint.config.yml.',
    ],
    [
      'a config above the working directory',
      { configFiles: [`${process.cwd()}/../mclint.config.json`] },
      false,
      'Read 2 clusters in 1 ClusterSet: 3 files, 9 documents; config ../mclint.config.json.',
    ],
    [
      'two DIRs with their own configs',
      { configFiles: [`${process.cwd()}/a/mclint.config.yaml`, `${process.cwd()}/b/mclint.config.yaml`] },
      false,
      'Read 2 clusters in 1 ClusterSet: 3 files, 9 documents; configs a/mclint.config.yaml, b/mclint.config.yaml.',
    ],
  ])('%s', (_name, extra, verbose, expected) => {
    expect(formatSummary(stats(extra), verbose)).toBe(expected);
  });
});
