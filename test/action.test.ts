/**
 * The GitHub Action, run as the runner runs it: the committed bundle `action/index.mjs` from a
 * checkout without node_modules, `node action/index.mjs` in the workspace, inputs in `INPUT_*`
 * (hyphens kept: `INPUT_FAIL-ON`), outputs and job summary through the files named by
 * `GITHUB_OUTPUT` and `GITHUB_STEP_SUMMARY`. Also: the bundle is up to date with the sources,
 * and action.yml declares what the entry point reads and writes.
 */
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import pkg from '../package.json' with { type: 'json' };
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { failureReason } from '../src/action/run.js';
import { escapeMarkdown, jobSummary, MAX_LISTED } from '../src/action/summary.js';
import type { Finding } from '../src/engine/types.js';
import type { LintResult } from '../src/lint.js';
import { buildAction, runEntryPoint, type ActionRun } from './helpers/action.js';
import { writeScenario, yaml } from './helpers/scenario.js';

const root = resolve(import.meta.dirname, '..');
let work: string;
/** A checkout of the action as the runner has it: no node_modules, no dist/. */
let checkout: string;

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'mclint-action-'));
  checkout = join(work, 'checkout');
  for (const path of ['action.yml', 'action/index.mjs', 'action/parse-worker.js', 'package.json', 'docs']) cpSync(join(root, path), join(checkout, path), { recursive: true });
});

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

/**
 * Runs the action on a workspace holding `files`, with `inputs` as the runner passes them (only
 * the inputs a workflow sets; action.yml defaults are what the runner adds for the others).
 */
function runAction(files: Record<string, string | Buffer>, inputs: Record<string, string>): ActionRun {
  return runEntryPoint(checkout, writeScenario(files), inputs);
}

/** Every file of a fixture, keyed by `prefix/relative path`. */
function fixtureFiles(name: string, prefix: string): Record<string, Buffer> {
  const base = join(root, 'fixtures', name);
  const out: Record<string, Buffer> = {};
  for (const e of readdirSync(base, { recursive: true, withFileTypes: true })) {
    if (e.isFile()) out[`${prefix}/${relative(base, join(e.parentPath, e.name))}`] = readFileSync(join(e.parentPath, e.name));
  }
  return out;
}

/** Two clusters whose only problem is a warning: an export from the `default` namespace. */
const WARNING_ONLY: Record<string, string> = {
  'clusters/east/status.yaml': yaml`
    apiVersion: v1
    kind: Service
    metadata: { name: status, namespace: default }
    spec:
      selector: { app: status }
      ports: [{ port: 80 }]
    ---
    apiVersion: multicluster.x-k8s.io/v1alpha1
    kind: ServiceExport
    metadata: { name: status, namespace: default }
  `,
  'clusters/west/empty.yaml': 'apiVersion: v1\nkind: Namespace\nmetadata: { name: shop }\n',
};

