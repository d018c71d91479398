/**
 * Issue 17 point 5: every output format prints text it did not write inertly. A table over formats ×
 * hostile strings (workflow commands after a line break, CR, `%`, `::` at the start, `##[` legacy
 * commands, ANSI CSI, OSC 8 hyperlinks, C1 controls, bidirectional overrides, Unicode line
 * separators), then the reproducer of the issue through the lint API and the built CLI.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { jobSummary } from '../src/action/summary.js';
import type { Finding } from '../src/engine/types.js';
import { lint, type LintResult, type RunStats } from '../src/lint.js';
import { formatClusterSet, formatClusterSetJson } from '../src/report/clusterset.js';
import { relativePath } from '../src/report/github.js';
import { FORMATTERS, reportInputOf } from '../src/report/index.js';
import { inert, inertJson, inertLines } from '../src/report/inert.js';
import { formatPrintedConfig, type PrintedConfig } from '../src/report/print-config.js';
import { formatSummary } from '../src/report/summary.js';
import { runCli } from './helpers/run-cli.js';

/** Hostile strings, each with a fragment that must appear (escaped) in a human-readable report. */
const HOSTILE: readonly [name: string, text: string, shown: string][] = [
  ['workflow command after LF', 'a\n::error file=x.yaml,line=1::FAKE', 'a\\n::error file=x.yaml,line=1::FAKE'],
  ['workflow command after CR', 'a\r::warning::FAKE', 'a\\r::warning::FAKE'],
  ['workflow command after CRLF', 'a\r\n::notice::FAKE', 'a\\r\\n::notice::FAKE'],
  ['leading ::', '::error::FAKE', '::error::FAKE'],
  ['leading blanks and ::', ' \t::error::FAKE', ' \\t::error::FAKE'],
  ['NBSP then ::', '\u00a0::error::FAKE', '\u00a0::error::FAKE'],
  ['NEL then ::', 'x\u0085::error::FAKE', 'x\\x85::error::FAKE'],
  ['line separator then ::', 'x\u2028::error::FAKE', 'x\\u2028::error::FAKE'],
  ['legacy command mid-line', 'x ##[stop-commands]tok', 'x ##\\[stop-commands]tok'],
  ['percent escapes', '50%0A%25 done%', '50%0A%25 done%'],
  ['ANSI CSI', 'x\u001b[31mRED\u001b[0m', 'x\\x1b[31mRED\\x1b[0m'],
  ['OSC 8 hyperlink', '\u001b]8;;https://evil.example\u001b\\click\u001b]8;;\u001b\\', '\\x1b]8;;https://evil.example\\x1b\\click\\x1b]8;;\\x1b\\'],
  ['C1 CSI and OSC', 'x\u009b31mY\u009d0;title\u0007', 'x\\x9b31mY\\x9d0;title\\x07'],
  ['DEL and NUL', 'x\u007fy\u0000z', 'x\\x7fy\\x00z'],
  ['bidi override', 'ok\u202eevil\u2066', 'ok\\u202eevil\\u2066'],
];

/** Characters that must never reach the output raw (besides the report's own line breaks and colors). */
// eslint-disable-next-line no-control-regex
const RAW_UNSAFE = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

/** What the runner would execute: `::` after leading white space (`TrimStart`), or `##[` anywhere. */
function commandLines(text: string): string[] {
  return text.split('\n').filter((l) => /^[\s\u0085]*::/.test(l) || l.includes('##['));
}

/** The report without its own SGR color sequences (ESC [ … m), for the raw-character check. */
// eslint-disable-next-line no-control-regex
const withoutColors = (text: string) => text.replace(/\u001b\[[0-9;]*m/g, '');

function expectInertText(text: string, shown: string) {
  expect(commandLines(text)).toEqual([]);
  expect(RAW_UNSAFE.exec(withoutColors(text))?.[0]).toBeUndefined();
  expect(text).toContain(shown);
}

/** The runner's `escapeData` reversed (`%0D`, `%0A`, `%25`). */
const unescapeData = (s: string) => s.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%25/g, '%');

const emptyStats = (): RunStats => ({
  clusterSets: 1,
  clusters: 2,
  files: 2,
  documents: 2,
  objects: 2,
  skipped: { binary: [], 'too-large': [], template: [], unreadable: [], outside: [], unreferenced: [], patch: [] },
  otherDocuments: { 'helm-values': 0, kustomization: 0, 'json-patch': 0, other: 0 },
});

