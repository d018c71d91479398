/**
 * The import direction of the pipeline, checked with dependency-cruiser's API (`cruise`, the
 * library behind its `depcruise` command) over `src/` and `rules/`, type-only imports included.
 *
 * The rule: every module belongs to one layer of `LAYERS`, and imports only modules of its own
 * layer or of an earlier one; no import cycle, not even through type-only imports. The layers,
 * first to last:
 * - `src/base/`: shared types (`Place`, `Path`, `Span`), CIDR and placeholder parsing, helpers;
 *   it imports no stage, and every stage may import it;
 * - `src/schema/`: the JSON Schema validators every stage that reads YAML uses (config, load,
 *   render, model);
 * - the stages, in import order: load → config → discover → render → model → engine → rules →
 *   suppress → `src/lint.ts` (runs them all) → report → the entry points (`src/cli.ts`,
 *   `src/bin.ts`, `src/action/`, `src/v8-tuning.ts`).
 *
 * Import order is not data-flow order in one place: data flows discover → render → load
 * (kustomize and Helm print text, the loader turns it into objects), but `load/` is the YAML
 * library the other stages call — render parses and classifies what it renders with load's
 * `parseDocuments`, `classifyDocument` and `loadFile`, config locates its own errors with
 * `load/locate` — and load itself imports no stage. So load ranks first among the stages.
 *
 * On top, rules (`rules/*.ts`) import nothing from `src/load`, `src/discover`, `src/render` or
 * `src/config`: they read the model, never files or configuration.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cruise, type IForbiddenRuleType, type IViolation } from 'dependency-cruiser';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

/** The layers, first (imported by all) to last (imports all): name and the paths it holds. */
const LAYERS: readonly { name: string; path: string }[] = [
  { name: 'base', path: '^src/base/' },
  { name: 'schema', path: '^src/schema/' },
  { name: 'load', path: '^src/load/' },
  { name: 'config', path: '^src/config/' },
  { name: 'discover', path: '^src/discover/' },
  { name: 'render', path: '^src/render/' },
  { name: 'model', path: '^src/model/' },
  { name: 'engine', path: '^src/engine/' },
  { name: 'rules', path: '^rules/' },
  { name: 'suppress', path: '^src/suppress/' },
  { name: 'lint', path: '^src/lint\\.ts$' },
  { name: 'report', path: '^src/report/' },
  { name: 'entry', path: '^src/(cli\\.ts|bin\\.ts|v8-tuning\\.ts|action/)' },
];

/** Folders no rule may import from: the stages before the model. */
const NOT_FOR_RULES = ['src/load/', 'src/discover/', 'src/render/', 'src/config/'];

/** The forbidden-import rules: one per layer (no later layer), cycles, rules' imports, unresolved. */
function forbiddenRules(): IForbiddenRuleType[] {
  const rules: IForbiddenRuleType[] = LAYERS.slice(0, -1).map((layer, i) => ({
    name: `${layer.name}-imports-a-later-layer`,
    severity: 'error',
    from: { path: layer.path },
    to: {
      path: LAYERS.slice(i + 1)
        .map((l) => `(${l.path})`)
        .join('|'),
    },
  }));
  rules.push(
    { name: 'no-circular', severity: 'error', from: {}, to: { circular: true } },
    { name: 'rules-import-the-model-only', severity: 'error', from: { path: '^rules/' }, to: { path: NOT_FOR_RULES.map((p) => `^${p}`).join('|') } },
    // A rule file imports only the rule kit (rules/kit.ts), which chooses what rules may use.
    { name: 'rules-import-only-the-kit', severity: 'error', from: { path: '^rules/', pathNot: '^rules/(kit|index)\\.ts$' }, to: { path: '^src/' } },
    { name: 'not-resolvable', severity: 'error', from: {}, to: { couldNotResolve: true, dependencyTypesNot: ['core'] } },
  );
  return rules;
}

/** One line per violation: rule, importing module → imported module (and the cycle, if one). */
function describeViolation(v: IViolation): string {
  const cycle = v.cycle?.length ? ` (cycle: ${[v.from, ...v.cycle.map((c) => c.name)].join(' → ')})` : '';
  return `${v.rule.name}: ${v.from} → ${v.to}${cycle}`;
}

/**
 * Cruises `dirs` below `baseDir` (TypeScript sources, `.js` specifiers resolved to `.ts` as
 * NodeNext does) and returns the violations as text plus every module seen.
 */
async function check(baseDir: string, dirs: string[]): Promise<{ violations: string[]; modules: string[] }> {
  const result = await cruise(dirs, {
    baseDir,
    validate: true,
    ruleSet: { forbidden: forbiddenRules() },
    tsPreCompilationDeps: true,
    doNotFollow: { path: 'node_modules' },
    exclude: { path: 'node_modules' },
  });
  const output = result.output;
  if (typeof output === 'string') throw new Error('dependency-cruiser returned text, not a result');
  const violations = output.summary.violations.map(describeViolation).sort();
  return { violations, modules: output.modules.map((m) => m.source).filter((s) => !s.startsWith('node_modules/')) };
}

