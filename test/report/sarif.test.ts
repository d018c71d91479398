/**
 * `--format sarif`: the log validates against the official SARIF 2.1.0 schema (committed copy in
 * test/schemas, see its README), every result has a region, cross-cluster findings carry
 * relatedLocations, objects are logical locations, suppressed findings carry suppressions.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import ajvDraft04 from 'ajv-draft-04';
import ajvFormats from 'ajv-formats';
import type { Log, Result } from 'sarif';
import { describe, expect, it } from 'vitest';
import { RULES } from '../../rules/index.js';
import type { Finding, SuppressedFinding } from '../../src/engine/types.js';
import { lint } from '../../src/lint.js';
import { firstParagraph, formatSarif, repositoryWebUrl } from '../../src/report/sarif.js';
import { reportInputOf } from '../../src/report/index.js';
import type { ReportInput } from '../../src/report/types.js';
import { repoRoot } from '../helpers/run-cli.js';

const schema = JSON.parse(readFileSync(join(import.meta.dirname, '..', 'schemas', 'sarif-schema-2.1.0.json'), 'utf8'));
// CommonJS packages: their ES module default is under `default` of module.exports.
const ajv = new ajvDraft04.default({ allErrors: true, strict: false });
ajvFormats.default(ajv);
const validate = ajv.compile(schema);

function expectValid(log: unknown): asserts log is Log {
  const ok = validate(log);
  expect(ok ? [] : validate.errors!.map((e: { instancePath: string; message?: string }) => `${e.instancePath} ${e.message}`)).toEqual([]);
}

const STORY = join(repoRoot, 'fixtures', 'submariner-clusterset');
const { version } = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { version: string };

async function sarifOf(dirs: string[], extra: Partial<ReportInput> = {}): Promise<Log> {
  const result = await lint({ dirs, reportUnusedDisableDirectives: 'warn' });
  const text = await formatSarif({ ...reportInputOf(result, { cwd: repoRoot }), ...extra });
  expect(text.endsWith('}\n')).toBe(true);
  return JSON.parse(text) as Log;
}

const uriOf = (r: Result): string => r.locations![0].physicalLocation!.artifactLocation!.uri!;

describe('sarif format on a failing multi-cluster ClusterSet', () => {
  it('validates against the official SARIF 2.1.0 schema', async () => {
    const log = await sarifOf([STORY]);
    expectValid(log);
    expect(log.version).toBe('2.1.0');
    expect(log.$schema).toBe('https://json.schemastore.org/sarif-2.1.0.json');
    expect(log.runs).toHaveLength(1);
    expect(log.runs[0].results).toHaveLength(4);
  });

  it('carries info-level notes as results of level note (broken GlobalNet set)', async () => {
    const log = await sarifOf([join(repoRoot, 'fixtures', 'globalnet-broken')]);
    expectValid(log);
    const results = log.runs[0].results!;
    expect(results.map((r) => [r.level, uriOf(r), r.locations![0].physicalLocation!.region!.startLine])).toEqual([
      ['error', 'fixtures/globalnet-broken/b/submariner.yaml', 10],
      ['note', 'fixtures/globalnet-broken/c/submariner.yaml', 6],
      ['error', 'fixtures/globalnet-broken/d/submariner.yaml', 6],
    ]);
    expect(results[1].message.text).toContain('subctl join will allocate 242.1.0.0/16');
    expect(results[1].relatedLocations![0].physicalLocation!.artifactLocation!.uri).toBe('fixtures/globalnet-broken/broker/broker.yaml');
  });

  it('validates with suppressed findings, unused-directive reports and their rules too', async () => {
    const log = await sarifOf([join(repoRoot, 'fixtures', 'suppressions')]);
    expectValid(log);
    const results = log.runs[0].results!;
    expect(results.filter((r) => r.suppressions && r.suppressions.length > 0)).toHaveLength(4);
    expect(results.map((r) => r.ruleId)).toContain('unused-disable-directive');
    for (const r of results) expect(r.locations![0].physicalLocation!.region!.startLine).toBeGreaterThanOrEqual(1);
  });

  it('gives every result a 1-based region in an artifact relative to %SRCROOT%', async () => {
    const run = (await sarifOf([STORY])).runs[0];
    expect(run.originalUriBaseIds).toEqual({ '%SRCROOT%': { uri: pathToFileURL(repoRoot + '/').href } });
    expect(run.columnKind).toBe('utf16CodeUnits');
    for (const r of run.results!) {
      const loc = r.locations![0].physicalLocation!;
      expect(loc.artifactLocation!.uriBaseId).toBe('%SRCROOT%');
      expect(loc.artifactLocation!.uri).toMatch(/^fixtures\/submariner-clusterset\/cluster-[abc]\/.*\.yaml$/);
      expect(run.artifacts![loc.artifactLocation!.index!].location?.uri).toBe(loc.artifactLocation!.uri);
      const { startLine, startColumn, endLine, endColumn } = loc.region!;
      expect(startLine).toBeGreaterThanOrEqual(1);
      expect(startColumn).toBeGreaterThanOrEqual(1);
      expect(endLine).toBeGreaterThanOrEqual(startLine!);
      expect(endLine! > startLine! || endColumn! >= startColumn!).toBe(true);
    }
    const ledger = run.results!.find((r) => uriOf(r).endsWith('cluster-b/apps/ledger.yaml'))!;
    expect(ledger).toMatchObject({
      ruleId: 'service-export-pairing',
      level: 'error',
      locations: [{ physicalLocation: { region: { startLine: 16, startColumn: 9, endLine: 16, endColumn: 15 } } }],
    });
    const status = run.results!.find((r) => uriOf(r).endsWith('cluster-a/apps/status.yaml'))!;
    expect(status.level).toBe('warning');
  });

  it('puts the other cluster in relatedLocations and the object in logicalLocations', async () => {
    const run = (await sarifOf([STORY])).runs[0];
    const overlap = run.results!.find((r) => r.ruleId === 'cidr-overlap')!;
    expect(uriOf(overlap)).toBe('fixtures/submariner-clusterset/cluster-c/submariner/submariner.yaml');
    expect(overlap.relatedLocations).toEqual([
      {
        id: 1,
        physicalLocation: {
          artifactLocation: { uri: 'fixtures/submariner-clusterset/cluster-a/submariner/submariner.yaml', uriBaseId: '%SRCROOT%' },
          region: { startLine: 9, startColumn: 16, endLine: 9, endColumn: 31 },
        },
        message: { text: expect.stringMatching(/^cluster "cluster-a": service CIDR 172\.16\.0\.0\/16/) },
      },
    ]);
    expect(overlap.locations![0].logicalLocations).toEqual([
      {
        name: 'submariner',
        fullyQualifiedName: 'cluster-c/submariner-operator/Submariner/submariner',
        kind: 'resource',
        properties: { cluster: 'cluster-c', namespace: 'submariner-operator', apiVersion: 'submariner.io/v1alpha1', kind: 'Submariner', name: 'submariner' },
      },
    ]);
  });

  it('describes every rule: descriptions from the docs, helpUri, default level, rule indexes', async () => {
    const run = (await sarifOf([STORY])).runs[0];
    const rules = run.tool.driver.rules!;
    expect(rules.map((r) => r.id)).toEqual([...RULES.map((r) => r.meta.id), 'invalid-directive', 'unused-disable-directive']);
    for (const [i, rule] of rules.slice(0, RULES.length).entries()) {
      const meta = RULES[i].meta;
      expect(rule.shortDescription!.text).toBe(meta.description);
      expect(rule.fullDescription!.text.length).toBeGreaterThan(meta.description.length / 2);
      // The page at the installed version's tag (report/docs-url.ts).
      expect(rule.helpUri).toBe(`https://github.com/mclint/mclint/blob/v${version}/docs/rules/${meta.id}.md`);
      expect(rule.help!.markdown).toBe(readFileSync(join(repoRoot, meta.docs), 'utf8'));
      expect(rule.defaultConfiguration!.level).toBe(meta.severity === 'warn' ? 'warning' : meta.severity === 'off' ? 'none' : 'error');
    }
    expect(rules.find((r) => r.id === 'cidr-overlap')!.fullDescription!.text).toMatch(/^Address ranges that collide between clusters of a ClusterSet/);
    for (const r of run.results!) expect(rules[r.ruleIndex!].id).toBe(r.ruleId);
    expect(run.tool.driver).toMatchObject({ name: 'mclint', informationUri: 'https://github.com/mclint/mclint#readme' });
    expect(run.invocations).toEqual([{ executionSuccessful: true }]);
  });
});

describe('sarif format, unit cases', () => {
  const stats = {
    clusterSets: 1,
    clusters: 1,
    files: 1,
    documents: 1,
    objects: 1,
    skipped: { binary: [], 'too-large': [], template: [], unreadable: [], outside: [], unreferenced: [], patch: [] },
    otherDocuments: { 'helm-values': 0, kustomization: 0, 'json-patch': 0, other: 0 },
  };
  const finding = (over: Partial<Finding> = {}): Finding => ({
    ruleId: 'cidr-overlap',
    severity: 2,
    message: 'overlap',
    file: join(repoRoot, 'fixtures', 'a b', 'x.yaml'),
    line: 3,
    column: 5,
    endLine: 3,
    endColumn: 9,
    related: [],
    ...over,
  });
  const format = async (findings: Finding[], suppressed: SuppressedFinding[] = [], internalErrors: ReportInput['internalErrors'] = []) =>
    JSON.parse(await formatSarif({ findings, suppressed, files: [], stats, colorLevel: 0, verbose: false, rules: RULES.map((r) => r.meta), cwd: repoRoot, internalErrors })) as Log;

  it('encodes artifact URIs, uses absolute file URIs outside the base, and keeps file-level regions', async () => {
    const log = await format([
      finding(),
      finding({ file: '/elsewhere/y.yaml', line: 1, column: 1, endLine: 1, endColumn: 1 }),
      finding({ file: join(repoRoot, 'fixtures', 'dir'), line: 1, column: 1, endLine: 1, endColumn: 1, ruleId: 'schema' }),
    ]);
    expectValid(log);
    const locs = log.runs[0].results!.map((r) => r.locations![0].physicalLocation!);
    // Results are ordered by absolute path, which depends on where the checkout lives: compare by URI.
    const byUri = locs.map((l) => l.artifactLocation!).sort((a, b) => a.uri!.localeCompare(b.uri!));
    expect(byUri.map(({ uri, uriBaseId }) => ({ uri, uriBaseId }))).toEqual([
      { uri: 'file:///elsewhere/y.yaml', uriBaseId: undefined },
      { uri: 'fixtures/a%20b/x.yaml', uriBaseId: '%SRCROOT%' },
      { uri: 'fixtures/dir', uriBaseId: '%SRCROOT%' },
    ]);
    // Every artifact index points at the artifact with the same URI.
    for (const l of locs) expect(log.runs[0].artifacts![l.artifactLocation!.index!].location!.uri).toBe(l.artifactLocation!.uri);
    expect(new Set(locs.map((l) => l.artifactLocation!.index)).size).toBe(3);
    expect(locs.every((l) => l.region && l.region.startLine! >= 1)).toBe(true);
  });

  it('keeps suppressed findings with their justification: inSource for comments and annotations, external for config', async () => {
    const at = { file: join(repoRoot, 'fixtures', 'a b', 'x.yaml'), line: 2, column: 1, endLine: 2, endColumn: 40 };
    const log = await format(
      [],
      [
        { ...finding(), suppressions: [{ kind: 'directive', justification: 'east and west never talk', at }] },
        {
          ...finding({ line: 7 }),
          suppressions: [
            { kind: 'annotation', justification: '' },
            { kind: 'config', justification: 'legacy clusters' },
          ],
        },
      ],
    );
    expectValid(log);
    const [a, b] = log.runs[0].results!;
    expect(a.suppressions).toEqual([
      {
        kind: 'inSource',
        status: 'accepted',
        justification: 'east and west never talk',
        location: {
          physicalLocation: { artifactLocation: { uri: 'fixtures/a%20b/x.yaml', uriBaseId: '%SRCROOT%' }, region: { startLine: 2, startColumn: 1, endLine: 2, endColumn: 40 } },
        },
        properties: { mclintKind: 'directive' },
      },
    ]);
    expect(b.suppressions!.map((s) => [s.kind, s.justification])).toEqual([
      ['inSource', ''],
      ['external', 'legacy clusters'],
    ]);
  });

  it('reports rules that threw as failed execution with notifications', async () => {
    const log = await format([], [], [{ ruleId: 'cidr-overlap', set: 'default', message: 'boom' }]);
    expectValid(log);
    expect(log.runs[0].invocations).toEqual([
      {
        executionSuccessful: false,
        toolExecutionNotifications: [
          { level: 'error', message: { text: 'internal error in rule "cidr-overlap" (ClusterSet "default"): boom' }, associatedRule: { id: 'cidr-overlap' } },
        ],
      },
    ]);
  });

  it('an empty run is valid too', async () => {
    const log = await format([]);
    expectValid(log);
    expect(log.runs[0].results).toEqual([]);
  });

  const paragraphs: [string, string | undefined][] = [
    ['# id\n\n**Default severity:** error\n\nFirst `code` and [link](x.md)\nwrapped.\n\nSecond.', 'First code and link wrapped.'],
    ['# id\n\n| table |\n\nText.', 'Text.'],
    ['# only a title\n', undefined],
  ];
  for (const [md, want] of paragraphs) it(`firstParagraph ${JSON.stringify(md.slice(0, 20))}`, () => expect(firstParagraph(md)).toBe(want));

  const repos: [string | { url?: string } | undefined, string | undefined][] = [
    [{ url: 'git+https://github.com/o/r.git' }, 'https://github.com/o/r'],
    ['https://gitlab.example.com/g/r', 'https://gitlab.example.com/g/r'],
    [{ url: 'git@github.com:o/r.git' }, undefined],
    [undefined, undefined],
  ];
  for (const [repo, want] of repos) it(`repositoryWebUrl ${JSON.stringify(repo)}`, () => expect(repositoryWebUrl(repo)).toBe(want));
});
