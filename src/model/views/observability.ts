/**
 * Observability identity of a ClusterSet: the Prometheus servers of its clusters as Thanos (or a
 * remote-write receiver) sees them, by their external labels.
 *
 * Upstream behaviour mirrored:
 * - Thanos docs ("Sidecar", "Querier: deduplication"; thanos-io/thanos #689, #764, #1337): every
 *   Prometheus of a Thanos system must have a unique set of external labels; the querier
 *   deduplicates only on the replica labels it is given (`--query.replica-label`), so servers
 *   whose sets are equal apart from replica labels are read as replicas of one server and their
 *   series are merged (or the sidecar/store refuses the duplicate block stream).
 * - Prometheus Operator: `prometheus` and `prometheus_replica` labels (see
 *   `../sources/prometheus.ts`).
 * - The `cluster` label convention of Thanos and Cortex/Mimir (`-distributor.ha-tracker.cluster`
 *   defaults to `cluster`): its value names the cluster. Thanos itself requires only that label
 *   sets be unique, not that a value equal any name, so a value is questioned only against what
 *   the manifests say: another cluster's name or identity, or the cluster's own declared identity
 *   (a folder name is repository layout, not an identity; see `identity.ts`).
 */
import type { ClusterModel, ClusterSetModel, Fact, PrometheusFacts, PrometheusLabelFacts, Source } from '../types.js';
import { viewKey, viewOf } from './cache.js';
import { identityClaims } from './identity.js';

/** Replica label names every comparison ignores: the operator's and Thanos' conventional `replica`. */
export const DEFAULT_REPLICA_LABELS: readonly string[] = ['prometheus_replica', 'replica'];

/** A server whose external labels (apart from replica labels) equal those of a server of an earlier cluster. */
export interface PrometheusDuplicate {
  readonly cluster: ClusterModel;
  readonly server: PrometheusFacts;
  readonly firstCluster: ClusterModel;
  readonly first: PrometheusFacts;
  /** The compared labels as `name="value"`, sorted, comma-separated (`{}` when none). */
  readonly labels: string;
}

/**
 * A server whose cluster label is not a name of its own cluster: `otherCluster` when the value is
 * the name or a declared identity of `other` (`named`: where that name is written, undefined for a
 * folder name), `notDeclared` when it names no cluster of the set but the cluster declares an
 * identity (`identity`, its strongest one). A value that names no cluster, of a cluster that
 * declares nothing, is no mismatch.
 */
export type ClusterLabelMismatch = {
  readonly cluster: ClusterModel;
  readonly server: PrometheusFacts;
  readonly label: PrometheusLabelFacts & { readonly value: string };
} & ({ readonly kind: 'otherCluster'; readonly other: ClusterModel; readonly named?: Source } | { readonly kind: 'notDeclared'; readonly identity: Fact<string> });

/** What the observability view finds for one set of options. */
export interface PrometheusIdentityProblems {
  readonly duplicates: readonly PrometheusDuplicate[];
  readonly clusterLabels: readonly ClusterLabelMismatch[];
}

/** Options of the comparison: the cluster label's name and extra replica label names. */
export interface PrometheusIdentityOptions {
  readonly clusterLabel: string;
  readonly replicaLabels: readonly string[];
}

/**
 * The identities a cluster declares, strongest first: the identity claims `cluster-identity`
 * compares (Submariner `clusterID`, ClusterProperty `cluster.clusterset.k8s.io`, Cilium
 * `cluster.name`, kubeadm `clusterName`, kind `name`), Istio `multiCluster.clusterName`, Liqo's
 * cluster ID, the `metadata.name` of a Karmada `Cluster` registering it, and its name when the
 * config file or `--cluster` declares it (not a folder name).
 */