describe('the action on a broken ClusterSet', () => {
  let run: ActionRun;
  beforeAll(() => {
    run = runAction(fixtureFiles('submariner-clusterset', 'manifests'), { path: 'manifests', 'sarif-file': 'reports/mclint.sarif' });
  });

  it('fails the step (exit 1) with the totals', () => {
    expect(run.status).toBe(1);
    expect(run.stdout).toContain('::error::mclint found 3 errors and 1 warning\n');
  });

  it('annotates every finding with a workflow command: file relative to the workspace, positions, title = rule id', () => {
    const commands = run.stdout.split('\n').filter((l) => /^::(error|warning) file=/.test(l));
    expect(commands).toHaveLength(4);
    expect(commands).toContainEqual(
      expect.stringMatching(
        /^::error file=manifests\/cluster-c\/submariner\/submariner\.yaml,line=9,col=16,endLine=9,endColumn=31,title=cidr-overlap::Service CIDR 172\.16\.0\.0\/16 of cluster "cluster-c"/,
      ),
    );
    expect(commands).toContainEqual(
      expect.stringMatching(/^::warning file=manifests\/cluster-a\/apps\/status\.yaml,line=18,col=14,endLine=18,endColumn=21,title=service-export-pairing::/),
    );
    // The human-readable report is in the log too.
    expect(run.stdout).toContain('4 problems (3 errors, 1 warning)');
  });

  it('sets the outputs errors, warnings, sarif-file and html-file (empty: not asked for)', () => {
    expect(run.outputs).toEqual({ errors: '3', warnings: '1', 'sarif-file': join(run.workspace, 'reports/mclint.sarif'), 'html-file': '' });
  });

  it('writes a SARIF 2.1.0 log with a region on every result', () => {
    const log = JSON.parse(readFileSync(run.outputs['sarif-file'], 'utf8')) as {
      version: string;
      runs: {
        tool: { driver: { rules: { id: string; helpUri?: string }[] } };
        results: { ruleId: string; level: string; locations: { physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } } }[] }[];
      }[];
    };
    expect(log.version).toBe('2.1.0');
    const [sarifRun] = log.runs;
    expect(sarifRun.results).toHaveLength(4);
    for (const r of sarifRun.results) expect(r.locations[0].physicalLocation.region.startLine).toBeGreaterThan(0);
    const overlap = sarifRun.results.find((r) => r.ruleId === 'cidr-overlap')!;
    expect(overlap.level).toBe('error');
    expect(overlap.locations[0].physicalLocation.artifactLocation.uri).toBe('manifests/cluster-c/submariner/submariner.yaml');
    expect(sarifRun.tool.driver.rules.find((r) => r.id === 'cidr-overlap')!.helpUri).toMatch(/docs\/rules\/cidr-overlap\.md$/);
  });

  it('writes a Markdown job summary: totals, findings by cluster and rule, clusters with their CIDRs', () => {
    const s = run.summary;
    expect(s).toMatch(/^## mclint: ❌ 3 errors, 1 warning\n/);
    expect(s).toContain('**mclint found 3 errors and 1 warning**');
    expect(s).toContain('Read 3 clusters in 1 ClusterSet: 11 files, 17 documents');
    expect(s).toContain('\n\nClusters: cluster-a (folder, 4 files), cluster-b (folder, 4 files), cluster-c (folder, 4 files).\n\n');
    expect(s).toContain('- manifests/cluster-c/apps/billing-chart/templates/deployment.yaml: unrendered Helm template');
    expect(s).toContain('SARIF log: `reports/mclint.sarif`');
    expect(s).toContain(
      [
        '| cluster | rule | errors | warnings |',
        '| --- | --- | ---: | ---: |',
        `| cluster-a | [service-export-pairing](https://github.com/mclint/mclint/blob/v${pkg.version}/docs/rules/service-export-pairing.md) | 0 | 1 |`,
        `| cluster-b | [service-export-pairing](https://github.com/mclint/mclint/blob/v${pkg.version}/docs/rules/service-export-pairing.md) | 1 | 0 |`,
        `| cluster-c | [cidr-overlap](https://github.com/mclint/mclint/blob/v${pkg.version}/docs/rules/cidr-overlap.md) | 1 | 0 |`,
        `| cluster-c | [service-export-pairing](https://github.com/mclint/mclint/blob/v${pkg.version}/docs/rules/service-export-pairing.md) | 1 | 0 |`,
      ].join('\n'),
    );
    expect(s).toContain('| default | cluster-a | `10.0.0.0/16` | `172.16.0.0/16` | — | 0 errors, 1 warning |');
    expect(s).toContain('| default | cluster-c | `10.2.0.0/16` | `172.16.0.0/16` | — | 2 errors, 0 warnings |');
    expect(s).toContain('<details><summary>4 findings</summary>');
    expect(s).toContain('| error | `manifests/cluster-b/apps/ledger.yaml:16:9` | cluster-b |');
  });
});