/** A run whose every repository-supplied string (paths, names, values, kinds, CIDRs) is `h`. */
function hostileResult(h: string): LintResult {
  const file = `/repo/clusters/${h}/se.yaml`;
  const finding: Finding = {
    ruleId: 'service-export-pairing',
    severity: 2,
    message: `ServiceExport "default/${h}" has no Service "${h}" in cluster "${h}".`,
    hint: `Create the Service "${h}".`,
    file,
    line: 4,
    column: 9,
    endLine: 4,
    endColumn: 12,
    cluster: h,
    via: `Kustomization flux-system/${h}`,
    related: [{ file: `/repo/clusters/west/${h}.yaml`, line: 2, column: 3, endLine: 2, endColumn: 4, cluster: h, message: `Service "${h}"` }],
  };
  const stats: RunStats = {
    ...emptyStats(),
    skipped: { ...emptyStats().skipped, binary: [`/repo/clusters/east/${h}.yaml`] },
    unreadKinds: { [`example.com/v1 ${h}`]: 1 },
    configFiles: [`/repo/${h}/mclint.config.yaml`],
    clusterList: [{ name: h, origin: 'directory', inputs: 1, pulledBy: ['flux'] }],
    render: { rendered: [`/repo/${h}/k`], unrendered: [`/repo/${h}/u`], failed: [`/repo/${h}/f`], tooOld: `kustomize ${h}`, charts: [`/repo/${h}/c`] },
  };
  return {
    findings: [finding],
    notes: [{ ...finding, ruleId: 'unused-disable-directive' }],
    suppressed: [],
    rules: [],
    internalErrors: [],
    files: [file],
    stats,
    clusterSets: [
      {
        name: h,
        clusters: [
          {
            name: h,
            origin: 'directory',
            root: `/repo/clusters/${h}`,
            inputs: 1,
            pulls: [
              {
                cluster: h,
                tool: 'flux',
                via: `Kustomization ${h}`,
                at: { file: `/repo/${h}.yaml`, doc: 0, path: [] },
                path: `./${h}`,
                dir: `/repo/${h}`,
                inputs: 1,
              },
              {
                cluster: h,
                tool: 'argocd',
                via: `Application ${h}`,
                at: { file: `/repo/${h}.yaml`, doc: 0, path: [] },
                path: `./${h}`,
                inputs: 0,
                skipped: `outside ${h}`,
              },
            ],
            podCIDRs: [`10.0.0.0/16${h}`],
            serviceCIDRs: [],
            globalCIDRs: [],
          },
        ],
      },
    ],
  };
}

const printedConfig = (h: string): PrintedConfig => ({
  configFile: `${h}/mclint.config.yaml`,
  baseDirectory: h,
  clusterDomain: 'cluster.local',
  clusters: [{ name: h, path: `clusters/${h}`, podCIDRs: [h], serviceCIDRs: [], zones: [h] }],
  clusterSets: [{ name: h, clusters: [h] }],
  rules: { 'naming-convention': { severity: 'warn', options: { pattern: h, [h]: [h] } } },
  overrides: [{ files: [h], rules: { [h]: 'off' } }],
  ignore: [h],
  noInlineConfig: false,
  reportUnusedDisableDirectives: 'off',
});

