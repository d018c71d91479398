/**
 * Prometheus servers and their external labels, in the three shapes a fleet configures them:
 * - Prometheus Operator `Prometheus` CR (`monitoring.coreos.com/v1`, and `PrometheusAgent`,
 *   `v1alpha1`, which shares these settings): `spec.externalLabels`, plus
 *   the labels the operator adds to every server (prometheus-operator
 *   `pkg/prometheus/promcfg.go`, `buildExternalLabels`): `prometheus: <namespace>/<name>` (name
 *   set by `spec.prometheusExternalLabelName`, default `prometheus`; an empty string drops it)
 *   and the replica label (`spec.replicaExternalLabelName`, default `prometheus_replica`, valued
 *   with the pod name; empty drops it); these win over a user label of the same name;
 * - a `prometheus.yml` (or `prometheus.yaml`) key of a ConfigMap, parsed as YAML:
 *   `global.external_labels` (Prometheus `config/config.go`, `GlobalConfig.ExternalLabels`);
 * - kube-prometheus-stack Helm values: `prometheus.prometheusSpec.externalLabels`,
 *   `replicaExternalLabelName` and `prometheusExternalLabelName` (and their `…Clear` switches:
 *   an empty name keeps the operator's default), which the chart copies into its Prometheus CR
 *   (prometheus-community/helm-charts `charts/kube-prometheus-stack/templates/prometheus/prometheus.yaml`).
 *   The operator's `prometheus` label is `<namespace>/<CR name>`: the namespace is
 *   `namespaceOverride` or the release namespace, the CR name `kube-prometheus-stack.prometheus.crname`
 *   of the chart's `_helpers.tpl` (`<fullname>-prometheus`, or `<fullname>` with
 *   `cleanPrometheusOperatorObjectNames`; `fullname` from `fullnameOverride`, or the release name
 *   when it contains the chart name (`nameOverride`), else `<release>-<chart>`, cut to 26
 *   characters). The release comes from the values' carrier (`ValuesContext.release`: a Flux
 *   HelmRelease's, as helm-controller names it, see `helm-release.ts`); for other values the parts
 *   the release decides are assumed (`assumed`: the same in every cluster installing the chart under the same
 *   release name and namespace).
 * - prometheus-community `prometheus` chart values: `server.global.external_labels`, copied into
 *   the server's `prometheus.yml`.
 * A label value holding an unrendered placeholder (`${CLUSTER}`: Prometheus expands environment
 * variables in external labels) is unknown (`value` undefined).
 */
import type { Path } from '../../base/types.js';
import { isPlaceholder } from '../../base/placeholder.js';
import type { PrometheusLabelFacts, Source } from '../types.js';
import { isRecord, parseValuesText } from '../values.js';
import type { FactSource, ValuesContext, ValuesSource } from './types.js';

/** The Prometheus Operator's default label names (prometheus-operator `pkg/prometheus/promcfg.go`). */
export const OPERATOR_LABEL = 'prometheus';
export const OPERATOR_REPLICA_LABEL = 'prometheus_replica';

