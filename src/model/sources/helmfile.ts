/**
 * helmfile (`helmfile.yaml`, `helmfile.yml`, and the files of a `helmfile.d/` folder): each
 * release's values, as layers (see `../values.ts`).
 *
 * helmfile passes a release's `values:` entries to Helm as `--values` files in the order written
 * (helmfile docs "Values Merging and Data Flow"; later entries win, mappings deep-merged), an
 * entry being a file path relative to the helmfile's folder or an inline mapping; `set:`
 * entries (`name`, `value`) follow as `--set`. The release's `chart` (`cilium/cilium`,
 * `istio/istiod`) tells Cilium's values from Istio's. Releases with `installed: false` install
 * nothing and are skipped. A release's `kubeContext` names the cluster it installs into
 * (`contextCluster`: `kind-east` is `east`); the render stage makes it a cluster of the set.
 *
 * Templated input is not rendered: `helmfile.yaml.gotmpl` is not a manifest file, a helmfile the
 * loader finds to be a template is skipped there, and values entries that are Go templates
 * (`{{ … }}`) or `.gotmpl` files are left out; the other entries still count.
 */
import { dirname, isAbsolute, join } from 'node:path';
import { contextCluster, isHelmfilePath } from '../../render/pulls.js';
import { LayeredValues, chartName, isRecord, setPath, setValue, type ValuesLayer } from '../values.js';
import type { CarrierContext, HeldCarrier, ValuesCarrier, ValuesUnit } from './types.js';

/** The layers and consumed files of one release. */
function releaseUnit(ctx: CarrierContext, held: HeldCarrier, release: Record<string, unknown>, i: number): ValuesUnit | undefined {
  if (release.installed === false) return undefined;
  const layers: ValuesLayer[] = [];
  const consumes: { file: string; doc: number }[] = [];
  const releasePath = held.base.concat(['releases', i]);
  if (Array.isArray(release.values)) {
    release.values.forEach((entry: unknown, j: number) => {
      if (isRecord(entry)) {
        layers.push({ file: held.file, doc: held.doc, path: releasePath.concat(['values', j]), mount: [], body: entry });
        return;
      }
      if (typeof entry !== 'string' || entry === '' || entry.includes('{{') || entry.endsWith('.gotmpl') || /^[a-z]+:\/\//i.test(entry)) return;
      const file = isAbsolute(entry) ? entry : join(dirname(held.file), entry);
      const body = ctx.document(file, 0);
      if (!isRecord(body)) return;
      layers.push({ file, doc: 0, path: [], mount: [], body });
      consumes.push({ file, doc: 0 });
    });
  }
  if (Array.isArray(release.set)) {
    release.set.forEach((entry: unknown, j: number) => {
      if (!isRecord(entry) || typeof entry.name !== 'string' || entry.name.includes('{{')) return;
      const mount = setPath(entry.name);
      const value = entry.value;
      if (!mount || value === undefined || (typeof value === 'string' && value.includes('{{'))) return;
      layers.push({ file: held.file, doc: held.doc, path: releasePath.concat(['set', j, 'value']), mount, body: typeof value === 'string' ? setValue(value) : value });
    });
  }
  if (layers.length === 0) return undefined;
  const values = new LayeredValues(layers, { file: held.file, doc: held.doc, path: releasePath });
  // A release with a kube context installs into that cluster (a cluster of its own in the set).
  const context = typeof release.kubeContext === 'string' && release.kubeContext !== '' ? contextCluster(release.kubeContext) : undefined;
  const cluster = context !== undefined && context !== ctx.cluster.name && ctx.hasCluster(context) ? context : undefined;
  return { values, chart: chartName(release.chart), consumes, ...(cluster ? { cluster } : {}) };
}

/** Reads helmfile releases' values (see the file comment). */
export const helmfileCarrier: ValuesCarrier = {
  id: 'helmfile',
  handles: [],
  holdsDocument(file: string, body: unknown): boolean {
    return isHelmfilePath(file) && isRecord(body) && Array.isArray(body.releases);
  },
  resolve(ctx: CarrierContext, held: HeldCarrier): ValuesUnit[] {
    const { body } = held;
    if (!isRecord(body) || !Array.isArray(body.releases)) return [];
    const units: ValuesUnit[] = [];
    body.releases.forEach((release: unknown, i: number) => {
      if (!isRecord(release)) return;
      const unit = releaseUnit(ctx, held, release, i);
      if (unit) units.push(unit);
    });
    return units;
  },
};
