/**
 * Suppress stage (between rules and report, DESIGN.md §1): findings + config overrides, inline
 * directives and annotations → findings kept and findings suppressed with their justification.
 *
 * - Config `overrides` (ESLint's): later matching entries set a rule's severity for the findings
 *   they select (files, clusters, namespaces, kinds); an entry that turns a rule off suppresses
 *   its findings (`kind: 'config'`, justification: the entry's `reason`). `--rule` flags win.
 * - `# mclint-disable…` comments (see `directives.ts`; `kind: 'directive'`) and the
 *   `mclint.io/ignore` annotation of the object reported on (`kind: 'annotation'`), unless inline
 *   config is off (`--no-inline-config`, config `noInlineConfig`). Parse errors cannot be
 *   suppressed inline, as in ESLint.
 * - All three apply on either side of a two-sided finding (the finding's place, and the related
 *   place its rule marked `otherSide`: `engine/primary.ts`): a comment, an annotation or an
 *   override that selects the other cluster's file or object silences the finding too.
 * - Directives and annotations that name unknown rules are reported (`invalid-directive`), and
 *   those that suppress nothing when asked (`unused-disable-directive`,
 *   `--report-unused-disable-directives`), as ESLint reports unused disable directives; so is
 *   an `overrides` entry that selects no finding of a rule it sets (at the entry, per rule).
 *
 * Only files whose text contains `mclint-` (`LoadedFile.mayHaveDirectives`) are read again, and
 * only annotated objects are looked at: a run without suppressions pays nothing here.
 */
import { readFileSync } from 'node:fs';
import { isAbsolute, relative, sep } from 'node:path';
import { compileGlobs, ConfigError, likelyMeant, unknownRuleText, type OverrideConfig, type SeverityName } from '../config/index.js';
import { severityOf } from '../engine/rule-config.js';
import { otherSideIndex } from '../engine/primary.js';
import { compareFindings } from '../engine/run.js';
import type { Finding, Note, RuleMeta, SeverityLevel, SuppressedFinding, Suppression } from '../engine/types.js';
import { IGNORE_ANNOTATION } from '../load/classify.js';
import { locatePlaces } from '../load/locate.js';
import type { LoadedFile } from '../load/types.js';
import type { Path, Place, Span } from '../base/types.js';
import type { RunModel } from '../model/types.js';
import { findDirectives, type Directive } from './directives.js';

export { findDirectives, parseDirectiveComment, type Directive, type DirectiveContent, type DirectiveType } from './directives.js';

/** Reports of directives and annotations that suppressed nothing (`--report-unused-disable-directives`). */
export const UNUSED_DIRECTIVE_RULE: RuleMeta = {
  id: 'unused-disable-directive',
  description: 'Suppression comments and mclint.io/ignore annotations must suppress a finding (--report-unused-disable-directives)',
  severity: 'warn',
  docs: 'README.md#suppressions',
};

/** Reports of directives and annotations naming rules that do not exist. */
export const INVALID_DIRECTIVE_RULE: RuleMeta = {
  id: 'invalid-directive',
  description: 'Suppression comments and mclint.io/ignore annotations must name existing rules',
  severity: 'error',
  docs: 'README.md#suppressions',
};

/** The reports the suppress stage itself makes; not configurable under `rules`. */
export const DIRECTIVE_RULES: readonly RuleMeta[] = [INVALID_DIRECTIVE_RULE, UNUSED_DIRECTIVE_RULE];

/** An `overrides` entry with its selectors compiled (picomatch). */
export interface CompiledOverride {
  readonly index: number;
  readonly reason?: string;
  readonly rules: ReadonlyMap<string, SeverityName>;
  readonly files?: (path: string) => boolean;
  readonly clusters?: (name: string) => boolean;
  readonly namespaces?: (name: string) => boolean;
  readonly kinds?: (kind: string) => boolean;
}

/**
 * Compiles the config's `overrides` and checks their rule ids.
 * @param known ids of the registered rules
 * @throws ConfigError for an unknown rule id
 */
