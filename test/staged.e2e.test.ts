/**
 * FILE arguments restrict the report, except when the change they stand for can break other files:
 * a FILE that is the config file, or a deletion of a YAML/JSON file staged in the git index below
 * DIR (src/discover/staged.ts). Spawns the built binary (MCLINT_DIST_DIR, default dist/) in
 * temporary repositories, with and without git.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { yaml } from './helpers/scenario.js';
import { GIT_ENV, run } from './helpers/snapshot.js';

const root = resolve(import.meta.dirname, '..');
const bin = join(root, process.env.MCLINT_DIST_DIR ?? 'dist', 'mclint.js');

/** east exports shop/api (Service and ServiceExport in two files); west exports shop/orders with no Service. */
const FILES: Record<string, string> = {
  'mclint.config.yaml': 'rules:\n  service-export-pairing: error\n',
  'clusters/east/api-service.yaml': yaml`
    apiVersion: v1
    kind: Service
    metadata:
      name: api
      namespace: shop
    spec:
      selector: { app: api }
      ports: [{ name: http, port: 80 }]
  `,
  'clusters/east/api-export.yaml': yaml`
    apiVersion: multicluster.x-k8s.io/v1alpha1
    kind: ServiceExport
    metadata:
      name: api
      namespace: shop
  `,
  'clusters/west/orders.yaml': yaml`
    apiVersion: multicluster.x-k8s.io/v1alpha1
    kind: ServiceExport
    metadata:
      name: orders
      namespace: shop
  `,
  'clusters/west/web.yaml': yaml`
    apiVersion: v1
    kind: Service
    metadata:
      name: web
      namespace: shop
    spec:
      selector: { app: web }
      ports: [{ name: http, port: 80 }]
  `,
  'docs/example.yaml': 'a: 1\n',
};

interface JsonResult {
  filePath: string;
  messages: { ruleId: string; line: number; column: number }[];
}

let work: string;

function repository(name: string, git: boolean): string {
  const dir = join(work, name);
  for (const [path, text] of Object.entries(FILES)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  if (git) {
    const env = { ...process.env, ...GIT_ENV };
    run('git', ['init', '-q'], { cwd: dir, env, check: true });
    run('git', ['add', '-A'], { cwd: dir, env, check: true });
    run('git', ['commit', '-q', '--no-gpg-sign', '-m', 'clusters'], { cwd: dir, env, check: true });
  }
  return dir;
}

/** Runs mclint with JSON output; `path` replaces PATH. */
function mclint(args: string[], cwd: string, path?: string) {
  const env: NodeJS.ProcessEnv = { ...process.env, ...GIT_ENV };
  if (path !== undefined) env.PATH = path;
  const r = spawnSync(process.execPath, [bin, ...args, '-f', 'json'], { cwd, env, encoding: 'utf8' });
  const located = (JSON.parse(r.stdout) as JsonResult[]).flatMap((f) => f.messages.map((m) => `${m.ruleId}@${f.filePath.slice(cwd.length + 1)}:${m.line}:${m.column}`));
  return { status: r.status, stderr: r.stderr, located };
}

const ORDERS = 'service-export-pairing@clusters/west/orders.yaml:4:9';
const API = 'service-export-pairing@clusters/east/api-export.yaml:4:9';

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'mclint-staged-'));
});

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('FILE arguments and the whole ClusterSet', () => {
  it.each([
    // [case, staged deletions (git rm), FILE arguments, findings, widened by]
    ['no deletion: the files restrict the report', [], ['clusters/west/web.yaml'], [], undefined],
    ['a FILE is the config file', [], ['mclint.config.yaml'], [ORDERS], 'mclint.config.yaml is the config file'],
    [
      'the index deletes a manifest of a cluster',
      ['clusters/east/api-service.yaml'],
      ['clusters/west/web.yaml'],
      [API, ORDERS],
      'the commit deletes clusters/east/api-service.yaml',
    ],
    ['the index deletes a YAML file below DIR outside the clusters', ['docs/example.yaml'], ['clusters/west/web.yaml'], [ORDERS], 'the commit deletes docs/example.yaml'],
  ] as const)('in a git repository, %s', (name, deleted, files, expected, reason) => {
    const dir = repository(name.replace(/\W+/g, '-'), true);
    for (const d of deleted) run('git', ['rm', '-q', d], { cwd: dir, env: { ...process.env, ...GIT_ENV }, check: true });
    const r = mclint([...files], dir);
    expect(r.located).toEqual(expected);
    if (reason === undefined) expect(r.stderr).not.toContain('reporting the whole ClusterSet');
    else expect(r.stderr).toContain(`mclint: ${reason}: reporting the whole ClusterSet, not only the findings of the files given.`);
    expect(r.status).toBe(expected.length > 0 ? 1 : 0);
  });

  it('a deletion only in the work tree (not staged) does not widen the report', () => {
    const dir = repository('unstaged', true);
    rmSync(join(dir, 'clusters/east/api-service.yaml'));
    const r = mclint(['clusters/west/web.yaml'], dir);
    expect(r.located).toEqual([]);
    expect(r.status).toBe(0);
  });

  it('a deletion outside DIR does not widen the report of DIR', () => {
    const dir = repository('outside', true);
    run('git', ['rm', '-q', 'docs/example.yaml'], { cwd: dir, env: { ...process.env, ...GIT_ENV }, check: true });
    const r = mclint(['clusters', 'clusters/west/web.yaml'], dir);
    expect(r.located).toEqual([]);
    expect(r.status).toBe(0);
  });

  it.each([
    ['outside a git work tree', false, undefined],
    ['without git on PATH', true, 'empty'],
  ])('%s the files restrict the report and the config file widens it', (name, git, emptyPath) => {
    const dir = repository(name.replace(/\W+/g, '-'), git);
    // PATH names an empty folder: mclint (spawned by node's own path) finds no git to run.
    const path = emptyPath === undefined ? undefined : join(work, emptyPath);
    if (path !== undefined) mkdirSync(path, { recursive: true });
    if (git) run('git', ['rm', '-q', 'clusters/east/api-service.yaml'], { cwd: dir, env: { ...process.env, ...GIT_ENV }, check: true });
    const restricted = mclint(['clusters/west/web.yaml'], dir, path);
    expect(restricted.stderr).not.toContain('internal error');
    expect(restricted.located).toEqual([]);
    expect(restricted.status).toBe(0);
    const widened = mclint(['mclint.config.yaml'], dir, path);
    expect(widened.located).toEqual(git ? [API, ORDERS] : [ORDERS]);
    expect(widened.status).toBe(1);
  });
});
