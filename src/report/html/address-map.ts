/**
 * The address map of the HTML report: per ClusterSet and IP family, one SVG with an address axis
 * and one row per cluster, its ranges drawn as bars by kind (pod, service, Node pod range,
 * GlobalNet, Cilium native routing). The axis is piecewise: the boundaries of the ranges cut it
 * into segments, each drawn with a width growing with the logarithm of its size and gaps shrunk
 * to a fixed width (marked ⋯), so a /8 GlobalNet range and a /24 Node slice both stay visible.
 * Overlaps that matter (the data's `overlaps`) are outlined in red across both rows and listed
 * under the picture; defaults are drawn dashed; every bar's tooltip (`<title>`) gives CIDR,
 * cluster, kind, origin and file:line. The GlobalNet row shows the Broker's range, its free space
 * and the allocations subctl join would make next. Drawn at generation time: no script needed.
 */
import ipaddr from 'ipaddr.js';
import type { ReportGlobalnet, ReportOverlap, ReportPlace, ReportRange, ReportSet } from '../../model/views/report-data.js';
import { esc } from './escape.js';
import { findingAnchor, shownPath, type FindingIndex } from './findings.js';

/** The drawing's geometry (SVG user units; the SVG scales to the page width). */
const W = 1200;
const LABEL = 170;
const RIGHT = 10;
const AXIS = 38;
const ROW = 18;
const GAP_WEIGHT = 2;

const KIND_TEXT: Record<ReportRange['kind'], string> = {
  pod: 'pod CIDR',
  service: 'service CIDR',
  node: 'Node pod range',
  global: 'GlobalNet CIDR',
  'native-routing': 'native-routing CIDR',
};

/** The text of address `n` of `family`. */
export function addressText(n: bigint, family: 4 | 6): string {
  const bytes: number[] = [];
  for (let i = family === 4 ? 3 : 15; i >= 0; i--) bytes.push(Number((n >> BigInt(8 * i)) & 255n));
  return ipaddr.fromByteArray(bytes).toString();
}

/** Maps addresses to x: boundaries sorted, each segment's width `log2(size)+1` (gaps: fixed), then scaled. */
class Axis {
  readonly points: bigint[];
  private readonly xs: number[];
  readonly gaps: [number, number][] = [];
  constructor(intervals: readonly [bigint, bigint][]) {
    const set = new Set<bigint>();
    for (const [s, e] of intervals) {
      set.add(s);
      set.add(e + 1n);
    }
    this.points = [...set].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    const covered = (a: bigint, b: bigint) => intervals.some(([s, e]) => s <= a && b - 1n <= e);
    const weights: number[] = [];
    for (let i = 0; i + 1 < this.points.length; i++) {
      const [a, b] = [this.points[i], this.points[i + 1]];
      weights.push(covered(a, b) ? Math.log2(Number(b - a)) + 1 : GAP_WEIGHT);
      if (!covered(a, b)) this.gaps.push([i, i + 1]);
    }
    const total = weights.reduce((s, w) => s + w, 0) || 1;
    const scale = (W - LABEL - RIGHT) / total;
    this.xs = [LABEL];
    for (const w of weights) this.xs.push(this.xs[this.xs.length - 1] + w * scale);
    this.gaps = this.gaps.map(([i, j]) => [this.xs[i], this.xs[j]]);
  }
  /** x of address `n` (interpolated inside a segment; clamped to the axis). */
  x(n: bigint): number {
    const p = this.points;
    if (p.length === 0 || n <= p[0]) return LABEL;
    if (n >= p[p.length - 1]) return this.xs[this.xs.length - 1];
    let lo = 0;
    let hi = p.length - 1;
    while (hi - lo > 1) {
      const mid = (lo + hi) >> 1;
      if (p[mid] <= n) lo = mid;
      else hi = mid;
    }
    const frac = Number(((n - p[lo]) * 10000n) / (p[hi] - p[lo])) / 10000;
    return this.xs[lo] + frac * (this.xs[hi] - this.xs[lo]);
  }
}

const r1 = (n: number) => Math.round(n * 10) / 10;

/** The place of a range for people: `file:line` (relative to `cwd`). */
const placeText = (p: ReportPlace, cwd: string) => `${shownPath(p.file, cwd)}:${p.line}`;

/** The first finding at one of `places`, as an `#f-n` link target, if any. */
function findingLink(index: FindingIndex, places: readonly ReportPlace[]): string | undefined {
  for (const p of places) {
    const hit = index.at(p.file, p.line)[0];
    if (hit !== undefined) return `#${findingAnchor(hit)}`;
  }
  return undefined;
}