export function compileOverrides(overrides: readonly OverrideConfig[], known: ReadonlySet<string>, configName: string): CompiledOverride[] {
  const place = (path: Path) => (isAbsolute(configName) ? { file: configName, path } : undefined);
  return overrides.map((o) => {
    const glob = (list: readonly string[] | undefined, key: 'files' | 'clusters' | 'namespaces' | 'kinds') =>
      list ? compileGlobs(list, `overrides[${o.index}].${key}`, configName, place(['overrides', o.index, key])) : undefined;
    const rules = new Map<string, SeverityName>();
    for (const [id, setting] of Object.entries(o.rules)) {
      if (!known.has(id)) {
        const message = `overrides[${o.index}]: ${unknownRuleText(id, known)}`;
        throw new ConfigError(`${configName}: ${message}`, isAbsolute(configName) ? [{ file: configName, message, path: ['overrides', o.index, 'rules', id], key: true }] : []);
      }
      rules.set(id, severityOf(setting));
    }
    return {
      index: o.index,
      ...(o.reason !== undefined ? { reason: o.reason } : {}),
      rules,
      files: glob(o.files, 'files'),
      clusters: glob(o.clusters, 'clusters'),
      namespaces: glob(o.namespaces, 'namespaces'),
      kinds: glob(o.kinds, 'kinds'),
    };
  });
}

/** How to suppress. */
export interface SuppressOptions {
  /** Effective severity of every registered rule after config `rules` and `--rule` flags ('off' included). */
  readonly severities: ReadonlyMap<string, SeverityName>;
  /** Rules a `--rule` flag set: overrides leave them alone. */
  readonly locked: ReadonlySet<string>;
  readonly overrides: readonly CompiledOverride[];
  /** Directory `overrides[].files` globs are relative to (the config file's). */
  readonly configDir: string;
  /** The config file, for locating `overrides` entries; undefined without one. */
  readonly configFile?: string;
  /** false: comments and annotations are ignored (`--no-inline-config`, `noInlineConfig`). */
  readonly inlineConfig: boolean;
  /** Severity of unused-directive reports; 'off' does not report them. */
  readonly reportUnused: SeverityName;
}

/** Findings split into those reported and those suppressed, both sorted like the engine's. */
export interface SuppressResult {
  readonly findings: Finding[];
  readonly suppressed: SuppressedFinding[];
  /** The info-level notes no directive, annotation or override silences. */
  readonly notes: Note[];
}

interface FileDirectives {
  readonly file: string;
  readonly cluster: string;
  readonly list: Directive[];
  /** `${directive index}\0${rule id or '*'}` of what suppressed something. */
  readonly used: Set<string>;
}

interface AnnotationState {
  readonly file: string;
  readonly cluster: string;
  readonly rules: readonly string[];
  readonly reason: string;
  readonly place: Place;
  span?: Span;
  readonly used: Set<string>;
}

const objectKey = (file: string, doc: number, base: Path) => `${file}\0${doc}\0${base.join('\0')}`;

const ruleList = (text: string) => text.split(/[\s,]+/).filter((r) => r !== '');

/** A problem found by this stage itself (invalid or unused directive). */
function stageFinding(meta: RuleMeta, severity: SeverityLevel, message: string, file: string, span: Span, cluster: string | undefined): Finding {
  return { ruleId: meta.id, severity, message, file, ...span, cluster, related: [] };
}

const ALL = '*';

interface BlockState {
  all: number | undefined;
  byRule: Map<string, number>;
  except: Set<string>;
}

/** The directives of one file that cover `f`, as `[directive index, rule id or '*']`. */
function coveringDirectives(fd: FileDirectives, f: Pick<Finding, 'ruleId' | 'line' | 'column'>): [number, string][] {
  const matches: [number, string][] = [];
  const covers = (d: Directive): string | undefined => (d.rules.length === 0 ? ALL : d.rules.includes(f.ruleId) ? f.ruleId : undefined);
  const state: BlockState = { all: undefined, byRule: new Map(), except: new Set() };
  fd.list.forEach((d, i) => {
    if (d.type === 'disable-file' || (d.type === 'disable-line' && d.line === f.line) || (d.type === 'disable-next-line' && d.line + 1 === f.line)) {
      const key = covers(d);
      if (key !== undefined) matches.push([i, key]);
      return;
    }
    if ((d.type !== 'disable' && d.type !== 'enable') || d.line > f.line || (d.line === f.line && d.column >= f.column)) return;
    applyBlock(d, i, state);
  });
  const specific = state.byRule.get(f.ruleId);
  if (specific !== undefined) matches.push([specific, f.ruleId]);
  else if (state.all !== undefined && !state.except.has(f.ruleId)) matches.push([state.all, ALL]);
  return matches;
}

