/**
 * The findings section of the HTML report, and the index the pictures use to link to findings:
 * every finding (and note) gets the anchor `f-<n>` in list order, and is found by the places it
 * names — its own and its related places — by file and line, or by file alone.
 */
import { relative, sep } from 'node:path';
import type { Note, RuleMeta } from '../../engine/types.js';
import { helpUri } from '../sarif.js';
import { esc } from './escape.js';

/** A finding or note as the page lists it: severity 2 error, 1 warning, 0 note. */
export interface ListedFinding {
  readonly note: Note;
  readonly severity: 0 | 1 | 2;
}

/** Anchors of findings by the places they name: `file\0line` and `file`; both give indexes into the list, in order. */
export class FindingIndex {
  private readonly byLine = new Map<string, number[]>();
  private readonly byFile = new Map<string, number[]>();
  constructor(readonly list: readonly ListedFinding[]) {
    list.forEach(({ note }, i) => {
      for (const p of [note, ...note.related]) {
        this.add(this.byLine, `${p.file}\0${p.line}`, i);
        this.add(this.byFile, p.file, i);
      }
    });
  }
  private add(map: Map<string, number[]>, key: string, i: number) {
    const l = map.get(key);
    if (!l) map.set(key, [i]);
    else if (l[l.length - 1] !== i) l.push(i);
  }
  /** Findings naming `file` at `line` (1-based). */
  at(file: string, line: number): readonly number[] {
    return this.byLine.get(`${file}\0${line}`) ?? [];
  }
  /** Findings naming any place in `file`. */
  inFile(file: string): readonly number[] {
    return this.byFile.get(file) ?? [];
  }
}

/** The anchor of finding `i`. */
export const findingAnchor = (i: number) => `f-${i}`;

/** A path as the page shows it: relative to `cwd` when below it, `/`-separated. */
export function shownPath(file: string, cwd: string): string {
  const rel = relative(cwd, file);
  return (rel === '' ? '.' : rel.startsWith('..') ? file : rel).split(sep).join('/');
}

const SEVERITY = ['note', 'warning', 'error'] as const;

/**
 * The findings table: severity, rule (linked to its documentation page when the package names
 * one), cluster, message and hint, the place and the related places; filters by cluster and by
 * rule above it (the page's script applies them). Rows carry `data-clusters` (every cluster the
 * finding names) and `data-rule`.
 */
export function findingsSection(list: readonly ListedFinding[], rules: readonly RuleMeta[], cwd: string): string {
  const metas = new Map(rules.map((r) => [r.id, r]));
  const clusters = new Set<string>();
  const ruleIds = new Set<string>();
  const rows: string[] = [];
  list.forEach(({ note, severity }, i) => {
    const named = [...new Set([note.cluster, ...note.related.map((r) => r.cluster)].filter((c): c is string => c !== undefined))];
    for (const c of named) clusters.add(c);
    ruleIds.add(note.ruleId);
    const meta = metas.get(note.ruleId);
    const docs = meta ? helpUri(meta) : undefined;
    const rule = docs ? `<a href="${esc(docs)}" rel="noreferrer">${esc(note.ruleId)}</a>` : esc(note.ruleId);
    const where = (p: { file: string; line: number; column: number; cluster?: string; message?: string }) =>
      `<span class="loc">${esc(shownPath(p.file, cwd))}:${p.line}:${p.column}</span>${p.cluster !== undefined ? ` <span class="cl">${esc(p.cluster)}</span>` : ''}${p.message ? ` ${esc(p.message)}` : ''}`;
    const related = note.related.length > 0 ? `<ul class="rel">${note.related.map((r) => `<li>${where(r)}</li>`).join('')}</ul>` : '';
    rows.push(
      `<tr id="${findingAnchor(i)}" class="sev${severity}" data-rule="${esc(note.ruleId)}" data-clusters="${esc(named.join('\n'))}">` +
        `<td class="sev">${SEVERITY[severity]}</td><td>${rule}</td><td>${esc(note.cluster ?? '')}</td>` +
        `<td><div class="msg">${esc(note.message)}</div>${note.hint ? `<div class="hint">${esc(note.hint)}</div>` : ''}</td>` +
        `<td>${where({ file: note.file, line: note.line, column: note.column })}${related}</td></tr>`,
    );
  });
  const options = (values: Set<string>) =>
    [...values]
      .sort()
      .map((v) => `<option value="${esc(v)}">${esc(v)}</option>`)
      .join('');
  if (list.length === 0) return '<section id="findings"><h2>Findings</h2><p class="ok">No problems found.</p></section>';
  return (
    `<section id="findings"><h2>Findings <span class="count" id="shown">${list.length}</span></h2>` +
    `<div class="filters"><label>Cluster <select id="filter-cluster"><option value="">all</option>${options(clusters)}</select></label> ` +
    `<label>Rule <select id="filter-rule"><option value="">all</option>${options(ruleIds)}</select></label></div>` +
    `<table class="findings"><thead><tr><th>Severity</th><th>Rule</th><th>Cluster</th><th>Message</th><th>Where</th></tr></thead><tbody>${rows.join('\n')}</tbody></table></section>`
  );
}
