/**
 * `npm run new-rule <id>` (scripts/new-rule.mjs), run for real against temporary copies of the
 * files it edits (`--root`), never against the repository: which ids it refuses (and that it then
 * writes nothing), what it writes, and that the scaffold is green out of the box — in a copy of
 * the repository whose `src/`, `node_modules/` and test helpers are links to this checkout, the
 * scaffolded rule type-checks, its table test passes, and so do test/docs.test.ts and
 * test/rules-registry.test.ts with the new rule registered.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const repo = resolve(import.meta.dirname, '..');
const script = join(repo, 'scripts/new-rule.mjs');

const temps: string[] = [];
afterAll(() => {
  for (const t of temps) rmSync(t, { recursive: true, force: true });
});

/**
 * A temporary root. `full`: a copy of everything the rule tests need (rules/, docs/rules/, the
 * README and the files test/docs.test.ts reads, the two bookkeeping tests), with links for
 * `src/`, `schemas/`, `node_modules/` and `test/helpers/`; otherwise only the two files the script
 * edits.
 */
function tempRoot(full = false): string {
  const root = mkdtempSync(join(tmpdir(), 'mclint-new-rule-'));
  temps.push(root);
  mkdirSync(join(root, 'rules'));
  mkdirSync(join(root, 'test'));
  cpSync(join(repo, 'README.md'), join(root, 'README.md'));
  if (!full) {
    cpSync(join(repo, 'rules/index.ts'), join(root, 'rules/index.ts'));
    return root;
  }
  cpSync(join(repo, 'rules'), join(root, 'rules'), { recursive: true });
  cpSync(join(repo, 'docs/rules'), join(root, 'docs/rules'), { recursive: true });
  for (const f of [
    'package.json',
    'tsconfig.json',
    'vitest.config.ts',
    'action.yml',
    '.pre-commit-hooks.yaml',
    'CONTRIBUTING.md',
    'docs/limits.md',
    'fixtures/submariner-clusterset/README.md',
    'test/docs.test.ts',
    'test/rules-registry.test.ts',
  ]) {
    mkdirSync(dirname(join(root, f)), { recursive: true });
    cpSync(join(repo, f), join(root, f));
  }
  for (const d of ['src', 'schemas', 'node_modules', 'test/helpers']) symlinkSync(join(repo, d), join(root, d), 'dir');
  return root;
}

