/**
 * Issue 17 point 6: a property-based fuzz step. Generated ClusterSets (test/helpers/fuzz-manifests.ts,
 * fast-check with a FIXED seed, so every run of the suite sees the same inputs) are linted in process
 * through the public API (`lint` + the formatters) and a small sample through the built CLI.
 * Properties: exit code 0 or 1 (never an internal error from file contents), valid JSON, every
 * position inside its file (1-based line ≤ the file's line count, column ≥ 1), no stylish line that the
 * GitHub runner would execute, one well-formed workflow command per github line, and determinism:
 * the same report when the files are created in another order or renamed consistently (in process),
 * and parsed with `--concurrency 2` instead of off (the built CLI: workers need the built parse worker). `../shared/tools/fuzz/` is the larger external harness.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { lint, type LintResult } from '../src/lint.js';
import { FORMATTERS, reportInputOf } from '../src/report/index.js';
import { clusterSet, writeClusterSet, type GenCluster } from './helpers/fuzz-manifests.js';
import { runCli } from './helpers/run-cli.js';

/** The seed of every property here: change it only together with a note of what it found. */
const SEED = 20261202;
/** Generated ClusterSets linted in process; every `DETERMINISM_EVERY`-th is also re-run three ways. */
const RUNS = 160;
const DETERMINISM_EVERY = 4;
/** ClusterSets also run through the built CLI. */
const CLI_SAMPLES = 3;

