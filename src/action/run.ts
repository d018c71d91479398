/**
 * The GitHub Action (action.yml at the repository root): lints the workspace with the same
 * pipeline as the CLI, annotates the pull request with the `github` formatter's workflow commands,
 * writes the SARIF log with the `sarif` formatter when asked, writes a Markdown job summary and
 * fails the step per `fail-on`/`max-warnings`.
 *
 * Inputs (environment `INPUT_<NAME>`, hyphens kept, as the runner sets them):
 * - `path` (default `.`): the ClusterSet directory, relative to `GITHUB_WORKSPACE`;
 * - `config`: a config file (YAML only: mclint never runs code from the repository it lints);
 * - `fail-on`: `error` (default) or `warning` (`warn`, the config's word, too): the lowest severity that fails the step;
 * - `sarif-file`: where to write the SARIF 2.1.0 log (relative to the workspace);
 * - `html-file`: where to write the HTML report (relative to the workspace), for `actions/upload-artifact`;
 * - `max-warnings`: fail when there are more warnings than this;
 * - `baseline`: the suppressions file (relative to the workspace; default: `mclint-suppressions.json`
 *   at the workspace root when it exists, as the CLI's default): recorded findings are not reported
 *   and recorded findings that no longer occur fail the step (`suppress/baseline.ts`).
 * Outputs: `errors`, `warnings`, `sarif-file` and `html-file` (the paths written, or empty).
 * On `pull_request` events the changed files (`discover/changed.ts`: the event payload's base
 * commit and `git diff`) decide which side of a two-sided finding is annotated.
 */
import { inert, inertLines } from '../report/inert.js';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import * as core from '@actions/core';
import { ConfigError, locateConfigError } from '../config/index.js';
import { pullRequestChangedFiles } from '../discover/changed.js';
import { lint } from '../lint.js';
import { escapeData, escapeProperty, relativePath } from '../report/github.js';
import { FORMATTERS, reportInputOf } from '../report/index.js';
import { helpUri } from '../report/sarif.js';
import type { ReportInput } from '../report/types.js';
import { configErrorSummary, escapeMarkdown, jobSummary } from './summary.js';
import { unusedSuppressionsMessage } from '../suppress/baseline.js';

/** Inputs after validation. */
export interface ActionInputs {
  readonly path: string;
  readonly config?: string;
  readonly failOn: 'error' | 'warning';
  readonly sarifFile?: string;
  /** Where to write the HTML report (relative to the workspace). */
  readonly htmlFile?: string;
  /** -1: no limit. */
  readonly maxWarnings: number;
  /** The suppressions file (relative to the workspace); undefined: `mclint-suppressions.json` at the workspace root, when it exists. */
  readonly baseline?: string;
}

/**
 * Reads and validates the inputs.
 * @throws ConfigError for an invalid `fail-on` or `max-warnings`
 */
export function readInputs(): ActionInputs {
  const given = core.getInput('fail-on') || 'error';
  // `warn` is how config files and --rule spell the severity.
  const failOn = given === 'warn' ? 'warning' : given;
  if (failOn !== 'error' && failOn !== 'warning') throw new ConfigError(`input fail-on must be "error" or "warning", got "${failOn}"`);
  const max = core.getInput('max-warnings');
  if (max !== '' && !/^(-1|\d+)$/.test(max)) throw new ConfigError(`input max-warnings must be a whole number, got "${max}"`);
  return {
    path: core.getInput('path') || '.',
    config: core.getInput('config') || undefined,
    failOn,
    sarifFile: core.getInput('sarif-file') || undefined,
    htmlFile: core.getInput('html-file') || undefined,
    maxWarnings: max === '' ? -1 : Number(max),
    baseline: core.getInput('baseline') || undefined,
  };
}

/**
 * Why the step fails, or undefined when it passes: errors fail it; warnings fail it with
 * `fail-on: warning`, or when there are more than `max-warnings`.
 */
export function failureReason(errors: number, warnings: number, inputs: Pick<ActionInputs, 'failOn' | 'maxWarnings'>): string | undefined {
  const found = `mclint found ${errors} error${errors === 1 ? '' : 's'} and ${warnings} warning${warnings === 1 ? '' : 's'}`;
  if (errors > 0) return found;
  const allowed = inputs.maxWarnings >= 0 ? inputs.maxWarnings : inputs.failOn === 'warning' ? 0 : Infinity;
  if (warnings > allowed) return inputs.maxWarnings >= 0 ? `${found} (max-warnings: ${inputs.maxWarnings})` : `${found} (fail-on: warning)`;
  return undefined;
}

/**
 * The job summary's line about the HTML report written to `path` (relative to the workspace; ''
 * for none): where it is, and a link to this run's artifacts (`GITHUB_SERVER_URL`,
 * `GITHUB_REPOSITORY`, `GITHUB_RUN_ID`), where an `actions/upload-artifact` step publishes it.
 */