/** Applies a `disable`/`enable` directive to the running state of a file (ESLint's semantics). */
function applyBlock(d: Directive, i: number, state: BlockState): void {
  if (d.type === 'disable') {
    if (d.rules.length === 0) {
      state.all = i;
      state.except.clear();
    } else {
      for (const r of d.rules) {
        state.byRule.set(r, i);
        state.except.delete(r);
      }
    }
  } else if (d.rules.length === 0) {
    state.all = undefined;
    state.byRule.clear();
    state.except.clear();
  } else {
    for (const r of d.rules) {
      state.byRule.delete(r);
      if (state.all !== undefined) state.except.add(r);
    }
  }
}

/** `enable` directives (and rules in them) that had nothing to enable, as `[directive index, rule or '*']`. */
function unusedEnables(fd: FileDirectives): [number, string][] {
  const unused: [number, string][] = [];
  const state: BlockState = { all: undefined, byRule: new Map(), except: new Set() };
  fd.list.forEach((d, i) => {
    if (d.type === 'enable') {
      if (d.rules.length === 0) {
        if (state.all === undefined && state.byRule.size === 0) unused.push([i, ALL]);
      } else {
        for (const r of d.rules) if (!state.byRule.has(r) && (state.all === undefined || state.except.has(r))) unused.push([i, r]);
      }
    }
    if (d.type === 'disable' || d.type === 'enable') applyBlock(d, i, state);
  });
  return unused;
}

/** One side of a finding, as suppressions see it: the finding's own place, or the other side of a two-sided one. */
type Side = Pick<Finding, 'file' | 'cluster' | 'object'> & Partial<Pick<Finding, 'line' | 'column'>>;

/**
 * The sides of a finding: its own place, then, for a two-sided finding (`otherSideIndex`: a
 * related place in another cluster), the other side. Suppressions on either side apply.
 */
function sidesOf(f: Finding): Side[] {
  const i = otherSideIndex(f);
  if (i < 0) return [f];
  const r = f.related[i];
  return [f, { file: r.file, cluster: r.cluster, line: r.line, column: r.column, ...(r.object ? { object: r.object } : {}) }];
}

/** Whether an override selects a side of a finding: every given selector matches. */
function selects(o: CompiledOverride, f: Side, configDir: string): boolean {
  if (o.files && !o.files(relative(configDir, f.file).split(sep).join('/'))) return false;
  if (o.clusters && (f.cluster === undefined || !o.clusters(f.cluster))) return false;
  if (o.namespaces && (f.object?.namespace === undefined || !o.namespaces(f.object.namespace))) return false;
  if (o.kinds && (f.object === undefined || !o.kinds(f.object.kind))) return false;
  return true;
}

/** True when the file's text mentions `mclint-` (it may hold directive comments). */
function mayHaveDirectives(path: string): boolean {
  try {
    return readFileSync(path, 'utf8').includes('mclint-');
  } catch {
    return false;
  }
}

/**
 * Applies overrides, directives and annotations to the findings and info-level notes of one lint
 * scope. A silenced note is dropped (notes are not problems, so there is nothing to keep a record
 * of), and the directive that silenced it counts as used.
 * @param findings the engine's findings (resolved positions, object identity)
 * @param model the scope's model: its files (for directives) and annotated objects
 * @param notes the engine's info-level notes
 */