const scratch = mkdtempSync(join(tmpdir(), 'mclint-fuzz-property-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
let counter = 0;

/** Lines the GitHub runner would execute: `::` after leading white space, or `##[` anywhere. */
const commandLines = (text: string) => text.split('\n').filter((l) => /^[\s\u0085]*::/.test(l) || l.includes('##['));

/** The exit code the CLI gives a result (src/cli.ts): 2 for internal errors, 1 for errors, else 0. */
const exitCode = (r: LintResult) => (r.internalErrors.length > 0 ? 2 : r.findings.some((f) => f.severity === 2) ? 1 : 0);

/** Lines of a text as a YAML parser counts them (LF, CRLF or a lone CR ends a line). */
const lineCount = (text: string) => text.split(/\r\n|\r|\n/).length;

interface Position {
  filePath: string;
  line: number;
  column: number;
}
interface JsonEntry {
  filePath: string;
  messages: (Position & { related: Position[] })[];
  notes?: (Position & { related: Position[] })[];
  suppressedMessages: (Position & { related: Position[] })[];
}

/** Every position of a JSON report outside its file, as `path:line:column (line count)`. */
function positionsOutside(entries: JsonEntry[], written: ReadonlyMap<string, string>): string[] {
  const bad: string[] = [];
  const check = (p: Position) => {
    const text = written.get(p.filePath);
    // Findings about a cluster folder or the ClusterSet point at a directory: only files are checked.
    if (text === undefined) return;
    if (!(Number.isInteger(p.line) && Number.isInteger(p.column) && p.line >= 1 && p.column >= 1 && p.line <= lineCount(text))) {
      bad.push(`${JSON.stringify(p.filePath)}:${p.line}:${p.column} (${lineCount(text)} lines)`);
    }
  };
  for (const e of entries) {
    for (const m of [...e.messages, ...(e.notes ?? []), ...e.suppressedMessages]) {
      check({ ...m, filePath: e.filePath });
      m.related.forEach(check);
    }
  }
  return bad;
}

/**
 * Lints a written ClusterSet in process (on the calling thread: under vitest the sources run as
 * TypeScript, without the built parse worker) and formats it as json, stylish (colors, verbose) and github.
 */
async function run(root: string) {
  const result = await lint({ dirs: [root], concurrency: 0, render: false });
  const input = (colorLevel: 0 | 1) => reportInputOf(result, { colorLevel, verbose: true, cwd: root });
  return {
    result,
    json: await FORMATTERS.json(input(0)),
    stylish: await FORMATTERS.stylish(input(1)),
    github: await FORMATTERS.github(input(0)),
  };
}

/** A report with the root (absolute and as displayed from the working directory) replaced by `<root>`. */
function normalised(text: string, root: string, prefix = ''): string {
  const shown = relative(process.cwd(), root);
  let out = text.split(root).join('<root>').split(shown).join('<root>');
  if (prefix) out = out.split(`/${prefix}`).join('/');
  return out;
}

describe('fuzz: generated ClusterSets (fast-check, fixed seed)', () => {
  it(`${RUNS} ClusterSets in process: exit 0/1, valid JSON, positions inside files, inert stylish, well-formed github, the same across file order and names`, async () => {
    let runIndex = 0;
    await fc.assert(
      fc.asyncProperty(clusterSet, async (set: GenCluster[]) => {
        const n = counter++;
        const root = join(scratch, `a${n}`);
        const written = writeClusterSet(root, set);
        const first = await run(root);
        expect(first.result.internalErrors.map((e) => `${e.ruleId}: ${e.message}`)).toEqual([]);
        expect([0, 1]).toContain(exitCode(first.result));
        const entries = JSON.parse(first.json) as JsonEntry[];
        expect(positionsOutside(entries, written)).toEqual([]);
        expect(commandLines(first.stylish)).toEqual([]);
        const githubLines = first.github.split('\n').slice(0, -1);
        expect(githubLines).toHaveLength(first.result.findings.length + first.result.notes.length);
        for (const line of githubLines) expect(line).toMatch(/^::(error|warning|notice) file=[^:,\n]*,line=\d+,col=\d+,endLine=\d+,endColumn=\d+,title=[a-z0-9-]+::[^\n]*$/);

        if (runIndex++ % DETERMINISM_EVERY === 0) {
          const expected = normalised(first.json, root);
          // Created in reverse order (another directory order on disk), under another root.
          const rootB = join(scratch, `b${n}`);
          writeClusterSet(rootB, set, { reverse: true });
          expect(normalised((await run(rootB)).json, rootB), 'files created in reverse order').toBe(expected);
          // Every file renamed with an order-preserving prefix.
          const rootC = join(scratch, `c${n}`);
          writeClusterSet(rootC, set, { prefix: 'Zq_' });
          expect(normalised((await run(rootC)).json, rootC, 'Zq_'), 'files renamed').toBe(expected);
          rmSync(rootB, { recursive: true, force: true });
          rmSync(rootC, { recursive: true, force: true });
        }
        rmSync(root, { recursive: true, force: true });
      }),
      { seed: SEED, numRuns: RUNS },
    );
  }, 600_000);

  it(`${CLI_SAMPLES} ClusterSets through the built CLI: exit 0/1, the same JSON as in process and with --concurrency 2 as off, no stylish line a workflow command`, async () => {
    for (const set of fc.sample(clusterSet, { seed: SEED + 1, numRuns: CLI_SAMPLES })) {
      const root = join(scratch, `cli${counter++}`);
      writeClusterSet(root, set);
      const inProcess = await run(root);
      const json = runCli([root, '--format', 'json', '--no-render', '--concurrency', 'off'], { cwd: process.cwd() });
      expect(json.status, json.stderr).toBe(exitCode(inProcess.result));
      expect([0, 1]).toContain(json.status);
      expect(json.stdout, json.stderr).toBe(inProcess.json);
      const parallel = runCli([root, '--format', 'json', '--no-render', '--concurrency', '2'], { cwd: process.cwd() });
      expect(parallel.stdout, '--concurrency 2').toBe(json.stdout);
      const stylish = runCli([root, '--verbose', '--no-render'], { cwd: process.cwd() });
      expect(stylish.status).toBe(json.status);
      expect(commandLines(stylish.stdout)).toEqual([]);
      expect(commandLines(stylish.stderr)).toEqual([]);
      rmSync(root, { recursive: true, force: true });
    }
  }, 300_000);
});
