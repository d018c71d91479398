/**
 * End-to-end: the file system of a linted repository is hostile input (issue 17, point 4). Each test
 * builds a reproducer in a temporary directory — symbolic-link loops, links out of the repository,
 * FIFOs and devices, unreadable and too-long paths, clusters named like `Object.prototype` members,
 * names with newlines or bytes that are not UTF-8 — and spawns the built CLI (dist/mclint.js) on it:
 * the run finishes, lints everything else, lists each skip with its reason, never prints content from
 * outside the repository, and gives the same output every time.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { bin } from './helpers/run-cli.js';

const roots: string[] = [];
afterAll(() => {
  // rm(1) removes trees deeper than PATH_MAX, which Node's rmSync cannot.
  for (const r of roots) spawnSync('rm', ['-rf', r]);
});

const svc = (name: string) => `apiVersion: v1\nkind: Service\nmetadata:\n  name: ${name}\n  namespace: shop\nspec:\n  ports:\n    - name: http\n      port: 80\n`;
/** Content that findings would quote if it were read: a duplicate key and a wrongly typed field. */
const SECRET = 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: OUTSIDE-MARKER-name\n  labels: "OUTSIDE-MARKER-label"\nOUTSIDE-MARKER-dup: 1\nOUTSIDE-MARKER-dup: 2\n';

/** A new temporary directory (removed after the file's tests), readable by everyone. */
function tempDir(): string {
  const root = mkdtempSync(join(tmpdir(), 'mclint-hostile-'));
  chmodSync(root, 0o755);
  roots.push(root);
  return root;
}

