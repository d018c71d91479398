/**
 * Parse workers: a file parsed on a worker thread (`parseFile`, then `loadPrepared` on the main
 * thread), or parsed ahead by the main thread itself, must load exactly as `loadFile` loads it on
 * one thread, for every kind of input.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadFile, loadPrepared } from '../src/load/index.js';
import { AUTO_MIN_FILES, ConcurrencyError, loadInOrder, ParseWorkers, workerCount, workersToStart } from '../src/load/parallel.js';
import { parseFile } from '../src/load/read.js';
import { READ_TYPES } from '../src/model/index.js';
import { writeScenario, yaml } from './helpers/scenario.js';

const service = yaml`
  apiVersion: v1
  kind: Service
  metadata:
    name: web
    namespace: shop
    labels: {app: web, tier: "front"}
  spec:
    selector: {app: web}
    ports: [{name: http, port: 80, targetPort: 8080}]
`;

/** [name, file contents, whether the worker hands over parsed JSON]. */
const CASES: [string, string | Buffer, boolean][] = [
  ['a Service', service, true],
  ['several documents with empty ones', `---\n${service}---\n---\napiVersion: v1\nkind: Namespace\nmetadata: {name: shop}\n`, true],
  ['a byte order mark', `\uFEFF${service}`, true],
  ['YAML 1.1 scalars (yes, 0x10, 010, ~)', 'a: yes\nb: 0x10\nc: 010\nd: ~\ne: "on"\nf: 1_000\n', true],
  ['timestamps and binaries as strings', 'a: 2024-01-01\nb: !!binary aGVsbG8=\nc: !!timestamp 2024-01-01T00:00:00Z\n', true],
  ['a __proto__ key', '__proto__: {polluted: true}\na: 1\n', true],
  ['special floats', 'a: .nan\nb: -.inf\nc: .Inf\n', false],
  // Read as Infinity, which JSON would turn into null (found by the fuzz harness).
  ['numbers too large for a double', 'apiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec:\n  ports: [{port: 1e400}, {port: -1e999}]\n', false],
  ['a null value that is no infinity', 'apiVersion: v1\nkind: Service\nmetadata: {name: web, creationTimestamp: null}\n', true],
  ['anchors and aliases', 'base: &b {app: web}\nx: *b\ny: *b\n', false],
  ['a merge key', 'base: &b {app: web}\nx: {<<: *b, tier: front}\n', false],
  [
    'an alias bomb',
    `a: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\ne: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]\nf: [*e, *e, *e]\n`,
    false,
  ],
  ['a syntax error', 'apiVersion: v1\nkind: Service\nmetadata:\n  name: [web\n', false],
  ['duplicate keys', 'apiVersion: v1\nkind: Service\nkind: Pod\nmetadata: {name: web}\n', false],
  // Parses (as a flow mapping); the main thread still recognises the template.
  ['an unrendered Helm template', 'apiVersion: v1\nkind: Service\nmetadata:\n  name: {{ .Values.name }}\n', true],
  ['a binary file', Buffer.from([0x00, 0x01, 0x02, 0xff, 0xfe]), false],
  ['a JSON manifest', JSON.stringify({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop', labels: { a: 'b' } } }), true],
  ['a List', 'apiVersion: v1\nkind: List\nitems:\n  - apiVersion: v1\n    kind: Namespace\n    metadata: {name: a}\n', true],
  ['wrong types', 'apiVersion: v1\nkind: Service\nmetadata: "x"\n', true],
  ['an empty file', '', true],
  [
    'an Istio DestinationRule',
    'apiVersion: networking.istio.io/v1\nkind: DestinationRule\nmetadata: {name: web}\nspec:\n  host: web\n  subsets: [{name: v1, labels: {version: v1}}]\n',
    true,
  ],
  ['a suppression comment', '# mclint-disable-next-line schema\napiVersion: v1\nkind: Service\nmetadata: {name: web}\n', true],
  ['flow collections nested 1,200 deep', `a: ${'['.repeat(1200)}${']'.repeat(1200)}\n`, false],
  ['flow collections nested 600 deep (may be too deep: the main thread measures)', `a: ${'['.repeat(600)}${']'.repeat(600)}\n`, true],
  ['a long list', `items: [${'1,'.repeat(110_000)}1]\n`, true],
];

/**
 * Files handed over as JSON whose text is sent as well: the main thread must look at it (a possible
 * template, nesting or a collection that may cross a limit). Every other file handed over as JSON
 * leaves its text with the worker and sends its summary (`summarize`).
 */
const TEXT_SENT = new Set(['an unrendered Helm template', 'flow collections nested 600 deep (may be too deep: the main thread measures)', 'a long list']);

describe('a file parsed by a worker loads as it loads on one thread', () => {
  it.each(CASES)('%s', async (_name, content, viaJson) => {
    const root = writeScenario({ 'c/file.yaml': content });
    const path = join(root, 'c', 'file.yaml');
    const prepared = parseFile(path);
    expect(prepared.json !== undefined).toBe(viaJson);
    expect(prepared.summary !== undefined && prepared.text === undefined).toBe(viaJson && !TEXT_SENT.has(_name));
    // The worker message crosses threads by structured clone: model that too.
    const received = structuredClone(prepared);
    // What the main thread prepares for itself while it waits keeps parsed values instead.
    const local = parseFile(path, 'values');
    expect(local.json).toBeUndefined();
    for (const options of [{}, { retainTypes: READ_TYPES }]) {
      const expected = await loadFile(path, options);
      expect(await loadPrepared(path, received, options)).toEqual(expected);
      expect(await loadPrepared(path, local, options)).toEqual(expected);
    }
  });

  it('an unreadable path is skipped the same way', async () => {
    const path = join(writeScenario({}), 'missing.yaml');
    expect(parseFile(path)).toEqual({ skipped: 'unreadable' });
    expect(await loadPrepared(path, parseFile(path))).toEqual(await loadFile(path));
  });
});

describe('worker count', () => {
  it('auto: none for small repositories', () => {
    expect(workerCount('auto', AUTO_MIN_FILES - 1)).toBe(0);
  });

  it('0 means the calling thread; never more workers than batches of files', () => {
    expect(workerCount(0, 100_000)).toBe(0);
  });

  it('asking for workers where the worker script is not built is an error, not a silent fallback', () => {
    // Under vitest the sources run as TypeScript: there is no parse-worker.js next to them.
    expect(() => workerCount(2, 100_000)).toThrow(ConcurrencyError);
    expect(() => workersToStart(2)).toThrow(ConcurrencyError);
    expect(workerCount('auto', 100_000)).toBe(0);
    expect(workersToStart('auto')).toBe(0);
  });

  it('loadInOrder without workers yields every file in the order given', async () => {
    const root = writeScenario({ 'b.yaml': service, 'a.yaml': 'x: 1\n', 'c.yaml': Buffer.from([0]) });
    const paths = ['b.yaml', 'a.yaml', 'c.yaml'].map((f) => join(root, f));
    const out = [];
    for await (const f of loadInOrder(paths, {}, 0)) out.push(f);
    expect(out.map((f) => f.path)).toEqual(paths);
    expect(out[2].skipped).toBe('binary');
  });
});

describe('loadInOrder with worker threads (stand-in workers speaking the ParseWork protocol)', () => {
  /** A worker script that claims batches like parse-worker.ts; `mode` decides what it sends back. */
  function workerScript(mode: 'text' | 'crash-after-claim' | 'exit-at-once'): string {
    const body = `
      import { parentPort } from 'node:worker_threads';
      import { readFileSync } from 'node:fs';
      if (${JSON.stringify(mode)} !== 'exit-at-once') {
        parentPort.once('message', ({ batches, shared, worker }) => {
          for (let id = Atomics.add(shared, 0, 1); id < batches.length; id = Atomics.add(shared, 0, 1)) {
            Atomics.store(shared, 1 + id, worker);
            if (${JSON.stringify(mode)} === 'crash-after-claim' && id % 3 === 1) throw new Error('worker crashed');
            // Text only (the main thread parses it), or skipped as the real worker skips binaries.
            const prepare = (text) => (text.includes('\\0') ? { skipped: 'binary' } : { text });
            parentPort.postMessage({ id, files: batches[id].map((p) => prepare(readFileSync(p, 'utf8'))) });
          }
        });
      }
    `;
    return join(writeScenario({ 'worker.mjs': body }), 'worker.mjs');
  }

  /** 300 files (5 batches): Services, with a binary file and a syntax error among them. */
  function manyFiles(): string[] {
    const files: Record<string, string | Buffer> = {};
    for (let i = 0; i < 300; i++)
      files[`f${String(i).padStart(3, '0')}.yaml`] = i === 70 ? Buffer.from([0, 1]) : i === 140 ? 'a: [b\n' : service.replace('name: web', `name: web-${i}`);
    const root = writeScenario(files);
    return Object.keys(files).map((f) => join(root, f));
  }

  const collect = async (paths: string[], workers: number, script?: string) => {
    const out = [];
    for await (const f of loadInOrder(paths, { retainTypes: READ_TYPES }, workers, script)) out.push(f);
    return out;
  };

  it.each(['text', 'crash-after-claim', 'exit-at-once'] as const)('workers that %s: every file once, in order, as loaded on one thread', async (mode) => {
    const paths = manyFiles();
    const expected = await collect(paths, 0);
    expect(await collect(paths, 2, workerScript(mode))).toEqual(expected);
  });

  it.each(['text', 'exit-at-once'] as const)('workers started before the files are known (%s, and already done booting) load the same', async (mode) => {
    const paths = manyFiles();
    const expected = await collect(paths, 0);
    const pool = ParseWorkers.start(2, workerScript(mode));
    // Let them start (or exit) before the work exists, as discovery does in a run.
    await new Promise((resolve) => setTimeout(resolve, 300));
    const out = [];
    for await (const f of loadInOrder(paths, { retainTypes: READ_TYPES }, pool)) out.push(f);
    expect(out).toEqual(expected);
    expect(pool.size).toBe(0);
  });

  it('workers kept for nothing are stopped: a small repository loads on the calling thread', async () => {
    const paths = manyFiles().slice(0, 10);
    const pool = ParseWorkers.start(2, workerScript('text'));
    pool.resize(0);
    expect(pool.size).toBe(0);
    const out = [];
    for await (const f of loadInOrder(paths, {}, pool)) out.push(f);
    expect(out).toEqual(await Promise.all(paths.map((p) => loadFile(p))));
  });
});