describe('import direction (dependency-cruiser)', () => {
  it('src/ and rules/ import only their own or earlier layers, with no cycle', async () => {
    const { violations, modules } = await check(ROOT, ['src', 'rules']);
    expect(violations, `wrong-direction or circular imports:\n${violations.join('\n')}`).toEqual([]);
    // The cruise really saw the code (a wrong base directory would find nothing, and so no violation).
    expect(modules).toContain('src/base/types.ts');
    expect(modules).toContain('rules/index.ts');
    expect(modules).toContain('src/load/classify.ts');
    // Every module is in a layer, so that a new folder gets a place in `LAYERS` before it is checked.
    const unplaced = modules.filter((m) => (m.startsWith('src/') || m.startsWith('rules/')) && !LAYERS.some((l) => new RegExp(l.path).test(m)));
    expect(unplaced, `modules in no layer of test/architecture.test.ts:\n${unplaced.join('\n')}`).toEqual([]);
  });

  describe('the check reports what it should (a scratch tree)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mclint-architecture-'));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));
    const write = (files: Record<string, string>) => {
      const root = mkdtempSync(join(dir, 'case-'));
      for (const [path, text] of Object.entries(files)) {
        mkdirSync(dirname(join(root, path)), { recursive: true });
        writeFileSync(join(root, path), text);
      }
      return root;
    };

    it.each<{ name: string; files: Record<string, string>; expected: string[] }>([
      {
        name: 'earlier imports: no violation',
        files: {
          'src/base/types.ts': 'export type Path = readonly string[];\n',
          'src/load/read.ts': "import type { Path } from '../base/types.js';\nexport const p: Path = [];\n",
          'src/render/helm.ts': "import { p } from '../load/read.js';\nexport const q = p;\n",
          'rules/kit.ts': "export type { Path } from '../src/base/types.js';\n",
          'rules/a.ts': "import type { Path } from './kit.js';\nexport const r: Path = [];\n",
        },
        expected: [],
      },
      {
        name: 'a stage importing a later one (type-only too)',
        files: {
          'src/load/types.ts': "import type { Q } from '../model/types.js';\nexport type P = Q;\n",
          'src/model/types.ts': 'export type Q = string;\n',
        },
        expected: ['load-imports-a-later-layer: src/load/types.ts → src/model/types.ts'],
      },
      {
        name: 'the base importing a stage',
        files: {
          'src/base/cidr.ts': "import { x } from '../config/index.js';\nexport const y = x;\n",
          'src/config/index.ts': 'export const x = 1;\n',
        },
        expected: ['base-imports-a-later-layer: src/base/cidr.ts → src/config/index.ts'],
      },
      {
        name: 'a cycle inside one stage',
        files: {
          'src/model/a.ts': "import { b } from './b.js';\nexport const a = () => b;\n",
          'src/model/b.ts': "import { a } from './a.js';\nexport const b = () => a;\n",
        },
        // dependency-cruiser reports a cycle once, at the first import that closes it.
        expected: ['no-circular: src/model/a.ts → src/model/b.ts (cycle: src/model/a.ts → src/model/b.ts → src/model/a.ts)'],
      },
      {
        name: 'a rule importing the load stage',
        files: {
          'rules/a.ts': "import type { LoadedFile } from '../src/load/types.js';\nexport type F = LoadedFile;\n",
          'src/load/types.ts': 'export type LoadedFile = string;\n',
        },
        expected: ['rules-import-only-the-kit: rules/a.ts → src/load/types.ts', 'rules-import-the-model-only: rules/a.ts → src/load/types.ts'],
      },
      {
        name: 'a rule importing the model past the kit',
        files: {
          'rules/a.ts': "import type { M } from '../src/model/types.js';\nexport type F = M;\n",
          'rules/kit.ts': "export type { M } from '../src/model/types.js';\n",
          'src/model/types.ts': 'export type M = string;\n',
        },
        expected: ['rules-import-only-the-kit: rules/a.ts → src/model/types.ts'],
      },
      {
        name: 'an import that does not resolve',
        files: { 'src/model/a.ts': "import { gone } from './gone.js';\nexport const a = gone;\n" },
        expected: ['not-resolvable: src/model/a.ts → ./gone.js'],
      },
    ])('$name', async ({ files, expected }) => {
      const root = write(files);
      const dirs = [...new Set(Object.keys(files).map((f) => f.split('/')[0]))];
      expect((await check(root, dirs)).violations).toEqual(expected);
    });
  });
});
