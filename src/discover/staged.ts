/**
 * When FILE arguments (the pre-commit hook's changed files) must not restrict the report.
 *
 * pre-commit passes a hook only the staged files that still exist: its `get_staged_files` runs
 * `git diff --staged --name-only --diff-filter=ACMRTUXB` ("everything except for D",
 * pre-commit `pre_commit/git.py`), then keeps those matching the hook's `types_or`. A commit that
 * deletes a Service whose ServiceExport stays therefore passes nothing about the deletion, and a
 * commit that edits the config file (clusters, rule severities, overrides) can change a finding in
 * any file. In both cases the findings that matter are anywhere in the ClusterSet, so mclint
 * reports the whole ClusterSet instead of the findings in, or related to, the FILE arguments.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { basename, isAbsolute, join, relative, resolve } from 'node:path';
import { isWithin, realOrSelf, workTreeRoot } from './walk.js';

/** The names mclint looks the config file up by (`src/config/index.ts`, `findConfigFile`). */
const CONFIG_NAMES = new Set(['mclint.config.yaml', 'mclint.config.yml', 'mclint.config.json']);

/** A YAML or JSON file name: what a deletion must name to widen the report. */
const MANIFEST = /\.(ya?ml|json)$/i;

/** What the widening looks at. */
export interface WidenInput {
  /** The FILE arguments, as given (relative to the working directory or absolute). */
  readonly files: readonly string[];
  /** The ClusterSet roots: the DIR arguments, or the working directory when none is given. */
  readonly roots: readonly string[];
  /** `--config FILE`, when given. */
  readonly configFile?: string;
  /** The environment git runs with (a git hook's `GIT_INDEX_FILE` selects the index to read). */
  readonly env: NodeJS.ProcessEnv;
  /** The working directory relative paths are resolved against; default: `process.cwd()`. */
  readonly cwd?: string;
}

/**
 * Why the report must cover the whole ClusterSet although FILE arguments were given, or undefined
 * when the FILE arguments may restrict it:
 *
 * - a FILE argument is a config file (`mclint.config.yaml|yml|json`, or the `--config` file):
 *   pre-commit passes it when the commit changes it;
 * - the git index holds the deletion of a YAML or JSON file below one of `roots`
 *   (`git diff --cached --name-only --no-renames --diff-filter=D`; `--no-renames` makes a file moved
 *   out of a cluster a deletion too). git runs only when a root lies in a git work tree; without
 *   git, or when it fails, deletions are not looked at.
 *
 * @returns a sentence for standard error naming the reason, e.g.
 *   `the commit deletes clusters/east/web.yaml`, or undefined
 */
export function wholeClusterSetReason(input: WidenInput): string | undefined {
  const cwd = input.cwd ?? process.cwd();
  const config = input.configFile === undefined ? undefined : realOrSelf(resolve(cwd, input.configFile));
  for (const f of input.files) {
    if (CONFIG_NAMES.has(basename(f)) || (config !== undefined && realOrSelf(resolve(cwd, f)) === config)) return `${f} is the config file`;
  }
  for (const root of input.roots) {
    const dir = resolve(cwd, root);
    const deleted = stagedDeletions(dir, input.env, cwd).find((p) => MANIFEST.test(p));
    if (deleted !== undefined) return `the commit deletes ${relative(cwd, resolve(dir, deleted))}`;
  }
  return undefined;
}

/**
 * The files whose deletion is staged in the git index, below `root` (absolute): paths relative to
 * `root`, in git's order. Empty when `root` is not in a git work tree, when git is not installed or
 * when it fails: mclint works without git.
 *
 * Git hooks run with `GIT_INDEX_FILE` (and sometimes `GIT_DIR`) set, possibly relative to the work
 * tree's top, where the hook runs; they are made absolute against `cwd` before git runs in `root`.
 */
export function stagedDeletions(root: string, env: NodeJS.ProcessEnv, cwd: string = process.cwd()): string[] {
  if (workTreeRoot(realOrSelf(root), existsSync) === undefined) return [];
  const gitEnv: NodeJS.ProcessEnv = { ...env };
  for (const key of ['GIT_INDEX_FILE', 'GIT_DIR', 'GIT_WORK_TREE'] as const) {
    const value = gitEnv[key];
    if (value !== undefined && value !== '' && !isAbsolute(value)) gitEnv[key] = join(cwd, value);
  }
  // --relative: paths relative to `root`, deletions outside it left out.
  const r = spawnSync('git', ['diff', '--cached', '--name-only', '--no-renames', '--diff-filter=D', '--relative', '-z'], {
    cwd: root,
    env: gitEnv,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (r.error || r.status !== 0) return [];
  return r.stdout.split('\0').filter((p) => p !== '' && isWithin(resolve(root, p), root));
}
