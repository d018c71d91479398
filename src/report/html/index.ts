/**
 * `html`: one self-contained page — inline CSS, SVG drawn at generation time, one small inline
 * script allowed by its hash — so it opens offline, as a CI artifact, with nothing fetched:
 * its Content-Security-Policy is `default-src 'none'` plus inline styles, that script and `data:`
 * images. Per ClusterSet it shows the address map (`address-map.ts`), the export matrix
 * (`export-matrix.ts`) and the mesh view (`mesh.ts`); then the findings (`findings.ts`), which
 * every picture links to. Every text the page did not write is escaped (`escape.ts`). Without
 * report data (`lint({ reportData: true })`) only the findings are shown.
 */
import type { ReportInput } from '../types.js';
import { addressMap } from './address-map.js';
import { esc } from './escape.js';
import { exportMatrix } from './export-matrix.js';
import { FindingIndex, findingsSection, type ListedFinding } from './findings.js';
import { meshView } from './mesh.js';
import { SCRIPT, SCRIPT_HASH } from './script.js';
import { STYLE } from './style.js';

/** The page's Content-Security-Policy: nothing loads from anywhere; inline styles, the hashed script and `data:` images only. */
export const CSP = `default-src 'none'; style-src 'unsafe-inline'; script-src ${SCRIPT_HASH}; img-src data:; base-uri 'none'; form-action 'none'`;

const KINDS_LEGEND =
  '<p class="kinds">Ranges:<span style="background:var(--pod)"></span>pod<span style="background:var(--service)"></span>service<span style="background:var(--node)"></span>Node pod range' +
  '<span style="background:var(--global)"></span>GlobalNet<span style="background:var(--nr)"></span>native routing<span style="border:1px dashed #000"></span>default (not written)' +
  '<span style="border:2px solid var(--bad)"></span>overlap<span style="background:#bfe6c4"></span>GlobalNet free<span style="border:1.5px dashed #000"></span>next allocation</p>';

/** Formats the run as one HTML page (see the file comment). Never throws on hostile names: everything is escaped. */
export function formatHtml(input: ReportInput): string {
  const cwd = input.cwd ?? process.cwd();
  const list: ListedFinding[] = [...input.findings.map((f) => ({ note: f, severity: f.severity })), ...(input.notes ?? []).map((n) => ({ note: n, severity: 0 as const }))];
  const index = new FindingIndex(list);
  const errors = input.findings.filter((f) => f.severity === 2).length;
  const warnings = input.findings.length - errors;
  const sets = input.reportData?.sets ?? [];
  const body = sets.map((set, i) => {
    const overlaps = set.overlaps.length;
    const bad = set.services.reduce((n, s) => n + s.cells.filter((c) => c.state === 'conflict' || c.state === 'dangling').length, 0);
    return (
      `<section class="set" id="set-${i}"><h2>ClusterSet ${esc(set.name)} <span class="count">${set.clusters.length} cluster${set.clusters.length === 1 ? '' : 's'}</span></h2>` +
      `<h3 id="map-${i}">Address map${overlaps > 0 ? ` <span class="bad">${overlaps} overlap${overlaps === 1 ? '' : 's'}</span>` : ''}</h3>${KINDS_LEGEND}${addressMap(set, i, index, cwd)}` +
      `<h3 id="exports-${i}">Export matrix${bad > 0 ? ` <span class="bad">${bad} conflicting or dangling</span>` : ''}</h3>${exportMatrix(set, index)}` +
      `<h3 id="mesh-${i}">Mesh and connections</h3>${meshView(set, index)}</section>`
    );
  });
  const nav = sets.length > 0 ? `<nav>${sets.map((s, i) => `<a href="#set-${i}">${esc(s.name)}</a>`).join('')}<a href="#findings">Findings</a></nav>` : '';
  const s = input.stats;
  return (
    '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">' +
    `<meta http-equiv="Content-Security-Policy" content="${CSP}">` +
    '<meta name="viewport" content="width=device-width, initial-scale=1"><meta name="referrer" content="no-referrer">' +
    `<title>mclint report: ${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}</title><style>${STYLE}</style></head><body>` +
    `<header><h1>mclint</h1><span class="${errors > 0 ? 'bad' : 'ok'}">${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}</span>` +
    `<span class="none">${s.clusterSets} ClusterSet${s.clusterSets === 1 ? '' : 's'}, ${s.clusters} cluster${s.clusters === 1 ? '' : 's'}, ${s.files} files, ${s.documents} documents</span>${nav}</header>` +
    `<main>${body.join('\n')}${findingsSection(list, input.rules ?? [], cwd)}</main>` +
    `<script>${SCRIPT}</script></body></html>\n`
  );
}
