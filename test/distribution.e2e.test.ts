/**
 * The ways users run mclint outside this repository, run for real. Slow (they spawn npm and
 * pre-commit, which install packages), so they live in this file alone:
 *
 * - npx one-off audit: `npm pack` → from another directory, `npx --yes ./mclint-<version>.tgz
 *   /path/to/repo`;
 * - pre-commit: a temporary git repository with a broken ClusterSet and a .pre-commit-config.yaml
 *   that points at a git snapshot of this working tree; `pre-commit run --all-files` and
 *   `pre-commit run --files …`.
 *
 * pre-commit comes from the system (Debian's `pre-commit` package; `.ci/run` installs it). When it
 * is missing the pre-commit tests are skipped with a warning, unless MCLINT_REQUIRE_PRE_COMMIT is
 * set (`.ci/run` sets it).
 */
import { mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pkg from '../package.json' with { type: 'json' };
import { yaml } from './helpers/scenario.js';
import { GIT_ENV, onPath, ROOT, run, snapshotWorkingTree } from './helpers/snapshot.js';

const HAS_PRE_COMMIT = onPath('pre-commit');
if (!HAS_PRE_COMMIT && process.env.MCLINT_REQUIRE_PRE_COMMIT) {
  // .ci/run sets it after installing pre-commit: there, a skip would hide a broken hook.
  throw new Error('MCLINT_REQUIRE_PRE_COMMIT is set but pre-commit is not on PATH');
}
if (!HAS_PRE_COMMIT) {
  console.warn('\n!!! pre-commit is not on PATH: the pre-commit hook tests are SKIPPED. Install it (apt-get install pre-commit) — .ci/run does.\n');
}

/** A ClusterSet with two cross-cluster problems and one clean file. */
const BROKEN: Record<string, string> = {
  'clusters/east/submariner.yaml': yaml`
    apiVersion: submariner.io/v1alpha1
    kind: Submariner
    metadata:
      name: submariner
      namespace: submariner-operator
    spec:
      clusterID: east
      namespace: submariner-operator
      broker: k8s
      brokerK8sApiServer: https://broker.example.com:6443
      brokerK8sRemoteNamespace: submariner-k8s-broker
      natEnabled: false
      debug: false
      ceIPSecDebug: false
      clusterCIDR: 10.0.0.0/16
      serviceCIDR: 172.16.0.0/16
  `,
  'clusters/west/submariner.yaml': yaml`
    apiVersion: submariner.io/v1alpha1
    kind: Submariner
    metadata:
      name: submariner
      namespace: submariner-operator
    spec:
      clusterID: west
      namespace: submariner-operator
      broker: k8s
      brokerK8sApiServer: https://broker.example.com:6443
      brokerK8sRemoteNamespace: submariner-k8s-broker
      natEnabled: false
      debug: false
      ceIPSecDebug: false
      clusterCIDR: 10.0.0.0/16
      serviceCIDR: 172.17.0.0/16
  `,
  'clusters/west/orders.yaml': yaml`
    apiVersion: multicluster.x-k8s.io/v1alpha1
    kind: ServiceExport
    metadata:
      name: orders
      namespace: shop
  `,
  'clusters/east/web.yaml': yaml`
    apiVersion: v1
    kind: Service
    metadata:
      name: web
      namespace: shop
    spec:
      selector: { app: web }
      ports: [{ name: http, port: 80 }]
    ---
    apiVersion: multicluster.x-k8s.io/v1alpha1
    kind: ServiceExport
    metadata:
      name: web
      namespace: shop
  `,
  'README.md': '# clusters\n',
};

const OVERLAP =
  /clusters\/west\/submariner\.yaml\n {2}15:16 {2}error {2}Pod CIDR 10\.0\.0\.0\/16 of cluster "west" overlaps pod CIDR 10\.0\.0\.0\/16 of cluster "east".*cidr-overlap/;
const NO_SERVICE = /clusters\/west\/orders\.yaml\n {2}4:9 {2}error {2}ServiceExport "shop\/orders" has no Service "orders".*service-export-pairing/;

let work: string;
let repo: string;
let snapshot: string;
let rev: string;
/** Environment for npm and pre-commit: no colors, no user-set npm behaviour that changes output. */
let env: NodeJS.ProcessEnv;

function write(dir: string, files: Record<string, string>) {
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
}

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'mclint-ways-'));
  env = { ...process.env, ...GIT_ENV, NO_COLOR: '1', npm_config_update_notifier: 'false', npm_config_fund: 'false', npm_config_audit: 'false' };
  delete env.FORCE_COLOR;
  snapshot = join(work, 'mclint');
  rev = snapshotWorkingTree(snapshot);
  repo = join(work, 'repo');
  write(repo, BROKEN);
  run('git', ['init', '-q'], { cwd: repo, env, check: true });
});

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('npx one-off audit of a packed tarball', () => {
  let tarball: string;

  beforeAll(() => {
    // Pack the snapshot as `npm publish` would; its `prepare` builds dist/ with the dev tools.
    symlinkSync(join(ROOT, 'node_modules'), join(snapshot, 'node_modules'), 'dir');
    const packed = run('npm', ['pack', '--json', '--pack-destination', work], { cwd: snapshot, env, check: true });
    const [info] = JSON.parse(packed.stdout.slice(packed.stdout.indexOf('['))) as { filename: string; files: { path: string }[] }[];
    tarball = info.filename;
    expect(tarball).toBe(`mclint-${pkg.version}.tgz`);
    const files = info.files.map((f) => f.path).sort();
    expect(files).toContain('dist/mclint.js');
    expect(files).toContain('README.md');
    expect(files).toContain('package.json');
    expect(files.filter((f) => f.startsWith('docs/rules/')).length).toBeGreaterThan(0);
    // Sources, tests and fixtures stay out of the package.
    expect(files.filter((f) => /^(src|test|fixtures|rules|scripts)\//.test(f))).toEqual([]);
  }, 120_000);

  it('from another directory, `npx --yes ./mclint-<version>.tgz REPO` audits REPO and exits 1', () => {
    // npx runs in the directory holding the tarball, with an empty npm cache: the package must
    // bring everything it needs (its bundle has no runtime dependencies).
    const r = run('npx', ['--yes', `./${tarball}`, repo], { cwd: work, env: { ...env, npm_config_cache: join(work, 'npm-cache') } });
    expect(r.stderr).not.toMatch(/internal error|npm error/);
    expect(r.status).toBe(1);
    const out = r.stdout;
    expect(out).toMatch(OVERLAP);
    expect(out).toMatch(NO_SERVICE);
    expect(out).toContain('✖ 2 problems (2 errors, 0 warnings)');
    expect(out).toContain('Read 2 clusters in 1 ClusterSet: 4 files, 5 documents.');
    // The tarball installs no dependencies.
    const installed = readdirSync(join(work, 'npm-cache', '_npx'));
    expect(installed).toHaveLength(1);
    expect(readdirSync(join(work, 'npm-cache', '_npx', installed[0], 'node_modules')).filter((d) => !d.startsWith('.'))).toEqual(['mclint']);
  }, 120_000);

  it('--version and a clean run exit 0', () => {
    const npmEnv = { ...env, npm_config_cache: join(work, 'npm-cache') };
    const v = run('npx', ['--yes', `./${tarball}`, '--version'], { cwd: work, env: npmEnv });
    expect(v.status).toBe(0);
    expect(v.stdout).toBe(`${pkg.version}\n`);
    const clean = run('npx', ['--yes', `./${tarball}`, join(repo, 'clusters/east')], { cwd: work, env: npmEnv });
    expect(clean.status).toBe(0);
    expect(clean.stdout).not.toContain('problem');
  }, 120_000);
});

/** The part of pre-commit's output that belongs to one hook: its status line and what it printed. */
function hookOutput(stdout: string, name: string): string {
  const lines = stdout.split('\n');
  const status = /^.+?\.{3,}.*(Passed|Failed|Skipped)$/;
  const start = lines.findIndex((l) => l.startsWith(`${name}.`));
  if (start < 0) return '';
  const end = lines.findIndex((l, i) => i > start && status.test(l));
  return lines.slice(start, end < 0 ? undefined : end).join('\n');
}

describe.skipIf(!HAS_PRE_COMMIT)('pre-commit hook', () => {
  let preCommitEnv: NodeJS.ProcessEnv;
  const preCommit = (args: string[]) => run('pre-commit', args, { cwd: repo, env: preCommitEnv });

  beforeAll(() => {
    preCommitEnv = { ...env, PRE_COMMIT_HOME: join(work, 'pre-commit-home'), PRE_COMMIT_COLOR: 'never' };
    write(repo, {
      '.pre-commit-config.yaml': yaml`
        default_language_version:
          node: system
        repos:
          - repo: ${snapshot}
            rev: ${rev}
            hooks:
              - id: mclint
              - id: mclint-clusterset
      `,
    });
    run('git', ['add', '-A'], { cwd: repo, env, check: true });
  });

  it('`pre-commit run --all-files` installs the hook, reports every finding and fails', () => {
    const r = preCommit(['run', '--all-files']);
    expect(r.stdout).toMatch(/^mclint\.+Failed$/m);
    expect(r.stdout).toContain('- exit code: 1');
    expect(r.stdout).toMatch(OVERLAP);
    expect(r.stdout).toMatch(NO_SERVICE);
    expect(r.stdout).toContain('✖ 2 problems (2 errors, 0 warnings)');
    expect(r.status).toBe(1);
  }, 300_000);

  it('with changed files, reports the findings located in or related to them, from the whole ClusterSet', () => {
    // east/submariner.yaml is the other side of the overlap reported in west/submariner.yaml.
    const east = preCommit(['run', '--files', 'clusters/east/submariner.yaml']);
    expect(east.status).toBe(1);
    const eastHook = hookOutput(east.stdout, 'mclint');
    expect(eastHook).toMatch(OVERLAP);
    expect(eastHook).not.toMatch(NO_SERVICE);
    expect(eastHook).toContain('✖ 1 problem (1 error, 0 warnings)');

    const orders = preCommit(['run', '--files', 'clusters/west/orders.yaml']);
    expect(orders.status).toBe(1);
    const ordersHook = hookOutput(orders.stdout, 'mclint');
    expect(ordersHook).toMatch(NO_SERVICE);
    expect(ordersHook).not.toMatch(OVERLAP);

    // The clean file passes the per-file hook; the whole-ClusterSet hook still sees both problems.
    const clean = preCommit(['run', '--files', 'clusters/east/web.yaml', 'README.md']);
    expect(clean.stdout).toMatch(/^mclint\.+Passed$/m);
    expect(clean.stdout).toMatch(/^mclint \(whole ClusterSet\)\.+Failed$/m);
    expect(clean.status).toBe(1);

    // No YAML or JSON file changed (a commit that only deletes a manifest passes no file): the
    // per-file hook does not run, the whole-ClusterSet hook does.
    const skipped = preCommit(['run', '--files', 'README.md']);
    expect(skipped.stdout).toMatch(/^mclint\.+\(no files to check\)Skipped$/m);
    expect(skipped.stdout).toMatch(/^mclint \(whole ClusterSet\)\.+Failed$/m);
    expect(hookOutput(skipped.stdout, 'mclint (whole ClusterSet)')).toContain('✖ 2 problems (2 errors, 0 warnings)');
    expect(skipped.status).toBe(1);
  }, 300_000);
});