/** One range's bar: class by kind, dashed when a default, red when in an overlap, linked to its finding. */
function bar(r: ReportRange, axis: Axis, y: number, inOverlap: boolean, index: FindingIndex, cwd: string): string {
  const x1 = axis.x(BigInt(r.start));
  const x2 = Math.max(axis.x(BigInt(r.end) + 1n), x1 + 2);
  const node = r.kind === 'node';
  const top = node ? y + ROW - 7 : r.kind === 'native-routing' ? y + 1 : y + 3;
  const height = node ? 5 : r.kind === 'native-routing' ? ROW - 2 : ROW - 8;
  const title = `${r.cidr}${r.network !== r.cidr ? ` (= ${r.network})` : ''} — ${KIND_TEXT[r.kind]} of ${r.cluster}${r.isDefault ? ' (default, not written)' : ''}\n${r.origin} in ${[r.at, ...r.also].map((p) => placeText(p, cwd)).join(', ')}`;
  const cls = `bar k-${r.kind}${r.isDefault ? ' default' : ''}${inOverlap ? ' ov' : ''}`;
  const label = !node && x2 - x1 > r.cidr.length * 6.2 + 6 ? `<text x="${r1(x1 + 3)}" y="${y + ROW - 6}" class="bl">${esc(r.cidr)}</text>` : '';
  const rect = `<rect class="${cls}" data-cluster="${esc(r.cluster)}" x="${r1(x1)}" y="${top}" width="${r1(x2 - x1)}" height="${height}"><title>${esc(title)}</title></rect>${label}`;
  const link = findingLink(index, [r.at, ...r.also]);
  return link ? `<a href="${link}">${rect}</a>` : rect;
}

/** The GlobalNet row: the Broker's range, its free space (hatched) and the coming allocations (dashed). */
function globalnetRow(g: ReportGlobalnet, axis: Axis, y: number, cwd: string): string {
  if (!g.range) return '';
  const x = (s: string) => axis.x(BigInt(s));
  const xe = (s: string) => axis.x(BigInt(s) + 1n);
  let out = `<text x="${LABEL - 6}" y="${y + ROW - 5}" class="rl">GlobalNet range</text>`;
  const rangeTitle = `${g.range.cidr} — Broker globalnetCIDRRange${g.range.isDefault ? ' (default 242.0.0.0/8, not written)' : ''} in ${placeText(g.range.at, cwd)}${g.clusterSize !== undefined ? `\n${g.clusterSize} addresses per cluster` : ''}\n${g.freeAddresses} addresses free`;
  out += `<rect class="gn-range${g.range.isDefault ? ' default' : ''}" x="${r1(x(g.range.start))}" y="${y + 2}" width="${r1(xe(g.range.end) - x(g.range.start))}" height="${ROW - 4}"><title>${esc(rangeTitle)}</title></rect>`;
  for (const f of g.free) {
    const size = BigInt(f.end) - BigInt(f.start) + 1n;
    out += `<rect class="gn-free" x="${r1(x(f.start))}" y="${y + 4}" width="${r1(Math.max(1, xe(f.end) - x(f.start)))}" height="${ROW - 8}"><title>free: ${esc(addressText(BigInt(f.start), 4))} – ${esc(addressText(BigInt(f.end), 4))} (${size} addresses)</title></rect>`;
  }
  for (const a of g.allocations) {
    if (a.start === undefined || a.end === undefined) continue;
    const who = a.cluster !== undefined ? `cluster ${a.cluster} (joined without a globalCIDR)` : 'the next cluster to join';
    out += `<rect class="gn-next" x="${r1(x(a.start))}" y="${y + 1}" width="${r1(Math.max(2, xe(a.end) - x(a.start)))}" height="${ROW - 2}"><title>${esc(`subctl join would allocate ${a.cidr} to ${who}`)}</title></rect>`;
  }
  return out;
}

