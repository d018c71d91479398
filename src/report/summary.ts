/**
 * The run summary: how many ClusterSets, clusters, files and documents were read, which files
 * were skipped and why, how many objects are of kinds no rule reads (DESIGN.md §9: never a
 * silent skip), and which config file was used.
 */
import { isAbsolute, relative, sep } from 'node:path';
import type { RunStats } from '../lint.js';
import { displayPath } from '../model/describe.js';
import { plural } from './common.js';
import { clustersText, renderText } from './clusterset.js';
import { compareValues } from '../base/order.js';
import { inert, inertLines } from './inert.js';

const SKIP_TEXT: Record<keyof RunStats['skipped'], [string, string]> = {
  template: ['unrendered Helm template', 'unrendered Helm templates'],
  binary: ['binary file', 'binary files'],
  'too-large': ['file too large', 'files too large'],
  unreadable: ['unreadable file', 'unreadable files'],
  outside: ['file outside any cluster directory', 'files outside any cluster directory'],
  unreferenced: ['file its kustomization does not read', 'files their kustomizations do not read'],
  patch: ['kustomize patch not read as an object', 'kustomize patches not read as objects'],
  'not-regular': ['not a regular file', 'not regular files'],
  'symlink-outside': ['symlink to outside the repository', 'symlinks to outside the repository'],
  'symlink-loop': ['symlink loop', 'symlink loops'],
  'unreadable-dir': ['unreadable directory', 'unreadable directories'],
  'bad-name': ['name not valid UTF-8', 'names not valid UTF-8'],
};

const OTHER_TEXT: Record<keyof RunStats['otherDocuments'], string> = {
  'helm-values': 'values/config',
  kustomization: 'kustomization',
  'json-patch': 'JSON patch',
  other: 'other',
};

/**
 * A config file's path relative to the working directory, also above it (`../../mclint.config.yaml`:
 * lookup goes up to the repository root), `/`-separated; absolute on another drive.
 */
function configPath(file: string): string {
  const rel = relative(process.cwd(), file);
  return inert((rel === '' || isAbsolute(rel) ? file : rel).split(sep).join('/'));
}

/** `a` before `b` by UTF-16 code units: the same order on every machine (no locale). */
const byCodeUnits = compareValues;

/**
 * One line, then the clusters read (plus, with `verbose`, one line per skipped file and one per kind
 * no rule reads):
 * `Read 3 clusters in 1 ClusterSet: 12 files, 25 documents (2 not Kubernetes objects: 2 kustomization); skipped 1 file (1 unrendered Helm template), --verbose lists them; 40 objects of 12 kinds no rule reads, --verbose lists them; rendered 2 kustomizations with kubectl; config mclint.config.yaml.`
 * `Clusters: east (folder, 12 files, pulled in by Flux), west (Argo CD destination, 3 files).`
 * A baseline that suppressed findings adds `; 3 problems suppressed by mclint-suppressions.json`.
 * Each part after the documents appears only when it has something to say. Paths are relative
 * to the working directory; kinds are `apiVersion Kind`, listed in code-unit order. Paths, names and
 * kinds from the repository are printed inert (`inert.ts`): one line each, never a workflow command.
 */
export function formatSummary(stats: RunStats, verbose = false): string {
  const others = Object.entries(stats.otherDocuments).filter(([, n]) => n > 0);
  const otherCount = others.reduce((n, [, c]) => n + c, 0);
  let line = `Read ${plural(stats.clusters, 'cluster')} in ${plural(stats.clusterSets, 'ClusterSet')}: ` + `${plural(stats.files, 'file')}, ${plural(stats.documents, 'document')}`;
  if (otherCount > 0) {
    line += ` (${otherCount} not Kubernetes ${otherCount === 1 ? 'object' : 'objects'}: ${others
      .map(([k, n]) => `${n} ${OTHER_TEXT[k as keyof RunStats['otherDocuments']]}`)
      .join(', ')})`;
  }
  const skipped = (Object.entries(stats.skipped) as [keyof RunStats['skipped'], string[]][]).filter(([, l]) => l.length > 0);
  const skippedCount = skipped.reduce((n, [, l]) => n + l.length, 0);
  if (skippedCount > 0) {
    line += `; skipped ${plural(skippedCount, 'file')} (${skipped.map(([k, l]) => `${l.length} ${SKIP_TEXT[k][l.length === 1 ? 0 : 1]}`).join(', ')})`;
    if (!verbose) line += ', --verbose lists them';
  }
  const unread = Object.entries(stats.unreadKinds ?? {}).sort(([a], [b]) => byCodeUnits(a, b));
  if (unread.length > 0) {
    const objects = unread.reduce((n, [, c]) => n + c, 0);
    line += `; ${plural(objects, 'object')} of ${plural(unread.length, 'kind')} no rule reads`;
    if (!verbose) line += ', --verbose lists them';
  }
  const render = renderText(stats);
  if (render) line += `; ${render}`;
  const configs = stats.configFiles ?? [];
  if (configs.length > 0) line += `; ${configs.length === 1 ? 'config' : 'configs'} ${configs.map(configPath).join(', ')}`;
  // The baseline (suppress/baseline.ts): the findings it recorded are not reported, only counted here.
  if (stats.baseline && stats.baseline.suppressed > 0) line += `; ${plural(stats.baseline.suppressed, 'problem')} suppressed by ${configPath(stats.baseline.file)}`;
  line += '.';
  const clusters = clustersText(stats);
  if (clusters) line += `\nClusters: ${clusters}.`;
  if (verbose) {
    for (const [k, l] of skipped) for (const f of l) line += `\n  skipped ${inert(displayPath(f))}: ${SKIP_TEXT[k][0]}`;
    for (const [type, n] of unread) line += `\n  no rule reads ${inert(type)}: ${plural(n, 'object')}`;
  }
  return inertLines(line);
}
