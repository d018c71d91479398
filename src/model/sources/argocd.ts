/**
 * Argo CD `Application` (`argoproj.io/v1alpha1`): the Helm values of `spec.source.helm` and of
 * each `spec.sources[]` entry, as layers (see `../values.ts`).
 *
 * Precedence as Argo CD documents it (argoproj/argo-cd `docs/user-guide/helm.md`: "parameters >
 * valuesObject > values > valueFiles > helm repository values.yaml"): `valueFiles` in order,
 * then `valuesObject`, or `values` (a YAML string) when there is no `valuesObject` (the two are
 * one field: `ApplicationSourceHelm.ValuesYAML` returns `valuesObject` when set and ignores
 * `values`), then each `parameters[]` entry as `--set name=value` (`--set-string` with
 * `forceString: true`).
 *
 * `valueFiles` are read only when they exist in this repository: relative to the source's `path`
 * (the chart's folder), or `$ref/…` relative to the repository root of a `sources[]` entry with
 * that `ref`; the repository root is the nearest folder above the Application (up to the one
 * holding `.git`) where the file exists. Files of a remote chart repository are not fetched.
 *
 * The facts belong to the Application's destination: `spec.destination.name` when a cluster of
 * that name is in the same ClusterSet; else (`in-cluster`, `https://kubernetes.default.svc`, or a
 * destination this repository does not name) the cluster whose files hold the Application.
 */
import { existsSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join } from 'node:path';
import type { Path } from '../../base/types.js';
import { LayeredValues, chartName, isRecord, parseValuesText, setPath, setValue, type ValuesLayer } from '../values.js';
import { destinationName } from '../../render/pulls.js';
import type { CarrierContext, HeldCarrier, ValuesCarrier, ValuesUnit } from './types.js';

const isFile = (path: string) => {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
};

/**
 * The file `relative` (to the repository root) as found from `from` upward: the first folder on
 * the way, up to the one holding `.git`, where it exists. Undefined when none has it.
 */
function inRepository(from: string, relative: string): string | undefined {
  if (relative === '' || isAbsolute(relative) || relative.includes('{{') || /^[a-z]+:\/\//i.test(relative)) return undefined;
  let dir = from;
  for (let depth = 0; depth < 64; depth++) {
    const candidate = join(dir, relative);
    if (isFile(candidate)) return candidate;
    if (existsSync(join(dir, '.git'))) return undefined;
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
  return undefined;
}

/**
 * The cluster the Application deploys to, when the ClusterSet has it and it is not the holder
 * (named as the render stage names destinations, `destinationName`; see the file comment).
 */
function destinationCluster(ctx: CarrierContext, spec: Record<string, unknown>): string | undefined {
  const name = destinationName(isRecord(spec.destination) ? spec.destination : undefined, ctx.cluster.name);
  return name !== ctx.cluster.name && ctx.hasCluster(name) ? name : undefined;
}

/** The values unit of one Application source, or undefined when it passes no values. */
function sourceUnit(ctx: CarrierContext, held: HeldCarrier, at: Path, source: Record<string, unknown>, cluster: string | undefined): ValuesUnit | undefined {
  const helm = source.helm;
  if (!isRecord(helm)) return undefined;
  const object = held.object;
  const helmPath = held.base.concat(at, ['helm']);
  const layers: ValuesLayer[] = [];
  const consumes: { file: string; doc: number }[] = [];
  const from = dirname(held.file);
  const sourcePath = typeof source.path === 'string' ? source.path.replace(/^\.?\/+/, '') : undefined;
  if (Array.isArray(helm.valueFiles)) {
    for (const entry of helm.valueFiles) {
      if (typeof entry !== 'string' || entry === '') continue;
      // `$ref/path`: relative to the root of the source with that `ref`, assumed to be this repository.
      const relative = entry.startsWith('$') ? entry.slice(entry.indexOf('/') + 1) : sourcePath !== undefined ? join(sourcePath, entry) : undefined;
      if (relative === undefined || (entry.startsWith('$') && !entry.includes('/'))) continue;
      const file = inRepository(from, relative);
      const body = file && ctx.document(file, 0);
      if (!file || !isRecord(body)) continue;
      layers.push({ file, doc: 0, path: [], mount: [], body });
      consumes.push({ file, doc: 0 });
    }
  }
  if (isRecord(helm.valuesObject)) {
    layers.push({ file: held.file, doc: held.doc, path: helmPath.concat(['valuesObject']), mount: [], body: helm.valuesObject, object });
  } else if (typeof helm.values === 'string') {
    const body = parseValuesText(held.file, helm.values);
    if (body) layers.push({ file: held.file, doc: held.doc, path: helmPath.concat(['values']), mount: [], body, object, embedded: true });
  }
  if (Array.isArray(helm.parameters)) {
    helm.parameters.forEach((parameter: unknown, i: number) => {
      if (!isRecord(parameter) || typeof parameter.name !== 'string') return;
      const mount = setPath(parameter.name);
      const value = parameter.value;
      if (!mount || (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean')) return;
      const body = typeof value === 'string' ? setValue(value, parameter.forceString === true) : value;
      layers.push({ file: held.file, doc: held.doc, path: helmPath.concat(['parameters', i, 'value']), mount, body, object });
    });
  }
  if (layers.length === 0) return undefined;
  const chart = chartName(source.chart) ?? chartName(source.path);
  const values = new LayeredValues(layers, { file: held.file, doc: held.doc, path: helmPath, object });
  return { values, chart, consumes, ...(cluster !== undefined && { cluster }) };
}

/** Reads Argo CD Applications' Helm values (see the file comment). */
export const argoApplicationCarrier: ValuesCarrier = {
  id: 'argocd-application',
  handles: ['argoproj.io/Application'],
  resolve(ctx: CarrierContext, held: HeldCarrier): ValuesUnit[] {
    const { body } = held;
    if (!isRecord(body) || !isRecord(body.spec)) return [];
    const spec = body.spec;
    const cluster = destinationCluster(ctx, spec);
    const units: ValuesUnit[] = [];
    if (isRecord(spec.source)) {
      const unit = sourceUnit(ctx, held, ['spec', 'source'], spec.source, cluster);
      if (unit) units.push(unit);
    }
    if (Array.isArray(spec.sources)) {
      spec.sources.forEach((source: unknown, i: number) => {
        if (!isRecord(source)) return;
        const unit = sourceUnit(ctx, held, ['spec', 'sources', i], source, cluster);
        if (unit) units.push(unit);
      });
    }
    return units;
  },
};
