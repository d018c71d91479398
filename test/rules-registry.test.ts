/**
 * The rule registry stays whole as rules are added: every rule file under `rules/` is registered in
 * `rules/index.ts` exactly once and named after its `meta.id`; every registered rule comes from such
 * a file, has a row in README.md's rule table (in registry order, with its default severity), and
 * every page under `docs/rules/` belongs to a registered rule. test/docs.test.ts checks each page's
 * content and that `meta.docs` names it; this file checks the bookkeeping around them.
 *
 * A rule file is a `rules/*.ts` module that default-exports `defineRule(...)`; other modules there
 * (index.ts, helper modules) are not rules. The test reads the files relative to its own folder,
 * so test/new-rule.test.ts can run it against a scaffolded copy of the repository.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { Rule } from '../src/engine/types.js';
import { RULES } from '../rules/index.js';

const root = resolve(import.meta.dirname, '..');
const read = (path: string) => readFileSync(join(root, path), 'utf8');
const index = read('rules/index.ts');

/** `rules/*.ts` other than the registry, with whether each default-exports `defineRule(...)`. */
const modules = readdirSync(join(root, 'rules'))
  .filter((f) => f.endsWith('.ts') && f !== 'index.ts')
  .sort()
  .map((file) => ({ file, id: basename(file, '.ts'), isRule: /^export default defineRule\b/m.test(read(`rules/${file}`)) }));
const ruleFiles = modules.filter((m) => m.isRule);

/** A value with a rule's shape: `{ meta: { id }, check }`. */
const looksLikeRule = (value: unknown): value is Rule =>
  typeof value === 'object' && value !== null && typeof (value as Rule).check === 'function' && typeof (value as Rule).meta?.id === 'string';

/**
 * README.md's rule table (`| rule | default | what it finds |`) as rows: the linked id, the
 * default column and the description; throws when the table is missing.
 */
function readmeRules(): { id: string; link: string; severity: string; what: string }[] {
  const lines = read('README.md').split('\n');
  const header = lines.findIndex((l) => /^\|\s*rule\s*\|\s*default\s*\|/.test(l));
  if (header < 0) throw new Error('README.md has no rule table');
  const rows: { id: string; link: string; severity: string; what: string }[] = [];
  for (let i = header + 2; i < lines.length && lines[i].startsWith('|'); i++) {
    const [name, severity, what] = lines[i]
      .slice(1, -1)
      .split(/(?<!\\)\|/)
      .map((c) => c.trim());
    const m = /^\[`([^`]+)`\]\(([^)]*)\)$/.exec(name);
    rows.push({ id: m?.[1] ?? name, link: m?.[2] ?? '', severity, what });
  }
  return rows;
}

describe('rule files', () => {
  it('rules/ holds at least the rules the registry lists', () => {
    expect(ruleFiles.length).toBeGreaterThan(0);
    expect(ruleFiles.length).toBe(RULES.length);
  });

  it.each(modules.map((m) => [m.file, m]))('%s: a rule only when it default-exports defineRule(...)', async (_file, m) => {
    const loaded = (await import(pathToFileURL(join(root, 'rules', m.file)).href)) as { default?: unknown };
    // A module whose default export has a rule's shape but is not written `export default
    // defineRule(` would be missed by the other checks (and by the scaffold's conventions).
    expect(looksLikeRule(loaded.default)).toBe(m.isRule);
  });

  it.each(ruleFiles.map((m) => [m.file, m]))('%s is registered exactly once and named after its meta.id', async (_file, m) => {
    const rule = ((await import(pathToFileURL(join(root, 'rules', m.file)).href)) as { default: Rule }).default;
    expect(rule.meta.id).toBe(m.id);
    expect(RULES.filter((r) => r === rule)).toHaveLength(1);
    const imports = [...index.matchAll(/^import\s+(\w+)\s+from\s+'\.\/([\w-]+)\.js';$/gm)].filter((i) => i[2] === m.id);
    expect(imports, `rules/index.ts imports ./${m.id}.js once`).toHaveLength(1);
  });
});

describe('registered rules', () => {
  it('ids are unique', () => {
    const ids = RULES.map((r) => r.meta.id);
    expect(ids.filter((id, i) => ids.indexOf(id) !== i)).toEqual([]);
  });

  it('every registered rule comes from rules/<id>.ts', () => {
    expect(RULES.map((r) => r.meta.id).filter((id) => !ruleFiles.some((m) => m.id === id))).toEqual([]);
  });

  it('every page under docs/rules/ belongs to a registered rule', () => {
    const pages = readdirSync(join(root, 'docs/rules')).filter((f) => f.endsWith('.md'));
    expect(pages.filter((p) => !RULES.some((r) => r.meta.docs === `docs/rules/${p}`))).toEqual([]);
  });

  it("README.md's rule table has one row per rule, in registry order, linking its page", () => {
    const rows = readmeRules();
    expect(rows.map((r) => r.id)).toEqual(RULES.map((r) => r.meta.id));
    expect(rows.map((r) => r.link)).toEqual(RULES.map((r) => r.meta.docs));
  });

  it.each(RULES.map((r) => [r.meta.id, r.meta]))('README row of %s: its default severity and a description', (id, meta) => {
    const row = readmeRules().find((r) => r.id === id);
    expect(row?.severity).toBe(meta.severity);
    expect(row?.what).not.toBe('');
  });
});
