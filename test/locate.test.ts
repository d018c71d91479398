import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FILE_START, locatePlaces } from '../src/load/locate.js';
import type { Path, Place, Span } from '../src/base/types.js';
import { writeScenario, yaml } from './helpers/scenario.js';

const span = (line: number, column: number, endLine: number, endColumn: number): Span => ({ line, column, endLine, endColumn });

/** Resolves one place in a file written from `text`. */
async function locate(text: string | Buffer, doc: number, path: Path): Promise<Span | undefined> {
  const root = writeScenario({ 'f.yaml': text });
  const place: Place = { file: join(root, 'f.yaml'), doc, path };
  const result = await locatePlaces([place]);
  expect(result.size).toBe(1);
  return result.get(place);
}

// Lines are numbered in the comments; columns are 1-based, end column exclusive.
const SERVICE = yaml`
  apiVersion: v1
  kind: Service
  metadata:
    name: web
    namespace: "prod"
    labels:
      app: web
  spec:
    ports:
      - name: http
        port: 80
      - name: https
        port: 443
    selector: {app: web, tier: 'front'}
  status:
`;
//  1 apiVersion: v1
//  2 kind: Service
//  3 metadata:
//  4   name: web
//  5   namespace: "prod"
//  6   labels:
//  7     app: web
//  8 spec:
//  9   ports:
// 10     - name: http
// 11       port: 80
// 12     - name: https
// 13       port: 443
// 14   selector: {app: web, tier: 'front'}
// 15 status:

describe('locatePlaces in one document', () => {
  it.each<[string, Path, Span]>([
    ['a nested plain scalar value', ['metadata', 'name'], span(4, 9, 4, 12)],
    ['a double-quoted value, quotes included', ['metadata', 'namespace'], span(5, 14, 5, 20)],
    ['a value two levels down', ['metadata', 'labels', 'app'], span(7, 10, 7, 13)],
    ['a top-level scalar value', ['kind'], span(2, 7, 2, 14)],
    ['a key whose value is a block mapping → the key', ['metadata'], span(3, 1, 3, 9)],
    ['a nested key whose value is a block mapping → the key', ['metadata', 'labels'], span(6, 3, 6, 9)],
    ['a key whose value is a block sequence → the key', ['spec', 'ports'], span(9, 3, 9, 8)],
    ['a key with an empty value → the key', ['status'], span(15, 1, 15, 7)],
    ['a missing field → the deepest existing key', ['metadata', 'annotations', 'x'], span(3, 1, 3, 9)],
    ['a missing field under an existing mapping → that mapping key', ['metadata', 'labels', 'tier'], span(6, 3, 6, 9)],
    ['a path through a scalar → the scalar key', ['metadata', 'name', 'first'], span(4, 3, 4, 7)],
    ['a field below an empty value → that key', ['status', 'loadBalancer', 'ingress'], span(15, 1, 15, 7)],
    ['a sequence index then a key', ['spec', 'ports', 1, 'port'], span(13, 13, 13, 16)],
    ['the first sequence item', ['spec', 'ports', 0, 'name'], span(10, 13, 10, 17)],
    ['a sequence item that is a block mapping → its first line', ['spec', 'ports', 1], span(12, 7, 12, 18)],
    ['an index past the end → the sequence key', ['spec', 'ports', 5, 'port'], span(9, 3, 9, 8)],
    ['a string index into a sequence → the sequence key', ['spec', 'ports', 'name'], span(9, 3, 9, 8)],
    ['a single-quoted value in a flow mapping, quotes included', ['spec', 'selector', 'tier'], span(14, 30, 14, 37)],
    ['a plain value in a flow mapping', ['spec', 'selector', 'app'], span(14, 19, 14, 22)],
    ['a key whose value is a flow mapping → the flow mapping', ['spec', 'selector'], span(14, 13, 14, 38)],
    ['the document root → its first line', [], span(1, 1, 1, 15)],
  ])('%s', async (_name, path, expected) => {
    expect(await locate(SERVICE, 0, path)).toEqual(expected);
  });

  it('a flow mapping document {a: 1}', async () => {
    expect(await locate('{a: 1, b: {c: "x"}}\n', 0, ['a'])).toEqual(span(1, 5, 1, 6));
    expect(await locate('{a: 1, b: {c: "x"}}\n', 0, ['b', 'c'])).toEqual(span(1, 15, 1, 18));
    expect(await locate('{a: 1, b: {c: "x"}}\n', 0, ['b'])).toEqual(span(1, 11, 1, 19));
  });

  it('a multi-line JSON manifest', async () => {
    const json = '{\n  "apiVersion": "v1",\n  "kind": "ConfigMap",\n  "metadata": {\n    "name": "j"\n  }\n}\n';
    expect(await locate(json, 0, ['metadata', 'name'])).toEqual(span(5, 13, 5, 16));
    expect(await locate(json, 0, ['metadata', 'labels'])).toEqual(span(4, 3, 4, 13));
  });

  it('a value that spans lines (block scalar) ends on a later line', async () => {
    const text = 'data:\n  script: |\n    echo one\n    echo two\nnext: 1\n';
    const s = await locate(text, 0, ['data', 'script']);
    expect(s?.line).toBe(2);
    expect(s?.column).toBe(11);
    expect(s!.endLine).toBeGreaterThan(2);
  });

  it('keys are matched by their YAML 1.1 value, as the loader names them (on → "true", 0x10 → "16")', async () => {
    const text = 'on: push\n0x10: sixteen\n';
    expect(await locate(text, 0, ['true'])).toEqual(span(1, 5, 1, 9));
    expect(await locate(text, 0, ['16'])).toEqual(span(2, 7, 2, 14));
  });

  it('a BOM does not shift columns', async () => {
    const text = 'metadata:\n  name: web\n';
    expect(await locate('\ufeff' + text, 0, ['metadata', 'name'])).toEqual(span(2, 9, 2, 12));
    expect(await locate(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]), 0, ['metadata', 'name'])).toEqual(span(2, 9, 2, 12));
  });
});