describe('inert text in every output format', () => {
  describe.each(HOSTILE)('%s', (_name, h, shown) => {
    const result = hostileResult(h);

    it.each([0, 1] as const)('stylish (color level %i, --verbose)', async (colorLevel) => {
      const out = await FORMATTERS.stylish(reportInputOf(result, { colorLevel, verbose: true, cwd: '/repo' }));
      expectInertText(out, shown);
    });

    it('the run summary (--verbose skip and kind lists) and --print-clusterset', () => {
      expectInertText(formatSummary(result.stats, true), shown);
      expectInertText(formatSummary(result.stats, false), shown);
      expectInertText(formatClusterSet(result), shown);
    });

    it('github: one well-formed command per finding, the message %-escaped and inert', async () => {
      const out = await FORMATTERS.github(reportInputOf(result, { cwd: '/repo' }));
      const lines = out.split('\n').slice(0, -1);
      expect(lines).toHaveLength(2);
      for (const line of lines) {
        const m = /^::(error|notice) (file=[^:,]*,line=4,col=9,endLine=4,endColumn=12,title=[a-z-]+)::(.*)$/.exec(line);
        expect(m, line).not.toBeNull();
        expect(RAW_UNSAFE.exec(line)?.[0]).toBeUndefined();
        // The runner unescapes the data: the message is the inert text, its line breaks kept as
        // line breaks of the annotation (never of the log).
        expect(unescapeData(m![3])).toBe(
          `${inert(result.findings[0].message, true)}\n↳ ${inert(h)}: ${inert(relativePath('/repo', `/repo/clusters/west/${h}.yaml`))}:2:3  ${inert(`Service "${h}"`, true)}`,
        );
      }
      // The file property is the path, inert (exact when it holds no control character).
      const file = /file=([^,]*)/.exec(lines[0])![1];
      expect(file.replace(/%3A/g, ':').replace(/%2C/g, ',').replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%25/g, '%')).toBe(
        inert(relativePath('/repo', `/repo/clusters/${h}/se.yaml`)),
      );
    });

    it.each(['json', 'sarif'] as const)('%s: valid JSON, values exact, no raw control or bidi character, no ##[', async (format) => {
      const out = await FORMATTERS[format](reportInputOf({ ...result, rules: [] }, { cwd: '/repo' }));
      expect(RAW_UNSAFE.exec(out.replace(/\n/g, ''))?.[0]).toBeUndefined();
      expect(out).not.toContain('##[');
      const message =
        format === 'json'
          ? (JSON.parse(out) as { messages: { message: string }[] }[])[0].messages[0].message
          : (JSON.parse(out) as { runs: { results: { message: { text: string } }[] }[] }).runs[0].results[0].message.text;
      // SARIF: the message, its literal brackets escaped, then the link to the related location (` See [cluster …](1).`).
      expect(format === 'sarif' ? message.slice(0, message.indexOf(' See [')).replace(/\\([[\]])/g, '$1') : message).toBe(result.findings[0].message);
    });

    it('--print-clusterset --format json: valid JSON, values exact', () => {
      const out = formatClusterSetJson(result);
      expect(RAW_UNSAFE.exec(out.replace(/\n/g, ''))?.[0]).toBeUndefined();
      expect(out).not.toContain('##[');
      expect((JSON.parse(out) as { clusterSets: { clusters: { name: string }[] }[] }).clusterSets[0].clusters[0].name).toBe(h);
    });

    it.each(['yaml', 'json'] as const)('--print-config (%s): inert, and it loads back to the same values', async (format) => {
      const config = printedConfig(h);
      const out = await formatPrintedConfig(config, format);
      expect(commandLines(out)).toEqual([]);
      expect(RAW_UNSAFE.exec(out.replace(/\n/g, ''))?.[0]).toBeUndefined();
      expect(format === 'json' ? JSON.parse(out) : parseYaml(out)).toEqual(config);
    });

    it('the job summary (Markdown)', () => {
      const out = jobSummary({ result, workspace: '/repo', sarifFile: `${h}.sarif` });
      expect(commandLines(out)).toEqual([]);
      expect(RAW_UNSAFE.exec(out.replace(/\n/g, ''))?.[0]).toBeUndefined();
      // Every table row keeps its cell count: nothing from the repository ends a cell or a row.
      for (const row of out.split('\n').filter((l) => l.startsWith('| '))) {
        const cells = row.replace(/\\\|/g, '').split('|').length;
        expect(cells === 6 || cells === 7 || cells === 8, row).toBe(true);
      }
    });
  });
});

describe('inert helpers', () => {
  it.each([
    ['plain text is unchanged', 'Service "default/web" in cluster "east"', 'Service "default/web" in cluster "east"'],
    ['IPv6 ranges keep their ::', 'fd00::/56 overlaps fd00::/48', 'fd00::/56 overlaps fd00::/48'],
    ['control characters', 'a\nb\rc\td\u001be\u009bf', 'a\\nb\\rc\\td\\x1be\\x9bf'],
    ['legacy commands', '##[error]x ##[', '##\\[error]x ##\\['],
  ])('inert: %s', (_name, text, expected) => {
    expect(inert(text)).toBe(expected);
    expect(inert(inert(text))).toBe(expected);
  });

  it('inertLines escapes a leading :: per line, after blanks, and keeps everything else', () => {
    expect(inertLines('ok ::x\n::error::a\n  \t::warning::b\n:x\n::')).toBe('ok ::x\n\\x3a:error::a\n  \t\\x3a:warning::b\n:x\n\\x3a:');
  });

  it('inertJson keeps the value and escapes what JSON.stringify leaves raw', () => {
    const value = { s: 'a\u009b\u2028\u202e##[x\u007f' };
    const out = inertJson(JSON.stringify(value));
    expect(out).toBe('{"s":"a\\u009b\\u2028\\u202e#\\u0023[x\\u007f"}');
    expect(JSON.parse(out)).toEqual(value);
  });
});

