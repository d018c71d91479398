/**
 * The orders mclint sorts by. Output must be byte-identical whatever the machine, so text is
 * compared by UTF-16 code units (never by locale, as `localeCompare` would).
 */

/** Strings, numbers or bigints (addresses) in ascending order: strings by UTF-16 code units. */
export function compareValues(a: string | number | bigint, b: string | number | bigint): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Anything named (clusters, sets, cluster plans) by `name`, in code-unit order. */
export function byName<T extends { readonly name: string }>(a: T, b: T): number {
  return compareValues(a.name, b.name);
}

/**
 * Sorts `list` of strings in place in code-unit order (what `Array.prototype.sort` does without a
 * comparator) and returns it; a list already in order (the usual case for paths from a sorted
 * walk) is checked in one pass and left as it is, sparing a sort of tens of thousands of paths.
 */
export function sortStrings(list: string[]): string[] {
  for (let i = 1; i < list.length; i++) if (list[i - 1] > list[i]) return list.sort();
  return list;
}
