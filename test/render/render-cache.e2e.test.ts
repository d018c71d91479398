/**
 * The render cache (`src/render/cache.ts`), end to end with the built CLI and the real kustomize
 * (`kubectl kustomize` or `kustomize`): a second run over unchanged inputs starts no renderer and
 * prints the same bytes; a changed input renders again; `--no-render-cache` keeps nothing; a
 * damaged entry is a miss; repositories never share a folder. The renderer is put on PATH behind a
 * small script that records each start in a log and then runs the real binary (the binary itself
 * does all the work). Skipped, with a visible warning, only when neither binary is installed.
 */
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { availableParallelism, homedir } from 'node:os';
import { delimiter, join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { findKustomizeTool } from '../../src/render/kustomize.js';
import { MAX_ENTRIES, RenderCache, renderCacheDir } from '../../src/render/cache.js';
import { runCli } from '../helpers/run-cli.js';
import { writeScenario, yaml } from '../helpers/scenario.js';

const tool = findKustomizeTool();
if (!tool) console.warn('\n⚠ render cache tests SKIPPED: neither `kustomize` nor `kubectl` is on PATH (install kubectl to run them)\n');
const withTool = tool ? describe : describe.skip;

const base = {
  'base/kustomization.yaml': 'resources:\n- svc.yaml\n- export.yaml\n',
  'base/svc.yaml': yaml`
    apiVersion: v1
    kind: Service
    metadata: {name: cart, namespace: shop}
    spec:
      selector: {app: cart}
      ports: [{name: http, port: 80}]
  `,
  'base/export.yaml': yaml`
    apiVersion: multicluster.x-k8s.io/v1alpha1
    kind: ServiceExport
    metadata: {name: cart, namespace: shop}
  `,
};
const overlay = (cluster: string, port: number) => ({
  [`clusters/${cluster}/kustomization.yaml`]: 'resources:\n- ../../base\npatches:\n- path: port.yaml\n  target: {kind: Service, name: cart}\n',
  [`clusters/${cluster}/port.yaml`]: `- op: replace\n  path: /spec/ports/0/port\n  value: ${port}\n`,
});

/**
 * A folder with an executable named like the renderer that appends one line per start to `log`
 * and runs the real binary with the same arguments. With `spans`, a render (not the version
 * question) also writes `begin <n>` and `end <n>` lines around the real binary, which runs after a
 * pause, so renders that run side by side interleave in the log.
 */
function recordingPath(log: string, spans = false): string {
  const dir = join(writeScenario({}), 'bin');
  mkdirSync(dir, { recursive: true });
  const real = JSON.stringify(tool!.command);
  const name = tool!.name === 'kubectl' ? 'kubectl' : 'kustomize';
  const script = join(dir, name);
  const record = `echo "$*" >> ${JSON.stringify(log)}\n`;
  const body = spans
    ? `case "$1" in version) exec ${real} "$@";; esac\necho "begin $$" >> ${JSON.stringify(log)}\nsleep 0.5\n${real} "$@"\ns=$?\necho "end $$" >> ${JSON.stringify(log)}\nexit $s\n`
    : `exec ${real} "$@"\n`;
  writeFileSync(script, `#!/bin/sh\n${record}${body}`);
  chmodSync(script, 0o755);
  return dir;
}

/** The recording renderer of each log (the same binary path on every run, as on a user's machine). */
const recorders = new Map<string, string>();

/** Runs the CLI on `root` with the recording renderer first on PATH and the cache under `cacheHome`. */
function lint(root: string, log: string, cacheHome: string, ...flags: string[]) {
  let bin = recorders.get(log);
  if (!bin) recorders.set(log, (bin = recordingPath(log)));
  const env = { PATH: `${bin}${delimiter}${process.env.PATH ?? ''}`, XDG_CACHE_HOME: cacheHome };
  return runCli([root, '--format', 'json', ...flags], { env, cwd: root });
}

const starts = (log: string) =>
  existsSync(log)
    ? readFileSync(log, 'utf8')
        .split('\n')
        .filter((l) => l !== '')
    : [];
const renders = (log: string) => starts(log).filter((l) => l.startsWith('kustomize') || l.startsWith('build'));

withTool('render cache', () => {
  it('a second run over unchanged inputs starts no renderer and prints the same bytes', () => {
    const root = writeScenario({ ...base, ...overlay('east', 81), ...overlay('west', 82) });
    const cacheHome = join(writeScenario({}), 'cache');
    const log = join(cacheHome, '..', 'starts.log');
    const cold = lint(root, log, cacheHome);
    expect(cold.status, cold.stderr).toBe(1);
    expect(renders(log)).toHaveLength(2);
    const before = starts(log).length;
    const warm = lint(root, log, cacheHome);
    expect(warm.stdout).toBe(cold.stdout);
    expect(warm.status).toBe(1);
    // Neither a render nor the version question: both came from the cache.
    expect(starts(log)).toHaveLength(before);
    // The conflict the patched ports make is still found, in the source file.
    const messages = (JSON.parse(warm.stdout) as { filePath: string; messages: { ruleId: string; line: number }[] }[]).flatMap((f) =>
      f.messages.map((m) => ({ ...m, file: f.filePath })),
    );
    expect(messages.filter((m) => m.ruleId === 'serviceimport-port-conflict').map((m) => [m.file.slice(root.length), m.line])).toEqual([['/base/svc.yaml', 6]]);
  });

  it('an input that changed renders again (only the kustomizations that read it), and the output follows it', () => {
    const root = writeScenario({ ...base, ...overlay('east', 81), ...overlay('west', 82) });
    const cacheHome = join(writeScenario({}), 'cache');
    const log = join(cacheHome, '..', 'starts.log');
    expect(lint(root, log, cacheHome).status).toBe(1);
    expect(renders(log)).toHaveLength(2);
    // The ports now agree: the conflict is gone, after one new render (west's patch changed).
    writeFileSync(join(root, 'clusters/west/port.yaml'), readFileSync(join(root, 'clusters/east/port.yaml')));
    const changed = lint(root, log, cacheHome);
    expect(renders(log)).toHaveLength(3);
    expect(changed.stdout).toBe(lint(root, log, cacheHome, '--no-render-cache').stdout);
    expect(changed.stdout).not.toContain('serviceimport-port-conflict');
    // A file of the shared base changes both renders.
    writeFileSync(join(root, 'base/svc.yaml'), readFileSync(join(root, 'base/svc.yaml'), 'utf8').replace('app: cart', 'app: cart2'));
    const before = renders(log).length;
    lint(root, log, cacheHome);
    expect(renders(log).length - before).toBe(2);
  });

  it('--no-render-cache renders every time and keeps nothing', () => {
    const root = writeScenario({ ...base, ...overlay('east', 81) });
    const cacheHome = join(writeScenario({}), 'cache');
    const log = join(cacheHome, '..', 'starts.log');
    lint(root, log, cacheHome, '--no-render-cache');
    lint(root, log, cacheHome, '--no-render-cache');
    expect(renders(log)).toHaveLength(2);
    expect(existsSync(cacheHome)).toBe(false);
  });

  it('a damaged entry is a miss: the kustomization renders again and the entry is replaced', () => {
    const root = writeScenario({ ...base, ...overlay('east', 81), ...overlay('west', 82) });
    const cacheHome = join(writeScenario({}), 'cache');
    const log = join(cacheHome, '..', 'starts.log');
    const cold = lint(root, log, cacheHome);
    const folder = renderCacheDir(root, { XDG_CACHE_HOME: cacheHome })!;
    const entries = readdirSync(folder).filter((n) => n.endsWith('.json'));
    expect(entries).toHaveLength(2);
    writeFileSync(join(folder, entries[0]), '{"wrapper": 3, "docum');
    writeFileSync(join(folder, entries[1]), 'not json at all \u0000');
    const again = lint(root, log, cacheHome);
    expect(again.stdout).toBe(cold.stdout);
    expect(renders(log)).toHaveLength(4);
    // Written whole, by rename: no temporary file is left.
    expect(readdirSync(folder).filter((n) => n.endsWith('.tmp'))).toEqual([]);
    expect(lint(root, log, cacheHome).stdout).toBe(cold.stdout);
    expect(renders(log)).toHaveLength(4);
  });
});

describe('where the render cache lives', () => {
  it('one folder per repository, under $XDG_CACHE_HOME/mclint', () => {
    const a = writeScenario({ 'c/x.yaml': '' });
    const b = writeScenario({ 'c/x.yaml': '' });
    const env = { XDG_CACHE_HOME: '/var/cache/someone' };
    const da = renderCacheDir(a, env)!;
    const db = renderCacheDir(b, env)!;
    expect(da.startsWith('/var/cache/someone/mclint/render/')).toBe(true);
    expect(db.startsWith('/var/cache/someone/mclint/render/')).toBe(true);
    expect(da).not.toBe(db);
    // The same repository reached through another path (here: its real path) shares its folder.
    expect(renderCacheDir(realpathSync(a), env)).toBe(da);
  });

  it('never inside the linted repository, not even in its node_modules/.cache (a pull request could ship entries there)', () => {
    const root = writeScenario({ 'package.json': '{"name": "fleet"}\n', 'node_modules/.keep': '', 'clusters/east/x.yaml': '' });
    const dir = renderCacheDir(join(root, 'clusters'), { XDG_CACHE_HOME: '/var/cache/someone' })!;
    expect(dir.startsWith('/var/cache/someone/mclint/render/')).toBe(true);
    const home = renderCacheDir(root, {})!;
    expect(home.startsWith(join(homedir(), '.cache', 'mclint', 'render'))).toBe(true);
    // A relative XDG_CACHE_HOME is ignored, as the XDG base directory specification says.
    expect(renderCacheDir(root, { XDG_CACHE_HOME: 'relative/cache' })).toBe(home);
  });

  it('keeps at most MAX_ENTRIES entries per repository, removing the least recently used', () => {
    const dir = join(writeScenario({}), 'render');
    const cache = new RenderCache(dir);
    for (let i = 0; i < MAX_ENTRIES + 3; i++) cache.set(`k${String(i).padStart(4, '0')}`, { wrapper: '/w', documents: [i] });
    cache.prune();
    const left = readdirSync(dir).filter((n) => n.endsWith('.json'));
    expect(left).toHaveLength(MAX_ENTRIES);
    expect(cache.get(`k${String(MAX_ENTRIES + 2).padStart(4, '0')}`)).toEqual({ wrapper: '/w', documents: [MAX_ENTRIES + 2] });
  });

  it('an input that cannot be read, or caching turned off, gives no key', () => {
    const root = writeScenario({ 'a.yaml': 'x: 1\n' });
    expect(new RenderCache(undefined).key(['v'], [join(root, 'a.yaml')])).toBeUndefined();
    const cache = new RenderCache(join(root, 'cache'));
    expect(cache.key(['v'], [join(root, 'missing.yaml')])).toBeUndefined();
    const k1 = cache.key(['v'], [join(root, 'a.yaml')]);
    expect(k1).toMatch(/^[0-9a-f]{64}$/);
    expect(cache.key(['v2'], [join(root, 'a.yaml')])).not.toBe(k1);
  });
});

withTool('renders run side by side', () => {
  it.skipIf(availableParallelism() < 2)("the folders a cluster's Flux Kustomizations pull are rendered concurrently, and read in order", () => {
    const files: Record<string, string> = { ...base };
    for (const c of ['c1', 'c2', 'c3']) {
      files[`clusters/${c}/apps.yaml`] = yaml`
        apiVersion: kustomize.toolkit.fluxcd.io/v1
        kind: Kustomization
        metadata: {name: apps, namespace: flux-system}
        spec:
          interval: 10m
          path: ./overlays/${c}
          prune: true
          sourceRef: {kind: GitRepository, name: flux-system}
      `;
      files[`overlays/${c}/kustomization.yaml`] = `resources:\n- ../../base\nnamespace: team-${c}\n`;
    }
    const root = writeScenario(files);
    const log = join(writeScenario({}), 'starts.log');
    const env = { PATH: `${recordingPath(log, true)}${delimiter}${process.env.PATH ?? ''}` };
    const run = runCli([root, '--format', 'json', '--no-render-cache'], { env, cwd: root });
    expect(run.status, run.stderr).toBe(0);
    const spans = starts(log).filter((l) => l.startsWith('begin') || l.startsWith('end'));
    expect(spans).toHaveLength(6);
    // A second render began before the first ended.
    expect(spans[1].startsWith('begin')).toBe(true);
    // Read in reference order whatever order the renders finished in: a rerun prints the same bytes.
    expect(runCli([root, '--format', 'json', '--no-render-cache'], { env, cwd: root }).stdout).toBe(run.stdout);
  });
});

withTool("the renderer's Go garbage collector", () => {
  /** A folder with the renderer behind a script that logs the collector variables it was started with, then runs the real binary. */
  function envRecordingPath(log: string): string {
    const dir = join(writeScenario({}), 'bin');
    mkdirSync(dir, { recursive: true });
    const script = join(dir, tool!.name === 'kubectl' ? 'kubectl' : 'kustomize');
    writeFileSync(script, `#!/bin/sh\necho "GOGC=[$GOGC] GOMEMLIMIT=[$GOMEMLIMIT]" >> ${JSON.stringify(log)}\nexec ${JSON.stringify(tool!.command)} "$@"\n`);
    chmodSync(script, 0o755);
    return dir;
  }

  it('renders run with collection off up to a soft memory limit, unless the user set GOGC or GOMEMLIMIT, and print the same findings', () => {
    const root = writeScenario({ ...base, ...overlay('east', 81), ...overlay('west', 82) });
    const log = join(writeScenario({}), 'env.log');
    const PATH = `${envRecordingPath(log)}${delimiter}${process.env.PATH ?? ''}`;
    const tuned = runCli([root, '--format', 'json', '--no-render-cache'], { env: { PATH }, cwd: root });
    expect(tuned.status, tuned.stderr).toBe(1);
    expect(new Set(starts(log))).toEqual(new Set(['GOGC=[off] GOMEMLIMIT=[512MiB]']));
    writeFileSync(log, '');
    const own = runCli([root, '--format', 'json', '--no-render-cache'], { env: { PATH, GOGC: '150' }, cwd: root });
    expect(new Set(starts(log))).toEqual(new Set(['GOGC=[150] GOMEMLIMIT=[]']));
    expect(own.stdout).toBe(tuned.stdout);
    expect(tuned.stdout).toContain('serviceimport-port-conflict');
  });
});

/** An edit a user makes between two commits, applied to the files of `base` + two overlays. */
type Edit = (root: string, n: number) => void;
const edits: [string, Edit][] = [
  ['west patch to another port', (r, n) => writeFileSync(join(r, 'clusters/west/port.yaml'), `- op: replace\n  path: /spec/ports/0/port\n  value: ${80 + (n % 4)}\n`)],
  ['east patch to another port', (r, n) => writeFileSync(join(r, 'clusters/east/port.yaml'), `- op: replace\n  path: /spec/ports/0/port\n  value: ${80 + (n % 4)}\n`)],
  ['base selector', (r, n) => writeFileSync(join(r, 'base/svc.yaml'), readFileSync(join(r, 'base/svc.yaml'), 'utf8').replace(/app: \w+/, `app: cart${n % 3}`))],
  [
    'a namespace for west',
    (r, n) =>
      writeFileSync(
        join(r, 'clusters/west/kustomization.yaml'),
        `${readFileSync(join(r, 'clusters/west/kustomization.yaml'), 'utf8').replace(/^namespace: .*\n/m, '')}namespace: team-${n % 2}\n`,
      ),
  ],
  ['a broken base', (r) => writeFileSync(join(r, 'base/kustomization.yaml'), 'resources:\n- svc.yaml\n- missing.yaml\n')],
  ['a whole base again', (r) => writeFileSync(join(r, 'base/kustomization.yaml'), 'resources:\n- svc.yaml\n- export.yaml\n')],
  ['the export dropped from the base', (r) => writeFileSync(join(r, 'base/kustomization.yaml'), 'resources:\n- svc.yaml\n')],
];

withTool('render cache property', () => {
  it('after any sequence of edits, a run with the render cache prints what a run without it prints', () => {
    const root = writeScenario({ ...base, ...overlay('east', 81), ...overlay('west', 82) });
    const cacheHome = join(writeScenario({}), 'cache');
    const env = { XDG_CACHE_HOME: cacheHome };
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: edits.length - 1 }), fc.nat(11)), { minLength: 1, maxLength: 3 }), (picks) => {
        for (const [i, n] of picks) edits[i][1](root, n);
        const cached = runCli([root, '--format', 'json'], { env, cwd: root });
        const fresh = runCli([root, '--format', 'json', '--no-render-cache'], { env, cwd: root });
        expect(cached.stdout).toBe(fresh.stdout);
        expect(cached.status).toBe(fresh.status);
      }),
      { seed: 20261202, numRuns: 8 },
    );
  });
});
