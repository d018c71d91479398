import { DEFAULT_REPLICA_LABELS, defineRule, prometheusIdentityProblems } from './kit.js';

const ALWAYS = DEFAULT_REPLICA_LABELS.join('`, `');

interface Options {
  readonly clusterLabel?: string;
  readonly replicaLabels?: readonly string[];
}

/**
 * `prometheus-external-labels`: every Prometheus server of a ClusterSet (Prometheus Operator CRs,
 * `prometheus.yml` in ConfigMaps, kube-prometheus-stack values) must have a set of external
 * labels no server of another cluster has, replica labels aside (`prometheus_replica`, `replica`,
 * the CR's `replicaExternalLabelName` and the `replicaLabels` option). Its cluster label
 * (`cluster`, or the `clusterLabel` option) is reported when its value names another cluster of
 * the set (its name or a declared identity), or differs from the cluster's own declared identity
 * (Submariner clusterID, ClusterProperty, Cilium or Istio cluster name, kubeadm or kind name,
 * Liqo cluster ID, Karmada Cluster, config-declared name); a value that names no cluster, in a
 * cluster that declares no identity (a folder name is not one), is only compared for uniqueness.
 * Servers of one cluster with equal labels are an HA group and are not reported; placeholder
 * values are unknown and never reported. The comparison is the model's view
 * (`src/model/views/observability.ts`).
 *
 * Upstream: Thanos docs ("Sidecar": external labels must be unique per Prometheus; "Querier":
 * deduplication on `--query.replica-label`), thanos-io/thanos #689, #764, #1337; Prometheus
 * Operator `pkg/prometheus/promcfg.go` (the `prometheus` and `prometheus_replica` labels).
 */
export default defineRule<Options>({
  meta: {
    id: 'prometheus-external-labels',
    description: 'Prometheus servers of different clusters with the same external labels, or a cluster label naming another cluster',
    severity: 'warn',
    docs: 'docs/rules/prometheus-external-labels.md',
    options: {
      type: 'object',
      additionalProperties: false,
      properties: {
        clusterLabel: { description: 'The external label that names the cluster (default `cluster`).', type: 'string', minLength: 1 },
        replicaLabels: {
          description: `More replica label names the querier deduplicates on (\`--query.replica-label\`); \`${ALWAYS}\` always are.`,
          type: 'array',
          items: { type: 'string' },
        },
      },
    },
    defaultOptions: { clusterLabel: 'cluster', replicaLabels: [] },
    messages: {
      duplicate: {
        text: 'The {{origin}} in cluster "{{cluster}}" has the same external labels as the {{firstOrigin}} in cluster "{{firstCluster}}": {{labels}}.',
        hint: "Thanos and remote-write receivers tell Prometheus servers apart by their external labels (replica labels aside): the two clusters' series merge into one, and the querier deduplicates them as replicas of one server. Give each cluster's Prometheus a unique label set, e.g. `cluster: <cluster name>`.",
      },
      clusterLabel: {
        text: 'The {{origin}} in cluster "{{cluster}}" has external label {{label}}="{{value}}", which names another cluster ("{{other}}").',
        hint: 'Dashboards, alerts and Thanos queries select this cluster\'s series by that label, so they would be filed under cluster "{{other}}". Set it to a value that names this cluster.',
      },
      clusterIdentity: {
        text: 'The {{origin}} in cluster "{{cluster}}" has external label {{label}}="{{value}}", but the cluster declares {{claim}}.',
        hint: 'Dashboards, alerts and Thanos queries select this cluster\'s series by that label, while the cluster\'s other components know it as "{{identity}}". Set the label to "{{identity}}", or name the label that holds the cluster name with the `clusterLabel` option.',
      },
    },
  },
  check({ set, options, report }) {
    const clusterLabel = options.clusterLabel ?? 'cluster';
    const found = prometheusIdentityProblems(set, { clusterLabel, replicaLabels: options.replicaLabels ?? [] });
    for (const d of found.duplicates) {
      const assumed = d.server.labels.some((l) => l.assumed) ? ' (assuming the same Helm release name and namespace)' : '';
      report({
        messageId: 'duplicate',
        data: { origin: d.server.origin, cluster: d.cluster.name, firstOrigin: d.first.origin, firstCluster: d.firstCluster.name, labels: `${d.labels}${assumed}` },
        at: d.server.at,
        cluster: d.cluster.name,
        related: [{ ...d.first.at, cluster: d.firstCluster.name, otherSide: true, message: `the ${d.first.origin} in cluster "${d.firstCluster.name}"` }],
        // The text names both clusters: it reads the same at the first cluster's server.
        mirror: { relatedMessage: `the ${d.server.origin} in cluster "${d.cluster.name}"` },
      });
    }
    for (const m of found.clusterLabels) {
      const data = { origin: m.server.origin, cluster: m.cluster.name, label: m.label.name, value: m.label.value };
      const at = { at: m.label.source, cluster: m.cluster.name };
      if (m.kind === 'otherCluster') {
        // A cluster named by its folder has no line to point at.
        const related = m.named ? [{ ...m.named, cluster: m.other.name, message: `cluster "${m.other.name}" is named "${m.label.value}" here` }] : [];
        report({ messageId: 'clusterLabel', data: { ...data, other: m.other.name }, ...at, related });
      } else {
        const { identity } = m;
        const related =
          identity.source.doc < 0 ? [] : [{ ...identity.source, cluster: m.cluster.name, message: `cluster "${m.cluster.name}" is declared "${identity.value}" here` }];
        report({ messageId: 'clusterIdentity', data: { ...data, claim: `${identity.source.origin} "${identity.value}"`, identity: identity.value }, ...at, related });
      }
    }
  },
});
