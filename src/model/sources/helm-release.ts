/**
 * Flux `HelmRelease` (`helm.toolkit.fluxcd.io` v2beta1, v2beta2, v2): the values helm-controller
 * passes to the chart, as layers (see `../values.ts`).
 *
 * Mirrors fluxcd/helm-controller `internal/chartutil/values.go` `ChartValuesFromReferences`:
 * `spec.valuesFrom` entries are merged in order, then `spec.values` last, overwriting them. An
 * entry names a ConfigMap or Secret (`kind`, `name`) in the HelmRelease's namespace and a key
 * (`valuesKey`, default `values.yaml`; Flux API `ValuesReference.GetValuesKey`). Without
 * `targetPath` the key holds YAML values merged over the result so far; with it, the key's text
 * is set at that dot path as Helm's `--set` would (`ReplacePathValue`: `strvals.ParseInto`, or
 * `ParseIntoString` when the text is quoted). A Secret's key is read from `stringData` (which
 * the API server folds into `data`, winning) or base64 `data`.
 *
 * References are resolved only against the ConfigMaps and Secrets of the same cluster's
 * manifests; one that is absent there (created by another tool, `optional`, or missing) is left
 * out, and the other layers still count. The chart (`spec.chart.spec.chart`, or
 * `spec.chartRef.name`) tells Cilium's values from Istio's. The release (`ValuesUnit.release`)
 * follows fluxcd/helm-controller `api/v2` `GetReleaseName` (`spec.releaseName`, else
 * `[spec.targetNamespace-]metadata.name`, shortened past 53 characters by `internal/release`
 * `ShortenName`) and `GetReleaseNamespace` (`spec.targetNamespace`, else `metadata.namespace`).
 */
import { Buffer } from 'node:buffer';
import { createHash } from 'node:crypto';
import { isPlaceholder } from '../../base/placeholder.js';
import type { Path } from '../../base/types.js';
import { LayeredValues, chartName, isRecord, parseValuesText, setPath, setValue, type ValuesLayer } from '../values.js';
import type { CarrierContext, HeldCarrier, HelmReleaseName, ValuesCarrier, ValuesUnit } from './types.js';

/** Flux's default `valuesKey`. */
export const DEFAULT_VALUES_KEY = 'values.yaml';

/** The text of `key` in a ConfigMap or Secret body, and its path there; undefined when absent. */
function keyText(kind: 'ConfigMap' | 'Secret', body: Record<string, unknown>, key: string): { text: string; path: Path } | undefined {
  if (kind === 'ConfigMap') {
    const data = body.data;
    return isRecord(data) && typeof data[key] === 'string' ? { text: data[key], path: ['data', key] } : undefined;
  }
  const stringData = body.stringData;
  if (isRecord(stringData) && typeof stringData[key] === 'string') return { text: stringData[key], path: ['stringData', key] };
  const data = body.data;
  if (!isRecord(data) || typeof data[key] !== 'string') return undefined;
  const encoded = data[key].replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(encoded)) return undefined;
  return { text: Buffer.from(encoded, 'base64').toString('utf8'), path: ['data', key] };
}

/** The layer one `valuesFrom` entry contributes, or undefined when it cannot be resolved here. */
function referenceLayer(ctx: CarrierContext, namespace: string | undefined, ref: unknown): ValuesLayer | undefined {
  if (!isRecord(ref)) return undefined;
  const kind = ref.kind;
  if ((kind !== 'ConfigMap' && kind !== 'Secret') || typeof ref.name !== 'string') return undefined;
  const held = ctx.object(kind, namespace, ref.name);
  if (!held) return undefined;
  const key = typeof ref.valuesKey === 'string' && ref.valuesKey !== '' ? ref.valuesKey : DEFAULT_VALUES_KEY;
  const found = keyText(kind, held.body, key);
  if (!found) return undefined;
  const { object } = held;
  const place = { file: object.file, doc: object.doc, path: object.base.concat(found.path), object, embedded: true };
  if (typeof ref.targetPath === 'string' && ref.targetPath !== '') {
    const mount = setPath(ref.targetPath);
    if (!mount) return undefined;
    const text = found.text;
    const quoted = text.length >= 2 && ((text.startsWith('"') && text.endsWith('"')) || (text.startsWith("'") && text.endsWith("'")));
    return { ...place, mount, body: quoted ? text.replace(/^['"]+|['"]+$/g, '') : setValue(text) };
  }
  const body = parseValuesText(object.file, found.text);
  return body ? { ...place, mount: [], body } : undefined;
}

/** Reads Flux HelmReleases' values (see the file comment). */
export const helmReleaseCarrier: ValuesCarrier = {
  id: 'flux-helmrelease',
  handles: ['helm.toolkit.fluxcd.io/HelmRelease'],
  resolve(ctx: CarrierContext, held: HeldCarrier): ValuesUnit[] {
    const { body, object } = held;
    if (!isRecord(body) || !isRecord(body.spec) || !object) return [];
    const spec = body.spec;
    const layers: ValuesLayer[] = [];
    if (Array.isArray(spec.valuesFrom)) {
      for (const ref of spec.valuesFrom) {
        const layer = referenceLayer(ctx, object.namespace, ref);
        if (layer) layers.push(layer);
      }
    }
    if (isRecord(spec.values)) {
      layers.push({ file: held.file, doc: held.doc, path: held.base.concat(['spec', 'values']), mount: [], body: spec.values, object });
    }
    if (layers.length === 0) return [];
    const chartSpec = isRecord(spec.chart) && isRecord(spec.chart.spec) ? spec.chart.spec : undefined;
    const chart = chartName(chartSpec?.chart) ?? (isRecord(spec.chartRef) ? chartName(spec.chartRef.name) : undefined);
    const values = new LayeredValues(layers, { file: held.file, doc: held.doc, path: held.base, object });
    return [{ values, chart, release: fluxRelease(body, spec), consumes: [] }];
  },
};

/** The longest release name helm-controller keeps as is (Helm's limit). */
const MAX_RELEASE_NAME = 53;

/** fluxcd/helm-controller `internal/release` `ShortenName`: a longer name is cut to 40 characters, `-` and 12 hex digits of its SHA-256. */
export function shortenReleaseName(name: string): string {
  if (name.length <= MAX_RELEASE_NAME) return name;
  return `${name.slice(0, MAX_RELEASE_NAME - 13)}-${createHash('sha256').update(name).digest('hex').slice(0, 12)}`;
}

/** The release of a HelmRelease (see the file comment); a part depending on a placeholder is left out. */
function fluxRelease(body: Record<string, unknown>, spec: Record<string, unknown>): HelmReleaseName {
  // A field left to apply time makes what depends on it unknown (null); an absent one falls back.
  const field = (v: unknown): string | null | undefined => (typeof v === 'string' && isPlaceholder(v) ? null : typeof v === 'string' && v !== '' ? v : undefined);
  const meta = isRecord(body.metadata) ? body.metadata : {};
  const name = field(meta.name);
  const namespace = field(meta.namespace);
  const target = field(spec.targetNamespace);
  let release = field(spec.releaseName);
  if (release === undefined) release = target === null || name == null ? null : target !== undefined ? `${target}-${name}` : name;
  const ns = target !== undefined ? target : namespace;
  return { ...(release != null && { name: shortenReleaseName(release) }), ...(ns != null && { namespace: ns }) };
}