function declaredIdentities(set: ClusterSetModel, cluster: ClusterModel): Fact<string>[] {
  return [
    ...identityClaims(cluster).map((c) => c.fact),
    ...cluster.istio.flatMap((i) => (i.clusterName ? [i.clusterName] : [])),
    ...cluster.liqo.clusterIDs,
    ...set.clusters.flatMap((c) => c.identity.karmadaClusters.filter((k) => k.name.value === cluster.name).map((k) => k.name)),
    ...(cluster.nameSource.source.origin === 'directory name' ? [] : [cluster.nameSource]),
  ];
}

/** The names a cluster goes by (its own and its declared identities), each with where it is written (undefined: a folder name). */
function namesOf(set: ClusterSetModel, cluster: ClusterModel): Map<string, Source | undefined> {
  const names = new Map<string, Source | undefined>([[cluster.name, cluster.nameSource.source.doc < 0 ? undefined : cluster.nameSource.source]]);
  for (const f of declaredIdentities(set, cluster)) if (!names.has(f.value) || names.get(f.value) === undefined) names.set(f.value, f.source);
  return names;
}

/** The comparable signature of a server's labels, or undefined when a compared value is unknown. */
function signature(server: PrometheusFacts, ignored: ReadonlySet<string>): string | undefined {
  const kept = server.labels.filter((l) => !ignored.has(l.name) && !server.replicaLabels.includes(l.name));
  if (kept.some((l) => l.value === undefined)) return undefined;
  const parts = kept.map((l) => `${l.name}=${JSON.stringify(l.value)}`).sort();
  return parts.length === 0 ? '{}' : parts.join(', ');
}

function compute(set: ClusterSetModel, options: PrometheusIdentityOptions): PrometheusIdentityProblems {
  const ignored = new Set([...DEFAULT_REPLICA_LABELS, ...options.replicaLabels]);
  const firstBySignature = new Map<string, { cluster: ClusterModel; server: PrometheusFacts }>();
  const duplicates: PrometheusDuplicate[] = [];
  const clusterLabels: ClusterLabelMismatch[] = [];
  const names = new Map(set.clusters.map((c) => [c, namesOf(set, c)]));
  for (const cluster of set.clusters) {
    for (const server of cluster.prometheus) {
      const label = server.labels.find((l) => l.name === options.clusterLabel);
      const value = label?.value;
      if (label && value !== undefined && !names.get(cluster)!.has(value)) {
        const other = set.clusters.find((c) => c !== cluster && names.get(c)!.has(value));
        const identity = other ? undefined : declaredIdentities(set, cluster)[0];
        if (other) clusterLabels.push({ cluster, server, label: { ...label, value }, kind: 'otherCluster', other, named: names.get(other)!.get(value) });
        else if (identity) clusterLabels.push({ cluster, server, label: { ...label, value }, kind: 'notDeclared', identity });
      }
      const sig = signature(server, ignored);
      if (sig === undefined) continue;
      const first = firstBySignature.get(sig);
      if (!first) firstBySignature.set(sig, { cluster, server });
      // Servers of one cluster with equal labels are an HA group (told apart by their replica label).
      else if (first.cluster !== cluster) duplicates.push({ cluster, server, firstCluster: first.cluster, first: first.server, labels: sig });
    }
  }
  return { duplicates, clusterLabels };
}

const KEY = viewKey<Map<string, PrometheusIdentityProblems>>('prometheus-identity');

/**
 * Prometheus servers of `set` whose external labels collide with a server of another cluster,
 * and servers whose cluster label (`options.clusterLabel`) names another cluster of the set, or
 * differs from their cluster's declared identity (see `ClusterLabelMismatch`). Placeholder values
 * are unknown: never compared, never findings. Built once per set and options.
 */
export function prometheusIdentityProblems(set: ClusterSetModel, options: PrometheusIdentityOptions): PrometheusIdentityProblems {
  const byOptions = viewOf(set, KEY, () => new Map<string, PrometheusIdentityProblems>());
  const key = JSON.stringify(options);
  let found = byOptions.get(key);
  if (!found) byOptions.set(key, (found = compute(set, options)));
  return found;
}
