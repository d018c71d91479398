/**
 * Hostile input (issue 17, points 1–3): every stage linear in its input, explicit limits reported
 * where they are crossed, the same output on every run, thread, order and file name, and user
 * regular expressions on a linear-time engine. One test per reproducer of the issue; each asserts
 * findings, positions and bounded output, never timing.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { lintScenario, writeScenario, type Files } from './helpers/scenario.js';
import { bin, runCli } from './helpers/run-cli.js';
import { spawnSync } from 'node:child_process';
import { findPlaceholder, isPlaceholder } from '../src/base/placeholder.js';
import { MAX_COLLECTION_ENTRIES, MAX_NESTING, NESTING_MESSAGE } from '../src/load/limits.js';
import { MAX_LISTED_RANGES } from '../src/model/views/networks.js';
import { MAX_FIELD_CIDRS } from '../src/model/sources/facts.js';
import { lint } from '../src/lint.js';

const submariner = (id: string, clusterCIDR: string, serviceCIDR: string) =>
  `apiVersion: submariner.io/v1alpha1\nkind: Submariner\nmetadata: {name: submariner, namespace: submariner-operator}\nspec:\n  broker: k8s\n  clusterID: ${id}\n  clusterCIDR: ${clusterCIDR}\n  serviceCIDR: ${JSON.stringify(serviceCIDR)}\n`;
const broker = 'apiVersion: submariner.io/v1alpha1\nkind: Broker\nmetadata: {name: submariner-broker, namespace: submariner-k8s-broker}\nspec: {globalnetEnabled: false}\n';

/** Findings of a scenario as comparable rows (file, rule, line, column, message). */
async function rows(files: Files) {
  const r = await lintScenario(files);
  return r.relFindings.map((f) => ({ file: f.file, rule: f.ruleId, line: f.line, column: f.column, message: f.message }));
}

