/**
 * Issue 15 point 2 end to end: a two-cluster finding is reported where the change is.
 * - The CLI (the built binary, as the pre-commit hook runs it) with FILE arguments naming either
 *   side of a cluster ID duplicate;
 * - the Action entry point, built from the sources with `scripts/build-action.mjs` and run as the
 *   runner runs it, on a pull_request event: `GITHUB_EVENT_PATH` holds the payload with the base
 *   commit of a git repository made in a temporary directory, whose change makes the earlier
 *   cluster's ID a duplicate. The annotation lands on the changed file, and an annotation on the
 *   unchanged (related) side suppresses the finding.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildAction, runEntryPoint } from './helpers/action.js';
import { runCli } from './helpers/run-cli.js';
import { writeScenario } from './helpers/scenario.js';

/** A ClusterProperty with the cluster ID `id` (line 6); `annotations` goes into metadata. */
const property = (id: string, annotations = '') =>
  `apiVersion: about.k8s.io/v1alpha1\nkind: ClusterProperty\nmetadata:\n${annotations}  name: cluster.clusterset.k8s.io\nspec:\n  value: ${id}\n`;

const WEST = 'Cluster ID "shared" of cluster "west" is also the ID of cluster "east"';
const EAST = 'Cluster ID "shared" of cluster "east" is also the ID of cluster "west"';

describe('CLI: FILE arguments choose the side reported', () => {
  const dir = writeScenario({ 'clusters/east/id.yaml': property('shared'), 'clusters/west/id.yaml': property('shared') });
  it.each([
    { files: [], file: 'clusters/west/id.yaml', message: WEST, related: 'clusters/east/id.yaml' },
    { files: ['clusters/west/id.yaml'], file: 'clusters/west/id.yaml', message: WEST, related: 'clusters/east/id.yaml' },
    { files: ['clusters/east/id.yaml'], file: 'clusters/east/id.yaml', message: EAST, related: 'clusters/west/id.yaml' },
    { files: ['clusters/east/id.yaml', 'clusters/west/id.yaml'], file: 'clusters/west/id.yaml', message: WEST, related: 'clusters/east/id.yaml' },
  ])('FILE $files: reported in $file', ({ files, file, message, related }) => {
    const r = runCli(['.', ...files, '--format', 'json'], { cwd: dir });
    expect(r.status).toBe(1);
    const results = JSON.parse(r.stdout) as { filePath: string; messages: { message: string; related: { filePath: string }[] }[] }[];
    const reported = results.filter((x) => x.messages.length > 0);
    expect(reported.map((x) => x.filePath)).toEqual([join(dir, file)]);
    expect(reported[0].messages.map((m) => [m.message, m.related.map((x) => x.filePath)])).toEqual([[`${message}.`, [join(dir, related)]]]);
  });

  it('a disable comment on the unchanged side suppresses the finding shown on the changed side, and counts as used', () => {
    const d = writeScenario({
      'clusters/east/id.yaml': property('shared'),
      'clusters/west/id.yaml': property('shared').replace('  value:', '  # mclint-disable-next-line cluster-identity -- west keeps its ID\n  value:'),
    });
    const r = runCli(['.', 'clusters/east/id.yaml', '--report-unused-disable-directives', '--format', 'json'], { cwd: d });
    expect(r.status).toBe(0);
    const results = JSON.parse(r.stdout) as { filePath: string; messages: unknown[]; suppressedMessages: { message: string; suppressions: { justification: string }[] }[] }[];
    expect(results.flatMap((x) => x.messages)).toEqual([]);
    expect(results.flatMap((x) => x.suppressedMessages.map((m) => [x.filePath, m.message, m.suppressions[0].justification]))).toEqual([
      [join(d, 'clusters/east/id.yaml'), `${EAST}.`, 'west keeps its ID'],
    ]);
  });
});

