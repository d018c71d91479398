/**
 * The files a pull request changes, for the GitHub Action: a two-sided finding is then reported on
 * the side in a changed file (`engine/primary.ts`), so its annotation shows among the pull
 * request's changed files.
 *
 * GitHub Actions writes the webhook payload of the event that started the workflow to the file
 * named by `GITHUB_EVENT_PATH` ("Variables reference", default environment variables). For
 * `pull_request` and `pull_request_target` events it holds the `pull_request` object, whose
 * `base.sha` and `head.sha` are the commits compared ("Webhook events and payloads",
 * `pull_request`); it does not list the changed files. `git diff --name-only <base>...HEAD` (the
 * changes since the merge base, as the pull request's "Files changed" tab shows them) lists them
 * when the checkout has the base commit (`actions/checkout` with `fetch-depth: 0`). With the
 * default shallow checkout of the merge commit `refs/pull/N/merge`, whose first parent is the base
 * branch, `git diff --name-only HEAD^1 HEAD` does the same with `fetch-depth: 2`. Without git, the
 * commits, or a pull request event, nothing is known and no side is preferred.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

/** The part of a webhook payload read here. */
interface PullRequestPayload {
  readonly pull_request?: { readonly base?: { readonly sha?: unknown } };
}

/** Runs git in `cwd`; its standard output, or undefined when git is missing or fails. */
function git(cwd: string, args: readonly string[]): string | undefined {
  try {
    return execFileSync('git', ['-C', cwd, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], maxBuffer: 64 * 1024 * 1024 });
  } catch {
    return undefined;
  }
}

/**
 * The base commit of the pull request that started the workflow: `pull_request.base.sha` of the
 * event payload at `eventPath`; undefined for other events, or a missing or unreadable payload.
 */
export function pullRequestBase(eventPath: string | undefined): string | undefined {
  if (!eventPath) return undefined;
  let payload: PullRequestPayload;
  try {
    payload = JSON.parse(readFileSync(eventPath, 'utf8')) as PullRequestPayload;
  } catch {
    return undefined;
  }
  const sha = payload?.pull_request?.base?.sha;
  return typeof sha === 'string' && /^[0-9a-f]{7,64}$/i.test(sha) ? sha : undefined;
}

/**
 * The files (absolute paths) the pull request of `env.GITHUB_EVENT_PATH` changes in the git
 * checkout at `cwd`: `git diff --name-only -z <base>...HEAD`, else, when HEAD is a merge commit
 * (the runner's `refs/pull/N/merge`), `git diff --name-only -z HEAD^1 HEAD`. Deleted files are
 * listed too (callers skip paths that do not exist). Undefined when the event is not a pull
 * request or git cannot tell (no git, no repository, the base commit not fetched); never throws.
 */
export function pullRequestChangedFiles(cwd: string, env: NodeJS.ProcessEnv = process.env): string[] | undefined {
  const base = pullRequestBase(env.GITHUB_EVENT_PATH);
  if (base === undefined) return undefined;
  const top = git(cwd, ['rev-parse', '--show-toplevel'])?.trim();
  if (!top) return undefined;
  let out = git(cwd, ['diff', '--name-only', '-z', `${base}...HEAD`]);
  if (out === undefined && git(cwd, ['rev-parse', '--verify', '--quiet', 'HEAD^2']) !== undefined) out = git(cwd, ['diff', '--name-only', '-z', 'HEAD^1', 'HEAD']);
  if (out === undefined) return undefined;
  // -z: paths are NUL-terminated and not quoted, relative to the top of the working tree.
  return out
    .split('\0')
    .filter((p) => p !== '')
    .map((p) => resolve(top, p));
}