/** Tick labels at the axis boundaries on two staggered lines, skipped where they would overlap; gaps marked ⋯. */
function ticks(axis: Axis, family: 4 | 6, height: number): string {
  let out = '';
  const ends = [-Infinity, -Infinity];
  for (const p of axis.points) {
    const x = axis.x(p);
    out += `<line class="tick" x1="${r1(x)}" x2="${r1(x)}" y1="${AXIS - 4}" y2="${height}"/>`;
    const text = addressText(p, family);
    const width = text.length * 5.8 + 6;
    const atEnd = x + width > W;
    const [from, to] = atEnd ? [x - width, x] : [x, x + width];
    const row = ends.findIndex((e) => from > e);
    if (row < 0) continue;
    ends[row] = to;
    out += `<text class="tl${atEnd ? ' end' : ''}" x="${r1(atEnd ? x - 2 : x + 2)}" y="${row === 0 ? 12 : 26}">${esc(text)}</text>`;
  }
  for (const [a, b] of axis.gaps) out += `<text class="gap" x="${r1((a + b) / 2)}" y="${AXIS - 6}">⋯</text>`;
  return out;
}

/** An overlap as the page names it: its kind in words. */
const OVERLAP_TEXT: Record<string, string> = {
  submariner: 'Submariner without GlobalNet routes both',
  cilium: 'Cilium Cluster Mesh routes both',
  flat: 'flat pod network (nothing says otherwise)',
  podsAndServices: 'pod and service ranges of one cluster',
  nodeSlices: 'two Nodes given overlapping pod ranges',
  addressInRange: 'a Node address inside a range',
  globalnet: 'GlobalNet CIDRs must not overlap each other or pod/service CIDRs',
};

/**
 * The address map section of one set: an SVG per IP family that has ranges, then the overlaps
 * (anchors `ov-<set>-<n>`, linked to their findings) and a table of every range.
 */
export function addressMap(set: ReportSet, setIndex: number, index: FindingIndex, cwd: string): string {
  if (set.ranges.length === 0 && !set.globalnet?.range) return '<p class="none">No pod, service, Node, GlobalNet or native-routing ranges are declared in this ClusterSet.</p>';
  const inOverlap = new Set(set.overlaps.flatMap((o) => [o.a, o.b]));
  const ovId = (i: number) => `ov-${setIndex}-${i}`;
  let out = '';
  for (const family of [4, 6] as const) {
    const ranges = set.ranges.filter((r) => r.family === family);
    const g = family === 4 && set.globalnet?.range ? set.globalnet : undefined;
    if (ranges.length === 0 && !g) continue;
    const intervals: [bigint, bigint][] = ranges.filter((r) => r.kind !== 'node').map((r) => [BigInt(r.start), BigInt(r.end)]);
    if (g?.range) intervals.push([BigInt(g.range.start), BigInt(g.range.end)]);
    if (intervals.length === 0) for (const r of ranges) intervals.push([BigInt(r.start), BigInt(r.end)]);
    const axis = new Axis(intervals);
    const clusters = set.clusters.map((c) => c.name).filter((c) => ranges.some((r) => r.cluster === c));
    const rowOf = new Map(clusters.map((c, i) => [c, i + (g ? 1 : 0)]));
    const height = AXIS + (clusters.length + (g ? 1 : 0)) * ROW + 4;
    let body = ticks(axis, family, height);
    if (g) body += globalnetRow(g, axis, AXIS, cwd);
    for (const c of clusters) {
      const y = AXIS + rowOf.get(c)! * ROW;
      body += `<g class="row" data-cluster="${esc(c)}"><rect class="rowbg" x="0" y="${y}" width="${W}" height="${ROW}"/><text x="${LABEL - 6}" y="${y + ROW - 5}" class="rl">${esc(c)}</text></g>`;
    }
    // Native routing first (the widest, behind), Node slices last (thin, in front).
    const order: ReportRange['kind'][] = ['native-routing', 'global', 'pod', 'service', 'node'];
    for (const kind of order) {
      for (const r of ranges) if (r.kind === kind) body += bar(r, axis, AXIS + rowOf.get(r.cluster)! * ROW, inOverlap.has(r.id), index, cwd);
    }
    set.overlaps.forEach((o, i) => {
      const [a, b] = [set.ranges[o.a], set.ranges[o.b]];
      if (a.family !== family) return;
      const x1 = axis.x(BigInt(a.start > b.start ? a.start : b.start));
      const x2 = axis.x((BigInt(a.end) < BigInt(b.end) ? BigInt(a.end) : BigInt(b.end)) + 1n);
      const [ya, yb] = [rowOf.get(a.cluster)!, rowOf.get(b.cluster)!];
      const y = AXIS + Math.min(ya, yb) * ROW;
      const h = (Math.abs(ya - yb) + 1) * ROW;
      body += `<a href="#${ovId(i)}"><rect class="overlap" id="${ovId(i)}-box" x="${r1(x1 - 1)}" y="${y}" width="${r1(Math.max(3, x2 - x1 + 2))}" height="${h}"><title>${esc(`overlap: ${a.cidr} (${a.cluster}, ${KIND_TEXT[a.kind]}) and ${b.cidr} (${b.cluster}, ${KIND_TEXT[b.kind]}) — ${OVERLAP_TEXT[o.kind] ?? o.kind}`)}</title></rect></a>`;
    });
    out +=
      `<figure class="map"><figcaption>IPv${family}: ${clusters.length} cluster${clusters.length === 1 ? '' : 's'}, ${ranges.length} range${ranges.length === 1 ? '' : 's'}</figcaption>` +
      `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${height}" width="100%" role="img" aria-label="IPv${family} address map of ClusterSet ${esc(set.name)}">${body}</svg></figure>`;
  }
  out += overlapList(set, set.overlaps, ovId, index, cwd) + globalnetText(set.globalnet) + rangeTable(set.ranges, index, cwd);
  return out;
}

