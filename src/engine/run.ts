/**
 * Engine: runs the enabled rules over every ClusterSet, resolves the places they report to
 * line/column, and orders the findings deterministically.
 */
import { FILE_START, locatePlaces } from '../load/locate.js';
import type { ManifestObject } from '../load/types.js';
import type { Place, Span } from '../base/types.js';
import type { RuleState } from './rule-config.js';
import type { RunModel } from '../model/types.js';
import type { Finding, InternalError, MirroredWording, Note, ObjectRef, RelatedPlace, Report, Rule, SeverityLevel } from './types.js';
import type { Timing } from './timing.js';
import { mirrorWording, wording, type Wording } from './messages.js';
import { compareValues } from '../base/order.js';

/** The outcome of running the rules over a model. */
export interface EngineResult {
  /** Sorted by file, line, column, rule id, message; duplicates removed. */
  readonly findings: Finding[];
  /** Info-level notes (`Report.severity: 'info'`), sorted like findings. */
  readonly notes: Note[];
  /** Rules that threw (mclint bugs); their partial reports for that set are dropped. */
  readonly internalErrors: InternalError[];
}

interface Pending extends Wording {
  readonly ruleId: string;
  readonly severity: SeverityLevel;
  readonly report: Report;
  readonly mirror?: MirroredWording;
}

const compare = compareValues;

/** ESLint's ordering: by file, then position, then rule id and message. */
export function compareFindings(a: Note, b: Note): number {
  return (
    compare(a.file, b.file) ||
    compare(a.line, b.line) ||
    compare(a.column, b.column) ||
    compare(a.ruleId, b.ruleId) ||
    compare(a.message, b.message) ||
    compare(a.cluster ?? '', b.cluster ?? '')
  );
}

/**
 * A lookup from a place to the Kubernetes object holding it (same file and document, longest
 * `base` that prefixes the place's path: a List item rather than the List). The index of files is
 * built on the first call, so runs without findings pay nothing.
 */
export function objectLocator(model: RunModel): (place: Place) => ManifestObject | undefined {
  let byFile: Map<string, readonly ManifestObject[]> | undefined;
  return (place) => {
    if (place.doc < 0) return undefined;
    if (!byFile) {
      byFile = new Map();
      for (const set of model.sets) for (const cluster of set.clusters) for (const file of cluster.files) byFile.set(file.path, file.objects);
    }
    let best: ManifestObject | undefined;
    for (const o of byFile.get(place.file) ?? []) {
      if (o.doc !== place.doc || o.base.length > place.path.length || (best && best.base.length >= o.base.length)) continue;
      if (o.base.every((segment, i) => place.path[i] === segment)) best = o;
    }
    return best;
  };
}

/** The identity of an object as findings carry it. */
export function objectRef(o: ManifestObject): ObjectRef {
  return {
    apiVersion: o.apiVersion,
    kind: o.kind,
    ...(o.name !== undefined ? { name: o.name } : {}),
    ...(o.namespace !== undefined ? { namespace: o.namespace } : {}),
    doc: o.doc,
    base: o.base,
  };
}

/**
 * Runs `rules` (in registry order) with their resolved settings over every set of `model`.
 * A rule that throws becomes an `InternalError`; the other rules' findings are kept.
 * @param timing when given (`TIMING`, `--stats`), each rule's `check` is timed into
 *   `timing.rules` (summed over the sets, a rule that throws included), the checks are charged to
 *   stage `rules` and resolving positions to stage `locate`; the clock is left in `locate`
 */
export async function runRules(model: RunModel, rules: readonly Rule[], states: ReadonlyMap<string, RuleState>, timing?: Timing): Promise<EngineResult> {
  timing?.enter('rules');
  // Every rule that runs is listed, even with no ClusterSet to check.
  if (timing) for (const rule of rules) if (states.has(rule.meta.id)) timing.addRule(rule.meta.id, 0);
  const pending: Pending[] = [];
  const internalErrors: InternalError[] = [];
  for (const set of model.sets) {
    for (const rule of rules) {
      const state = states.get(rule.meta.id);
      if (!state) continue;
      const buffer: Pending[] = [];
      const base: SeverityLevel = state.severity === 'error' ? 2 : 1;
      const started = timing ? performance.now() : 0;
      try {
        rule.check({
          set,
          run: model,
          options: state.options,
          report(report) {
            const text = wording(rule.meta, report);
            const mirror = mirrorWording(rule.meta, report);
            buffer.push({ ruleId: rule.meta.id, severity: report.severity === 'warn' ? 1 : base, report, ...text, ...(mirror ? { mirror } : {}) });
          },
        });
        pending.push(...buffer);
      } catch (err) {
        const e = err instanceof Error ? err : new Error(String(err));
        internalErrors.push({ ruleId: rule.meta.id, set: set.name, message: e.message, stack: e.stack });
      }
      timing?.addRule(rule.meta.id, performance.now() - started);
    }
  }
  timing?.enter('locate');
  const places: Place[] = [];
  for (const { report } of pending) {
    if (!report.span) places.push(report.at);
    for (const r of report.related ?? []) places.push(r);
  }
  const spans = await locatePlaces(places);
  const spanOf = (p: Place): Span => spans.get(p) ?? FILE_START;

  const objectAt = objectLocator(model);
  const seen = new Set<string>();
  const findings: Finding[] = [];
  const notes: Note[] = [];
  for (const { ruleId, severity, report, message, messageId, hint, data, mirror } of pending) {
    const object = objectAt(report.at);
    // The other side of a two-sided finding carries its object, for suppressions there.
    const sideObject = (r: RelatedPlace) => {
      if (!r.otherSide) return {};
      const o = objectAt(r);
      return { otherSide: true as const, ...(o ? { object: objectRef(o) } : {}) };
    };
    const finding: Finding = {
      ruleId,
      severity,
      message,
      ...(messageId !== undefined ? { messageId } : {}),
      ...(hint !== undefined ? { hint } : {}),
      ...(data !== undefined ? { data } : {}),
      file: report.at.file,
      ...(report.span ?? spanOf(report.at)),
      cluster: report.cluster,
      related: (report.related ?? []).map((r) => ({ file: r.file, ...spanOf(r), cluster: r.cluster, message: r.message, ...sideObject(r) })),
      ...(report.fatal ? { fatal: true } : {}),
      ...(object ? { object: objectRef(object) } : {}),
      ...(report.severity === 'warn' ? { advisory: true } : {}),
      ...(mirror ? { mirror } : {}),
    };
    // One finding per place and text: a file several clusters read (a rendered base, a pulled
    // folder) gives each cluster the same finding; when its message and related places do not tell
    // the clusters apart either, the user would read the same line twice, so the first cluster's is kept.
    const key = JSON.stringify([finding.file, finding.line, finding.column, ruleId, finding.message, finding.related.map((r) => [r.file, r.line, r.column, r.message])]);
    if (seen.has(key)) continue;
    seen.add(key);
    if (report.severity === 'info') {
      const { severity: _severity, fatal: _fatal, ...note } = finding;
      notes.push(note);
    } else findings.push(finding);
  }
  findings.sort(compareFindings);
  notes.sort(compareFindings);
  return { findings, notes, internalErrors };
}