describe('locatePlaces across documents', () => {
  const MULTI = yaml`
    ---
    ---
    # only a comment
    ---
    apiVersion: v1
    kind: ConfigMap
    metadata:
      name: first
    ---
    apiVersion: v1
    kind: ConfigMap
    metadata:
      name: second
    data:
      key: "value"
  `;

  it.each<[string, number, Path, Span]>([
    ['first non-empty document', 0, ['metadata', 'name'], span(8, 9, 8, 14)],
    ['second non-empty document', 1, ['metadata', 'name'], span(13, 9, 13, 15)],
    ['second document, quoted value', 1, ['data', 'key'], span(15, 8, 15, 15)],
    ['second document, missing field', 1, ['data', 'other'], span(14, 1, 14, 5)],
    ['second document root', 1, [], span(10, 1, 10, 15)],
  ])('doc indexes count only non-empty documents: %s', async (_name, doc, path, expected) => {
    expect(await locate(MULTI, doc, path)).toEqual(expected);
  });

  it('a null document (~) is not counted either', async () => {
    const text = 'a: 1\n---\n~\n---\nb: 2\n';
    expect(await locate(text, 1, ['b'])).toEqual(span(5, 4, 5, 5));
  });

  it('an anchored empty document is not counted (the loader skips it too)', async () => {
    const text = '--- &a\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n';
    expect(await locate(text, 0, ['metadata', 'name'])).toEqual(span(6, 9, 6, 10));
  });

  it('a doc index past the last document → file start', async () => {
    expect(await locate(MULTI, 2, ['metadata', 'name'])).toEqual(FILE_START);
  });
});

describe('locatePlaces in a kind: List', () => {
  const LIST = yaml`
    apiVersion: v1
    kind: List
    items:
      - apiVersion: v1
        kind: ConfigMap
        metadata:
          name: a
      - apiVersion: v1
        kind: ConfigMap
        metadata:
          name: bee
  `;

  it.each<[string, Path, Span]>([
    ['second item name', ['items', 1, 'metadata', 'name'], span(11, 13, 11, 16)],
    ['first item name', ['items', 0, 'metadata', 'name'], span(7, 13, 7, 14)],
    ['second item kind', ['items', 1, 'kind'], span(9, 11, 9, 20)],
    ['second item metadata key', ['items', 1, 'metadata'], span(10, 5, 10, 13)],
    ['an item itself → its first line', ['items', 1], span(8, 5, 8, 19)],
    ['missing field in an item → deepest key', ['items', 1, 'metadata', 'namespace'], span(10, 5, 10, 13)],
  ])('%s', async (_name, path, expected) => {
    expect(await locate(LIST, 0, path)).toEqual(expected);
  });
});

describe('locatePlaces through merge keys', () => {
  const MERGE = yaml`
    base: &base
      image: nginx:1.25
      replicas: 2
    web:
      <<: *base
      replicas: 3
    multi:
      <<: [*base, {extra: yes}]
  `;

  it.each<[string, Path, Span]>([
    ['a value only in the merged mapping → the anchored value', ['web', 'image'], span(2, 10, 2, 20)],
    ['a value overridden locally → the local value', ['web', 'replicas'], span(6, 13, 6, 14)],
    ['a value from an inline mapping of a merge sequence', ['multi', 'extra'], span(8, 23, 8, 26)],
    ['a value from an alias of a merge sequence', ['multi', 'replicas'], span(3, 13, 3, 14)],
    ['a field missing from both → the holding key', ['web', 'missing'], span(4, 1, 4, 4)],
  ])('%s', async (_name, path, expected) => {
    expect(await locate(MERGE, 0, path)).toEqual(expected);
  });
});

