/**
 * Levenshtein edit distance (insertions, deletions and substitutions of UTF-16 code units, each
 * costing 1), for "did you mean" suggestions on misspelt keys. No library in the dependency
 * tree is a direct dependency, so this is the textbook two-row dynamic programme.
 */

/**
 * The edit distance between `a` and `b`, or `limit + 1` as soon as it is known to exceed `limit`
 * (default: no limit). Case-sensitive. O(|a|·|b|) time, O(|b|) space. Never throws.
 */
export function editDistance(a: string, b: string, limit = Infinity): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    let best = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1;
      row[j] = Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + cost);
      if (row[j] < best) best = row[j];
    }
    if (best > limit) return limit + 1;
    prev = row;
  }
  return Math.min(prev[b.length], limit + 1);
}

/**
 * The candidate closest to `word` within `limit` edits, ignoring case differences first (a key
 * that differs only in case is the closest of all); undefined when none is that close or `word`
 * is itself a candidate. Ties go to the candidate listed first.
 */
export function closest(word: string, candidates: readonly string[], limit: number): string | undefined {
  if (candidates.includes(word)) return undefined;
  const lower = word.toLowerCase();
  const sameCase = candidates.find((c) => c.toLowerCase() === lower);
  if (sameCase !== undefined) return sameCase;
  let best: string | undefined;
  let bestDistance = limit + 1;
  for (const c of candidates) {
    const d = editDistance(word, c, bestDistance - 1);
    if (d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  return best;
}
