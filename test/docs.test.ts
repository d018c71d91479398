/**
 * The documentation users follow stays true: every rule has a complete page, and the README's
 * GitHub workflow and pre-commit snippets use what action.yml and .pre-commit-hooks.yaml declare.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { describe, expect, it } from 'vitest';
import { RULES } from '../rules/index.js';

const root = resolve(import.meta.dirname, '..');
const read = (path: string) => readFileSync(join(root, path), 'utf8');
const readme = read('README.md');

/** The fenced `yaml` blocks of a Markdown text. */
const yamlBlocks = (markdown: string) => [...markdown.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1]);

/**
 * The text of a README section, from its heading to the next heading of the same or a higher
 * level outside code blocks (a `# comment` in a YAML block is not a heading).
 */
function section(heading: string): string {
  const lines = readme.split('\n');
  const start = lines.indexOf(heading);
  expect(start, `README section "${heading}"`).toBeGreaterThanOrEqual(0);
  const level = heading.match(/^#+/)![0].length;
  let fenced = false;
  let end = start + 1;
  for (; end < lines.length; end++) {
    if (lines[end].startsWith('```')) fenced = !fenced;
    const h = !fenced && /^(#+) /.exec(lines[end]);
    if (h && h[1].length <= level) break;
  }
  return lines.slice(start + 1, end).join('\n');
}

describe('rule pages', () => {
  it.each(RULES.map((r) => [r.meta.id, r.meta]))('docs/rules/%s.md: what, why, bad and good examples, options, upstream behaviour', (id, meta) => {
    expect(meta.docs).toBe(`docs/rules/${id}.md`);
    expect(existsSync(join(root, meta.docs))).toBe(true);
    const page = read(meta.docs);
    expect(page.startsWith(`# ${id}\n`)).toBe(true);
    expect(page).toContain(`**Default severity:** ${meta.severity}`);
    const headings = [...page.matchAll(/^## (.+)$/gm)].map((m) => m[1]);
    for (const h of ['Why', 'Examples', 'Options', 'Upstream behaviour']) expect(headings).toContain(h);
    // The "what": a paragraph between the title block and the first section.
    expect(page.slice(0, page.indexOf('\n## ')).split('\n\n').length).toBeGreaterThanOrEqual(3);
    const examples = page.slice(page.indexOf('## Examples'));
    expect(examples).toMatch(/^Bad\b/m);
    expect(examples).toMatch(/^Good\b/m);
    expect(yamlBlocks(examples).length).toBeGreaterThan(0);
    expect(readme).toContain(`[\`${id}\`](docs/rules/${id}.md)`);
  });
});

describe('README: where to run it', () => {
  it('the GitHub workflow uses the action with declared inputs and outputs, and uploads the SARIF log', () => {
    const action = parseYaml(read('action.yml')) as { inputs: Record<string, unknown>; outputs: Record<string, unknown> };
    const blocks = yamlBlocks(section('### GitHub Action'));
    expect(blocks).toHaveLength(1);
    const workflow = parseYaml(blocks[0]) as {
      permissions: Record<string, string>;
      jobs: Record<string, { steps: { id?: string; uses?: string; if?: string; with?: Record<string, unknown> }[] }>;
    };
    expect(workflow.permissions['security-events']).toBe('write');
    const steps = Object.values(workflow.jobs)[0].steps;
    const mclint = steps.find((s) => s.uses?.startsWith('mclint/mclint@'))!;
    expect(mclint).toBeDefined();
    expect(Object.keys(mclint.with ?? {}).filter((k) => !(k in action.inputs))).toEqual([]);
    expect(mclint.with).toHaveProperty('sarif-file');
    const upload = steps.find((s) => s.uses?.startsWith('github/codeql-action/upload-sarif@'))!;
    expect(upload.with?.sarif_file).toBe(`\${{ steps.${mclint.id}.outputs.sarif-file }}`);
    expect(upload.if).toContain('!cancelled()');
    // Every `steps.<id>.outputs.<name>` the workflow reads is an output of the action.
    for (const m of blocks[0].matchAll(/steps\.mclint\.outputs\.([\w-]+)/g)) expect(action.outputs).toHaveProperty(m[1]);
  });

  it('the pre-commit snippets name the hooks that .pre-commit-hooks.yaml declares', () => {
    const hooks = parseYaml(read('.pre-commit-hooks.yaml')) as { id: string; language: string; types_or?: string[]; always_run?: boolean; pass_filenames?: boolean }[];
    expect(hooks).toEqual([
      // always_run: a commit that only deletes a manifest passes no file, and must still run the hook.
      expect.objectContaining({ id: 'mclint', language: 'node', types_or: ['yaml', 'json'], always_run: true }),
      expect.objectContaining({ id: 'mclint-clusterset', language: 'node', always_run: true, pass_filenames: false }),
    ]);
    const ids = yamlBlocks(section('### pre-commit')).map((snippet) => (parseYaml(snippet) as { repos: { hooks: { id: string }[] }[] }).repos[0].hooks.map((h) => h.id));
    expect(ids).toEqual([['mclint'], ['mclint-clusterset']]);
  });

  it('the npx section runs the package by its npm name, and the packed tarball', () => {
    const pkg = JSON.parse(read('package.json')) as { name: string; version: string; bin: Record<string, string> };
    // `mclint` on npm is an unrelated package: the npm name differs, the command stays.
    expect(pkg.name).toBe('kube-mclint');
    expect(Object.keys(pkg.bin)).toEqual(['mclint']);
    const npx = section('### npx: a one-off audit');
    expect(npx).toContain(`npx ${pkg.name} DIR`);
    expect(npx).toContain(`npx --yes ./${pkg.name}-${pkg.version}.tgz /path/to/repo`);
    expect(section('## Quick start')).toContain(`npx ${pkg.name} DIR`);
  });

  it('no documentation tells npx or npm to fetch the unrelated npm package `mclint`', () => {
    const docs = ['README.md', 'CONTRIBUTING.md', 'fixtures/submariner-clusterset/README.md', 'docs/limits.md'].map((p) => [p, read(p)]);
    for (const [path, text] of docs) {
      expect(text, path).not.toMatch(/\bnpx (--yes |-y )?mclint\b|\bnpm (i|install|add|exec)\b[^\n]*\smclint\b/);
    }
  });
});