/** Runs the script; returns its exit code and output. */
function newRule(args: string[], cwd = repo) {
  const r = spawnSync(process.execPath, [script, ...args], { cwd, encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Every file under `dir` with its content, for "nothing changed" comparisons. */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (e.isFile()) out[join(e.parentPath, e.name).slice(dir.length)] = readFileSync(join(e.parentPath, e.name), 'utf8');
  }
  return out;
}

describe('ids the script refuses, writing nothing', () => {
  it.each([
    ['CidrOverlap', 1, /not a kebab-case rule id/],
    ['cidr_overlap', 1, /not a kebab-case rule id/],
    ['1st-rule', 1, /not a kebab-case rule id/],
    ['trailing-', 1, /not a kebab-case rule id/],
    ['double--dash', 1, /not a kebab-case rule id/],
    ['../escape', 1, /not a kebab-case rule id/],
    ['index', 1, /the rule registry/],
    ['cidr-overlap', 1, /"cidr-overlap" is taken: rules\/cidr-overlap\.ts exists/],
    ['schema', 1, /"schema" is taken/],
    ['helper-module', 1, /"helper-module" is taken: rules\/helper-module\.ts exists/],
    ['listed-only', 1, /"listed-only" is taken: rules\/index\.ts imports \.\/listed-only\.js/],
    ['in-readme', 1, /"in-readme" is taken: README\.md links docs\/rules\/in-readme\.md/],
  ])('%s → exit %i', (id, status, reason) => {
    const root = tempRoot();
    // Taken ids beyond rule files: a helper module, an import without a file, a README row.
    writeFileSync(join(root, 'rules/helper-module.ts'), 'export const helper = 1;\n');
    writeFileSync(join(root, 'rules/index.ts'), `import listedOnly from './listed-only.js';\n${readFileSync(join(root, 'rules/index.ts'), 'utf8')}`);
    writeFileSync(join(root, 'README.md'), `${readFileSync(join(root, 'README.md'), 'utf8')}\n[in-readme](docs/rules/in-readme.md)\n`);
    cpSync(join(repo, 'rules/cidr-overlap.ts'), join(root, 'rules/cidr-overlap.ts'));
    cpSync(join(repo, 'rules/schema.ts'), join(root, 'rules/schema.ts'));
    const before = snapshot(root);
    const r = newRule([id, '--root', root]);
    expect(r.stderr).toMatch(reason);
    expect(r.status).toBe(status);
    expect(snapshot(root)).toEqual(before);
  });

  it.each([
    [['--root'], /argument missing|--root/],
    [[], /give exactly one rule id/],
    [['one-rule', 'two-rule'], /give exactly one rule id/],
    [['--bogus', 'x-rule'], /Unknown option '--bogus'/],
  ])('usage error %j → exit 2', (args, reason) => {
    const root = tempRoot();
    const before = snapshot(root);
    const r = newRule(args, root);
    expect(r.stderr).toMatch(reason);
    expect(r.status).toBe(2);
    expect(snapshot(root)).toEqual(before);
  });

  it.each([
    [['--severity', 'off'], /--severity must be error or warn/],
    [['--description', ' '], /--description must be one non-empty line/],
  ])('bad option %j → exit 1', (args, reason) => {
    const root = tempRoot();
    const before = snapshot(root);
    const r = newRule(['fresh-rule', '--root', root, ...args]);
    expect(r.stderr).toMatch(reason);
    expect(r.status).toBe(1);
    expect(snapshot(root)).toEqual(before);
  });

  it('an index.ts without a RULES list is reported, not half-edited', () => {
    const root = tempRoot();
    writeFileSync(join(root, 'rules/index.ts'), "import a from './a.js';\nexport default [a];\n");
    const before = snapshot(root);
    const r = newRule(['fresh-rule', '--root', root]);
    expect(r.stderr).toMatch(/rules\/index\.ts: expected import lines, then `export const RULES/);
    expect(r.status).toBe(1);
    expect(snapshot(root)).toEqual(before);
  });
});

describe('what it writes', () => {
  it('three new files, an import and a RULES entry in rules/index.ts, a README row — and nothing else', () => {
    const root = tempRoot();
    const index = readFileSync(join(root, 'rules/index.ts'), 'utf8');
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    const r = newRule(['delete', '--root', root, '--description', "Services that don't agree | across clusters", '--severity', 'warn']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('registered "delete"');
    expect(Object.keys(snapshot(root)).sort()).toEqual(['/README.md', '/docs/rules/delete.md', '/rules/delete.ts', '/rules/index.ts', '/test/rules/delete.test.ts']);

    // rules/index.ts: one import after the last one, one entry at the end of RULES (a reserved
    // word gets a suffix), every other line as it was.
    const added = (before: string, after: string) => {
      const old = before.split('\n');
      return after.split('\n').filter((l, i, all) => all.slice(0, i).filter((x) => x === l).length >= old.filter((x) => x === l).length);
    };
    const newIndex = readFileSync(join(root, 'rules/index.ts'), 'utf8');
    expect(added(index, newIndex)).toEqual(["import deleteRule from './delete.js';", '  deleteRule,']);
    expect(newIndex.split('\n').filter((l) => !added(index, newIndex).includes(l))).toEqual(index.split('\n'));
    expect(newIndex).toMatch(/import \w+ from '\.\/[\w-]+\.js';\nimport deleteRule from '\.\/delete\.js';\n/);
    expect(newIndex).toMatch(/\n {2}deleteRule,\n\] as Rule\[\];/);

    // README: the row right after the table's last row, the description cell escaped.
    const newReadme = readFileSync(join(root, 'README.md'), 'utf8');
    expect(added(readme, newReadme)).toEqual(["| [`delete`](docs/rules/delete.md) | warn | services that don't agree \\| across clusters |"]);
    const lines = newReadme.split('\n');
    const row = lines.findIndex((l) => l.startsWith('| [`delete`]'));
    expect(lines[row - 1]).toMatch(/^\| \[`/);
    expect(lines[row + 1]).toBe('');

    // The rule: meta as asked (quotes escaped), the upstream citation left to fill in.
    const rule = readFileSync(join(root, 'rules/delete.ts'), 'utf8');
    expect(rule).toContain("import { defineRule } from './kit.js';");
    expect(rule).toContain("messageId: 'typeDiffers'");
    expect(rule).toContain("    id: 'delete',\n    description: 'Services that don\\'t agree | across clusters',\n    severity: 'warn',\n    docs: 'docs/rules/delete.md',");
    expect(rule).toMatch(/^ \* Upstream: TODO/m);
    expect(rule).toContain('export default defineRule({');

    // The test: a warning (severity 1), at the exact position.
    const test = readFileSync(join(root, 'test/rules/delete.test.ts'), 'utf8');
    expect(test).toContain("import rule from '../../rules/delete.js';");
    expect(test).toContain('severity: 1,');

    // The page: the title, the severity line and the sections test/docs.test.ts requires.
    const page = readFileSync(join(root, 'docs/rules/delete.md'), 'utf8');
    expect(page.startsWith("# delete\n\n**Default severity:** warn · **Options:** none\n\nServices that don't agree | across clusters.")).toBe(true);
    expect([...page.matchAll(/^## (.+)$/gm)].map((m) => m[1])).toEqual(['What it checks', 'Why', 'Examples', 'Options', 'Upstream behaviour']);
  });

  it('a second run with the same id is refused', () => {
    const root = tempRoot();
    expect(newRule(['twice-rule', '--root', root]).status).toBe(0);
    const before = snapshot(root);
    const r = newRule(['twice-rule', '--root', root]);
    expect(r.stderr).toMatch(/"twice-rule" is taken: rules\/twice-rule\.ts exists/);
    expect(r.status).toBe(1);
    expect(snapshot(root)).toEqual(before);
  });
});

/** Runs vitest on `files` in `root`; returns the exit code and the output. */
const vitest = (root: string, files: string[]) => {
  const r = spawnSync(process.execPath, [join(repo, 'node_modules/vitest/vitest.mjs'), 'run', ...files], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, CI: '1', NO_COLOR: '1' },
  });
  return { status: r.status, output: `${r.stdout}\n${r.stderr}` };
};

describe('the scaffold is green out of the box', () => {
  it('the rule type-checks; its table test, the docs test and the registry test pass', { timeout: 120_000 }, () => {
    const root = tempRoot(true);
    const r = newRule(['example-rule', '--root', root]);
    expect(r.status, r.stderr).toBe(0);

    // tsc on the scaffolded files (and what they import); errors elsewhere are not the scaffold's.
    writeFileSync(
      join(root, 'tsconfig.scaffold.json'),
      JSON.stringify({ extends: './tsconfig.json', include: [], files: ['rules/index.ts', 'rules/example-rule.ts', 'test/rules/example-rule.test.ts'] }),
    );
    const tsc = spawnSync(process.execPath, [join(repo, 'node_modules/typescript/bin/tsc'), '--noEmit', '--pretty', 'false', '-p', 'tsconfig.scaffold.json'], {
      cwd: root,
      encoding: 'utf8',
    });
    expect(tsc.stdout.split('\n').filter((l) => /^(rules\/(index|example-rule)\.ts|test\/rules\/example-rule\.test\.ts)\(/.test(l))).toEqual([]);

    const run = vitest(root, ['test/rules/example-rule.test.ts', 'test/docs.test.ts', 'test/rules-registry.test.ts']);
    expect(run.output).toMatch(/Test Files {2}3 passed \(3\)/);
    expect(run.output).toMatch(/✓ .*test\/rules\/example-rule\.test\.ts \(2 tests\)/);
    expect(run.status, run.output).toBe(0);
  });

  it('the registry test fails on a rule file left unregistered', { timeout: 120_000 }, () => {
    const root = tempRoot(true);
    const index = readFileSync(join(root, 'rules/index.ts'), 'utf8');
    expect(newRule(['orphan-rule', '--root', root]).status).toBe(0);
    writeFileSync(join(root, 'rules/index.ts'), index);
    const run = vitest(root, ['test/rules-registry.test.ts']);
    expect(run.output).toMatch(/orphan-rule\.ts is registered exactly once/);
    expect(run.status).not.toBe(0);
  });

  it('the repository itself is untouched', () => {
    expect(existsSync(join(repo, 'rules/example-rule.ts'))).toBe(false);
    expect(existsSync(join(repo, 'rules/orphan-rule.ts'))).toBe(false);
    expect(readFileSync(join(repo, 'rules/index.ts'), 'utf8')).not.toMatch(/example-rule|orphan-rule|deleteRule/);
  });
});