describe('locatePlaces without text', () => {
  it('a place with doc -1 (directory) → line 1 column 1', async () => {
    const root = writeScenario({ 'east/a.yaml': 'a: 1\n' });
    const place: Place = { file: join(root, 'east'), doc: -1, path: [] };
    const result = await locatePlaces([place]);
    expect(result.get(place)).toEqual(span(1, 1, 1, 1));
  });

  it('doc -1 wins even when the path names a real file and field', async () => {
    const root = writeScenario({ 'a.yaml': 'x:\n  y: 1\n' });
    const place: Place = { file: join(root, 'a.yaml'), doc: -1, path: ['x', 'y'] };
    expect((await locatePlaces([place])).get(place)).toEqual(span(1, 1, 1, 1));
  });

  it.each([
    ['a nonexistent file', (root: string) => join(root, 'missing.yaml')],
    ['a directory passed with doc 0', (root: string) => root],
  ])('%s → line 1 column 1', async (_name, at) => {
    const root = writeScenario({ 'a.yaml': 'x: 1\n' });
    const place: Place = { file: at(root), doc: 0, path: ['x'] };
    const result = await locatePlaces([place]);
    expect(result.get(place)).toEqual(span(1, 1, 1, 1));
  });

  it('an empty iterable gives an empty map', async () => {
    expect((await locatePlaces([])).size).toBe(0);
  });
});

describe('locatePlaces result map', () => {
  it('is keyed by the Place objects passed in, several places and files at once', async () => {
    const root = writeScenario({ 'a.yaml': 'x: 1\nw: 22\n', 'b.yaml': 'z: 333\n' });
    const a = join(root, 'a.yaml');
    const x1: Place = { file: a, doc: 0, path: ['x'] };
    const x2: Place = { file: a, doc: 0, path: ['x'] };
    const w: Place = { file: a, doc: 0, path: ['w'] };
    const z: Place = { file: join(root, 'b.yaml'), doc: 0, path: ['z'] };
    const dir: Place = { file: root, doc: -1, path: [] };
    const result = await locatePlaces(new Set([x1, x2, w, z, dir]));
    expect(result.size).toBe(5);
    expect([...result.keys()].every((k) => [x1, x2, w, z, dir].includes(k))).toBe(true);
    expect(result.get(x1)).toEqual(span(1, 4, 1, 5));
    expect(result.get(x2)).toEqual(span(1, 4, 1, 5));
    expect(result.get(w)).toEqual(span(2, 4, 2, 6));
    expect(result.get(z)).toEqual(span(1, 4, 1, 7));
    expect(result.get(dir)).toEqual(span(1, 1, 1, 1));
    expect(result.get({ file: a, doc: 0, path: ['x'] })).toBeUndefined();
  });

  it('accepts any iterable (a generator)', async () => {
    const root = writeScenario({ 'a.yaml': 'x: 1\n' });
    const place: Place = { file: join(root, 'a.yaml'), doc: 0, path: ['x'] };
    function* gen() {
      yield place;
    }
    expect((await locatePlaces(gen())).get(place)).toEqual(span(1, 4, 1, 5));
  });
});

describe('locatePlaces with CRLF line endings', () => {
  const CRLF = 'spec:\r\n  ports:\r\n    - name: http\r\n      port: 80\r\n';

  it.each<[string, Path, Span]>([
    ['a scalar value', ['spec', 'ports', 0, 'port'], span(4, 13, 4, 15)],
    ['a key whose value is a block collection', ['spec', 'ports'], span(2, 3, 2, 8)],
    ['a sequence item → its first line, without the carriage return', ['spec', 'ports', 0], span(3, 7, 3, 17)],
  ])('%s', async (_name, path, expected) => {
    expect(await locate(CRLF, 0, path)).toEqual(expected);
  });
});

describe('locatePlaces after tagged empty documents', () => {
  it.each(['--- !!str', '--- !foo', '--- !!map'])('a document after "%s" keeps its index', async (first) => {
    const root = writeScenario({ 'f.yaml': `${first}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n` });
    const place = { file: join(root, 'f.yaml'), doc: 0, path: ['metadata', 'name'] };
    const spans = await locatePlaces([place]);
    expect(spans.get(place)).toEqual({ line: 6, column: 9, endLine: 6, endColumn: 10 });
  });
});
