/**
 * End-to-end: the formats people plug in (issue 15, point 6), spawning the built binary as CI and
 * editors do — `junit` validated against the Jenkins xUnit plugin's JUnit XSD with libxml2's
 * xmllint (xmllint-wasm), `gitlab` against a JSON Schema of GitLab's Code Quality format, `compact`
 * and `unix` line by line, `json-with-metadata`, `--list-rules --format json|markdown`, and the SARIF
 * additions: help on every rule (GitHub's GH2012), related locations linked from the message, and
 * fingerprints that survive lines inserted above a finding.
 */
import { appendFileSync, cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Ajv from 'ajv';
import ajvDraft04 from 'ajv-draft-04';
import ajvFormats from 'ajv-formats';
import type { Log, ReportingDescriptor, Result } from 'sarif';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateXML } from 'xmllint-wasm';
import { bin, repoRoot, runCli } from './helpers/run-cli.js';

const STORY = 'fixtures/submariner-clusterset';
const schemas = join(import.meta.dirname, 'schemas');
const junitXsd = readFileSync(join(schemas, 'junit-10.xsd'), 'utf8');

// CommonJS packages: their ES module default is under `default` of module.exports.
const codeQuality = new Ajv.default({ allErrors: true, strict: true, strictRequired: false }).compile(
  JSON.parse(readFileSync(join(schemas, 'gitlab-code-quality.schema.json'), 'utf8')) as object,
);
const sarifAjv = new ajvDraft04.default({ allErrors: true, strict: false });
ajvFormats.default(sarifAjv);
const sarifSchema = sarifAjv.compile(JSON.parse(readFileSync(join(schemas, 'sarif-schema-2.1.0.json'), 'utf8')) as object);

/** Schema errors of a validator as `path message` lines (empty: valid). */
function errorsOf(validate: { (data: unknown): boolean; errors?: { instancePath: string; message?: string }[] | null }, data: unknown): string[] {
  return validate(data) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);
}

/** xmllint's schema errors for a document (empty: valid against junit-10.xsd). */
async function junitErrors(xml: string): Promise<string[]> {
  const r = await validateXML({ xml: [{ fileName: 'report.xml', contents: xml }], schema: [{ fileName: 'junit-10.xsd', contents: junitXsd }] });
  return r.valid ? [] : r.errors.map((e) => e.rawMessage);
}