/** Writes files (path → text) below `root`. */
function write(root: string, files: Record<string, string>): void {
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
}

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the CLI in `cwd` (killed after 30 s: a hang fails the test instead of stalling it). */
function mclint(cwd: string, args: string[], prefix: string[] = []): Run {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
  delete env.FORCE_COLOR;
  const [cmd, ...rest] = [...prefix, process.execPath, bin, ...args];
  const r = spawnSync(cmd, rest, { cwd, env, encoding: 'utf8', timeout: 30_000, killSignal: 'SIGKILL' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** The files of a `-f json` report, relative to `root`. */
function reported(r: Run, root: string): string[] {
  return (JSON.parse(r.stdout) as { filePath: string }[]).map((f) => f.filePath.slice(root.length + 1)).sort();
}

/** The `  skipped PATH: REASON` lines of a `--verbose` summary. */
const skipLines = (r: Run) => r.stderr.split('\n').filter((l) => l.startsWith('  skipped '));

const posix = process.platform !== 'win32';

describe('symbolic links', () => {
  it('two links to "." and one to ".." in a cluster finish, are listed as loops, and each file is linted once — the same output every run', () => {
    const root = tempDir();
    write(root, { 'a/x.yaml': svc('x'), 'b/svc.yaml': svc('web') });
    symlinkSync('.', join(root, 'a/s1'));
    symlinkSync('.', join(root, 'a/s2'));
    symlinkSync('..', join(root, 'a/up'));
    const r = mclint(root, ['-f', 'json', '--verbose', '.']);
    expect(r.status).toBe(0);
    expect(reported(r, root)).toEqual(['a/x.yaml', 'b/svc.yaml']);
    expect(skipLines(r)).toEqual(['  skipped a/s1: symlink loop', '  skipped a/s2: symlink loop', '  skipped a/up: symlink loop']);
    expect(r.stderr).toContain('skipped 3 files (3 symlink loops)');
    const again = mclint(root, ['-f', 'json', '--verbose', '--concurrency', 'off', '.']);
    expect(again.stdout).toBe(r.stdout);
    expect(again.stderr).toBe(r.stderr);
  });

  it('links to files and folders outside the repository are listed and never read; a folder given with --cluster is read', () => {
    const outside = tempDir();
    write(outside, { 'secret.yaml': SECRET, 'dir/inner.yaml': SECRET });
    const root = tempDir();
    // A git work tree of its own: the repository is root, wherever the temporary directory is.
    write(root, { 'a/x.yaml': svc('x'), 'b/svc.yaml': svc('web'), '.git/HEAD': 'ref: refs/heads/main\n' });
    symlinkSync(join(outside, 'secret.yaml'), join(root, 'a/link-to-file.yaml'));
    symlinkSync(join(outside, 'dir'), join(root, 'a/link-to-dir'));
    symlinkSync('/etc', join(root, 'a/etc'));
    symlinkSync('/etc/passwd', join(root, 'a/passwd.yaml'));
    // A cluster folder that is a link out of the repository is no cluster.
    symlinkSync(outside, join(root, 'c'));
    const json = mclint(root, ['-f', 'json', '--verbose', '.']);
    const stylish = mclint(root, ['.']);
    expect(json.status).toBe(0);
    expect(stylish.status).toBe(0);
    expect(reported(json, root)).toEqual(['a/x.yaml', 'b/svc.yaml']);
    expect(skipLines(json)).toEqual([
      '  skipped a/etc: symlink to outside the repository',
      '  skipped a/link-to-dir: symlink to outside the repository',
      '  skipped a/link-to-file.yaml: symlink to outside the repository',
      '  skipped a/passwd.yaml: symlink to outside the repository',
      '  skipped c: symlink to outside the repository',
    ]);
    // Stylish prints the summary after the findings, on standard output.
    expect(stylish.stdout).toContain('skipped 5 files (5 symlinks to outside the repository), --verbose lists them');
    for (const out of [json.stdout, json.stderr, stylish.stdout, stylish.stderr]) {
      expect(out).not.toContain('OUTSIDE-MARKER');
      expect(out).not.toMatch(/root:x?:0:0/);
    }
    // Named on the command line, the outside folder is the user's choice: read.
    const explicit = mclint(root, ['-f', 'json', '--cluster', `ext=${outside}`, '--cluster', 'a=a']);
    expect(explicit.status).toBe(1);
    expect(explicit.stdout).toContain('OUTSIDE-MARKER');
  });

  it.each([['../outside'], ['/proc'], ['/']])('a config cluster path outside the repository (%s) is a config error, read nowhere', (path) => {
    const parent = tempDir();
    write(parent, {
      'outside/c.yaml': SECRET,
      'repo/b/svc.yaml': svc('web'),
      'repo/.git/HEAD': 'ref: refs/heads/main\n',
      'repo/mclint.config.yaml': `clusters:\n  - name: b\n    path: b\n  - name: up\n    path: ${path}\n`,
    });
    const r = mclint(join(parent, 'repo'), ['-f', 'json', '.']);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(`cluster "up": path ${path === '../outside' ? join(parent, 'outside') : path} is outside the repository (${join(parent, 'repo')})`);
    expect(r.stdout + r.stderr).not.toContain('OUTSIDE-MARKER');
  });
});

describe.skipIf(!posix)('special files', () => {
  it('a FIFO named like a manifest, a FIFO .gitignore and a link to /dev/zero never block: listed, the rest linted', () => {
    const root = tempDir();
    write(root, { 'a/ok.yaml': svc('ok'), 'b/svc.yaml': svc('web') });
    for (const p of ['a/x.yaml', 'a/.gitignore', 'b/.gitignore', 'mclint.config.yaml']) expect(spawnSync('mkfifo', [join(root, p)]).status).toBe(0);
    symlinkSync('/dev/zero', join(root, 'a/zero.yaml'));
    symlinkSync('x.yaml', join(root, 'a/fifo-link.yaml'));
    const r = mclint(root, ['-f', 'json', '--verbose', '.']);
    expect(r.status).toBe(0);
    expect(reported(r, root)).toEqual(['a/ok.yaml', 'b/svc.yaml']);
    expect(skipLines(r)).toEqual([
      '  skipped a/.gitignore: not a regular file',
      '  skipped a/fifo-link.yaml: not a regular file',
      '  skipped a/x.yaml: not a regular file',
      '  skipped b/.gitignore: not a regular file',
      // Named like a manifest, directly in DIR: listed too (the config lookup passes it over).
      '  skipped mclint.config.yaml: not a regular file',
      '  skipped a/zero.yaml: symlink to outside the repository',
    ]);
    // Named explicitly, a FIFO config file is a clear config error, not a blocked read.
    const config = mclint(root, ['--config', 'mclint.config.yaml', '.']);
    expect(config.status).toBe(2);
    expect(config.stderr).toContain('cannot read config file mclint.config.yaml: not a regular file');
  });

  const amRoot = process.getuid?.() === 0;
  const canDrop = !amRoot || spawnSync('sh', ['-c', 'command -v setpriv']).status === 0;
  it.skipIf(!canDrop)('an unreadable folder and file are listed while the rest is linted (as an unprivileged user)', () => {
    const root = tempDir();
    write(root, { 'a/ok.yaml': svc('ok'), 'a/private/p.yaml': svc('p'), 'a/secret.yaml': svc('s'), 'b/svc.yaml': svc('web') });
    spawnSync('chmod', ['-R', 'a+rX', root]);
    chmodSync(join(root, 'a/private'), 0o000);
    chmodSync(join(root, 'a/secret.yaml'), 0o000);
    const r = mclint(root, ['-f', 'json', '--verbose', '.'], amRoot ? ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups'] : []);
    chmodSync(join(root, 'a/private'), 0o755);
    expect(r.status).toBe(0);
    expect(reported(r, root)).toEqual(['a/ok.yaml', 'b/svc.yaml']);
    expect(skipLines(r)).toEqual(['  skipped a/secret.yaml: unreadable file', '  skipped a/private: unreadable directory']);
  });

  it('a path longer than PATH_MAX is a listed unreadable folder while the rest is linted', () => {
    const root = tempDir();
    write(root, { 'a/ok.yaml': svc('ok'), 'b/svc.yaml': svc('web') });
    const name = 'd'.repeat(250);
    // A child process descends one level at a time (relative paths), past what one absolute path can name.
    const script = `const fs = require('fs'); for (let i = 0; i < 20; i++) { fs.mkdirSync('${name}'); process.chdir('${name}'); } fs.writeFileSync('deep.yaml', 'a: 1\\n');`;
    expect(spawnSync(process.execPath, ['-e', script], { cwd: join(root, 'a') }).status).toBe(0);
    const r = mclint(root, ['-f', 'json', '--verbose', '.']);
    expect(r.status).toBe(0);
    expect(reported(r, root)).toEqual(['a/ok.yaml', 'b/svc.yaml']);
    const skipped = skipLines(r);
    expect(skipped).toHaveLength(1);
    expect(skipped[0]).toMatch(new RegExp(`^  skipped a/(${name}/)+${name}: unreadable directory$`));
  });
});

describe('names are data', () => {
  const names = ['__proto__', 'constructor', 'hasOwnProperty', 'toString'];
  const files = Object.fromEntries(
    names.map((n) => [`${n}/export.yaml`, `${svc('web')}---\napiVersion: multicluster.x-k8s.io/v1alpha1\nkind: ServiceExport\nmetadata:\n  name: web\n  namespace: shop\n`]),
  );

  it.each([
    ['folders', {}, ['.']],
    ['the config file', { 'mclint.config.yaml': `clusters:\n${names.map((n) => `  - name: ${n}\n`).join('')}` }, ['.']],
    ['--cluster flags', {}, names.flatMap((n, i) => ['--cluster', `${['c', 'constructor', 'd', 'e'][i]}=${n}`])],
  ])('clusters named __proto__, constructor, hasOwnProperty and toString (%s) are linted', (_how, extra: Record<string, string>, args) => {
    const root = tempDir();
    write(root, { ...files, ...extra });
    const r = mclint(root, ['-f', 'json', ...args]);
    expect(r.stderr).not.toMatch(/internal error|is not a function/);
    expect(r.status).toBe(0);
    expect(reported(r, root)).toEqual(names.map((n) => `${n}/export.yaml`));
  });

  it.skipIf(!posix)('a folder name with a newline is linted; names that are not UTF-8 are listed, never dropped silently', () => {
    const root = tempDir();
    write(root, { 'new\nline/x.yaml': svc('x'), 'b/svc.yaml': svc('web') });
    const bad = Buffer.concat([Buffer.from(join(root, 'b/')), Buffer.from([0x66, 0xff])]);
    mkdirSync(bad);
    writeFileSync(Buffer.concat([bad, Buffer.from('/y.yaml')]), svc('y'));
    const r = mclint(root, ['-f', 'json', '--verbose', '.']);
    expect(r.status).toBe(0);
    expect(reported(r, root)).toEqual(['b/svc.yaml', 'new\nline/x.yaml']);
    expect(r.stderr).toContain('skipped 1 file (1 name not valid UTF-8)');
    expect(skipLines(r)).toHaveLength(1);
    expect(skipLines(r)[0]).toMatch(/^ {2}skipped b\/f.*: name not valid UTF-8$/);
    expect(mclint(root, ['-f', 'json', '--verbose', '.']).stdout).toBe(r.stdout);
  });
});