/** The labels of a mapping of label names to values; `place(key)` gives a label's provenance. */
function labelsOf(map: unknown, place: (key: string) => Source): PrometheusLabelFacts[] {
  if (!isRecord(map)) return [];
  return Object.entries(map).flatMap(([name, v]) => {
    if (typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean') return [];
    const text = String(v);
    return [{ name, value: isPlaceholder(text) ? undefined : text, source: place(name) }];
  });
}

/** A label-name setting: its string value, `fallback` when absent, undefined when written empty (the label is dropped). */
function labelName(v: unknown, fallback: string): string | undefined {
  if (typeof v !== 'string') return fallback;
  return v === '' ? undefined : v;
}

/** Reads Prometheus CRs and ConfigMaps holding `prometheus.yml` (see the file comment). */
export const prometheusSource: FactSource = {
  id: 'prometheus',
  handles: ['monitoring.coreos.com/Prometheus', 'monitoring.coreos.com/PrometheusAgent', 'core/ConfigMap'],
  extract(ctx) {
    const { object, cluster } = ctx;
    if (object.kind !== 'ConfigMap') {
      const kind = object.kind;
      let labels = labelsOf(ctx.get(['spec', 'externalLabels']), (k) => ctx.source(['spec', 'externalLabels', k], `${kind} spec.externalLabels.${k}`));
      const operatorLabel = labelName(ctx.get(['spec', 'prometheusExternalLabelName']), OPERATOR_LABEL);
      const replica = labelName(ctx.get(['spec', 'replicaExternalLabelName']), OPERATOR_REPLICA_LABEL);
      if (operatorLabel !== undefined) {
        const value = object.namespace !== undefined && object.name !== undefined ? `${object.namespace}/${object.name}` : undefined;
        // The operator's own labels win over a user label of the same name.
        labels = labels.filter((l) => l.name !== operatorLabel);
        labels.push({ name: operatorLabel, value, source: ctx.source(['metadata', 'name'], `${kind} metadata.name`), implicit: true });
      }
      const at = isRecord(ctx.get(['spec', 'externalLabels']))
        ? ctx.source(['spec', 'externalLabels'], `${kind} spec.externalLabels`)
        : ctx.source(['metadata', 'name'], `${kind} metadata.name`);
      cluster.prometheus.push({ origin: `${kind} CR`, at, labels, replicaLabels: replica ? [replica] : [] });
      return;
    }
    for (const key of ['prometheus.yml', 'prometheus.yaml']) {
      const path: Path = ['data', key];
      const text = ctx.get(path) ?? ctx.placeholder(path);
      if (typeof text !== 'string') continue;
      const config = parseValuesText(object.file, text);
      const global = config?.global;
      if (!isRecord(global) || global.external_labels === undefined) continue;
      const origin = `ConfigMap ${key} global.external_labels`;
      const labels = labelsOf(global.external_labels, () => ctx.source(path, origin));
      cluster.prometheus.push({ origin: `${key} in ConfigMap ${object.name ?? ''}`.trim(), at: ctx.source(path, origin), labels, replicaLabels: [] });
    }
  },
};

/** Reads the prometheus chart's `server.global.external_labels`. */
function serverValues(ctx: ValuesContext): void {
  const path: Path = ['server', 'global', 'external_labels'];
  if (!isRecord(ctx.get(path))) return;
  const origin = 'prometheus chart server.global.external_labels';
  const labels = labelsOf(ctx.get(path), (k) => ctx.source([...path, k], `${origin}.${k}`));
  ctx.cluster.prometheus.push({ origin: 'prometheus chart server', at: ctx.source(path, origin), labels, replicaLabels: [] });
}

/** The chart's name as `.Chart.Name` gives it when the values do not name another chart. */
const STACK_CHART = 'kube-prometheus-stack';
/** How long the chart lets `kube-prometheus-stack.fullname` be (`trunc 26`). */
const STACK_FULLNAME_MAX = 26;

/** Helm's `trunc n | trimSuffix "-"`. */
function truncName(name: string, max: number): string {
  const cut = name.slice(0, max);
  return cut.endsWith('-') ? cut.slice(0, -1) : cut;
}

/**
 * The value of the operator's `prometheus` label on kube-prometheus-stack's Prometheus CR,
 * `<namespace>/<CR name>` (see the file comment), and whether part of it is assumed (a release
 * name or namespace the manifests do not tell, written `<release>`, `<release namespace>`).
 * Undefined value: an override holds a placeholder.
 */
function stackPrometheusLabel(ctx: ValuesContext): { value: string | undefined; assumed: boolean } {
  const release = ctx.release;
  const overrides = ['fullnameOverride', 'nameOverride', 'namespaceOverride'] as const;
  if (overrides.some((k) => ctx.placeholder([k]) !== undefined)) return { value: undefined, assumed: false };
  const text = (k: (typeof overrides)[number]) => {
    const v = ctx.get([k]);
    return typeof v === 'string' && v !== '' ? v : undefined;
  };
  const namespace = text('namespaceOverride') ?? release.namespace;
  let fullname: string | undefined;
  const fullnameOverride = text('fullnameOverride');
  if (fullnameOverride !== undefined) fullname = truncName(fullnameOverride, STACK_FULLNAME_MAX);
  else if (release.name !== undefined) {
    const name = text('nameOverride') ?? ctx.chart ?? STACK_CHART;
    fullname = truncName(release.name.includes(name) ? release.name : `${release.name}-${name}`, STACK_FULLNAME_MAX);
  }
  const suffix = ctx.get(['cleanPrometheusOperatorObjectNames']) === true ? '' : '-prometheus';
  return { value: `${namespace ?? '<release namespace>'}/${fullname ?? '<release>'}${suffix}`, assumed: namespace === undefined || fullname === undefined };
}

/** A kube-prometheus-stack label-name value: undefined when its `…Clear` switch is on (the label is dropped), the default when empty or absent. */
function stackLabelName(ctx: ValuesContext, spec: Path, key: string, fallback: string): string | undefined {
  if (ctx.get([...spec, `${key}Clear`]) === true) return undefined;
  const v = ctx.get([...spec, key]);
  return typeof v === 'string' && v !== '' ? v : fallback;
}

/**
 * Reads kube-prometheus-stack values (`prometheus.prometheusSpec`) and the prometheus chart's
 * (`server.global.external_labels`); values of a chart whose name does not say Prometheus are skipped.
 */
export const prometheusValuesSource: ValuesSource = {
  id: 'prometheus-values',
  extract(ctx) {
    if (ctx.chart !== undefined && !/prometheus/i.test(ctx.chart)) return;
    serverValues(ctx);
    const spec: Path = ['prometheus', 'prometheusSpec'];
    if (!isRecord(ctx.get(spec))) return;
    const origin = (k: string) => `kube-prometheus-stack prometheus.prometheusSpec.${k}`;
    let labels = labelsOf(ctx.get([...spec, 'externalLabels']), (k) => ctx.source([...spec, 'externalLabels', k], origin(`externalLabels.${k}`)));
    const operatorLabel = stackLabelName(ctx, spec, 'prometheusExternalLabelName', OPERATOR_LABEL);
    const replica = stackLabelName(ctx, spec, 'replicaExternalLabelName', OPERATOR_REPLICA_LABEL);
    if (operatorLabel !== undefined) {
      labels = labels.filter((l) => l.name !== operatorLabel);
      const { value, assumed } = stackPrometheusLabel(ctx);
      labels.push({ name: operatorLabel, value, source: ctx.source(spec, origin('')), implicit: true, ...(assumed && { assumed }) });
    }
    ctx.cluster.prometheus.push({
      origin: 'kube-prometheus-stack Prometheus',
      at: isRecord(ctx.get([...spec, 'externalLabels']))
        ? ctx.source([...spec, 'externalLabels'], origin('externalLabels'))
        : ctx.source(spec, 'kube-prometheus-stack prometheus.prometheusSpec'),
      labels,
      replicaLabels: replica ? [replica] : [],
    });
  },
};