describe('the Action on a pull_request event', () => {
  let work: string;
  let action: string;
  beforeAll(() => {
    work = mkdtempSync(join(tmpdir(), 'mclint-primary-'));
    // The Action as the runner has it, bundled from the current sources (no node_modules).
    action = buildAction();
  }, 120_000);
  afterAll(() => {
    if (work) rmSync(work, { recursive: true, force: true });
  });

  const git = (cwd: string, ...args: string[]) =>
    execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', '-c', 'commit.gpgsign=false', ...args], { cwd, encoding: 'utf8' }).trim();

  let runs = 0;
  /**
   * A repository whose base commit has IDs "east" and "shared" and whose head commit changes
   * east's ID to "shared" (`westAnnotations` on west's ClusterProperty in both); runs the Action
   * in it with `event` as the payload (a function of the base sha), or without one.
   */
  function runOnPullRequest(event: ((base: string) => unknown) | undefined, westAnnotations = '') {
    const dir = join(work, `run-${++runs}`);
    const workspace = join(dir, 'workspace');
    mkdirSync(join(workspace, 'clusters', 'east'), { recursive: true });
    mkdirSync(join(workspace, 'clusters', 'west'), { recursive: true });
    writeFileSync(join(workspace, 'clusters/east/id.yaml'), property('east'));
    writeFileSync(join(workspace, 'clusters/west/id.yaml'), property('shared', westAnnotations));
    git(workspace, 'init', '-q', '-b', 'main');
    git(workspace, 'add', '.');
    git(workspace, 'commit', '-q', '-m', 'base');
    const base = git(workspace, 'rev-parse', 'HEAD');
    writeFileSync(join(workspace, 'clusters/east/id.yaml'), property('shared'));
    git(workspace, 'commit', '-q', '-am', 'change east');
    const eventPath = join(dir, 'event.json');
    if (event) writeFileSync(eventPath, JSON.stringify(event(base)));
    const r = runEntryPoint(action, workspace, {}, event ? { GITHUB_EVENT_NAME: 'pull_request', GITHUB_EVENT_PATH: eventPath } : {});
    const annotations = r.stdout.split('\n').filter((l) => l.startsWith('::error ') || l.startsWith('::warning '));
    return { status: r.status, annotations, summary: r.summary, stdout: r.stdout };
  }

  const payload = (base: string) => ({ action: 'synchronize', number: 1, pull_request: { number: 1, base: { ref: 'main', sha: base }, head: { ref: 'change', sha: 'unused' } } });

  it('annotates the changed file (east), worded from east; the job summary counts the problem in east', () => {
    const r = runOnPullRequest(payload);
    expect(r.status).toBe(1);
    expect(r.annotations).toHaveLength(1);
    expect(r.annotations[0]).toMatch(/^::error file=clusters\/east\/id\.yaml,line=6,/);
    expect(r.annotations[0]).toContain(EAST);
    const row = (cluster: string) => r.summary.split('\n').find((l) => l.startsWith('|') && l.includes(`| ${cluster} |`) && l.includes('—'));
    expect(row('east')).toContain('1 error');
    expect(row('west')).toContain('no problems');
  });

  it("without an event payload, annotates the rule's side (west, the cluster that sorts later)", () => {
    const r = runOnPullRequest(undefined);
    expect(r.status).toBe(1);
    expect(r.annotations).toHaveLength(1);
    expect(r.annotations[0]).toMatch(/^::error file=clusters\/west\/id\.yaml,line=6,/);
  });

  it('a payload of another event (no pull_request) changes nothing', () => {
    const r = runOnPullRequest(() => ({ ref: 'refs/heads/main', after: 'x' }));
    expect(r.annotations[0]).toMatch(/^::error file=clusters\/west\/id\.yaml,/);
  });

  it("a base commit the checkout lacks falls back to the rule's side", () => {
    const r = runOnPullRequest(() => payload('0123456789abcdef0123456789abcdef01234567'));
    expect(r.status).toBe(1);
    expect(r.annotations[0]).toMatch(/^::error file=clusters\/west\/id\.yaml,/);
  });

  it('an mclint.io/ignore annotation on the unchanged side suppresses the finding: the step passes', () => {
    const r = runOnPullRequest(payload, '  annotations:\n    mclint.io/ignore: cluster-identity\n    mclint.io/ignore-reason: west owns the ID\n');
    expect(r.annotations).toEqual([]);
    expect(r.status).toBe(0);
  });
});
