/**
 * The speed box (`src/base/memory.ts`): each technique gives values equal to what it was given,
 * shares what it says it shares, and its run-scoped tables are emptied when a run's model is
 * finished. And no rule imports the box.
 */
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cruise } from 'dependency-cruiser';
import { describe, expect, it } from 'vitest';
import { RunTable, compact, detached, kept, objectList, releaseRunMemory, sharedApiVersion, sharedPath } from '../src/base/memory.js';
import { ModelBuilder } from '../src/model/index.js';
import type { FileConfig } from '../src/config/index.js';
import type { Path } from '../src/base/types.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

/** A string equal to `s` but not the same heap object (built at run time from two halves). */
const fresh = (s: string) => s.slice(0, 1) + s.slice(1);

describe('kept (string interning)', () => {
  it.each([
    ['short', 'v1'],
    ['13 characters', 'kube-system-x'],
    ['63 characters', 'a'.repeat(63)],
  ])('returns one shared copy of equal strings: %s', (_name, s) => {
    const a = kept(fresh(s));
    const b = kept(fresh(s));
    expect(a).toBe(s);
    expect(b).toBe(s);
    // The same heap object: shared, not merely equal.
    expect(Object.is(a, b)).toBe(true);
    const m = new Map([[a, 1]]);
    expect(m.get(b)).toBe(1);
  });

  it('returns undefined for undefined and an equal string over 63 characters', () => {
    expect(kept(undefined)).toBeUndefined();
    const long = 'b'.repeat(64);
    expect(kept(fresh(long))).toBe(long);
  });

  it('starts a new table after releaseRunMemory: values stay equal', () => {
    const before = kept(fresh('released-string-value'));
    releaseRunMemory();
    const after = kept(fresh('released-string-value'));
    expect(after).toBe(before);
  });
});

describe('detached', () => {
  it.each([undefined, '', 'short', 'a string longer than thirteen characters'])('returns an equal value: %s', (s) => {
    expect(detached(s)).toBe(s);
  });
});

describe('sharedApiVersion', () => {
  it.each([
    ['apps/v1', 'apps', 'v1'],
    ['v1', '', 'v1'],
    ['networking.istio.io/v1beta1', 'networking.istio.io', 'v1beta1'],
    ['a/b/c', 'a/b', 'c'],
    ['', '', ''],
  ])('%s → group %j, version %j', (apiVersion, group, version) => {
    const parts = sharedApiVersion(fresh(apiVersion));
    expect(parts).toEqual({ apiVersion, group, version });
    expect(sharedApiVersion(apiVersion)).toBe(parts);
  });
});

describe('sharedPath', () => {
  it.each<{ base: Path; path: Path; expected: Path }>([
    { base: [], path: ['spec', 'host'], expected: ['spec', 'host'] },
    { base: ['items', 0], path: ['spec', 'host'], expected: ['items', 0, 'spec', 'host'] },
    { base: ['items', 1], path: [], expected: ['items', 1] },
    { base: [], path: [], expected: [] },
    // A number segment and its string form are different paths.
    { base: [], path: ['ports', 0], expected: ['ports', 0] },
    { base: [], path: ['ports', '0'], expected: ['ports', '0'] },
  ])('$base + $path', ({ base, path, expected }) => {
    const a = sharedPath(base, path);
    expect(a).toEqual(expected);
    expect(Object.isFrozen(a)).toBe(true);
    // Equal segments give the same array, whatever arrays they came in.
    expect(sharedPath([...base], [...path])).toBe(a);
    expect(sharedPath([], [...base, ...path])).toBe(a);
  });

  it("never returns the caller's array", () => {
    const path = ['spec', 'unshared-segment'];
    const shared = sharedPath([], path);
    expect(shared).not.toBe(path);
    path.push('more');
    expect(shared).toEqual(['spec', 'unshared-segment']);
  });

  it('shares equal paths again after a release', () => {
    const a = sharedPath([], ['metadata', 'name']);
    releaseRunMemory();
    const b = sharedPath([], ['metadata', 'name']);
    expect(b).toEqual(a);
    expect(sharedPath([], ['metadata', 'name'])).toBe(b);
  });
});

describe('objectList and compact', () => {
  it('objectList is an empty, growable list', () => {
    const list = objectList<{ n: number }>();
    expect(list).toEqual([]);
    list.push({ n: 1 }, { n: 2 });
    expect(list).toEqual([{ n: 1 }, { n: 2 }]);
  });

  it.each([[[]], [[1]], [[{ a: 1 }, { b: 2 }]]])('compact(%j) is an equal list', (list: unknown[]) => {
    const out = compact(list);
    expect(out).toEqual(list);
    if (list.length === 0) expect(out).toBe(list);
    else expect(out).not.toBe(list);
  });
});

describe('RunTable', () => {
  it('makes its table once per run and a new one after releaseRunMemory', () => {
    let made = 0;
    const table = new RunTable(() => {
      made++;
      return new Map<string, number>();
    });
    expect(made).toBe(0);
    table.get().set('a', 1);
    expect(table.get().get('a')).toBe(1);
    expect(made).toBe(1);
    releaseRunMemory();
    expect(table.get().get('a')).toBeUndefined();
    expect(made).toBe(2);
  });

  it('ModelBuilder.finish ends the run: its tables start empty afterwards', () => {
    const table = new RunTable(() => new Map<string, number>());
    table.get().set('a', 1);
    const config: FileConfig = { dir: ROOT, clusterDomain: 'cluster.local', rules: {}, ignore: [], overrides: [], noInlineConfig: false };
    new ModelBuilder({ sets: [], outside: [] }, config).finish(new Map());
    expect(table.get().size).toBe(0);
  });
});

describe('no rule sees the box', () => {
  it('no module in rules/ imports src/base/memory.ts (dependency-cruiser)', async () => {
    const result = await cruise(['rules'], {
      baseDir: ROOT,
      tsPreCompilationDeps: true,
      doNotFollow: { path: '^(src|node_modules)/' },
      exclude: { path: 'node_modules' },
    });
    const output = result.output;
    if (typeof output === 'string') throw new Error('dependency-cruiser returned text, not a result');
    const ruleModules = output.modules.filter((m) => m.source.startsWith('rules/'));
    // The cruise really saw the rules (a wrong base directory would find none, and so no import).
    expect(ruleModules.map((m) => m.source)).toContain('rules/index.ts');
    // …and resolved their imports of src/ (the kit's or the model's), so a box import would show.
    expect(ruleModules.some((m) => m.dependencies.some((d) => d.resolved.startsWith('src/')))).toBe(true);
    const importers = ruleModules.filter((m) => m.dependencies.some((d) => d.resolved === 'src/base/memory.ts')).map((m) => m.source);
    expect(importers).toEqual([]);
  });
});
