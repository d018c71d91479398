/**
 * FILE arguments (what the pre-commit hook passes): the whole ClusterSet is read from DIR (default:
 * the current directory) and only findings located in, or related to, the files are reported.
 * Spawns the built binary like test/cli.e2e.test.ts.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '..');
const bin = join(root, process.env.MCLINT_DIST_DIR ?? 'dist', 'mclint.js');
const STORY = join(root, 'fixtures', 'submariner-clusterset');

function mclint(args: string[], cwd: string) {
  const env = { ...process.env };
  delete env.FORCE_COLOR;
  delete env.NO_COLOR;
  const r = spawnSync(process.execPath, [bin, ...args], { cwd, env, encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

interface JsonResult {
  filePath: string;
  messages: { ruleId: string; line: number; column: number; related: { filePath: string }[] }[];
}

/** `ruleId@file:line:column` of every message, paths relative to the fixture. */
function located(stdout: string): string[] {
  return (JSON.parse(stdout) as JsonResult[]).flatMap((f) => f.messages.map((m) => `${m.ruleId}@${f.filePath.slice(STORY.length + 1)}:${m.line}:${m.column}`));
}

describe('FILE arguments restrict the report, not the analysis', () => {
  it.each([
    // Located in the file.
    [['cluster-b/apps/ledger.yaml'], ['service-export-pairing@cluster-b/apps/ledger.yaml:16:9'], 1],
    // Related to the file: the overlap is reported in cluster-c (the later name), its other side is
    // cluster-a's CR; given cluster-a's file only, it is reported there (issue 15: where the change is).
    [['cluster-a/submariner/submariner.yaml'], ['cidr-overlap@cluster-a/submariner/submariner.yaml:9:16'], 1],
    [['cluster-c/submariner/submariner.yaml'], ['cidr-overlap@cluster-c/submariner/submariner.yaml:9:16'], 1],
    // Several files, in any order; a warning alone exits 0.
    [
      ['cluster-c/apps/billing.yaml', 'cluster-a/apps/status.yaml'],
      ['service-export-pairing@cluster-a/apps/status.yaml:18:14', 'service-export-pairing@cluster-c/apps/billing.yaml:13:9'],
      1,
    ],
    [['cluster-a/apps/status.yaml'], ['service-export-pairing@cluster-a/apps/status.yaml:18:14'], 0],
    // Clean files, and files outside every cluster, report nothing.
    [['cluster-b/apps/frontend.yaml', 'README.md'], [], 0],
  ])('%j from the ClusterSet root', (files, expected, status) => {
    const r = mclint([...files, '-f', 'json'], STORY);
    expect(r.stderr).toContain('Read 3 clusters in 1 ClusterSet: 11 files');
    expect(located(r.stdout)).toEqual(expected);
    expect(r.status).toBe(status);
  });

  it('only the given files are listed in the JSON report', () => {
    const r = mclint(['cluster-b/apps/ledger.yaml', 'cluster-b/apps/frontend.yaml', '-f', 'json'], STORY);
    expect((JSON.parse(r.stdout) as JsonResult[]).map((f) => f.filePath)).toEqual([join(STORY, 'cluster-b/apps/frontend.yaml'), join(STORY, 'cluster-b/apps/ledger.yaml')]);
  });

  it('a DIR argument sets the ClusterSet root for FILE arguments', () => {
    const r = mclint(['fixtures/submariner-clusterset', 'fixtures/submariner-clusterset/cluster-b/apps/ledger.yaml'], root);
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('fixtures/submariner-clusterset/cluster-b/apps/ledger.yaml\n  16:9  error');
    expect(r.stdout).toContain('✖ 1 problem (1 error, 0 warnings)');
  });

  it('findings about a whole ClusterSet anchored at the config file are kept for that file', () => {
    const dir = join(root, 'fixtures', 'config-clustersets');
    const r = mclint(['mclint.config.yaml', '-f', 'json'], dir);
    expect(r.status).toBe(1);
    expect((JSON.parse(r.stdout) as JsonResult[]).flatMap((f) => f.messages.map((m) => m.ruleId))).toEqual(['cidr-overlap']);
  });

  it('a missing file is a usage error (exit 2)', () => {
    const r = mclint(['cluster-a/nope.yaml'], STORY);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('cluster-a/nope.yaml: no such file or directory');
  });
});

describe('a FILE argument that .gitignore hides', () => {
  it('is a usage error saying so (it would never be linted); --no-ignore lints it', () => {
    const repo = mkdtempSync(join(tmpdir(), 'mclint-files-'));
    try {
      mkdirSync(join(repo, '.git'));
      mkdirSync(join(repo, 'east'), { recursive: true });
      writeFileSync(join(repo, '.gitignore'), 'east/rendered.yaml\n');
      writeFileSync(join(repo, 'east', 'rendered.yaml'), 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: a\n');
      writeFileSync(join(repo, 'east', 'ns.yaml'), 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: b\n');
      const r = mclint(['east/rendered.yaml'], repo);
      expect(r.status).toBe(2);
      expect(r.stderr).toContain('east/rendered.yaml: ignored by .gitignore, so it is never linted (lint it with --no-ignore)');
      expect(mclint(['east/ns.yaml'], repo).status).toBe(0);
      expect(mclint(['--no-ignore', 'east/rendered.yaml'], repo).status).toBe(0);
    } finally {
      rmSync(repo, { recursive: true, force: true });
    }
  });
});
