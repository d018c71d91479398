/**
 * The ways users run mclint outside this repository, run for real. Slow (they spawn npm and
 * pre-commit, which install packages), so they live in this file alone:
 *
 * - npx one-off audit: `npm pack` → from another directory, `npx --yes ./kube-mclint-<version>.tgz
 *   /path/to/repo`; and `npx kube-mclint /path/to/repo` by the npm name (the package is `kube-mclint`,
 *   its command `mclint`: `mclint` on npm is an unrelated package) in a project that installed the
 *   tarball — offline, so that npx can never fetch a package of that name from the registry;
 * - pre-commit: a temporary git repository with a broken ClusterSet and a .pre-commit-config.yaml
 *   that points at a git snapshot of this working tree; `pre-commit run --all-files` and
 *   `pre-commit run --files …`; then real `git commit`s through the installed hook in a clean
 *   ClusterSet: a commit deleting a Service whose ServiceExport stays fails, and a commit changing
 *   only mclint.config.yaml reports the whole ClusterSet.
 *
 * pre-commit comes from the system (Debian's `pre-commit` package; `.ci/run` installs it). When it
 * is missing the pre-commit tests are skipped with a warning, unless MCLINT_REQUIRE_PRE_COMMIT is
 * set (`.ci/run` sets it).
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
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
    expect(pkg.name).toBe('kube-mclint');
    expect(tarball).toBe(`kube-mclint-${pkg.version}.tgz`);
    const files = info.files.map((f) => f.path).sort();
    expect(files).toContain('dist/mclint.js');
    expect(files).toContain('README.md');
    expect(files).toContain('package.json');
    expect(files.filter((f) => f.startsWith('docs/rules/')).length).toBeGreaterThan(0);
    // Sources, tests and fixtures stay out of the package.
    expect(files.filter((f) => /^(src|test|fixtures|rules|scripts)\//.test(f))).toEqual([]);
  }, 120_000);

  it('from another directory, `npx --yes ./kube-mclint-<version>.tgz REPO` audits REPO and exits 1', () => {
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
    expect(readdirSync(join(work, 'npm-cache', '_npx', installed[0], 'node_modules')).filter((d) => !d.startsWith('.'))).toEqual(['kube-mclint']);
  }, 120_000);

  it('`npx kube-mclint REPO` by the npm name runs the installed package, offline', () => {
    // A project that installed the tarball (as `npm install --save-dev kube-mclint` would). Offline:
    // if npx looked the name up in the registry instead of the project, the run would fail.
    const project = join(work, 'project');
    mkdirSync(project);
    writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'audit', version: '1.0.0', private: true }));
    const npmEnv = { ...env, npm_config_cache: join(work, 'npm-cache-project'), npm_config_offline: 'true' };
    run('npm', ['install', '--save-dev', join(work, tarball)], { cwd: project, env: npmEnv, check: true });
    expect(readdirSync(join(project, 'node_modules', '.bin'))).toEqual(['mclint']);
    const r = run('npx', ['kube-mclint', repo], { cwd: project, env: npmEnv });
    expect(r.stderr).not.toMatch(/internal error|npm error/);
    expect(r.stdout).toMatch(OVERLAP);
    expect(r.stdout).toMatch(NO_SERVICE);
    expect(r.stdout).toContain('✖ 2 problems (2 errors, 0 warnings)');
    expect(r.status).toBe(1);
    // npx installed nothing into its own cache: the project's copy ran.
    expect(existsSync(join(work, 'npm-cache-project', '_npx'))).toBe(false);
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
    // east/submariner.yaml is one side of the overlap: the changed side is where it is reported,
    // the other side is its related line.
    const east = preCommit(['run', '--files', 'clusters/east/submariner.yaml']);
    expect(east.status).toBe(1);
    const eastHook = hookOutput(east.stdout, 'mclint');
    expect(eastHook).toMatch(
      /clusters\/east\/submariner\.yaml\n {2}15:16 {2}error {2}Pod CIDR 10\.0\.0\.0\/16 of cluster "east" overlaps pod CIDR 10\.0\.0\.0\/16 of cluster "west".*cidr-overlap\n.*↳ west: clusters\/west\/submariner\.yaml:15:16/,
    );
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

    // No YAML or JSON file changed (a commit that only deletes a manifest passes no file): both
    // hooks run (`always_run`) and report the whole ClusterSet.
    const none = preCommit(['run', '--files', 'README.md']);
    expect(none.stdout).toMatch(/^mclint\.+Failed$/m);
    expect(none.stdout).toMatch(/^mclint \(whole ClusterSet\)\.+Failed$/m);
    expect(hookOutput(none.stdout, 'mclint')).toContain('✖ 2 problems (2 errors, 0 warnings)');
    expect(hookOutput(none.stdout, 'mclint (whole ClusterSet)')).toContain('✖ 2 problems (2 errors, 0 warnings)');
    expect(none.status).toBe(1);
  }, 300_000);
});

/**
 * A clean ClusterSet, committed through the `mclint` hook (`pre-commit install`, then `git commit`):
 * east exports `shop/api`, its Service and ServiceExport in two files; west's pod CIDR is a
 * placeholder, which `unrendered-placeholder` reports as a warning per mclint.config.yaml.
 */
