/**
 * Issue 15, point 7, "usage that forgives", end to end: the built binary (`dist/mclint.js`, or
 * `$MCLINT_DIST_DIR/mclint.js`) and the GitHub Action entry point bundled from the sources
 * (`scripts/build-action.mjs` into a temporary checkout, run as the runner runs it, as
 * `test/action.test.ts` does with the committed bundle).
 *
 * - Unknown long options and rule ids (`--rule`, config `rules` and `overrides`, disable comments
 *   and `mclint.io/ignore` annotations) get "did you mean" the closest known one; exit code 2 stays
 *   for usage and config errors.
 * - `--config` on a missing file, a directory or an unreadable file says so in words: no raw
 *   errno code, no stack.
 * - `warning` (and `warn`, 0/1/2) is a severity wherever one is written.
 * - The `schema` rule reports every violation of an object in one run.
 * - The Action turns a config error into `::error` annotations at the config file's lines and a
 *   job summary, and fails the step.
 */
import { chmodSync, existsSync, mkdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { buildAction, runEntryPoint } from './helpers/action.js';
import { bin, runCli } from './helpers/run-cli.js';
import { writeScenario, yaml, type Files } from './helpers/scenario.js';

beforeAll(() => {
  if (!existsSync(bin)) throw new Error(`${bin} is missing: run \`npm run build\` (npm test does it)`);
});

/** A Service whose port is a string: one `schema` error at 6:15 (`"eighty"`). */
const BAD_PORT = yaml`
  apiVersion: v1
  kind: Service
  metadata: { name: web, namespace: shop }
  spec:
    ports:
      - { port: "eighty" }
`;

/** Two clusters, the schema error in east; `config` (when given) as mclint.config.yaml. */
function scenario(config?: string, extra: Files = {}): string {
  return writeScenario({
    '.git/HEAD': 'ref: refs/heads/main\n',
    'clusters/east/svc.yaml': BAD_PORT,
    'clusters/west/ns.yaml': 'apiVersion: v1\nkind: Namespace\nmetadata: { name: shop }\n',
    ...(config !== undefined ? { 'mclint.config.yaml': config } : {}),
    ...extra,
  });
}

interface JsonMessage {
  ruleId: string;
  severity: number;
  message: string;
  line: number;
  column: number;
}

/** The messages of a `--format json` report, flattened, as `line:column ruleId severity`. */
function messages(stdout: string): (JsonMessage & { file: string })[] {
  const results = JSON.parse(stdout) as { filePath: string; messages: JsonMessage[] }[];
  return results.flatMap((r) => r.messages.map((m) => ({ ...m, file: r.filePath })));
}

describe('unknown options: "did you mean" the closest long option (ESLint/optionator)', () => {
  it.each([
    [['--confg', 'x.yaml'], "unknown option '--confg'; did you mean '--config'?"],
    [['--max-warning', '0'], "unknown option '--max-warning'; did you mean '--max-warnings'?"],
    [['--formt=json'], "unknown option '--formt'; did you mean '--format'?"],
    [['--no-colour'], "unknown option '--no-colour'; did you mean '--no-color'?"],
    [['--Rule', 'schema:off'], "unknown option '--Rule'; did you mean '--rule'?"],
    [['--report-unused-disable-directive'], "unknown option '--report-unused-disable-directive'; did you mean '--report-unused-disable-directives'?"],
    [['--print-cluster-set'], "unknown option '--print-cluster-set'; did you mean '--print-clusterset'?"],
  ])('%j: exit 2, %s', (args, message) => {
    const r = runCli([...args, scenario()]);
    expect(r.status).toBe(2);
    expect(r.stderr).toBe(`mclint: ${message}\nRun "mclint --help" for usage.\n`);
    expect(r.stdout).toBe('');
  });

  it.each([['--bogus'], ['-x'], ['--zzzzzzzzzz']])('%s is far from every option: no suggestion, node’s message, exit 2', (flag) => {
    const r = runCli([flag, scenario()]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(`Unknown option '${flag}'`);
    expect(r.stderr).not.toContain('did you mean');
  });
});

describe('unknown rule ids: "did you mean" the closest rule id', () => {
  it.each([
    ['--rule', undefined, ['--rule', 'schma:warn'], /^mclint: --rule: unknown rule "schma"; did you mean "schema"\? \(known rules: cidr-overlap, /],
    ['config rules', 'rules:\n  cidr-overlaps: error\n', [], /mclint\.config\.yaml: unknown rule "cidr-overlaps"; did you mean "cidr-overlap"\? \(known rules: /],
    [
      'config overrides',
      'overrides:\n  - clusters: [east]\n    rules: { service-export-paring: off }\n',
      [],
      /mclint\.config\.yaml: overrides\[0\]: unknown rule "service-export-paring"; did you mean "service-export-pairing"\? \(known rules: /,
    ],
    ['a rule id far from every rule', undefined, ['--rule', 'zzzz:warn'], /^mclint: --rule: unknown rule "zzzz" \(known rules: cidr-overlap, /],
  ])('%s: exit 2, a suggestion only for a likely typo', (_name, config, args, message) => {
    const r = runCli([...args, scenario(config)]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr.match(/did you mean/g)?.length ?? 0).toBe(String(message).includes('did you mean') ? 1 : 0);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it.each([
    [
      'a disable comment',
      '# mclint-disable-next-line schma\n',
      'Unknown rule "schma" in "mclint-disable-next-line" comment: nothing is suppressed for it; did you mean "schema"? (known rules: ',
    ],
    [
      'a comment with an unrelated id',
      '# mclint-disable-next-line zzzz\n',
      'Unknown rule "zzzz" in "mclint-disable-next-line" comment: nothing is suppressed for it (known rules: ',
    ],
  ])('%s: an invalid-directive error at the comment (a suggestion only for a likely typo)', (_name, comment, message) => {
    const dir = scenario(undefined, { 'clusters/east/svc.yaml': comment + BAD_PORT });
    const r = runCli([dir, '--format', 'json']);
    expect(r.status).toBe(1);
    const found = messages(r.stdout).filter((m) => m.ruleId === 'invalid-directive');
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ line: 1, column: 1, severity: 2 });
    expect(found[0].message.startsWith(message)).toBe(true);
  });

  it('a mclint.io/ignore annotation with a misspelt rule id gets the suggestion too', () => {
    const annotated = BAD_PORT.replace('metadata: { name: web, namespace: shop }', 'metadata: { name: web, namespace: shop, annotations: { mclint.io/ignore: "shema" } }');
    const r = runCli([scenario(undefined, { 'clusters/east/svc.yaml': annotated }), '--format', 'json']);
    const found = messages(r.stdout).filter((m) => m.ruleId === 'invalid-directive');
    expect(found).toHaveLength(1);
    expect(found[0].message).toContain('Unknown rule "shema" in the mclint.io/ignore annotation: nothing is suppressed for it; did you mean "schema"?');
  });
});

describe('--config on a file that cannot be read: the reason in words, no raw code or stack, exit 2', () => {
  const cases: [string, (dir: string) => string, string][] = [
    ['a missing file', () => 'nope.yaml', 'cannot read config file nope.yaml: no such file'],
    ['a missing directory on the path', () => 'ci/nope/mclint.yaml', 'cannot read config file ci/nope/mclint.yaml: no such file'],
    ['a directory', (dir) => (mkdirSync(join(dir, 'ci'), { recursive: true }), 'ci'), 'cannot read config file ci: it is a directory, not a file'],
    ['a dangling symbolic link', (dir) => (symlinkSync('gone.yaml', join(dir, 'link.yaml')), 'link.yaml'), 'cannot read config file link.yaml: no such file'],
    [
      'a symbolic link loop',
      (dir) => (symlinkSync('b.yaml', join(dir, 'a.yaml')), symlinkSync('a.yaml', join(dir, 'b.yaml')), 'a.yaml'),
      'cannot read config file a.yaml: too many levels of symbolic links',
    ],
  ];
  it.each(cases)('%s', (_name, make, message) => {
    const dir = scenario();
    const r = runCli(['--config', make(dir), '.'], { cwd: dir });
    expect(r.status).toBe(2);
    expect(r.stderr).toBe(`mclint: ${message}\n`);
  });

  // root reads any file whatever its mode: the case can only fail for another user.
  it.skipIf(process.getuid?.() === 0)('a file without read permission', () => {
    const dir = scenario(undefined, { 'locked.yaml': 'rules: {}\n' });
    chmodSync(join(dir, 'locked.yaml'), 0o000);
    const r = runCli(['--config', 'locked.yaml', '.'], { cwd: dir });
    expect(r.status).toBe(2);
    expect(r.stderr).toBe('mclint: cannot read config file locked.yaml: permission denied\n');
  });

  it('a config file with several schema violations lists every one, at its line', () => {
    const dir = scenario('clusterDomain: 5\nrules:\n  schema: sometimes\nignore: yes-please\n');
    const r = runCli([dir]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(
      /^mclint: .*mclint\.config\.yaml is not a valid mclint config:\n {2}1:16 {2}"clusterDomain" must be string, found number 5\n {2}3:11 {2}"rules\.schema" /,
    );
    expect(r.stderr).toMatch(/\n {2}4:9 {2}"ignore" must be array, found string "yes-please"\n$/);
  });
});

describe('warning (and warn, 1) is a severity everywhere one is written', () => {
  /** The schema error (an error by default) as the run reports it: its severity, and the exit code. */
  function schemaSeverity(dir: string, args: string[] = []): { status: number | null; severity: number | undefined } {
    const r = runCli([dir, '--format', 'json', ...args]);
    return { status: r.status, severity: messages(r.stdout).find((m) => m.ruleId === 'schema')?.severity };
  }

  it.each([
    ['--rule ID:warning', undefined, ['--rule', 'schema:warning']],
    ['--rule ID:warn', undefined, ['--rule', 'schema:warn']],
    ['--rule ID:1', undefined, ['--rule', 'schema:1']],
    ['config rules: warning', 'rules:\n  schema: warning\n', []],
    ['config rules: [warning]', 'rules:\n  schema: [warning]\n', []],
    ['config rules: warn', 'rules:\n  schema: warn\n', []],
    ['config overrides: warning', "overrides:\n  - files: ['clusters/east/**']\n    rules: { schema: warning }\n", []],
    ['config overrides: 1', 'overrides:\n  - clusters: [east]\n    rules: { schema: 1 }\n', []],
  ])('%s makes the error a warning (exit 0)', (_name, config, args) => {
    expect(schemaSeverity(scenario(config), args)).toEqual({ status: 0, severity: 1 });
  });

  it('--max-warnings is unaffected: a count, exit 1 over it', () => {
    expect(schemaSeverity(scenario('rules:\n  schema: warning\n'), ['--max-warnings', '0'])).toEqual({ status: 1, severity: 1 });
  });

  it.each([
    ['config reportUnusedDisableDirectives: warning', 'reportUnusedDisableDirectives: warning\n', []],
    ['--report-unused-disable-directives-severity warning', undefined, ['--report-unused-disable-directives-severity', 'warning']],
  ])('%s reports an unused directive as a warning', (_name, config, args) => {
    const dir = scenario(config, { 'clusters/west/ns.yaml': '# mclint-disable-next-line cidr-overlap\napiVersion: v1\nkind: Namespace\nmetadata: { name: shop }\n' });
    const r = runCli([dir, '--format', 'json', '--rule', 'schema:off', ...args]);
    expect(r.status).toBe(0);
    expect(messages(r.stdout).map((m) => `${m.ruleId} ${m.severity} ${m.line}`)).toEqual(['unused-disable-directive 1 1']);
  });

  it('--print-config shows warning as warn', () => {
    const r = runCli(['--print-config', '--rule', 'cidr-overlap:warning', scenario('rules:\n  schema: warning\n')]);
    expect(r.status).toBe(0);
    const printed = parseYaml(r.stdout) as { rules: Record<string, { severity: string }> };
    expect(printed.rules.schema).toEqual({ severity: 'warn', options: {} });
    expect(printed.rules['cidr-overlap']).toEqual({ severity: 'warn', options: {} });
  });

  it.each([
    [['--rule', 'schema:warnings'], 'invalid --rule "schema:warnings": expected ID:off|warn|error'],
    [['--report-unused-disable-directives-severity', 'warnings'], '--report-unused-disable-directives-severity expects off, warn or error, got "warnings"'],
  ])('%j is still a usage error (exit 2)', (args, message) => {
    const r = runCli([...args, scenario()]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(message);
  });
});

describe('the schema rule reports every violation of an object in one run', () => {
  it('a Service and a Submariner with several bad fields: one finding per field', () => {
    const dir = scenario(undefined, {
      'clusters/east/svc.yaml': yaml`
        apiVersion: v1
        kind: Service
        metadata: { name: web, namespace: shop }
        spec:
          clusterIP: 5
          ports:
            - port: "eighty"
              protocol: 7
      `,
      'clusters/west/submariner.yaml': yaml`
        apiVersion: submariner.io/v1alpha1
        kind: Submariner
        metadata: { name: submariner, namespace: submariner-operator }
        spec:
          clusterCIDR: 12
          serviceCIDR: true
          natEnabled: "yes"
          unknownThing: 1
      `,
    });
    const r = runCli([dir, '--format', 'json']);
    expect(r.status).toBe(1);
    const found = messages(r.stdout)
      .filter((m) => m.ruleId === 'schema')
      .map((m) => `${m.file.slice(dir.length + 1)}:${m.line}:${m.column} ${m.message.replace(/^[^:]*: /, '').replace(/: kubectl apply .*$/, '')}`);
    expect(found).toEqual([
      'clusters/east/svc.yaml:5:14 "spec.clusterIP" must be string, found number 5',
      'clusters/east/svc.yaml:7:13 "spec.ports[0].port" must be integer, found string "eighty"',
      'clusters/east/svc.yaml:8:17 "spec.ports[0].protocol" must be string, found number 7',
      'clusters/west/submariner.yaml:4:1 missing required field "spec.broker"',
      'clusters/west/submariner.yaml:5:16 "spec.clusterCIDR" must be string, found number 12',
      'clusters/west/submariner.yaml:6:16 "spec.serviceCIDR" must be string, found boolean true',
      'clusters/west/submariner.yaml:7:15 "spec.natEnabled" must be boolean, found string "yes"',
      'clusters/west/submariner.yaml:8:3 unknown field "spec.unknownThing"',
    ]);
  });
});

describe('the Action: a config error is annotated at the config line, summarised, and fails the step', () => {
  let checkout: string;

  beforeAll(() => {
    // The entry point bundled from the sources as they are now (the committed bundle may lag behind them).
    checkout = buildAction();
  }, 120_000);

  /** Runs the entry point on a workspace of `files` with `inputs` (action.yml's defaults for the others), as the runner does. */
  function runAction(files: Files, inputs: Record<string, string>): { status: number | null; stdout: string; summary: string } {
    return runEntryPoint(checkout, writeScenario(files), inputs);
  }

  const CLUSTERS: Files = {
    'clusters/east/ns.yaml': 'apiVersion: v1\nkind: Namespace\nmetadata: { name: shop }\n',
    'clusters/west/ns.yaml': 'apiVersion: v1\nkind: Namespace\nmetadata: { name: shop }\n',
  };

  /** name, workspace files, inputs, annotations the log holds (`::error file=…`, every one), texts the job summary holds. */
  const cases: [string, Files, Record<string, string>, string[], string[]][] = [
    [
      'an unknown rule id in rules',
      { 'mclint.config.yaml': 'clusterDomain: cluster.local\nrules:\n  schma: warn\n' },
      {},
      ['::error file=mclint.config.yaml,line=3,col=3,title=mclint config::unknown rule "schma"; did you mean "schema"? (known rules: '],
      ['| `mclint.config.yaml:3:3` | unknown rule "schma"; did you mean "schema"? (known rules: '],
    ],
    [
      'an unknown rule id in overrides',
      { 'mclint.config.yaml': 'overrides:\n  - clusters: [east]\n    rules:\n      service-export-paring: off\n' },
      {},
      ['::error file=mclint.config.yaml,line=4,col=7,title=mclint config::overrides[0]: unknown rule "service-export-paring"; did you mean "service-export-pairing"?'],
      ['| `mclint.config.yaml:4:7` | overrides\\[0\\]: unknown rule "service-export-paring"; did you mean "service-export-pairing"?'],
    ],
    [
      'schema violations: one annotation per violation',
      { 'mclint.config.yaml': 'clusterDomain: 5\nrules:\n  schema: sometimes\n' },
      {},
      [
        '::error file=mclint.config.yaml,line=1,col=16,title=mclint config::"clusterDomain" must be string, found number 5\n',
        '::error file=mclint.config.yaml,line=3,col=11,title=mclint config::"rules.schema" ',
      ],
      ['| `mclint.config.yaml:1:16` | "clusterDomain" must be string, found number 5 |', '| `mclint.config.yaml:3:11` | "rules.schema" '],
    ],
    [
      'a YAML syntax error',
      { 'mclint.config.yaml': 'rules:\n  schema: [warn\n' },
      {},
      ['::error file=mclint.config.yaml,line=3,col=1,title=mclint config::invalid YAML: '],
      ['| `mclint.config.yaml:3:1` | invalid YAML: '],
    ],
    [
      'invalid options of a rule (at its setting), in a config file named by the config input (path %-escaped)',
      { 'ci/mclint,prod.yaml': 'rules:\n  naming-convention: [error, { maxLength: 5 }]\n' },
      { config: 'ci/mclint,prod.yaml' },
      ['::error file=ci/mclint%2Cprod.yaml,line=2,col=22,title=mclint config::invalid options for rule "naming-convention": unknown field "maxLength"\n'],
      ['| `ci/mclint,prod.yaml:2:22` | invalid options for rule "naming-convention": unknown field "maxLength" |'],
    ],
    [
      'a missing config file: no place to annotate, the reason in the summary',
      {},
      { config: 'ci/none.yaml' },
      [],
      ['\n**cannot read config file ', 'ci/none.yaml: no such file**\n'],
    ],
  ];
  it.each(cases)('%s', (_name, files, inputs, annotations, texts) => {
    const r = runAction({ ...CLUSTERS, ...files }, inputs);
    expect(r.status).toBe(1);
    const commands = r.stdout.split('\n').filter((l) => l.startsWith('::error file='));
    expect(commands).toHaveLength(annotations.length);
    for (const a of annotations) expect(r.stdout).toContain(a);
    // The step's failure message, as before.
    expect(r.stdout).toMatch(/^::error::mclint: /m);
    expect(r.stdout).not.toContain('internal error');
    expect(r.summary).toMatch(/^## mclint: ❌ configuration error\n\n\*\*/);
    expect(r.summary).toContain('Nothing was linted: fix the configuration and run again.');
    expect(r.summary.includes('| location | problem |\n| --- | --- |\n')).toBe(annotations.length > 0);
    for (const text of texts) expect(r.summary).toContain(text);
  });

  it('"%" in the message is %-escaped in the command', () => {
    const r = runAction({ ...CLUSTERS, 'mclint.config.yaml': 'rules:\n  "50%-rule": warn\n' }, {});
    expect(r.stdout).toContain('::error file=mclint.config.yaml,line=2,col=3,title=mclint config::unknown rule "50%25-rule" (known rules: ');
  });

  it.each([
    ['warn', 1],
    ['warning', 1],
    ['error', 0],
  ])('fail-on: %s with one warning: exit %i', (failOn, status) => {
    const files = { ...CLUSTERS, 'clusters/east/svc.yaml': BAD_PORT, 'mclint.config.yaml': 'rules:\n  schema: warning\n' };
    const r = runAction(files, { 'fail-on': failOn });
    expect(r.status).toBe(status);
    expect(r.stdout).toMatch(/^::warning file=clusters\/east\/svc\.yaml,line=6,col=15,/m);
    if (status === 1) expect(r.stdout).toContain('::error::mclint found 0 errors and 1 warning (fail-on: warning)\n');
  });
});
