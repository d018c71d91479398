/**
 * Test scenarios on disk: a ClusterSet written to a temporary directory from inline YAML, linted
 * through the real pipeline (discover → load → model → rules → positions).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { afterAll } from 'vitest';
import { lint, type LintResult } from '../../src/lint.js';
import type { Finding, Rule } from '../../src/engine/types.js';

/** Files by path relative to the scenario root, e.g. `{ 'east/submariner.yaml': '...' }`. */
export type Files = Record<string, string | Buffer>;

const roots: string[] = [];
afterAll(() => {
  for (const r of roots) rmSync(r, { recursive: true, force: true });
});

/** Writes `files` under a new temporary directory and returns its path. */
export function writeScenario(files: Files): string {
  const root = mkdtempSync(join(tmpdir(), 'mclint-test-'));
  roots.push(root);
  for (const [path, content] of Object.entries(files)) {
    const abs = join(root, path);
    mkdirSync(dirname(abs), { recursive: true });
    writeFileSync(abs, content);
  }
  return root;
}

/** Strips the common indentation of a template literal, so YAML can be indented in tests. */
export function yaml(strings: TemplateStringsArray, ...values: unknown[]): string {
  const text = strings.reduce((acc, s, i) => acc + s + (i < values.length ? String(values[i]) : ''), '');
  const lines = text.replace(/^\n/, '').split('\n');
  const indent = Math.min(...lines.filter((l) => l.trim()).map((l) => l.match(/^ */)![0].length));
  return lines.map((l) => l.slice(indent)).join('\n');
}

export interface LintedScenario extends LintResult {
  readonly root: string;
  /** Findings with file paths relative to the root, for readable assertions. */
  readonly relFindings: (Omit<Finding, 'file' | 'related'> & { file: string; related: { file: string; line: number; column: number; cluster?: string }[] })[];
}

/** Writes and lints a scenario. */
export async function lintScenario(files: Files, options: { rules?: readonly Rule[]; ruleFlags?: string[]; dirs?: string[] } = {}): Promise<LintedScenario> {
  const root = writeScenario(files);
  const result = await lint({ dirs: options.dirs?.map((d) => join(root, d)) ?? [root], rules: options.rules, ruleFlags: options.ruleFlags });
  const rel = (f: string) => relative(root, f).split('\\').join('/');
  return {
    ...result,
    root,
    relFindings: result.findings.map((f) => ({
      ...f,
      file: rel(f.file),
      related: f.related.map((r) => ({ file: rel(r.file), line: r.line, column: r.column, cluster: r.cluster })),
    })),
  };
}