export function htmlReportLine(path: string, env: NodeJS.ProcessEnv = process.env): string {
  if (!path) return '';
  const { GITHUB_SERVER_URL: server, GITHUB_REPOSITORY: repo, GITHUB_RUN_ID: run } = env;
  const name = escapeMarkdown(path);
  const runUrl = server && repo && /^\d+$/.test(run ?? '') ? `${server}/${repo}/actions/runs/${run}#artifacts` : undefined;
  return `\nHTML report (address map, export matrix, mesh, findings): ${name}${runUrl ? ` — open it from [this run's artifacts](${encodeURI(runUrl)}) once uploaded with \`actions/upload-artifact\`` : ''}\n`;
}

/**
 * Reports a configuration or input error before the step fails: an `::error` workflow command at
 * each place the error names in a config file (`ConfigError.places`, located by
 * `locateConfigError`; file relative to the workspace, `line`, `col`, `title`), inert and
 * %-escaped as the `github` formatter escapes (`escapeProperty`, `escapeData`), so the runner
 * annotates the config file's line; and a job summary saying what is wrong (`configErrorSummary`).
 */
async function reportConfigError(err: ConfigError): Promise<void> {
  const workspace = resolve(process.env.GITHUB_WORKSPACE || process.cwd());
  const places = await locateConfigError(err);
  for (const p of places) {
    const props = `file=${escapeProperty(inert(relativePath(workspace, p.file)))},line=${p.line},col=${p.column},title=${escapeProperty('mclint config')}`;
    process.stdout.write(`::error ${props}::${escapeData(inert(p.message, true))}\n`);
  }
  if (process.env.GITHUB_STEP_SUMMARY) await core.summary.addRaw(configErrorSummary({ message: err.message, places, workspace })).write();
}

/** Runs the action; the outcome is in the outputs, the summary and `process.exitCode`. */
export async function runAction(): Promise<void> {
  try {
    const inputs = readInputs();
    const workspace = resolve(process.env.GITHUB_WORKSPACE || process.cwd());
    // On a pull request, a two-sided finding is annotated on the side in a changed file.
    const changedFiles = pullRequestChangedFiles(workspace);
    const result = await lint({
      dirs: [resolve(workspace, inputs.path)],
      configFile: inputs.config !== undefined ? resolve(workspace, inputs.config) : undefined,
      ...(changedFiles !== undefined ? { changedFiles } : {}),
      reportData: inputs.htmlFile !== undefined,
      baseline: { location: inputs.baseline, cwd: workspace },
    });
    const { findings } = result;
    const errors = findings.filter((f) => f.severity === 2).length;
    const warnings = findings.length - errors;
    const report = (colorLevel: ReportInput['colorLevel']): ReportInput => reportInputOf(result, { colorLevel, cwd: workspace });

    // The log: the stylish report (the runner renders ANSI colors), then the annotations.
    process.stdout.write(await FORMATTERS.stylish(report(1)));
    process.stdout.write(await FORMATTERS.github(report(0)));

    core.setOutput('errors', errors);
    core.setOutput('warnings', warnings);
    /** Writes an asked-for report file; returns the path written, or empty when not asked for (on failure the output is set empty and the run fails). The input's text is printed inertly. */
    const writeReport = async (output: 'sarif-file' | 'html-file', what: string, file: string | undefined, text: () => string | Promise<string>): Promise<string> => {
      if (file === undefined) return '';
      const target = resolve(workspace, file);
      try {
        mkdirSync(dirname(target), { recursive: true });
        writeFileSync(target, await text());
      } catch (err) {
        core.setOutput(output, '');
        throw new ConfigError(`cannot write the ${what} to ${output} "${file}": ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
      }
      core.info(inertLines(inert(`${what} written to ${relativePath(workspace, target)}`)));
      return target;
    };
    const sarifFile = await writeReport('sarif-file', 'SARIF log', inputs.sarifFile, () => FORMATTERS.sarif(report(0)));
    core.setOutput('sarif-file', sarifFile);
    const htmlFile = await writeReport('html-file', 'HTML report', inputs.htmlFile, () => FORMATTERS.html({ ...report(0), reportData: result.reportData }));
    core.setOutput('html-file', htmlFile);

    let failure = failureReason(errors, warnings, inputs);
    // As the CLI without --pass-on-unpruned-suppressions (ESLint's exit 2): the baseline must be pruned.
    if (failure === undefined && result.baseline && result.baseline.unused.length > 0) {
      failure = unusedSuppressionsMessage(result.baseline.unused, relativePath(workspace, result.baseline.file)).split('\n').join(' ');
    }
    if (result.internalErrors.length > 0) {
      failure = `mclint had internal errors in ${result.internalErrors.map((e) => e.ruleId).join(', ')} (a bug in mclint; the other rules' findings are reported)`;
    }
    const summary = jobSummary({
      result,
      workspace,
      failure,
      sarifFile: sarifFile ? relativePath(workspace, sarifFile) : undefined,
      ruleUrl: (id) => {
        const meta = result.rules.find((m) => m.id === id);
        return meta && helpUri(meta);
      },
    });
    if (process.env.GITHUB_STEP_SUMMARY) await core.summary.addRaw(summary + htmlReportLine(htmlFile && relativePath(workspace, htmlFile))).write();
    if (failure) core.setFailed(failure);
  } catch (err) {
    const e = err instanceof Error ? err : new Error(String(err));
    if (err instanceof ConfigError) await reportConfigError(err).catch((x: unknown) => core.warning(`mclint: cannot write the job summary: ${(x as Error).message}`));
    core.setFailed(err instanceof ConfigError ? `mclint: ${e.message}` : `mclint: internal error: ${e.stack ?? e.message}`);
  }
}
