/**
 * Edit distances for "did you mean" suggestions on misspelt keys, names and rule options: the
 * Levenshtein distance (insertions, deletions and substitutions of UTF-16 code units, each costing 1)
 * from `fastest-levenshtein`, and the choice of the closest candidate.
 */
import { distance } from 'fastest-levenshtein';

/**
 * The edit distance between `a` and `b`, or `limit + 1` when it exceeds `limit` (default: no
 * limit). Case-sensitive. Never throws.
 */
export function editDistance(a: string, b: string, limit = Infinity): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  return Math.min(distance(a, b), limit + 1);
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
