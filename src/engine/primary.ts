/**
 * The primary location of a two-sided finding: a cross-cluster problem has a place in each of two
 * clusters (the rule's `at` and a `related` place in the other cluster). The rule puts the finding
 * on the side the controllers refuse or override (documented per rule under "Primary location" in
 * `docs/rules/`); when the caller knows which files changed (FILE arguments, which the pre-commit
 * hook passes, or a pull request's changed files in the Action) and only the other side is in a
 * changed file, the finding moves there, worded from that side (`Report.mirror`), so the annotation
 * and the summary land where the change is.
 */
import type { Note, ResolvedRelated } from './types.js';

/**
 * The index in `f.related` of the finding's other side (the place its rule marked `otherSide`);
 * -1 for a one-sided finding.
 */
export function otherSideIndex(f: Pick<Note, 'related'>): number {
  return f.related.findIndex((r) => r.otherSide === true);
}

/**
 * `f` told from its other side: located at that side's place, in its cluster, about its object and
 * worded by the rule's mirror; the former primary place becomes the first related place, labelled
 * with the mirror's `relatedMessage`, and the remaining related places follow in order.
 * Undefined when the finding has no mirror or no other side. The result carries no mirror.
 */
export function mirrored<F extends Note>(f: F): F | undefined {
  const i = otherSideIndex(f);
  if (!f.mirror || i < 0) return undefined;
  const { otherSide: _otherSide, ...other } = f.related[i];
  const { mirror, messageId: _messageId, hint: _hint, data: _data, object, ...rest } = f;
  const own: ResolvedRelated = {
    file: f.file,
    line: f.line,
    column: f.column,
    endLine: f.endLine,
    endColumn: f.endColumn,
    cluster: f.cluster,
    ...(mirror.relatedMessage !== undefined ? { message: mirror.relatedMessage } : {}),
    otherSide: true,
    ...(object ? { object } : {}),
  };
  return {
    ...rest,
    file: other.file,
    line: other.line,
    column: other.column,
    endLine: other.endLine,
    endColumn: other.endColumn,
    cluster: other.cluster,
    ...(other.object ? { object: other.object } : {}),
    message: mirror.message,
    ...(mirror.messageId !== undefined ? { messageId: mirror.messageId } : {}),
    ...(mirror.hint !== undefined ? { hint: mirror.hint } : {}),
    ...(mirror.data !== undefined ? { data: mirror.data } : {}),
    related: [own, ...f.related.filter((_, k) => k !== i)],
  } as unknown as F;
}

/** `f` without its mirror (what reporters receive). */
export function withoutMirror<F extends Note>(f: F): F {
  if (f.mirror === undefined) return f;
  const { mirror: _mirror, ...rest } = f;
  return rest as F;
}

/**
 * Chooses the primary location of each finding: the rule's, unless `changed` is given, the
 * finding's own file is not changed and its other side's file is, and the rule gave a mirror; then
 * the mirrored finding. Mirrors are dropped from the result; order is kept.
 * @param changed true for an absolute path of a changed file (or a directory holding one)
 */
export function choosePrimary<F extends Note>(findings: readonly F[], changed?: (path: string) => boolean): F[] {
  return findings.map((f) => {
    if (changed && f.mirror && !changed(f.file)) {
      const i = otherSideIndex(f);
      if (i >= 0 && changed(f.related[i].file)) return mirrored(f) ?? withoutMirror(f);
    }
    return withoutMirror(f);
  });
}