const CLEAN: Record<string, string> = {
  'mclint.config.yaml': 'rules:\n  unrendered-placeholder: warn\n',
  'clusters/east/submariner.yaml': BROKEN['clusters/east/submariner.yaml'],
  'clusters/west/submariner.yaml': BROKEN['clusters/west/submariner.yaml'].replace('clusterCIDR: 10.0.0.0/16', 'clusterCIDR: ${WEST_POD_CIDR}'),
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
  'README.md': '# clusters\n',
};

const API_NO_SERVICE = /clusters\/east\/api-export\.yaml\n {2}4:9 {2}error {2}ServiceExport "shop\/api" has no Service "api".*service-export-pairing/;
const PLACEHOLDER = (severity: string) =>
  new RegExp(`clusters/west/submariner\\.yaml\\n {2}15:16 {2}${severity} {2}Submariner spec\\.clusterCIDR is the unrendered placeholder.*unrendered-placeholder`);

describe.skipIf(!HAS_PRE_COMMIT)('git commit through the installed `mclint` hook', () => {
  let clean: string;
  let gitEnv: NodeJS.ProcessEnv;
  const git = (args: string[], check = true) => run('git', args, { cwd: clean, env: gitEnv, check });
  /** `git commit` with the hook installed; the hook's output is on standard output or error. */
  const commit = (message: string) => {
    const r = git(['commit', '--no-gpg-sign', '-m', message], false);
    return { status: r.status, out: r.stdout + r.stderr };
  };
  /** Drops what the last (failed) commit staged. */
  const restore = () => git(['reset', '-q', '--hard', 'HEAD']);

  beforeAll(() => {
    clean = join(work, 'clean');
    gitEnv = { ...env, PRE_COMMIT_HOME: join(work, 'pre-commit-home'), PRE_COMMIT_COLOR: 'never' };
    write(clean, {
      ...CLEAN,
      '.pre-commit-config.yaml': yaml`
        default_language_version:
          node: system
        repos:
          - repo: ${snapshot}
            rev: ${rev}
            hooks:
              # verbose: the hook's report is shown when it passes too.
              - id: mclint
                verbose: true
      `,
    });
    git(['init', '-q']);
    run('pre-commit', ['install'], { cwd: clean, env: gitEnv, check: true });
    git(['add', '-A']);
  });

  it('the first commit passes with a warning', () => {
    const r = commit('clusters');
    expect(r.out).toMatch(/^mclint\.+Passed$/m);
    expect(r.out).toMatch(PLACEHOLDER('warning'));
    expect(r.out).toContain('✖ 1 problem (0 errors, 1 warning)');
    expect(r.status).toBe(0);
  }, 300_000);

  it.each([
    ['deletes the Service whose ServiceExport stays (no file passed to the hook)', [] as string[]],
    ['deletes the Service and changes a file of the other cluster', ['clusters/west/submariner.yaml']],
  ])(
    'a commit that %s fails with the ServiceExport finding',
    (_, changed) => {
      git(['rm', '-q', 'clusters/east/api-service.yaml']);
      for (const f of changed) writeFileSync(join(clean, f), `${CLEAN[f]}# changed\n`);
      git(['add', '-A']);
      const r = commit('remove the api Service');
      try {
        expect(r.out).toMatch(/^mclint\.+Failed$/m);
        expect(r.out).toMatch(API_NO_SERVICE);
        expect(r.out).toContain('✖ 2 problems (1 error, 1 warning)');
        // With FILE arguments the staged deletion is what widens the report.
        if (changed.length > 0) expect(r.out).toContain('mclint: the commit deletes clusters/east/api-service.yaml: reporting the whole ClusterSet');
        expect(r.status).toBe(1);
        expect(git(['rev-list', '--count', 'HEAD']).stdout.trim()).toBe('1');
      } finally {
        restore();
      }
    },
    300_000,
  );

  it('a commit that only changes mclint.config.yaml reports the whole ClusterSet', () => {
    // The placeholder in west/submariner.yaml, a file the commit does not touch, becomes an error.
    writeFileSync(join(clean, 'mclint.config.yaml'), 'rules:\n  unrendered-placeholder: error\n');
    git(['add', '-A']);
    const r = commit('placeholders are errors');
    try {
      expect(r.out).toMatch(/^mclint\.+Failed$/m);
      expect(r.out).toContain('mclint: mclint.config.yaml is the config file: reporting the whole ClusterSet');
      expect(r.out).toMatch(PLACEHOLDER('error'));
      expect(r.out).toContain('✖ 1 problem (1 error, 0 warnings)');
      expect(r.status).toBe(1);
    } finally {
      restore();
    }
  }, 300_000);

  it('a commit that changes a manifest reports only the findings of the files it changes', () => {
    writeFileSync(join(clean, 'clusters/east/api-service.yaml'), `${CLEAN['clusters/east/api-service.yaml']}# changed\n`);
    git(['add', '-A']);
    const r = commit('touch the api Service');
    expect(r.out).toMatch(/^mclint\.+Passed$/m);
    expect(r.out).toContain('Read 2 clusters in 1 ClusterSet: 4 files, 4 documents');
    expect(r.out).not.toMatch(PLACEHOLDER('warning'));
    expect(r.out).not.toContain('reporting the whole ClusterSet');
    expect(r.status).toBe(0);
  }, 300_000);
});
