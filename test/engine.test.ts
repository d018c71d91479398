import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../src/cli.js';
import { defineRule, type Rule } from '../src/engine/types.js';
import { RULES } from '../rules/index.js';
import { lintScenario } from './helpers/scenario.js';
import { serviceExport } from './helpers/manifests.js';

const files = {
  'east/export.yaml': serviceExport('web', 'shop'),
  'west/export.yaml': serviceExport('api', 'shop'),
};

const throwing = defineRule({
  meta: { id: 'always-throws', description: 'a broken rule', severity: 'error', docs: 'docs/rules/always-throws.md' },
  check() {
    throw new Error('boom');
  },
});

/** Reports one finding per ServiceExport, as a warning-capped and an uncapped finding. */
const probe = defineRule({
  meta: { id: 'probe', description: 'test rule', severity: 'error', docs: 'docs/rules/probe.md' },
  check({ set, report }) {
    for (const c of set.clusters) {
      for (const e of c.serviceExports) {
        const at = { file: e.object.file, doc: e.object.doc, path: ['metadata', 'name'] };
        report({ message: `export ${e.name}`, at, cluster: c.name });
        report({ message: `export ${e.name}`, at, cluster: c.name }); // duplicate: reported once
        report({ message: `advisory ${e.name}`, at: { ...at, path: ['metadata', 'namespace'] }, cluster: c.name, severity: 'warn' });
      }
    }
  },
});

function capture() {
  const out = { stdout: '', stderr: '' };
  return {
    out,
    io: { stdout: (t: string) => void (out.stdout += t), stderr: (t: string) => void (out.stderr += t), env: {}, isTTY: false },
  };
}

describe('engine', () => {
  it('a rule that throws is an internal error; the other rules still report', async () => {
    const result = await lintScenario(files, { rules: [throwing, ...(RULES as Rule[])] });
    expect(result.internalErrors).toEqual([expect.objectContaining({ ruleId: 'always-throws', message: 'boom' })]);
    expect(result.findings.map((f) => f.ruleId)).toEqual(['service-export-pairing', 'service-export-pairing']);
  });

  it('the CLI prints the other findings and exits 2 for an internal error', async () => {
    const { root } = await lintScenario(files);
    const { out, io } = capture();
    const code = await main([root, '--format', 'json'], io, [throwing, ...(RULES as Rule[])]);
    expect(code).toBe(2);
    expect((JSON.parse(out.stdout) as { messages: unknown[] }[]).flatMap((f) => f.messages)).toHaveLength(2);
    expect(out.stderr).toContain('mclint: internal error in rule "always-throws" (ClusterSet "default"): boom');
  });

  it('severity caps, de-duplication and ESLint ordering', async () => {
    const { relFindings } = await lintScenario(files, { rules: [probe] });
    expect(relFindings.map((f) => [f.file, f.line, f.column, f.severity, f.message])).toEqual([
      ['east/export.yaml', 4, 9, 2, 'export web'],
      ['east/export.yaml', 5, 14, 1, 'advisory web'],
      ['west/export.yaml', 4, 9, 2, 'export api'],
      ['west/export.yaml', 5, 14, 1, 'advisory api'],
    ]);
    const warnOnly = await lintScenario(files, { rules: [probe], ruleFlags: ['probe:warn'] });
    expect(warnOnly.findings.every((f) => f.severity === 1)).toBe(true);
  });

  it('every registered rule has an id, a description, a docs page path and a default severity', () => {
    const ids = RULES.map((r) => r.meta.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const r of RULES) {
      expect(r.meta.id).toMatch(/^[a-z]+(-[a-z]+)*$/);
      expect(r.meta.description.length).toBeGreaterThan(10);
      expect(r.meta.docs).toBe(`docs/rules/${r.meta.id}.md`);
      expect(existsSync(resolve(import.meta.dirname, '..', r.meta.docs))).toBe(true);
      expect(['off', 'warn', 'error']).toContain(r.meta.severity);
    }
  });
});

describe('schemas', () => {
  it('the precompiled validators are up to date with schemas/*.schema.json', () => {
    const root = resolve(import.meta.dirname, '..');
    const r = spawnSync(process.execPath, [join(root, 'scripts/compile-schemas.mjs'), '--check'], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });
});