describe('the reproducer of issue 17: a ServiceExport named "a\\n::error file=x.yaml,line=1::FAKE"', () => {
  const root = mkdtempSync(join(tmpdir(), 'mclint-inert-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  const hostileName = 'a\n::error file=x.yaml,line=1::FAKE';
  const export_ = `apiVersion: multicluster.x-k8s.io/v1alpha1\nkind: ServiceExport\nmetadata:\n  name: ${JSON.stringify(hostileName)}\n  namespace: apps\n`;
  for (const c of ['east', 'west']) mkdirSync(join(root, 'clusters', c), { recursive: true });
  writeFileSync(join(root, 'clusters', 'east', 'export.yaml'), export_);
  // A file whose name has a line break and a workflow command, with a schema error in it.
  writeFileSync(
    join(root, 'clusters', 'west', 'svc\n::error::FILE.yaml'),
    'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n  namespace: apps\nspec:\n  ports: [{port: "x"}]\n',
  );

  it('through the lint API, stylish prints no workflow command and github exactly one per finding', async () => {
    const result = await lint({ dirs: [root], concurrency: 0 });
    expect(result.findings.map((f) => f.ruleId)).toEqual(expect.arrayContaining(['service-export-pairing', 'schema']));
    const stylish = await FORMATTERS.stylish(reportInputOf(result, { colorLevel: 1, verbose: true, cwd: root }));
    expect(commandLines(stylish)).toEqual([]);
    expect(stylish).toContain('ServiceExport "apps/a\\n::error file=x.yaml,line=1::FAKE"');
    expect(stylish).toContain('svc\\n::error::FILE.yaml');
    const github = await FORMATTERS.github(reportInputOf(result, { cwd: root }));
    const lines = github.split('\n').slice(0, -1);
    expect(lines).toHaveLength(result.findings.length + result.notes.length);
    expect(lines.every((l) => /^::(error|warning|notice) file=[^:]*::/.test(l))).toBe(true);
  });

  it('through the built CLI, no line of stylish or of the verbose summary is a workflow command', () => {
    const run = runCli([root, '--verbose', '--no-color']);
    expect(run.status).toBe(1);
    expect(commandLines(run.stdout)).toEqual([]);
    expect(commandLines(run.stderr)).toEqual([]);
    expect(run.stdout).toContain('a\\n::error file=x.yaml,line=1::FAKE');
  });
});

describe('standard error quotes repository text inertly', () => {
  const root = mkdtempSync(join(tmpdir(), 'mclint-inert-stderr-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  mkdirSync(join(root, 'clusters', 'east'), { recursive: true });
  writeFileSync(join(root, 'clusters', 'east', 'svc.yaml'), 'apiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec: {ports: [{port: 80}]}\n');
  // A config error quoting a rule id with a line break and a workflow command.
  writeFileSync(join(root, 'mclint.config.yaml'), `rules:\n  ${JSON.stringify('a\n::error file=x::FAKE')}: error\n`);

  it('a config error naming a hostile rule id prints no workflow command line', () => {
    const run = runCli([root, '--no-color']);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('mclint:');
    expect(commandLines(run.stderr)).toEqual([]);
  });

  it('--print-clusterset --format json escapes what JSON.stringify leaves raw', () => {
    const plain = mkdtempSync(join(tmpdir(), 'mclint-inert-json-'));
    mkdirSync(join(plain, '.git'));
    mkdirSync(join(plain, 'clusters', 'east\u009b31m'), { recursive: true });
    writeFileSync(join(plain, 'clusters', 'east\u009b31m', 'svc.yaml'), 'apiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec: {ports: [{port: 80}]}\n');
    const run = runCli([plain, '--print-clusterset', '--format', 'json']);
    rmSync(plain, { recursive: true, force: true });
    expect(run.status).toBe(0);
    expect(run.stdout).not.toContain('\u009b');
    expect(run.stdout).toContain('east\\u009b31m');
    expect(() => JSON.parse(run.stdout) as unknown).not.toThrow();
  });
});
