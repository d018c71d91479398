/** Helpers shared by the reporters. */
import type { Note } from '../engine/types.js';

/** `1 problem`, `2 problems`. */
export const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** Findings grouped by file, keeping their order within each file; `files` get an entry even when clean. */
export function groupByFile<T extends Note>(findings: readonly T[], files: readonly string[] = []): Map<string, T[]> {
  const byFile = new Map<string, T[]>(files.map((f) => [f, []]));
  for (const f of findings) {
    const list = byFile.get(f.file);
    if (list) list.push(f);
    else byFile.set(f.file, [f]);
  }
  return byFile;
}