export async function suppress(findings: readonly Finding[], model: RunModel, options: SuppressOptions, notes: readonly Note[] = []): Promise<SuppressResult> {
  const files = new Map<string, { file: LoadedFile; cluster: string }>();
  const annotated: { file: string; cluster: string; doc: number; base: Path; rules: string; reason?: string }[] = [];
  if (options.inlineConfig) {
    for (const set of model.sets) {
      for (const cluster of set.clusters) {
        for (const file of cluster.files) {
          if (file.mayHaveDirectives && !files.has(file.path)) files.set(file.path, { file, cluster: cluster.name });
          // A rendered kustomization: the comments are in the files kustomize read (bases, patches).
          for (const source of file.sources ?? []) if (!files.has(source) && mayHaveDirectives(source)) files.set(source, { file, cluster: cluster.name });
        }
        for (const o of cluster.objects) if (o.ignore) annotated.push({ file: o.file, cluster: cluster.name, doc: o.doc, base: o.base, ...o.ignore });
      }
    }
  }
  if (files.size === 0 && annotated.length === 0 && options.overrides.length === 0) return { findings: [...findings], suppressed: [], notes: [...notes] };

  const known = options.severities;
  const reports: Finding[] = [];
  const unknownRules = (names: readonly string[]) => names.filter((r) => !known.has(r));
  const knownList = () => [...known.keys()].sort().join(', ');
  /** `; did you mean "x"?` for a likely typo of a known id (`likelyMeant`), else ''. */
  const didYouMean = (id: string) => {
    const meant = likelyMeant(id, known.keys());
    return meant !== undefined ? `; did you mean "${meant}"?` : '';
  };

  // Directive comments, in the files that may have them.
  const directives = new Map<string, FileDirectives>();
  for (const [path, { cluster }] of [...files].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch {
      continue;
    }
    const list: Directive[] = [];
    for (const d of await findDirectives(text)) {
      const unknown = unknownRules(d.rules);
      for (const r of unknown) {
        reports.push(
          stageFinding(
            INVALID_DIRECTIVE_RULE,
            2,
            `Unknown rule "${r}" in "mclint-${d.type}" comment: nothing is suppressed for it${didYouMean(r)} (known rules: ${knownList()}).`,
            path,
            d,
            cluster,
          ),
        );
      }
      // A directive naming only unknown rules must not turn into "every rule".
      if (unknown.length > 0 && unknown.length === d.rules.length) continue;
      list.push(unknown.length > 0 ? { ...d, rules: d.rules.filter((r) => known.has(r)) } : d);
    }
    if (list.length > 0) directives.set(path, { file: path, cluster, list, used: new Set() });
  }

  // mclint.io/ignore annotations of the objects carrying them.
  const annotations = new Map<string, AnnotationState>();
  for (const a of annotated) {
    const place: Place = { file: a.file, doc: a.doc, path: [...a.base, 'metadata', 'annotations', IGNORE_ANNOTATION] };
    annotations.set(objectKey(a.file, a.doc, a.base), { file: a.file, cluster: a.cluster, rules: ruleList(a.rules), reason: a.reason ?? '', place, used: new Set() });
  }
  const overridePlaces = new Map<number, Place>();
  if (options.configFile) for (const o of options.overrides) overridePlaces.set(o.index, { file: options.configFile, doc: 0, path: ['overrides', o.index] });
  const spans = await locatePlaces([...[...annotations.values()].map((a) => a.place), ...overridePlaces.values()]);
  for (const a of annotations.values()) {
    a.span = spans.get(a.place)!;
    if (a.rules.length === 0) {
      reports.push(
        stageFinding(
          INVALID_DIRECTIVE_RULE,
          2,
          `The ${IGNORE_ANNOTATION} annotation names no rule: write the rule ids to suppress on this object, comma-separated.`,
          a.file,
          a.span,
          a.cluster,
        ),
      );
    }
    for (const r of unknownRules(a.rules)) {
      reports.push(
        stageFinding(
          INVALID_DIRECTIVE_RULE,
          2,
          `Unknown rule "${r}" in the ${IGNORE_ANNOTATION} annotation: nothing is suppressed for it${didYouMean(r)} (known rules: ${knownList()}).`,
          a.file,
          a.span,
          a.cluster,
        ),
      );
    }
  }

  const kept: Finding[] = [];
  const suppressed: SuppressedFinding[] = [];
  /** `${override index}\0${rule id}` of the overrides entries that selected a finding. */
  const usedOverrides = new Set<string>();
  const keptNotes: Note[] = [];
  const asFinding = new Map<Finding, Note>(notes.map((n) => [{ ...n, severity: 1 }, n]));
  for (const f of [...findings, ...asFinding.keys()]) {
    const note = asFinding.get(f);
    const sides = sidesOf(f);
    let severity = known.get(f.ruleId);
    let by: CompiledOverride | undefined;
    if (severity !== undefined && !options.locked.has(f.ruleId)) {
      for (const o of options.overrides) {
        const s = o.rules.get(f.ruleId);
        if (s !== undefined && sides.some((side) => selects(o, side, options.configDir))) {
          severity = s;
          by = o;
          usedOverrides.add(`${o.index}\0${f.ruleId}`);
        }
      }
    }
    const suppressions: Suppression[] = [];
    if (severity === 'off') {
      // The rule ran only because an override enables it elsewhere: not a finding here at all.
      if (!by) continue;
      const place = overridePlaces.get(by.index);
      const span = place && spans.get(place);
      suppressions.push({ kind: 'config', justification: by.reason ?? '', ...(place && span ? { at: { file: place.file, ...span } } : {}) });
    }
    // Comments and annotations on either side of a two-sided finding apply to it.
    for (const side of f.fatal ? [] : sides) {
      const fd = directives.get(side.file);
      if (fd && side.line !== undefined && side.column !== undefined) {
        for (const [i, key] of coveringDirectives(fd, { ruleId: f.ruleId, line: side.line, column: side.column })) {
          fd.used.add(`${i}\0${key}`);
          const d = fd.list[i];
          suppressions.push({ kind: 'directive', justification: d.reason, at: { file: side.file, line: d.line, column: d.column, endLine: d.endLine, endColumn: d.endColumn } });
        }
      }
      const a = side.object && annotations.get(objectKey(side.file, side.object.doc, side.object.base));
      if (a && a.rules.includes(f.ruleId)) {
        a.used.add(f.ruleId);
        suppressions.push({ kind: 'annotation', justification: a.reason, at: { file: a.file, ...a.span! } });
      }
    }
    if (note) {
      if (suppressions.length === 0) keptNotes.push(note);
      continue;
    }
    const level: SeverityLevel = severity === undefined || severity === 'off' ? f.severity : severity === 'error' && !f.advisory ? 2 : 1;
    const finding = level === f.severity ? f : { ...f, severity: level };
    if (suppressions.length > 0) suppressed.push({ ...finding, suppressions });
    else kept.push(finding);
  }

  if (options.reportUnused !== 'off') {
    const level: SeverityLevel = options.reportUnused === 'error' ? 2 : 1;
    for (const fd of directives.values()) {
      fd.list.forEach((d, i) => {
        if (d.type === 'enable') return;
        const keys = d.rules.length === 0 ? [ALL] : d.rules;
        for (const key of keys) {
          if (fd.used.has(`${i}\0${key}`)) continue;
          const what = key === ALL ? 'no problems were reported' : `no "${key}" problems were reported`;
          reports.push(
            stageFinding(
              UNUSED_DIRECTIVE_RULE,
              level,
              `Unused "mclint-${d.type}" directive (${what} where it applies): remove it${key === ALL ? '' : ` or "${key}" from its list`}.`,
              fd.file,
              d,
              fd.cluster,
            ),
          );
        }
      });
      for (const [i, key] of unusedEnables(fd)) {
        const d = fd.list[i];
        const what = key === ALL ? 'nothing was disabled' : `"${key}" was not disabled`;
        reports.push(
          stageFinding(
            UNUSED_DIRECTIVE_RULE,
            level,
            `Unused "mclint-enable" directive (${what} before it): remove it${key === ALL ? '' : ` or "${key}" from its list`}.`,
            fd.file,
            d,
            fd.cluster,
          ),
        );
      }
    }
    // An overrides entry that selects no finding of a rule it sets is reported like an unused directive.
    for (const o of options.overrides) {
      const place = overridePlaces.get(o.index);
      const span = place && spans.get(place);
      if (!place || !span) continue;
      for (const r of o.rules.keys()) {
        if (usedOverrides.has(`${o.index}\0${r}`) || options.locked.has(r)) continue;
        reports.push(
          stageFinding(
            UNUSED_DIRECTIVE_RULE,
            level,
            `Unused overrides[${o.index}] entry (no "${r}" problems were reported where it applies): remove "${r}" from its rules, or the entry.`,
            place.file,
            span,
            undefined,
          ),
        );
      }
    }
    for (const a of annotations.values()) {
      for (const r of a.rules) {
        if (a.used.has(r) || !known.has(r)) continue;
        reports.push(
          stageFinding(
            UNUSED_DIRECTIVE_RULE,
            level,
            `Unused ${IGNORE_ANNOTATION} annotation (no "${r}" problems were reported on this object): remove "${r}" from it.`,
            a.file,
            a.span!,
            a.cluster,
          ),
        );
      }
    }
  }
  kept.push(...reports);
  kept.sort(compareFindings);
  suppressed.sort(compareFindings);
  return { findings: kept, suppressed, notes: keptNotes };
}
