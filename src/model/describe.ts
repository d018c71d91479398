/**
 * Wording shared by rule messages: how objects, files and facts are named, so every message
 * names the two sides of a problem the same way.
 */
import { relative, sep } from 'node:path';
import { RunTable } from '../base/memory.js';
import type { ManifestObject } from '../load/types.js';
import type { Path, Place } from '../base/types.js';
import type { Cidr } from '../base/cidr.js';
import type { Fact } from './types.js';

/** A file path as messages show it: relative to the current directory, `/`-separated. */
export function displayPath(file: string): string {
  const cwd = process.cwd();
  const memo = DISPLAY_PATHS.get();
  if (memo.cwd !== cwd) {
    memo.cwd = cwd;
    memo.paths.clear();
  }
  let shown = memo.paths.get(file);
  if (shown === undefined) {
    const rel = relative(cwd, file);
    memo.paths.set(file, (shown = (rel === '' ? '.' : rel.startsWith('..') ? file : rel).split(sep).join('/')));
  }
  return shown;
}

/** A run's memo of `displayPath` (thousands of findings in one file name it thousands of times), for one working directory. */
const DISPLAY_PATHS = new RunTable(() => ({ cwd: '', paths: new Map<string, string>() }));

/** `namespace/name`, or `name` when the namespace is left to apply time. */
export function namespacedName(namespace: string | undefined, name: string): string {
  return namespace === undefined ? name : `${namespace}/${name}`;
}

/** `Kind "namespace/name"` (or `Kind "name"`, or just `Kind`). */
export function objectLabel(object: ManifestObject): string {
  if (object.name === undefined) return object.kind;
  return `${object.kind} "${namespacedName(object.namespace, object.name)}"`;
}

/** `10.0.0.0/16`, or `10.10.30.0/16 (= 10.10.0.0/16)` when host bits are set. */
export function cidrText(cidr: Cidr): string {
  return cidr.hostBitsSet ? `${cidr.text} (= ${cidr.network})` : cidr.text;
}

/** Where a fact comes from, for messages: `Submariner spec.clusterCIDR in clusters/a/sub.yaml`. */
export function factOrigin(fact: Fact<unknown>): string {
  return `${fact.source.origin} in ${displayPath(fact.source.file)}`;
}

/**
 * The place of a field of `object` (`path` relative to its body), e.g. its `metadata.name`; for a
 * rendered object, the patch that set the field when one did (`ManifestObject.fieldPlace`).
 */
export function fieldPlace(object: ManifestObject, ...path: Path): Place {
  const written = object.fieldPlace?.(path);
  if (written) return written;
  return { file: object.file, doc: object.doc, path: object.base.length === 0 ? path : [...object.base, ...path] };
}

/**
 * The place of an object's `metadata.name` as written in its file (`file`, `doc`, the path below
 * the object's base), never the kustomize patch that set it (unlike `fieldPlace`): where `related`
 * entries point at the object itself.
 */
export function writtenNamePlace(object: ManifestObject): Place {
  return { file: object.file, doc: object.doc, path: [...object.base, 'metadata', 'name'] };
}
