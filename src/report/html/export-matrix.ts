/**
 * The export matrix of the HTML report: services (`namespace/name`) × clusters, each cell what
 * the cluster does with the service — exports it (E), imports it (I), exports it with a conflict
 * the MCS controller reports (C: type, session affinity, ports…), holds a ServiceImport or route
 * naming a service no cluster exports (D, dangling), or exports it without the controller
 * accepting the export (R, rejected: no Service, unsupported type). Cells with a finding link to
 * it (`#f-n`); conflict, dangling and rejected cells say why in their tooltip. Compact rows and
 * sticky headers keep 50 clusters × hundreds of services readable.
 */
import type { ReportCell, ReportSet } from '../../model/views/report-data.js';
import { esc } from './escape.js';
import { findingAnchor, type FindingIndex } from './findings.js';

const LETTER: Record<ReportCell['state'], string> = { exported: 'E', imported: 'I', conflict: 'C', dangling: 'D', rejected: 'R' };

/** The finding a cell links to: one at its offending field, else one in its files naming its cluster, else any in its files. */
function cellLink(cell: ReportCell, index: FindingIndex): string | undefined {
  if (cell.at) {
    const hit = index.at(cell.at.file, cell.at.line)[0];
    if (hit !== undefined) return `#${findingAnchor(hit)}`;
  }
  if (cell.state === 'exported' || cell.state === 'imported') return undefined;
  let any: number | undefined;
  for (const f of cell.files) {
    for (const i of index.inFile(f)) {
      const n = index.list[i].note;
      if (n.cluster === cell.cluster || n.related.some((r) => r.cluster === cell.cluster)) return `#${findingAnchor(i)}`;
      any ??= i;
    }
  }
  return any !== undefined ? `#${findingAnchor(any)}` : undefined;
}

/** The matrix of one set, or a sentence when it has no ServiceExports or ServiceImports. */
export function exportMatrix(set: ReportSet, index: FindingIndex): string {
  if (set.services.length === 0) return '<p class="none">No ServiceExports or ServiceImports in this ClusterSet.</p>';
  const clusters = set.clusters.map((c) => c.name);
  const col = new Map(clusters.map((c, i) => [c, i]));
  const counts: Record<ReportCell['state'], number> = { exported: 0, imported: 0, conflict: 0, dangling: 0, rejected: 0 };
  const rows = set.services.map((s) => {
    const cells: string[] = new Array<string>(clusters.length).fill('<td></td>');
    for (const cell of s.cells) {
      counts[cell.state]++;
      const link = cellLink(cell, index);
      const plain = cell.state === 'exported' || cell.state === 'imported';
      const title =
        plain && cell.details.length === 0
          ? ''
          : ` title="${esc(`${s.key.replace(/^\//, '')} in ${cell.cluster}: ${cell.state}${cell.details.length > 0 ? `\n${cell.details.join('\n')}` : ''}`)}"`;
      const letter = LETTER[cell.state];
      cells[col.get(cell.cluster) ?? 0] = `<td class="s-${letter}"${title}>${link ? `<a href="${link}">${letter}</a>` : letter}</td>`;
    }
    const bad = s.cells.some((c) => !(c.state === 'exported' || c.state === 'imported'));
    return `<tr${bad ? ' class="bad-row"' : ''}><th>${esc(s.namespace !== undefined ? `${s.namespace}/${s.name}` : s.name)}</th>${cells.join('')}</tr>`;
  });
  const head = clusters.map((c) => `<th class="vert" data-cluster="${esc(c)}"><span>${esc(c)}</span></th>`).join('');
  const legend =
    `<p class="legend"><span class="s-E">E</span> exported ${counts.exported} · <span class="s-I">I</span> imported ${counts.imported} · ` +
    `<span class="s-C">C</span> conflicting ${counts.conflict} · <span class="s-D">D</span> dangling ${counts.dangling} · <span class="s-R">R</span> rejected ${counts.rejected}</p>`;
  return `${legend}<div class="matrix-wrap"><table class="matrix"><thead><tr><th class="corner">service \\ cluster</th>${head}</tr></thead><tbody>${rows.join('\n')}</tbody></table></div>`;
}