describe('every stage is linear in its input', () => {
  it('a syntax error before 40,000 keys: duplicate keys are found by the re-parse, at their positions', async () => {
    const keys = Array.from({ length: 40_000 }, (_, i) => `k${i}: I\n`).join('');
    const text = `a: [\n---\n${keys}k7: again\nk39999: again\n`;
    const found = await rows({ 'east/x.yaml': text });
    expect(found).toEqual([
      { file: 'east/x.yaml', rule: 'parse-error', line: 2, column: 1, message: expect.stringContaining('YAML syntax error') },
      { file: 'east/x.yaml', rule: 'parse-error', line: 40_003, column: 1, message: expect.stringContaining('Duplicate key "k7"') },
      { file: 'east/x.yaml', rule: 'parse-error', line: 40_004, column: 1, message: expect.stringContaining('Duplicate key "k39999"') },
    ]);
  });

  it('100,000 × "{{" then a later "}}": not a template; with Helm vocabulary in the first action, a template', async () => {
    const plain = await lintScenario({ 'east/x.yaml': `k: "${'{{'.repeat(100_000)}"\nz: "}}"\n` });
    expect(plain.findings).toEqual([]);
    expect(plain.stats.skipped.template).toEqual([]);
    const helm = await lintScenario({ 'east/x.yaml': `k: "${'{{'.repeat(100_000)} .Values.x"\nz: "}}"\n` });
    expect(helm.findings).toEqual([]);
    expect(helm.stats.skipped.template).toHaveLength(1);
  });

  it('a clusterCIDR of 160,000 × "${" is an invalid CIDR, not a placeholder; closed once, it is a placeholder', async () => {
    const open = '${'.repeat(160_000);
    expect(isPlaceholder(open)).toBe(false);
    expect(findPlaceholder(`${open}X}`)).toBe(`${open}X}`);
    expect(findPlaceholder(`${'{{'.repeat(50_000)}}}`)).toBe(`${'{{'.repeat(50_000)}}}`);
    expect(findPlaceholder(`${'{{'.repeat(50_000)}}`)).toBeUndefined();
    expect(findPlaceholder(`${'$('.repeat(50_000)}`)).toBeUndefined();
    const r = await lintScenario({ 'east/sub.yaml': submariner('east', `"${open}"`, '10.96.0.0/16') });
    const cidr = r.relFindings.filter((f) => f.message.includes('spec.clusterCIDR'));
    expect(cidr).toHaveLength(1);
    expect(cidr[0]).toMatchObject({ ruleId: 'schema', line: 7, column: 16 });
    expect(cidr[0].message.length).toBeLessThan(1000);
  });

  it('placeholders: the linear search finds what the single regular expression found', () => {
    const reference = /\$\{[^}]*\}|\$\([^)]*\)|\$[A-Z_][A-Z0-9_]*|\[[A-Z][A-Z0-9_ -]*\]|<[^<>]+>|\{\{[^}]*\}\}|\bx\.x\.x\.x\b/;
    const alphabet = ['$', '{', '}', '(', ')', 'A', 'a', '[', ']', '<', '>', 'x', '.', ' ', '_'];
    let seed = 7;
    const next = (n: number) => (seed = (seed * 1103515245 + 12345) % 2147483648) % n;
    for (let i = 0; i < 20_000; i++) {
      let s = '';
      for (let j = next(12); j > 0; j--) s += alphabet[next(alphabet.length)];
      expect(findPlaceholder(s), JSON.stringify(s)).toBe(reference.exec(s)?.[0]);
    }
  });

  it(`cidr-overlap names at most ${MAX_LISTED_RANGES} remote subnets, then "and N more"`, async () => {
    const subnets = Array.from({ length: MAX_FIELD_CIDRS }, (_, i) => `10.${i >> 8}.${i & 255}.0/24`);
    const r = await lintScenario({
      'a/sub.yaml': submariner('a', '172.16.0.0/16', subnets.join(',')),
      'a/broker.yaml': broker,
      'b/sub.yaml': submariner('b', '10.0.0.0/8', '192.168.0.0/16'),
    });
    const overlaps = r.relFindings.filter((f) => f.ruleId === 'cidr-overlap' && f.messageId === 'submariner');
    expect(overlaps).toHaveLength(MAX_FIELD_CIDRS);
    const listed = `[${subnets.slice(0, MAX_LISTED_RANGES).join(' ')} and ${MAX_FIELD_CIDRS + 1 - MAX_LISTED_RANGES} more]`;
    for (const f of overlaps) {
      expect(f).toMatchObject({ file: 'b/sub.yaml', line: 7, column: 16, cluster: 'b' });
      expect(f.data?.remoteSubnets).toBe(listed);
      expect(f.hint!.length).toBeLessThan(1500);
    }
  });

  it(`a CIDR field of 10,000 ranges is read up to ${MAX_FIELD_CIDRS} and reported once: the findings do not grow with the list`, async () => {
    const subnets = Array.from({ length: 10_000 }, (_, i) => `10.${i >> 8}.${i & 255}.0/24`);
    const r = await lintScenario({
      'a/sub.yaml': submariner('a', '172.16.0.0/16', subnets.join(',')),
      'a/broker.yaml': broker,
      'b/sub.yaml': submariner('b', '10.0.0.0/8', '192.168.0.0/16'),
    });
    const limit = r.relFindings.filter((f) => f.messageId === 'tooManyCidrs');
    expect(limit.map((f) => [f.ruleId, f.file, f.cluster, f.data?.problem])).toEqual([
      ['schema', 'a/sub.yaml', 'a', `Submariner spec.serviceCIDR lists 10000 CIDRs: mclint reads the first ${MAX_FIELD_CIDRS}`],
    ]);
    expect(r.relFindings.filter((f) => f.ruleId === 'cidr-overlap' && f.messageId === 'submariner')).toHaveLength(MAX_FIELD_CIDRS);
  });

  it('naming-convention runs the configured pattern on a linear-time engine: (a+)+$ against a 40-character name', async () => {
    const name = `${'a'.repeat(40)}!`;
    const r = await lintScenario({
      'mclint.config.yaml': "rules:\n  naming-convention: [error, { pattern: '(a+)+$' }]\n",
      [`${name}/svc.yaml`]: 'apiVersion: v1\nkind: Service\nmetadata: {name: web, namespace: shop}\nspec: {ports: [{port: 80}]}\n',
      'ok-aaa/svc.yaml': 'apiVersion: v1\nkind: Service\nmetadata: {name: web, namespace: shop}\nspec: {ports: [{port: 80}]}\n',
    });
    const naming = r.relFindings.filter((f) => f.ruleId === 'naming-convention');
    expect(naming.map((f) => [f.cluster, f.messageId, f.data?.pattern])).toEqual([[name, 'pattern', '(a+)+$']]);
  });

  it.each([
    ['a look-ahead', '(?=a)b', 'invalid or unsupported Perl syntax'],
    ['a back-reference', '(a)\\1', 'invalid escape sequence'],
  ])('a naming-convention pattern with %s is a config error naming RE2 reason', async (_what, pattern, reason) => {
    const root = writeScenario({
      'mclint.config.yaml': `rules:\n  naming-convention: [error, { pattern: ${JSON.stringify(pattern)} }]\n`,
      'east/svc.yaml': 'apiVersion: v1\nkind: Service\nmetadata: {name: web}\n',
    });
    await expect(lint({ dirs: [root] })).rejects.toThrow(
      new RegExp(`naming-convention.*pattern ${JSON.stringify(pattern).replace(/[\\()?]/g, '\\$&')} is not a pattern mclint can run: .*${reason}.*RE2`),
    );
  });
});

