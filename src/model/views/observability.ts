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
 *   defaults to `cluster`): its value names the cluster.
 */
import type { ClusterModel, ClusterSetModel, PrometheusFacts, PrometheusLabelFacts } from '../types.js';
import { viewKey, viewOf } from './cache.js';

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

/** A server whose cluster label names another cluster than its own. */
export interface ClusterLabelMismatch {
  readonly cluster: ClusterModel;
  readonly server: PrometheusFacts;
  readonly label: PrometheusLabelFacts & { readonly value: string };
}

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
 * The identity names a cluster is known by: its name, and the names its manifests give it
 * (ClusterProperty `cluster.clusterset.k8s.io`, Submariner `clusterID`, Cilium `cluster.name`).
 */
function identityNames(cluster: ClusterModel): Set<string> {
  const names = new Set([cluster.name]);
  for (const f of [...cluster.identity.clusterProperty, ...cluster.identity.clusterIDs]) names.add(f.value);
  for (const c of cluster.cilium) if (c.clusterName) names.add(c.clusterName.value);
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
  for (const cluster of set.clusters) {
    const names = identityNames(cluster);
    for (const server of cluster.prometheus) {
      const label = server.labels.find((l) => l.name === options.clusterLabel);
      if (label?.value !== undefined && !names.has(label.value)) clusterLabels.push({ cluster, server, label: { ...label, value: label.value } });
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
 * and servers whose cluster label (`options.clusterLabel`) names none of their cluster's
 * identities. Placeholder values are unknown: never compared, never findings. Built once per set
 * and options.
 */
export function prometheusIdentityProblems(set: ClusterSetModel, options: PrometheusIdentityOptions): PrometheusIdentityProblems {
  const byOptions = viewOf(set, KEY, () => new Map<string, PrometheusIdentityProblems>());
  const key = JSON.stringify(options);
  let found = byOptions.get(key);
  if (!found) byOptions.set(key, (found = compute(set, options)));
  return found;
}