/** The elements named `tag` in a document with their attributes (the output is one element per line). */
function elements(xml: string, tag: string): Record<string, string>[] {
  const unescape = (v: string) =>
    v
      .replace(/&quot;/g, '"')
      .replace(/&apos;/g, "'")
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&#10;/g, '\n')
      .replace(/&amp;/g, '&');
  return [...xml.matchAll(new RegExp(`<${tag}((?: [a-z-]+="[^"]*")*)\\s*/?>`, 'g'))].map((m) =>
    Object.fromEntries([...m[1].matchAll(/ ([a-z-]+)="([^"]*)"/g)].map((a) => [a[1], unescape(a[2])])),
  );
}

let dir: string;
beforeAll(() => {
  if (!existsSync(bin)) throw new Error(`${bin} is missing: run \`npm run build\` (npm test does it)`);
  dir = mkdtempSync(join(tmpdir(), 'mclint-formats-15-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A two-cluster repository whose file names and YAML keys hold XML and SARIF metacharacters and a control character. */
function hostileRepo(): string {
  const root = join(dir, 'hostile');
  cpSync(join(repoRoot, STORY), root, { recursive: true });
  writeFileSync(
    join(root, 'cluster-a', 'apps', 'odd <&> [x]\u0001.yaml'),
    'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n  "k<&>\'\\"]": "1"\n  "k<&>\'\\"]": "2"\n',
  );
  return root;
}

describe('--format junit', () => {
  it.each([
    ['a failing ClusterSet', STORY, 1],
    ['suppressed findings (skipped testcases; one warning)', 'fixtures/suppressions', 0],
    ['a clean ClusterSet', 'fixtures/globalnet-clean', 0],
  ])('validates against the JUnit XSD: %s', async (_, fixture, status) => {
    const r = runCli([fixture, '-f', 'junit']);
    expect(r.status).toBe(status);
    expect(r.stdout.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<testsuites ')).toBe(true);
    expect(await junitErrors(r.stdout)).toEqual([]);
  });

  it('validates with XML metacharacters and control characters in paths and messages', async () => {
    const root = hostileRepo();
    const r = runCli(['-f', 'junit', '.'], { cwd: root });
    expect(r.status).toBe(1);
    expect(await junitErrors(r.stdout)).toEqual([]);
    // The control character is written visibly; the suite still names the file.
    expect(elements(r.stdout, 'testsuite').map((s) => s.name)).toContain('cluster-a/apps/odd <&> [x]\\x01.yaml');
  });

  it('one suite per file, a failing testcase per finding, clean files as passing testcases', () => {
    const r = runCli([STORY, '-f', 'junit']);
    const suites = elements(r.stdout, 'testsuite');
    const [root] = elements(r.stdout, 'testsuites');
    expect(root).toMatchObject({ name: 'mclint', tests: '11', failures: '4', errors: '0' });
    expect(suites).toHaveLength(11);
    const ledger = suites.find((s) => s.name === `${STORY}/cluster-b/apps/ledger.yaml`)!;
    expect(ledger).toMatchObject({ tests: '1', failures: '1', errors: '0', skipped: '0', file: `${STORY}/cluster-b/apps/ledger.yaml` });
    const clean = suites.find((s) => s.name === `${STORY}/cluster-a/apps/frontend.yaml`)!;
    expect(clean).toMatchObject({ tests: '1', failures: '0' });
    expect(r.stdout).toContain(`<testcase name="${STORY}/cluster-a/apps/frontend.yaml" classname="${STORY}/cluster-a/apps/frontend" time="0"/>`);
    const failures = elements(r.stdout, 'failure');
    expect(failures.map((f) => f.type).sort()).toEqual(['error', 'error', 'error', 'warning']);
    const cases = elements(r.stdout, 'testcase').filter((c) => c.name.startsWith('service-export-pairing: ServiceExport "payments/ledger"'));
    expect(cases).toEqual([
      { name: 'service-export-pairing: ServiceExport "payments/ledger" has no Service "ledger" in cluster "cluster-b".', classname: `${STORY}/cluster-b/apps/ledger`, time: '0' },
    ]);
    // The failure body: the compact line, the other side, the hint.
    expect(r.stdout).toContain(
      `${STORY}/cluster-b/apps/ledger.yaml:16:9: error ServiceExport &quot;payments/ledger&quot; has no Service &quot;ledger&quot; in cluster &quot;cluster-b&quot;. [service-export-pairing]\ncluster: cluster-b\n↳ cluster-b: ${STORY}/cluster-b/apps/ledger.yaml:4:9  Service &quot;payment/ledger&quot;\nhint: `,
    );
    // Deterministic: no timestamp or hostname, byte-identical on a second run.
    expect(r.stdout).not.toMatch(/timestamp=|hostname=/);
    expect(runCli([STORY, '-f', 'junit']).stdout).toBe(r.stdout);
  });

  it('the validation can fail: a suite without its failures count is rejected', async () => {
    const xml = runCli([STORY, '-f', 'junit']).stdout.replace(/ failures="1"/, '');
    expect((await junitErrors(xml)).join('\n')).toMatch(/failures.*required/);
  });
});

describe('--format gitlab', () => {
  it('validates against the Code Quality schema, paths relative to the working directory', () => {
    const r = runCli([STORY, '-f', 'gitlab']);
    expect(r.status).toBe(1);
    const issues = JSON.parse(r.stdout) as { check_name: string; severity: string; fingerprint: string; location: { path: string; lines: { begin: number } } }[];
    expect(errorsOf(codeQuality, issues)).toEqual([]);
    expect(issues.map((i) => [i.check_name, i.severity, i.location.path, i.location.lines.begin])).toEqual([
      ['service-export-pairing', 'minor', `${STORY}/cluster-a/apps/status.yaml`, 18],
      ['service-export-pairing', 'major', `${STORY}/cluster-b/apps/ledger.yaml`, 16],
      ['service-export-pairing', 'major', `${STORY}/cluster-c/apps/billing.yaml`, 13],
      ['cidr-overlap', 'major', `${STORY}/cluster-c/submariner/submariner.yaml`, 9],
    ]);
    expect(new Set(issues.map((i) => i.fingerprint)).size).toBe(issues.length);
    // From another working directory, the paths start there.
    const inside = JSON.parse(runCli(['.', '-f', 'gitlab'], { cwd: join(repoRoot, STORY) }).stdout) as typeof issues;
    expect(inside.map((i) => i.location.path)).toEqual(issues.map((i) => i.location.path.slice(STORY.length + 1)));
    for (const i of inside) expect(i.fingerprint).toMatch(/^[0-9a-f]{64}$/);
  });

  it('a clean run is an empty array', () => {
    const r = runCli(['fixtures/globalnet-clean', '-f', 'gitlab']);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe('[]\n');
  });

  it.each([
    ['an absolute path', (i: Record<string, unknown>) => ({ ...i, location: { path: '/abs/x.yaml', lines: { begin: 1 } } })],
    ['an unknown severity', (i: Record<string, unknown>) => ({ ...i, severity: 'error' })],
    ['no fingerprint', ({ fingerprint: _, ...i }: Record<string, unknown>) => i],
  ])('the schema rejects %s', (_, mutate) => {
    const [issue] = JSON.parse(runCli([STORY, '-f', 'gitlab']).stdout) as Record<string, unknown>[];
    expect(errorsOf(codeQuality, [mutate(issue)])).not.toEqual([]);
  });
});

describe('fingerprints survive lines inserted above a finding (gitlab and sarif)', () => {
  const moved = '# moved down\n# by three lines and a document\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: filler\n  namespace: payment\n---\n';
  type Issue = { check_name: string; fingerprint: string; location: { path: string; lines: { begin: number } } };

  function run(root: string) {
    const r = runCli(['.', '-f', 'gitlab', '-f', 'sarif:out.sarif'], { cwd: root });
    expect(r.status).toBe(1);
    const sarif = JSON.parse(readFileSync(join(root, 'out.sarif'), 'utf8')) as Log;
    rmSync(join(root, 'out.sarif'));
    return { issues: JSON.parse(r.stdout) as Issue[], results: sarif.runs[0].results! };
  }

  it('same findings, same fingerprints, new lines', () => {
    const root = join(dir, 'moved');
    cpSync(join(repoRoot, STORY), root, { recursive: true });
    const before = run(root);
    for (const file of ['cluster-a/apps/status.yaml', 'cluster-b/apps/ledger.yaml', 'cluster-c/apps/billing.yaml', 'cluster-c/submariner/submariner.yaml']) {
      const path = join(root, file);
      writeFileSync(path, moved + readFileSync(path, 'utf8'));
    }
    const after = run(root);
    expect(after.issues).toHaveLength(before.issues.length);
    expect(after.issues.map((i) => [i.check_name, i.location.path, i.fingerprint])).toEqual(before.issues.map((i) => [i.check_name, i.location.path, i.fingerprint]));
    expect(after.issues.map((i) => i.location.lines.begin)).toEqual(before.issues.map((i) => i.location.lines.begin + 8));
    const sarifPrints = (results: Result[]) => results.map((x) => x.partialFingerprints!['mclintFindingHash/v1']);
    expect(sarifPrints(after.results)).toEqual(sarifPrints(before.results));
    expect(after.results.map((x) => x.locations![0].physicalLocation!.region!.startLine)).toEqual(
      before.results.map((x) => x.locations![0].physicalLocation!.region!.startLine! + 8),
    );
    // A different finding in the same file gets a different fingerprint.
    appendFileSync(
      join(root, 'cluster-b/apps/ledger.yaml'),
      '---\napiVersion: multicluster.x-k8s.io/v1alpha1\nkind: ServiceExport\nmetadata:\n  name: other\n  namespace: payments\n',
    );
    const more = run(root);
    expect(more.issues).toHaveLength(before.issues.length + 1);
    expect(new Set(more.issues.map((i) => i.fingerprint)).size).toBe(more.issues.length);
  });
});

describe('--format compact and unix', () => {
  const lines = [
    `${STORY}/cluster-a/apps/status.yaml:18:14: warning ServiceExport "default/status" exports from namespace "default" in cluster "cluster-a". [service-export-pairing]`,
    `${STORY}/cluster-b/apps/ledger.yaml:16:9: error ServiceExport "payments/ledger" has no Service "ledger" in cluster "cluster-b". [service-export-pairing]`,
    `${STORY}/cluster-c/apps/billing.yaml:13:9: error ServiceExport "billing/legacy-db" exports a Service of type ExternalName in cluster "cluster-c". [service-export-pairing]`,
    `${STORY}/cluster-c/submariner/submariner.yaml:9:16: error Service CIDR 172.16.0.0/16 of cluster "cluster-c" overlaps service CIDR 172.16.0.0/16 of cluster "cluster-a", routed flat by Submariner without GlobalNet. [cidr-overlap]`,
  ];

  it.each(['compact', 'unix'])('%s: one line per finding, then ESLint’s summary; the run summary on standard error', (format) => {
    const r = runCli([STORY, '-f', format]);
    expect(r.status).toBe(1);
    expect(r.stdout).toBe(`${lines.join('\n')}\n\n4 problems\n`);
    expect(r.stderr).toMatch(/^Read 3 clusters/);
  });

  it('every line parses with an editor’s file:line:col pattern (Vim %f:%l:%c: %m)', () => {
    const out = runCli(['.', '-f', 'compact'], { cwd: hostileRepo() }).stdout.trimEnd().split('\n\n')[0].split('\n');
    for (const line of out) expect(line).toMatch(/^[^\n]+:\d+:\d+: (error|warning|note) .+ \[[a-z-]+\]$/);
    // A control character in a file name is written visibly: one finding, one line.
    expect(out.find((l) => l.includes('[parse-error]'))).toMatch(/^cluster-a\/apps\/odd <&> \[x\]\\x01\.yaml:7:3: error Duplicate key /);
  });

  it('a clean run prints nothing', () => {
    const r = runCli(['fixtures/globalnet-clean', '-f', 'unix']);
    expect(r).toMatchObject({ status: 0, stdout: '' });
  });
});

describe('--format json-with-metadata', () => {
  it('ESLint’s shape: the json results, and rulesMeta with docs URLs for the rules in them', () => {
    const r = runCli([STORY, '-f', 'json-with-metadata', '--max-warnings', '0']);
    expect(r.status).toBe(1);
    const out = JSON.parse(r.stdout) as {
      results: unknown[];
      metadata: { cwd: string; rulesMeta: Record<string, { type: string; docs: { description: string; url: string } }>; maxWarningsExceeded?: unknown };
    };
    expect(Object.keys(out)).toEqual(['results', 'metadata']);
    expect(out.results).toEqual(JSON.parse(runCli([STORY, '-f', 'json']).stdout));
    expect(out.metadata.cwd).toBe(repoRoot);
    expect(out.metadata.maxWarningsExceeded).toEqual({ foundWarnings: 1, maxWarnings: 0 });
    expect(Object.keys(out.metadata.rulesMeta)).toEqual(['cidr-overlap', 'service-export-pairing']);
    for (const [id, meta] of Object.entries(out.metadata.rulesMeta)) {
      expect(meta.type).toBe('problem');
      expect(meta.docs.description).not.toBe('');
      expect(meta.docs.url).toMatch(new RegExp(`^https://github\\.com/\\S+/docs/rules/${id}\\.md$`));
      expect(existsSync(join(repoRoot, 'docs', 'rules', `${id}.md`))).toBe(true);
    }
    expect(JSON.parse(runCli([STORY, '-f', 'json-with-metadata']).stdout)).not.toHaveProperty('metadata.maxWarningsExceeded');
  });
});

describe('--list-rules --format json|markdown', () => {
  const table = runCli(['--list-rules']).stdout.trimEnd().split('\n').slice(2);
  const ids = table.map((row) => row.split(/ +/)[0]);

  it('json: every rule with its default severity, description and docs page', () => {
    const r = runCli(['--list-rules', '--format', 'json']);
    expect(r.status).toBe(0);
    const rules = JSON.parse(r.stdout) as { id: string; severity: string; description: string; docs: string; options?: object }[];
    expect(rules.map((x) => x.id)).toEqual(ids);
    for (const [i, rule] of rules.entries()) {
      expect(table[i].split(/ +/)[1]).toBe(rule.severity);
      expect(['error', 'warn', 'off']).toContain(rule.severity);
      expect(rule.description).not.toBe('');
      expect(rule.docs).toMatch(new RegExp(`/docs/rules/${rule.id}\\.md$`));
    }
    expect(rules.some((x) => x.options !== undefined)).toBe(true);
  });

  it('markdown: a table with a linked row per rule', () => {
    const r = runCli(['--list-rules', '-f', 'markdown']);
    expect(r.status).toBe(0);
    const rows = r.stdout.trimEnd().split('\n');
    expect(rows.slice(0, 2)).toEqual(['| Rule | Default | Description |', '|---|---|---|']);
    expect(rows.slice(2).map((row) => /^\| \[`([a-z0-9-]+)`\]\(https:\/\/\S+\/docs\/rules\/\1\.md\) \| (error|warn|off) \| [^|]+(?:\\\|[^|]*)* \|$/.exec(row)?.[1])).toEqual(ids);
  });

  it.each([
    [['--list-rules', '-f', 'sarif'], /--list-rules prints a table, or --format json or --format markdown, not "sarif"/],
    [['--list-rules', '-f', 'json', '-f', 'markdown'], /at most one --format/],
  ])('%j is a usage error', (args, message) => {
    const r = runCli(args);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(message);
  });
});

describe('--format sarif for GitHub code scanning', () => {
  const log = () => JSON.parse(runCli([STORY, '-f', 'sarif']).stdout) as Log;

  it('still validates against the SARIF 2.1.0 schema', () => {
    expect(errorsOf(sarifSchema, log())).toEqual([]);
    const hostile = JSON.parse(runCli(['.', '-f', 'sarif'], { cwd: hostileRepo() }).stdout) as Log;
    expect(errorsOf(sarifSchema, hostile)).toEqual([]);
    // Literal brackets in a message are escaped, so only mclint's own links are links (SARIF §3.11.6).
    const parse = hostile.runs[0].results!.find((x) => x.ruleId === 'parse-error')!;
    expect(parse.message.text).toMatch(/^Duplicate key "k<&>'.*\\]": /);
    expect(parse.message.text!.replace(/\\[[\]]/g, '')).not.toMatch(/[[\]]/);
  });

  it('every rule passes GitHub’s GH2012: shortDescription, fullDescription and help text', () => {
    const rules = log().runs[0].tool.driver.rules!;
    // The registry's rules, and the suppression directives' own (documented in a README section, not a page of their own).
    expect(rules.map((r) => r.id)).toEqual(expect.arrayContaining(allRuleIds()));
    // Those get their description and a link to the section as help.
    const sections = rules.filter((r) => !r.helpUri?.includes('/docs/rules/'));
    expect(sections.length).toBeGreaterThan(0);
    for (const r of sections) expect(r.help!.markdown).toBe(`${r.shortDescription!.text}.\n\n[Documentation](${r.helpUri})`);
    const missing = (r: ReportingDescriptor) =>
      [
        !r.shortDescription?.text?.trim() && 'shortDescription',
        !r.fullDescription?.text?.trim() && 'fullDescription',
        !r.help?.text?.trim() && 'help.text',
        !r.help?.markdown?.trim() && 'help.markdown',
      ].filter(Boolean);
    expect(rules.filter((r) => missing(r).length > 0).map((r) => [r.id, missing(r)])).toEqual([]);
  });

  it('the message links each related location by id, so code scanning shows the other cluster', () => {
    const results = log().runs[0].results!;
    const overlap = results.find((x) => x.ruleId === 'cidr-overlap')!;
    expect(overlap.relatedLocations!.map((l) => l.id)).toEqual([1]);
    expect(overlap.message.text).toMatch(/\. See \[cluster "cluster-a": service CIDR 172\.16\.0\.0\/16 of cluster "cluster-a"\]\(1\)\.$/);
    expect(overlap.message.markdown).toContain('(1).\n\n');
    for (const x of results) {
      const linked = [...x.message.text!.matchAll(/(?<!\\)\[[^\]]*\]\((\d+)\)/g)].map((m) => Number(m[1]));
      expect(linked).toEqual((x.relatedLocations ?? []).map((l) => l.id));
      expect(x.partialFingerprints?.['mclintFindingHash/v1']).toMatch(/^[0-9a-f]{64}$/);
      expect(x.partialFingerprints).not.toHaveProperty('primaryLocationLineHash');
    }
  });
});

/** Every rule id, from `--list-rules`. */
function allRuleIds(): string[] {
  return runCli(['--list-rules', '-f', 'json'])
    .stdout.trim()
    .match(/"id": "[^"]+"/g)!
    .map((s) => s.slice(7, -1));
}
