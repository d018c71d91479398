/**
 * A git snapshot of this working tree: the files a fresh clone would have (tracked and untracked
 * files that are not ignored), committed into a new repository. Tests that install mclint the
 * way users do (pre-commit clones a repository at a revision; `npm pack` packs a directory) use
 * it so that they exercise the sources as they are now, not the last commit.
 */
import { spawnSync, type SpawnSyncOptions } from 'node:child_process';
import { copyFileSync, existsSync, lstatSync, mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

/** The repository root of mclint. */
export const ROOT = resolve(import.meta.dirname, '../..');

/** Result of a spawned command, with text output. */
export interface Spawned {
  status: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs a command and returns its status and output.
 * @throws Error when the command cannot be started (ENOENT) or `check` is set and it fails
 */
export function run(command: string, args: readonly string[], options: SpawnSyncOptions & { check?: boolean } = {}): Spawned {
  const r = spawnSync(command, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, ...options });
  if (r.error) throw r.error;
  const out = { status: r.status, stdout: String(r.stdout), stderr: String(r.stderr) };
  if (options.check && out.status !== 0) {
    throw new Error(`${command} ${args.join(' ')} exited ${out.status}\n${out.stdout}\n${out.stderr}`);
  }
  return out;
}

/** Git identity and isolation from the user's git configuration, for commits made by tests. */
export const GIT_ENV: Record<string, string> = {
  GIT_AUTHOR_NAME: 'mclint tests',
  GIT_AUTHOR_EMAIL: 'tests@mclint.invalid',
  GIT_COMMITTER_NAME: 'mclint tests',
  GIT_COMMITTER_EMAIL: 'tests@mclint.invalid',
  GIT_CONFIG_NOSYSTEM: '1',
};

/** Whether `command` can be run (found on PATH). */
export function onPath(command: string): boolean {
  const r = spawnSync(command, ['--version'], { encoding: 'utf8' });
  return !r.error && r.status === 0;
}

/**
 * Copies the working tree's files (tracked and untracked, not ignored; deleted ones skipped) into
 * `dest`, makes it a git repository with one commit, and returns that commit's hash.
 */
export function snapshotWorkingTree(dest: string): string {
  const env = { ...process.env, ...GIT_ENV };
  const listed = run('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: ROOT, env, check: true });
  for (const path of listed.stdout.split('\0').filter(Boolean)) {
    const from = join(ROOT, path);
    if (!existsSync(from) || !lstatSync(from).isFile()) continue;
    mkdirSync(dirname(join(dest, path)), { recursive: true });
    copyFileSync(from, join(dest, path));
  }
  run('git', ['init', '-q'], { cwd: dest, env, check: true });
  run('git', ['add', '-A'], { cwd: dest, env, check: true });
  run('git', ['commit', '-q', '--no-gpg-sign', '-m', 'snapshot'], { cwd: dest, env, check: true });
  return run('git', ['rev-parse', 'HEAD'], { cwd: dest, env, check: true }).stdout.trim();
}