describe('explicit limits, reported where they are crossed', () => {
  const depth = MAX_NESTING + 1;
  const shapes: [string, (d: number) => string, number, number][] = [
    // [shape, text of nesting d (plus the top mapping for flow), line, column of the crossing]
    ['flow sequences', (d) => `a: ${'['.repeat(d)}${']'.repeat(d)}\n`, 1, 3 + MAX_NESTING],
    ['flow mappings', (d) => `a: ${'{a: '.repeat(d)}1${'}'.repeat(d)}\n`, 1, 4 * MAX_NESTING],
    ['block sequences', (d) => `${'- '.repeat(d)}x\n`, 1, 2 * MAX_NESTING + 1],
    ['flow sequences on short lines', (d) => `${'[\n'.repeat(d)}${']'.repeat(d)}\n`, depth, 1],
    ['block mappings', (d) => `${Array.from({ length: d }, (_, i) => `${' '.repeat(i)}k:`).join('\n')} 1\n`, depth, depth + 1],
  ];
  it.each(shapes)('%s: one finding at the crossing, whether js-yaml accepts the text (%#) or not', async (_shape, text, line, column) => {
    for (const d of [depth, 3000]) {
      const found = await rows({ 'east/deep.yaml': text(d) });
      expect(found).toEqual([{ file: 'east/deep.yaml', rule: 'parse-error', line, column, message: expect.stringContaining(NESTING_MESSAGE) }]);
    }
    expect(await rows({ 'east/deep.yaml': text(MAX_NESTING - 1) })).toEqual([]);
  });

  it('nesting made by aliases is reported at the alias where it crosses the limit', async () => {
    const n = 2 * MAX_NESTING;
    // Keys in descending numeric order: js-yaml objects list integer keys ascending, so the deepest chain comes first.
    const lines = [`  ${n}: &a0 [x]`, ...Array.from({ length: n - 1 }, (_, i) => `  ${n - 1 - i}: &a${i + 1} [*a${i}]`)];
    const found = await rows({ 'east/chain.yaml': `chain:\n${lines.join('\n')}\n` });
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ rule: 'parse-error', message: expect.stringContaining('once aliases are expanded') });
    expect(found[0].line).toBeGreaterThan(MAX_NESTING - 2);
  });

  it(`a list of more than ${MAX_COLLECTION_ENTRIES} entries is reported at the first entry beyond`, async () => {
    const found = await rows({ 'east/long.yaml': `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\nlist:\n${'- 1\n'.repeat(MAX_COLLECTION_ENTRIES + 5)}` });
    expect(found).toEqual([
      { file: 'east/long.yaml', rule: 'parse-error', line: 5 + MAX_COLLECTION_ENTRIES, column: 3, message: expect.stringContaining(`more than ${MAX_COLLECTION_ENTRIES} entries`) },
    ]);
  });
});

