/**
 * The GitHub Action as the runner runs it: a checkout of the action (action.yml, `action/index.mjs`
 * and its parse worker, no node_modules) and `node <checkout>/action/index.mjs` in the workspace,
 * inputs in `INPUT_*` (hyphens kept: `INPUT_FAIL-ON`), outputs and job summary through the files
 * named by `GITHUB_OUTPUT` and `GITHUB_STEP_SUMMARY`.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { repoRoot } from './run-cli.js';

const checkouts: string[] = [];
afterAll(() => {
  for (const c of checkouts) rmSync(c, { recursive: true, force: true });
});

/**
 * Builds the action from the current sources into a new temporary checkout, removed after the
 * test file's tests: `action/index.mjs` and `action/parse-worker.js` bundled by
 * `scripts/build-action.mjs` (as `npm run build:action` does; the committed bundle may lag behind
 * the sources), next to copies of `action.yml`, `package.json` and `docs/`.
 *
 * Returns the checkout's path, e.g. `/tmp/mclint-checkout-Ab12Cd` holding
 * `{ action.yml, action/index.mjs, action/parse-worker.js, package.json, docs/ }`. Throws with the
 * build's stderr when the build fails or writes to stderr (an esbuild warning fails it too).
 */
export function buildAction(): string {
  const checkout = mkdtempSync(join(tmpdir(), 'mclint-checkout-'));
  checkouts.push(checkout);
  const built = spawnSync(process.execPath, [join(repoRoot, 'scripts', 'build-action.mjs'), join(checkout, 'action', 'index.mjs')], { cwd: repoRoot, encoding: 'utf8' });
  if (built.error || built.status !== 0 || built.stderr !== '') {
    throw new Error(`scripts/build-action.mjs failed (exit ${built.status}${built.error ? `, ${built.error.message}` : ''}):\n${built.stderr}`);
  }
  for (const path of ['action.yml', 'package.json', 'docs']) cpSync(join(repoRoot, path), join(checkout, path), { recursive: true });
  return checkout;
}

/** What one run of the entry point did. */
export interface ActionRun {
  /** The exit code: 0 when the step passes, 1 when it fails (null when killed). */
  status: number | null;
  /** The log: workflow commands (`::error file=…,line=…::…`) and plain lines. */
  stdout: string;
  stderr: string;
  /** The outputs written to `GITHUB_OUTPUT`, by name, e.g. `{ errors: '3', warnings: '1', 'sarif-file': '/…/x.sarif', 'html-file': '' }`. */
  outputs: Record<string, string>;
  /** The job summary written to `GITHUB_STEP_SUMMARY` (Markdown, `## mclint: …`). */
  summary: string;
  /** The workspace it ran in (`GITHUB_WORKSPACE`, its cwd). */
  workspace: string;
}

/**
 * Runs the entry point of the action checkout `checkout` (`buildAction()`, or a copy of the
 * committed files) in the directory `workspace`, as the runner does: `GITHUB_ACTIONS=true`,
 * `GITHUB_WORKSPACE`, and an `INPUT_<NAME>` for every input action.yml declares, the value from
 * `inputs` (e.g. `{ path: 'manifests', 'fail-on': 'warning' }`, only the inputs a workflow sets)
 * or else action.yml's default. `env` adds variables, e.g. `{ GITHUB_EVENT_NAME: 'pull_request',
 * GITHUB_EVENT_PATH: '/…/event.json' }`; nothing else of this process's environment but PATH and
 * HOME is passed. The `GITHUB_OUTPUT` and `GITHUB_STEP_SUMMARY` files are made in a temporary
 * directory of their own, removed once read.
 */
export function runEntryPoint(checkout: string, workspace: string, inputs: Record<string, string>, env: Record<string, string> = {}): ActionRun {
  const files = mkdtempSync(join(tmpdir(), 'mclint-runner-'));
  try {
    const outputFile = join(files, 'output');
    const summaryFile = join(files, 'summary.md');
    writeFileSync(outputFile, '');
    writeFileSync(summaryFile, '');
    const declared = (parseYaml(readFileSync(join(checkout, 'action.yml'), 'utf8')) as { inputs: Record<string, { default?: string }> }).inputs;
    const runnerEnv: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      GITHUB_ACTIONS: 'true',
      GITHUB_WORKSPACE: workspace,
      GITHUB_OUTPUT: outputFile,
      GITHUB_STEP_SUMMARY: summaryFile,
      ...env,
    };
    for (const [name, spec] of Object.entries(declared)) runnerEnv[`INPUT_${name.toUpperCase()}`] = inputs[name] ?? spec.default ?? '';
    const r = spawnSync(process.execPath, [join(checkout, 'action', 'index.mjs')], { cwd: workspace, env: runnerEnv, encoding: 'utf8' });
    return {
      status: r.status,
      stdout: r.stdout,
      stderr: r.stderr,
      outputs: parseOutputFile(readFileSync(outputFile, 'utf8')),
      summary: readFileSync(summaryFile, 'utf8'),
      workspace,
    };
  } finally {
    rmSync(files, { recursive: true, force: true });
  }
}

/**
 * Parses `GITHUB_OUTPUT`: `name=value` lines and `name<<DELIMITER` … `DELIMITER` blocks (as
 * @actions/core writes them), e.g. `errors<<ghadelimiter_1\n3\nghadelimiter_1\n` → `{ errors: '3' }`.
 * An unterminated block fails the test.
 */
function parseOutputFile(text: string): Record<string, string> {
  const outputs: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const heredoc = /^([^=<]+)<<(.+)$/.exec(lines[i]);
    if (heredoc) {
      const end = lines.indexOf(heredoc[2], i + 1);
      expect(end).toBeGreaterThan(i);
      outputs[heredoc[1]] = lines.slice(i + 1, end).join('\n');
      i = end;
    } else if (lines[i].includes('=')) {
      outputs[lines[i].slice(0, lines[i].indexOf('='))] = lines[i].slice(lines[i].indexOf('=') + 1);
    }
  }
  return outputs;
}
