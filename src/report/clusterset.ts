/**
 * `--print-clusterset`: the ClusterSets a run built — each cluster, where it came from (its
 * folder, the config file, a `--cluster` flag, an Argo CD destination), how many inputs it has,
 * the folders Flux Kustomizations and Argo CD Applications pulled into it (or could not), and what
 * the render stage rendered, and how each pair of clusters connects (the model's connectivity:
 * flat, remapped, gateway or unknown, with the fabric and the evidence) — as text or JSON. Also the
 * short form the run summary uses.
 */
import type { ClusterOverview, ClusterSetOverview, LintResult, RunStats } from '../lint.js';
import { VIA_TEXT, type LinkKind } from '../model/connectivity.js';
import { displayPath } from '../model/describe.js';
import { plural } from './common.js';
import type { FleetTool } from '../render/pulls.js';
import { inert, inertJson, inertLines } from './inert.js';

const ORIGIN_TEXT: Record<NonNullable<ClusterOverview['origin']>, string> = {
  directory: 'folder',
  config: 'config',
  flag: '--cluster',
  argocd: 'Argo CD destination',
  helmfile: 'helmfile kubeContext',
};

const TOOL_TEXT: Record<FleetTool, string> = { flux: 'Flux', argocd: 'Argo CD', helmfile: 'helmfile' };

/** How a cluster came to be, for people: `folder k8s/clusters/east`, `Argo CD destination`. */
function originText(c: ClusterOverview): string {
  const origin = ORIGIN_TEXT[c.origin ?? 'directory'];
  return c.root !== undefined ? `${origin} ${shownPath(c.root)}` : origin;
}

/** A path as printed: relative to the working directory (`displayPath`), inert. */
const shownPath = (path: string) => inert(displayPath(path));

const KIND_ORDER: readonly LinkKind[] = ['flat', 'remapped', 'gateway', 'unknown'];

/** Most pairs listed for the `unknown` kind before `and N more`. */
const MAX_UNKNOWN_PAIRS = 8;

/**
 * A set's connectivity as text: a `connectivity:` line, then one line per pair grouped by kind
 * (`flat`, `remapped`, `gateway`), each with its fabric and evidence, and the `unknown` pairs on
 * one line (at most `MAX_UNKNOWN_PAIRS`, then how many more). Empty for sets of one cluster.
 */
function connectivityText(set: ClusterSetOverview): string {
  const c = set.connectivity;
  if (!c) return '';
  if (c.omitted !== undefined) return `  connectivity: not listed for ${c.omitted} clusters (more than 200)\n`;
  if (c.pairs.length === 0) return '';
  let out = '  connectivity:\n';
  const pair = (p: (typeof c.pairs)[number]) => `${inert(p.clusters[0])} <-> ${inert(p.clusters[1])}`;
  for (const kind of KIND_ORDER) {
    const pairs = c.pairs.filter((p) => p.kind === kind);
    if (pairs.length === 0) continue;
    if (kind === 'unknown') {
      const shown = pairs.slice(0, MAX_UNKNOWN_PAIRS).map(pair).join(', ');
      const more = pairs.length > MAX_UNKNOWN_PAIRS ? ` and ${pairs.length - MAX_UNKNOWN_PAIRS} more` : '';
      out += `    unknown (nothing says how they connect): ${shown}${more}\n`;
      continue;
    }
    for (const p of pairs) {
      const evidence = p.evidence.map((e) => `${inert(e.what)} in ${shownPath(e.file)}`).join('; ');
      out += `    ${kind}: ${pair(p)} by ${p.via !== undefined ? VIA_TEXT[p.via] : 'nothing'} (${evidence})\n`;
    }
  }
  return out;
}

/**
 * The ClusterSets as text, one block per set, one line per cluster and per pull. Names and paths
 * from the repository are printed inert (`inert.ts`): one line each, never a workflow command.
 */
export function formatClusterSet(result: Pick<LintResult, 'clusterSets' | 'stats'>): string {
  let out = '';
  for (const set of result.clusterSets) {
    out += `ClusterSet ${inert(set.name)}: ${plural(set.clusters.length, 'cluster')}\n`;
    for (const c of set.clusters) {
      out += `  ${inert(c.name)}  ${originText(c)}, ${plural(c.inputs ?? 0, 'file')}\n`;
      for (const p of c.pulls ?? []) {
        const where = shownPath(p.at.file);
        out +=
          p.skipped === undefined
            ? `    + ${p.dir !== undefined ? shownPath(p.dir) : inert(p.path)} (${plural(p.inputs, 'file')}) via ${inert(p.via)} in ${where}\n`
            : `    - ${inert(p.path)} not followed (${inert(p.skipped)}) via ${inert(p.via)} in ${where}\n`;
      }
    }
    out += connectivityText(set);
  }
  const render = renderText(result.stats);
  if (render) out += `${render}\n`;
  if (result.stats.render) {
    for (const d of result.stats.render.rendered) out += `  rendered ${shownPath(d)}\n`;
    for (const d of result.stats.render.failed) out += `  failed to render ${shownPath(d)}\n`;
    for (const d of result.stats.render.unrendered) out += `  read unrendered ${shownPath(d)}\n`;
    for (const d of result.stats.render.charts ?? []) out += `  rendered Helm chart ${shownPath(d)}\n`;
    for (const d of result.stats.render.chartsUnrendered ?? []) out += `  Helm chart not rendered ${shownPath(d)}\n`;
  }
  return inertLines(out);
}