describe('inputs', () => {
  it('a report path with a line break and a workflow command is written inertly in the log (issue 17)', () => {
    const r = runAction(fixtureFiles('globalnet-clean', '.'), { 'sarif-file': 'out/x\n::error::INJECTED-SARIF.sarif', 'html-file': 'out/y\n::warning::INJECTED-HTML.html' });
    expect(r.stdout + r.stderr).not.toMatch(/^\s*::(error|warning)::INJECTED/m);
    expect(r.stdout).toContain('SARIF log written to out/x\\n::error::INJECTED-SARIF.sarif');
  });

  it('a clean ClusterSet passes: exit 0, zero counts, no SARIF unless asked', () => {
    const r = runAction(fixtureFiles('globalnet-clean', '.'), {});
    expect(r.status).toBe(0);
    expect(r.outputs).toEqual({ errors: '0', warnings: '0', 'sarif-file': '', 'html-file': '' });
    expect(r.stdout).not.toMatch(/^::(error|warning)/m);
    expect(r.summary).toMatch(/^## mclint: ✅ no problems\n/);
    expect(r.summary).toContain('| default | east |');
    expect(r.summary).not.toContain('Findings by cluster and rule');
  });

  it('suppressed findings do not fail the step; the summary counts them and the SARIF log keeps them', () => {
    const r = runAction(fixtureFiles('suppressions', '.'), { 'sarif-file': 'mclint.sarif' });
    expect(r.status).toBe(0);
    expect(r.outputs).toMatchObject({ errors: '0', warnings: '1' });
    expect(r.stdout.split('\n').filter((l) => l.startsWith('::error') || l.startsWith('::warning'))).toHaveLength(1);
    expect(r.summary).toMatch(/\n\d+ findings suppressed \(by comments, annotations or config overrides/);
    const log = JSON.parse(readFileSync(join(r.workspace, 'mclint.sarif'), 'utf8')) as { runs: { results: { suppressions?: { justification?: string }[] }[] }[] };
    const suppressed = log.runs[0].results.filter((x) => x.suppressions && x.suppressions.length > 0);
    expect(suppressed.length).toBeGreaterThan(0);
    expect(suppressed.every((x) => x.suppressions!.every((y) => (y.justification ?? '').length > 0))).toBe(true);
  });

  it.each([
    [{}, 0, undefined],
    [{ 'fail-on': 'warning' }, 1, 'mclint found 0 errors and 1 warning (fail-on: warning)'],
    [{ 'max-warnings': '0' }, 1, 'mclint found 0 errors and 1 warning (max-warnings: 0)'],
    [{ 'max-warnings': '1' }, 0, undefined],
    [{ 'fail-on': 'warning', 'max-warnings': '1' }, 0, undefined],
  ])('warnings only, %j: exit %i', (inputs, status, message) => {
    const r = runAction(WARNING_ONLY, inputs);
    expect(r.status).toBe(status);
    expect(r.outputs).toMatchObject({ errors: '0', warnings: '1' });
    expect(r.stdout).toMatch(/^::warning file=clusters\/east\/status\.yaml,line=10,col=38,/m);
    expect(r.summary).toMatch(/^## mclint: ⚠️ 0 errors, 1 warning\n/);
    if (message) expect(r.stdout).toContain(`::error::${message}\n`);
    else expect(r.stdout).not.toMatch(/^::error::/m);
  });

  it('a sarif-file that cannot be written fails the step with a clear message, after setting errors and warnings', () => {
    const r = runAction({ ...WARNING_ONLY, 'reports/keep': '' }, { 'sarif-file': 'reports' });
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('::error::mclint: cannot write the SARIF log to sarif-file "reports": EISDIR');
    expect(r.stdout).not.toContain('internal error');
    expect(r.outputs).toMatchObject({ errors: '0', warnings: '1', 'sarif-file': '' });
  });

  it('config: a YAML config file elsewhere in the workspace decides the rules', () => {
    const files = { ...WARNING_ONLY, 'ci/mclint.yaml': 'rules:\n  service-export-pairing: off\n' };
    const r = runAction(files, { config: 'ci/mclint.yaml', 'fail-on': 'warning' });
    expect(r.status).toBe(0);
    expect(r.outputs).toMatchObject({ errors: '0', warnings: '0' });
    expect(runAction(files, { 'fail-on': 'warning' }).status).toBe(1);
  });

  it.each([
    [{ 'fail-on': 'never' }, 'input fail-on must be "error" or "warning", got "never"'],
    [{ 'max-warnings': 'ten' }, 'input max-warnings must be a whole number, got "ten"'],
    [{ path: 'nope' }, 'nope: no such directory'],
    [{ config: 'missing.yaml' }, 'cannot read config file'],
  ])('%j fails the step with a clear message', (inputs, message) => {
    const r = runAction(WARNING_ONLY, inputs);
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/^::error::mclint: /m);
    expect(r.stdout).toContain(message);
    expect(r.stdout).not.toContain('internal error');
  });
});

describe('job summary', () => {
  const finding = (i: number, extra: Partial<Finding> = {}): Finding => ({
    ruleId: 'schema',
    severity: 2,
    message: `bad ${i}`,
    file: `/ws/c/f${i}.yaml`,
    line: i + 1,
    column: 1,
    endLine: i + 1,
    endColumn: 2,
    cluster: 'c',
    related: [],
    ...extra,
  });
  const result = (findings: Finding[]): LintResult => ({
    findings,
    notes: [],
    suppressed: [],
    rules: [],
    internalErrors: [],
    files: [],
    stats: {
      clusterSets: 1,
      clusters: 1,
      files: 1,
      documents: 1,
      objects: 1,
      skipped: { binary: [], 'too-large': [], template: [], unreadable: [], outside: [], unreferenced: [], patch: [] },
      otherDocuments: { 'helm-values': 0, kustomization: 0, 'json-patch': 0, other: 0 },
    },
    clusterSets: [{ name: 'prod', clusters: [{ name: 'c', podCIDRs: ['10.0.0.0/16', 'fd00::/56'], serviceCIDRs: [], globalCIDRs: ['242.0.0.0/16'] }] }],
  });

  it('escapes Markdown and HTML in table cells', () => {
    expect(escapeMarkdown('a|b <script>&x *y* [l](u) `c`\nnext')).toBe('a\\|b &lt;script&gt;&amp;x \\*y\\* \\[l\\](u) \\`c\\`<br>next');
    const s = jobSummary({ result: result([finding(0, { message: 'pipe | and <b>bold</b>', cluster: 'a|b' })]), workspace: '/ws' });
    expect(s).toContain('| a\\|b | schema | 1 | 0 |');
    expect(s).toContain('pipe \\| and &lt;b&gt;bold&lt;/b&gt; |');
  });

  it('lists ranges per cluster, findings about a whole ClusterSet last, and caps the folded list', () => {
    const many = Array.from({ length: MAX_LISTED + 5 }, (_, i) => finding(i));
    const s = jobSummary({ result: result([...many, finding(999, { cluster: undefined, ruleId: 'cidr-overlap' })]), workspace: '/ws' });
    expect(s).toContain('| prod | c | `10.0.0.0/16`<br>`fd00::/56` | — | `242.0.0.0/16` |');
    expect(s).toMatch(/\| c \| schema \| 205 \| 0 \|\n\| \*\(ClusterSet\)\* \| cidr-overlap \| 1 \| 0 \|/);
    expect(s).toContain(`<details><summary>${MAX_LISTED + 6} findings</summary>`);
    expect(s).toContain('… and 6 more: see the annotations or the SARIF log.');
    expect(s.split('\n').filter((l) => l.startsWith('| error | `c/f')).length).toBe(MAX_LISTED);
  });
});

describe('failure rules', () => {
  it.each([
    [0, 0, 'error', -1, undefined],
    [1, 0, 'error', -1, 'mclint found 1 error and 0 warnings'],
    [0, 5, 'error', -1, undefined],
    [0, 5, 'error', 5, undefined],
    [0, 6, 'error', 5, 'mclint found 0 errors and 6 warnings (max-warnings: 5)'],
    [0, 1, 'warning', -1, 'mclint found 0 errors and 1 warning (fail-on: warning)'],
    [2, 1, 'warning', -1, 'mclint found 2 errors and 1 warning'],
  ] as const)('%i errors, %i warnings, fail-on %s, max-warnings %i', (errors, warnings, failOn, maxWarnings, expected) => {
    expect(failureReason(errors, warnings, { failOn, maxWarnings })).toBe(expected);
  });
});

describe('the committed action', () => {
  it('action/index.mjs and its parse worker are what scripts/build-action.mjs builds from the sources (run `npm run build:action`)', () => {
    const rebuilt = buildAction();
    for (const name of ['index.mjs', 'parse-worker.js']) {
      const fresh = readFileSync(join(rebuilt, 'action', name), 'utf8');
      const committed = readFileSync(join(root, 'action', name), 'utf8');
      // Compare lengths first: a diff of two 1.5 MB strings is unreadable.
      expect(committed.length, `action/${name} is stale: run \`npm run build:action\` and commit it`).toBe(fresh.length);
      expect(committed === fresh, `action/${name} is stale: run \`npm run build:action\` and commit it`).toBe(true);
    }
  }, 60_000);

  it('action.yml: a node24 action whose inputs and outputs are the ones the entry point uses', () => {
    const action = parseYaml(readFileSync(join(root, 'action.yml'), 'utf8')) as {
      runs: { using: string; main: string };
      inputs: Record<string, { default?: string }>;
      outputs: Record<string, unknown>;
    };
    expect(action.runs).toEqual({ using: 'node24', main: 'action/index.mjs' });
    expect(Object.keys(action.inputs).sort()).toEqual(['baseline', 'config', 'fail-on', 'html-file', 'max-warnings', 'path', 'sarif-file']);
    expect(action.inputs.path.default).toBe('.');
    expect(action.inputs['fail-on'].default).toBe('error');
    expect(Object.keys(action.outputs).sort()).toEqual(['errors', 'html-file', 'sarif-file', 'warnings']);
    const source = readFileSync(join(root, 'src/action/run.ts'), 'utf8');
    for (const name of Object.keys(action.inputs)) expect(source).toContain(`core.getInput('${name}')`);
    for (const name of Object.keys(action.outputs)) expect(source).toContain(`core.setOutput('${name}'`);
  });
});
