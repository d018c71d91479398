/**
 * Per-cluster alternatives: files of one cluster folder that are never applied together, because
 * each describes a different cluster (component-first repositories keep one file per cluster in a
 * folder such as `kind/` or `istiod/`, while mclint takes one folder for one cluster). Settings
 * that disagree between two such files are not a conflict of one cluster, so the identity and CIDR
 * comparisons (`istio-mesh-identity`, `cluster-identity`, `cidr-source-mismatch`) ask
 * `perClusterAlternatives` before reporting one, and note the folder once instead.
 *
 * Upstream behaviour mirrored: `kind create cluster --config FILE` reads one kind `Cluster` config
 * per cluster (sigs.k8s.io/kind `pkg/cluster/internal/create`); `kubeadm init --config FILE` reads
 * one `ClusterConfiguration` (kubernetes `cmd/kubeadm/app/util/config` `LoadInitConfigurationFromFile`);
 * `helm install -f a.yaml -f b.yaml` layers the files it is given (helm/helm
 * `pkg/cli/values/options.go` `MergeValues`), so the values files of one install are the base
 * `values.yaml` and the overlays applied on top of it.
 */
import { basename, dirname } from 'node:path';
import type { ClusterModel, Source } from './types.js';

/** What the two alternative files are. */
export type AlternativeKind = 'kind Cluster configs' | 'kubeadm ClusterConfigurations' | 'Helm values files';

/** Two files of one cluster folder that are per-cluster alternatives: `at` states the value not compared, `other` the value the cluster is compared by. */
export interface PerClusterAlternatives {
  readonly cluster: ClusterModel;
  readonly kind: AlternativeKind;
  readonly at: Source;
  readonly other: Source;
  /** The file names of `at` and `other` (both in the same folder). */
  readonly names: readonly [string, string];
}

/** Objects that configure one whole cluster each: two of them in one folder are two clusters. */
const CLUSTER_CONFIGS: readonly (readonly [group: string, kind: string, AlternativeKind])[] = [
  ['kind.x-k8s.io', 'Cluster', 'kind Cluster configs'],
  ['kubeadm.k8s.io', 'ClusterConfiguration', 'kubeadm ClusterConfigurations'],
];

/** `values-<x>.yaml`, `values.<x>.yaml`, `values_<x>.yaml`: the form (`values-`) and the variant `<x>`. */
const VALUES_SUFFIX = /^values([-._])(.+)\.ya?ml$/;
/** `<x>-values.yaml`, `<x>.values.yaml`, `<x>_values.yaml`. */
const VALUES_PREFIX = /^(.+)([-._])values\.ya?ml$/;

/** The naming form and variant of a per-variant Helm values file name, or undefined (the base `values.yaml`, other names). */
function valuesVariant(file: string): { form: string; variant: string } | undefined {
  const name = basename(file).toLowerCase();
  const suffix = VALUES_SUFFIX.exec(name);
  if (suffix) return { form: `values${suffix[1]}`, variant: suffix[2] };
  const prefix = VALUES_PREFIX.exec(name);
  return prefix ? { form: `${prefix[2]}values`, variant: prefix[1] } : undefined;
}

/**
 * What two places of one cluster are when they come from per-cluster alternatives — different
 * files of the same folder that are never applied together — else undefined:
 * - two kind `Cluster` configs (`kind.x-k8s.io`), or two kubeadm `ClusterConfiguration`s: every
 *   such file creates a cluster of its own;
 * - two stand-alone Helm values files whose names differ only by their variant, in the same form
 *   (`values-<a>.yaml` / `values-<b>.yaml`, `values.<a>.yaml`, `<a>-values.yaml`): alternative
 *   `helm -f` files of different installs. The base `values.yaml` is a layer under any of them,
 *   never an alternative, and values inside an object (HelmRelease, Application, ConfigMap) belong
 *   to that object's install. Files that a HelmRelease, Argo CD Application or helmfile release
 *   names together are merged into one install by the model (`dropConsumed`), so they never
 *   disagree with each other.
 */
export function perClusterAlternatives(a: Source, b: Source): AlternativeKind | undefined {
  if (a.file === b.file || dirname(a.file) !== dirname(b.file)) return undefined;
  if (a.object && b.object) {
    const config = CLUSTER_CONFIGS.find(([group, kind]) => [a.object, b.object].every((o) => o?.group === group && o.kind === kind));
    return config?.[2];
  }
  if (a.object || b.object) return undefined;
  const x = valuesVariant(a.file);
  const y = valuesVariant(b.file);
  return x && y && x.form === y.form && x.variant !== y.variant ? 'Helm values files' : undefined;
}

/**
 * `at` (a place that disagrees with the value a comparison takes as the cluster's) as a
 * per-cluster alternative of the places in `agreeing` (those that state that value) of its own
 * folder — `other`: the first of them — or undefined when that folder has none, or has one `at`
 * may be applied together with: a base `values.yaml` under `values-<x>.yaml` keeps its conflict.
 * Places of other folders do not count: a component folder of alternatives (`istiod/`) is no
 * layer of another (`eastwest-gateway/`), whose files are compared with their own siblings.
 */
export function alternativeOf(cluster: ClusterModel, at: Source, agreeing: readonly Source[]): PerClusterAlternatives | undefined {
  const siblings = agreeing.filter((other) => dirname(other.file) === dirname(at.file));
  const kinds = siblings.map((other) => perClusterAlternatives(at, other));
  const kind = kinds[0];
  return kind && kinds.every((k) => k === kind) ? { cluster, kind, at, other: siblings[0], names: [basename(at.file), basename(siblings[0].file)] } : undefined;
}
