/**
 * Render stage, Helm part: a chart folder in a cluster's manifests (`Chart.yaml` beside
 * `templates/`) → the objects `helm template` makes of it with the chart's own values, when the
 * user has a `helm` binary (helm/helm `cmd/helm/template.go`). Without one, the templates stay
 * skipped and counted, as the load stage always did.
 *
 * Offline and safe: no `--dependency-update` (a chart whose dependencies are not vendored in
 * `charts/` fails with helm's own message, a `render-error`), no repository access (proxies point
 * at a closed port), no cluster access (`helm template` without `--validate`), a timeout.
 *
 * Where objects come from: helm writes `# Source: <chart>/templates/<file>` before each document;
 * the template file is the object's origin. A template is not YAML until rendered, so no line in it
 * can be known: findings point at the start of the template file.
 */
import { existsSync, statSync } from 'node:fs';
import { basename, join, resolve, sep } from 'node:path';
import { parseDocuments } from '../load/read.js';
import type { Path, Place } from '../base/types.js';
import type { KustomizeRender, RenderedDocument } from './kustomize.js';
import { onPath, rendererEnv, run } from './process.js';

/** The helm binary: `MCLINT_HELM` when set, else `helm` on PATH. */
export function findHelm(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const explicit = env.MCLINT_HELM?.trim();
  if (explicit) return explicit.includes('/') || explicit.includes(sep) ? resolve(explicit) : (onPath(explicit, env) ?? explicit);
  return onPath('helm', env);
}

/** True when `dir` is a Helm chart: `Chart.yaml` beside a `templates/` folder. */
export function isChartDir(dir: string): boolean {
  try {
    return existsSync(join(dir, 'Chart.yaml')) && statSync(join(dir, 'templates')).isDirectory();
  } catch {
    return false;
  }
}

const SOURCE = /^# Source: (.+)$/m;
const NO_FIELD = (_: Path): Place | undefined => undefined;

/**
 * Splits `helm template` output into documents with their origin template (absolute path below
 * `dir`; the chart's `Chart.yaml` when a document names no source). Never throws for odd output:
 * a chunk that is not YAML is left out (helm only prints what it rendered as YAML).
 * @param output helm's standard output
 * @param dir the chart folder
 */
export function helmDocuments(output: string, dir: string): RenderedDocument[] {
  const out: RenderedDocument[] = [];
  for (const chunk of output.split(/^---[ \t]*$/m)) {
    const source = SOURCE.exec(chunk)?.[1]?.trim();
    // `<chart name>/templates/x.yaml`; subcharts: `<chart>/charts/<sub>/templates/x.yaml`.
    const rel = source?.split('/').slice(1).join(sep);
    const file = rel ? join(dir, rel) : join(dir, 'Chart.yaml');
    let docs: unknown[];
    try {
      docs = parseDocuments(file, chunk);
    } catch {
      continue;
    }
    for (const body of docs) {
      if (typeof body !== 'object' || body === null || Array.isArray(body)) continue;
      out.push({ body: body as Record<string, unknown>, origin: { file, doc: -1, path: [] }, fieldPlace: NO_FIELD, via: [join(dir, 'Chart.yaml')] });
    }
  }
  return out;
}

/**
 * Renders the chart in `dir` with its own values (`helm template <dir name> <dir>`). Never throws:
 * a failure is a problem at the chart's `Chart.yaml`, with helm's message.
 */
export async function renderChart(dir: string, helm: string, timeoutMs = 60_000): Promise<KustomizeRender> {
  const place: Place = { file: join(dir, 'Chart.yaml'), doc: 0, path: [] };
  const result = await run(helm, ['template', basename(dir), dir], rendererEnv(process.env), timeoutMs);
  if (result.timedOut) return { ok: false, reason: 'timeout', message: `helm template did not finish within ${Math.round(timeoutMs / 1000)} s`, place };
  if (result.code !== 0) {
    const text =
      result.stderr
        .trim()
        .split('\n')
        .filter((l) => l.trim() !== '')
        .pop() ??
      result.error ??
      `exit code ${String(result.code)}`;
    return { ok: false, reason: 'failed', message: `helm template failed: ${text.replace(/^Error: /, '')}`, place };
  }
  return { ok: true, documents: helmDocuments(result.stdout, dir) };
}
