/** Spawns the built binary (dist/mclint.js) the way a user or CI runs it. */
import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';

/** The repository root; the fixtures are below it. */
export const repoRoot = resolve(import.meta.dirname, '..', '..');
/** The built CLI (`npm run build`; `npm test` builds before vitest runs). */
/** The built binary: `dist/mclint.js`, or `$MCLINT_DIST_DIR/mclint.js` (a build made with that variable, see scripts/build.mjs). */
export const bin = join(repoRoot, process.env.MCLINT_DIST_DIR ?? 'dist', 'mclint.js');

export interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the CLI (default cwd: the repository root) with a clean color environment. */
export function runCli(args: string[], options: { cwd?: string; env?: Record<string, string> } = {}): Run {
  const base = { ...process.env };
  delete base.FORCE_COLOR;
  delete base.NO_COLOR;
  // An exported COLUMNS would wrap stylish's messages (report/stylish.ts terminalWidth); tests that want it pass it.
  delete base.COLUMNS;
  const r = spawnSync(process.execPath, [bin, ...args], { cwd: options.cwd ?? repoRoot, env: { ...base, ...options.env }, encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}