describe('config globs picomatch refuses', () => {
  it.each([
    ['overrides[0].files', `overrides:\n- files: ["${'y'.repeat(100_000)}"]\n  rules: {service-export-pairing: "off"}\n`],
    ['ignore', `ignore: ["${'y'.repeat(100_000)}"]\n`],
  ])('a %s glob over its 65,536-character limit is a config error (exit 2), not an internal error (found by the fuzz harness)', (where, config) => {
    const root = writeScenario({
      'mclint.config.yaml': config,
      'east/svc.yaml': 'apiVersion: v1\nkind: Service\nmetadata: {name: web, namespace: shop}\nspec: {ports: [{port: 80}]}\n',
      'west/svc.yaml': 'apiVersion: v1\nkind: Service\nmetadata: {name: web, namespace: shop}\nspec: {ports: [{port: 80}]}\n',
    });
    const r = runCli([root]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(`${where}: invalid glob: Input length: 100000, exceeds maximum allowed length: 65536`);
    expect(r.stderr).not.toContain('internal error');
  });
});

describe('the same input gives the same output', () => {
  const deep = `a: ${'['.repeat(5000)}${']'.repeat(5000)}\n`;
  const files: Files = {};
  for (let i = 0; i < 20; i++) files[`east/f${String(i).padStart(2, '0')}.yaml`] = deep;

  it('20 identical deeply nested files get 20 identical findings', async () => {
    const found = await rows(files);
    expect(found).toHaveLength(20);
    for (const f of found) expect({ ...f, file: undefined }).toEqual({ ...found[0], file: undefined });
    expect(found[0]).toMatchObject({ line: 1, column: 3 + MAX_NESTING, message: NESTING_MESSAGE });
  });

  it('a finding inside a kustomize patch nested deeper than the limit is placed the same whatever the call stack (built CLI, kubectl kustomize)', () => {
    const deepList = `${'['.repeat(990)}${']'.repeat(990)}`; // under the 1,000 levels js-yaml reads kustomize's output with
    const root = writeScenario({
      'east/base/submariner.yaml':
        'apiVersion: submariner.io/v1alpha1\nkind: Submariner\nmetadata: {name: submariner, namespace: submariner-operator}\nspec: {clusterID: east, globalCIDR: 242.0.0.0/16}\n',
      'east/base/kustomization.yaml': 'resources:\n- submariner.yaml\n',
      'east/kustomization.yaml': 'resources:\n- base\npatches:\n- path: global-cidr.yaml\n  target: {kind: Submariner}\n',
      'east/global-cidr.yaml': `- op: replace\n  path: /spec/globalCIDR\n  value: ${deepList}\n`,
      'west/svc.yaml': 'apiVersion: v1\nkind: Service\nmetadata: {name: web, namespace: shop}\nspec: {ports: [{port: 80}]}\n',
    });
    const env = { ...process.env };
    delete env.FORCE_COLOR;
    const run = (nodeFlags: string[]) => spawnSync(process.execPath, [...nodeFlags, bin, root, '-f', 'json'], { env, encoding: 'utf8' }).stdout;
    const normal = run([]);
    // A call stack large enough for the recursive YAML parser to reach the bottom: the place must not change.
    expect(run(['--stack-size=7000'])).toBe(normal);
    const report = JSON.parse(normal) as { filePath: string; messages: { ruleId: string; line: number; column: number }[] }[];
    const patch = report.find((f) => f.filePath === join(root, 'east/global-cidr.yaml'));
    expect(patch?.messages.map((m) => [m.ruleId, m.line, m.column])).toEqual([['schema', 1, 1]]);
  });

  it('a file with a duplicate key and nesting deeper than the limit gets the same finding whatever the call stack (built CLI)', () => {
    const root = writeScenario({
      'east/deep.yaml': `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\nmetadata: {name: b}\ndata: ${'['.repeat(2000)}${']'.repeat(2000)}\n`,
      'west/svc.yaml': 'apiVersion: v1\nkind: Service\nmetadata: {name: web, namespace: shop}\nspec: {ports: [{port: 80}]}\n',
    });
    const env = { ...process.env };
    delete env.FORCE_COLOR;
    const run = (nodeFlags: string[]) => spawnSync(process.execPath, [...nodeFlags, bin, root, '-f', 'json'], { env, encoding: 'utf8' }).stdout;
    const normal = run([]);
    expect(run(['--stack-size=7000'])).toBe(normal);
    expect(run(['--stack-size=500'])).toBe(normal);
    const report = JSON.parse(normal) as { filePath: string; messages: { message: string; line: number; column: number }[] }[];
    const deep = report.find((f) => f.filePath === join(root, 'east/deep.yaml'));
    expect(deep?.messages.map((m) => [m.message, m.line, m.column])).toEqual([[NESTING_MESSAGE, 5, 6 + MAX_NESTING]]); // the top-level mapping is the first level
  });

  it('--concurrency 2 and off give byte-identical JSON (built CLI)', () => {
    const big: Files = { ...files };
    // Enough files for a parse worker to take batches, mixing every limit with ordinary objects.
    for (let i = 0; i < 150; i++) big[`west/s${i}.yaml`] = `apiVersion: v1\nkind: Service\nmetadata: {name: s${i}, namespace: shop}\nspec: {ports: [{port: ${i + 1}}]}\n`;
    big['west/alias.yaml'] = 'a: &a [1, *a]\n';
    big['west/deep-map.yaml'] = `a: ${'{a: '.repeat(900)}1${'}'.repeat(900)}\n`;
    const root = writeScenario(big);
    const off = runCli([root, '-f', 'json', '--concurrency', 'off']);
    const two = runCli([root, '-f', 'json', '--concurrency', '2']);
    expect(off.stderr).toBe(two.stderr);
    expect(two.stdout).toBe(off.stdout);
    const report = JSON.parse(off.stdout) as { filePath: string; messages: { line: number; column: number }[] }[];
    const deepMap = report.find((f) => f.filePath === join(root, 'west/deep-map.yaml'))!;
    expect(deepMap.messages.map((m) => [m.line, m.column])).toEqual([[1, 4 * MAX_NESTING]]);
    expect(readFileSync(join(root, 'west/alias.yaml'), 'utf8')).toBe('a: &a [1, *a]\n');
  });
});