/** The overlaps listed: both ranges, clusters, sources and a link to the finding. */
function overlapList(set: ReportSet, overlaps: readonly ReportOverlap[], ovId: (i: number) => string, index: FindingIndex, cwd: string): string {
  if (overlaps.length === 0) return '<p class="ok">No overlapping ranges that matter for how the clusters are connected.</p>';
  const items = overlaps.map((o, i) => {
    const [a, b] = [set.ranges[o.a], set.ranges[o.b]];
    const link = findingLink(index, [a.at, b.at, ...a.also, ...b.also]);
    const side = (r: ReportRange) =>
      `<b>${esc(r.cidr)}</b> ${KIND_TEXT[r.kind]} of <span class="cl">${esc(r.cluster)}</span> (<span class="loc">${esc(placeText(r.at, cwd))}</span>)`;
    return `<li id="${ovId(i)}" class="overlap-item">${side(a)} overlaps ${side(b)} — ${esc(OVERLAP_TEXT[o.kind] ?? o.kind)}${link ? ` <a href="${link}">finding</a>` : ''}</li>`;
  });
  return `<h4 class="bad">${overlaps.length} overlap${overlaps.length === 1 ? '' : 's'}</h4><ul class="overlaps">${items.join('')}</ul>`;
}

/** GlobalNet in words: the range, the size per cluster, the free space and what subctl join would allocate. */
function globalnetText(g: ReportGlobalnet | undefined): string {
  if (!g) return '';
  if (!g.range) return `<p>GlobalNet ${g.enabled ? 'is on' : 'is used (globalCIDRs are set)'}; the Broker's range is not in the repository.</p>`;
  const next = g.allocations.map(
    (a) =>
      `<li>${a.cluster !== undefined ? `cluster <span class="cl">${esc(a.cluster)}</span> (joined without a globalCIDR)` : 'the next cluster to join'}: ${a.cidr !== undefined ? `<b>${esc(a.cidr)}</b>` : `<span class="bad">${esc(a.error)}</span>`}</li>`,
  );
  return (
    `<p>GlobalNet range <b>${esc(g.range.cidr)}</b>${g.range.isDefault ? ' (default)' : ''}${g.clusterSize !== undefined ? `, ${g.clusterSize} addresses per cluster` : ''}: ${esc(g.freeAddresses)} addresses free in ${g.free.length} block${g.free.length === 1 ? '' : 's'}.</p>` +
    (next.length > 0 ? `<p>subctl join would allocate:</p><ul class="next">${next.join('')}</ul>` : '')
  );
}

/** Every range in a collapsed table: cluster, kind, CIDR, default, origin and places. */
function rangeTable(ranges: readonly ReportRange[], index: FindingIndex, cwd: string): string {
  if (ranges.length === 0) return '';
  const rows = ranges.map((r) => {
    const link = findingLink(index, [r.at, ...r.also]);
    return `<tr><td>${esc(r.cluster)}</td><td>${KIND_TEXT[r.kind]}</td><td>${esc(r.cidr)}${r.isDefault ? ' <i>default</i>' : ''}</td><td>${esc(r.origin)}</td><td class="loc">${[r.at, ...r.also].map((p) => esc(placeText(p, cwd))).join('<br>')}</td><td>${link ? `<a href="${link}">finding</a>` : ''}</td></tr>`;
  });
  return `<details><summary>All ${ranges.length} ranges</summary><table class="ranges"><thead><tr><th>Cluster</th><th>Kind</th><th>CIDR</th><th>Setting</th><th>Where</th><th></th></tr></thead><tbody>${rows.join('')}</tbody></table></details>`;
}