/**
 * `--print-clusterset --format json`: {@link clusterSetJson} indented by two spaces, with the
 * characters `JSON.stringify` leaves raw (DEL, C1, bidirectional controls) and `##[` as `\u`
 * escapes (`inertJson`), ending with a newline.
 */
export function formatClusterSetJson(result: Pick<LintResult, 'clusterSets' | 'stats'>): string {
  return `${inertJson(JSON.stringify(clusterSetJson(result), null, 2))}\n`;
}

/** The ClusterSets as JSON-ready data (paths absolute, as in the JSON report). */
export function clusterSetJson(result: Pick<LintResult, 'clusterSets' | 'stats'>): unknown {
  return {
    clusterSets: result.clusterSets.map((set) => ({
      name: set.name,
      clusters: set.clusters.map((c) => ({
        name: c.name,
        origin: c.origin ?? 'directory',
        ...(c.root !== undefined ? { path: c.root } : {}),
        inputs: c.inputs ?? 0,
        pulls: (c.pulls ?? []).map((p) => ({
          tool: p.tool,
          via: p.via,
          filePath: p.at.file,
          path: p.path,
          ...(p.dir !== undefined ? { dir: p.dir } : {}),
          inputs: p.inputs,
          ...(p.skipped !== undefined ? { skipped: p.skipped } : {}),
        })),
        podCIDRs: c.podCIDRs,
        serviceCIDRs: c.serviceCIDRs,
        globalCIDRs: c.globalCIDRs,
      })),
      connectivity: (set.connectivity?.pairs ?? []).map((p) => ({
        clusters: p.clusters,
        kind: p.kind,
        ...(p.via !== undefined ? { via: p.via } : {}),
        evidence: p.evidence.map((e) => ({ what: e.what, filePath: e.file })),
      })),
      ...(set.connectivity?.omitted !== undefined ? { connectivityOmitted: set.connectivity.omitted } : {}),
    })),
    render: result.stats.render ?? { rendered: [], unrendered: [], failed: [] },
  };
}

/**
 * What the render stage did, in one clause (or '' when there were no kustomizations or charts):
 * `rendered 3 kustomizations with kubectl, 1 failed (render-error)`, or, without a binary,
 * `2 kustomizations read unrendered: no kustomize or kubectl on PATH (install kustomize, or kubectl)`.
 */
export function renderText(stats: RunStats): string {
  const r = stats.render;
  if (!r) return '';
  const parts: string[] = [];
  if (r.rendered.length > 0) parts.push(`rendered ${plural(r.rendered.length, 'kustomization')} with ${inert(r.tool ?? 'kustomize')}`);
  if (r.failed.length > 0) parts.push(`${r.failed.length} failed to render (render-error)`);
  if (r.unrendered.length > 0) {
    parts.push(
      `${plural(r.unrendered.length, 'kustomization')} read unrendered, file by file: ` +
        (r.off
          ? 'rendering is off (--no-render)'
          : r.tooOld
            ? `${inert(r.tooOld)}, too old to say where rendered objects come from (install kustomize ≥ 4.5, or kubectl ≥ 1.24)`
            : 'no kustomize or kubectl on PATH (install kustomize, or kubectl, to lint what they render)'),
    );
  }
  if (r.charts && r.charts.length > 0) parts.push(`rendered ${plural(r.charts.length, 'Helm chart')} with helm`);
  if (r.chartsUnrendered && r.chartsUnrendered.length > 0) {
    parts.push(
      `${plural(r.chartsUnrendered.length, 'Helm chart')} not rendered: ${r.off ? 'rendering is off (--no-render)' : 'no helm on PATH'}, ${r.chartsUnrendered.length === 1 ? 'its' : 'their'} templates skipped`,
    );
  }
  return parts.join('; ');
}

/**
 * The clusters for the summary line: `east (folder, 12 inputs), west (Argo CD destination, 3 inputs)`,
 * at most `limit` of them, then how many more.
 */
export function clustersText(stats: RunStats, limit = 8): string {
  const all = stats.clusterList ?? [];
  const shown = all.slice(0, limit).map((c) => {
    const pulled = c.pulledBy.length > 0 ? `, pulled in by ${c.pulledBy.map((t) => TOOL_TEXT[t]).join(' and ')}` : '';
    return `${inert(c.name)} (${ORIGIN_TEXT[c.origin]}, ${plural(c.inputs, 'file')}${pulled})`;
  });
  return shown.join(', ') + (all.length > limit ? ` and ${all.length - limit} more (--print-clusterset lists them)` : '');
}
