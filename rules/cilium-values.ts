import { ciliumValuesProblems, defineRule, type CiliumValuesProblem, type Report } from './kit.js';

/** Reports one problem (see the rule's docstring). */
function reportProblem(p: CiliumValuesProblem, report: (r: Report) => void): void {
  const cluster = p.cluster.name;
  if (p.kind === 'wrapped') {
    report({ messageId: 'wrapped', data: { configMap: p.wrapped.name, cluster, key: p.wrapped.key }, at: p.wrapped.source, cluster, severity: 'warn' });
  } else if (p.kind === 'misspelt') {
    report({ messageId: 'misspelt', data: { key: p.key.value, cluster, suggestion: p.suggestion }, at: p.key.source, cluster, severity: 'warn' });
  } else if (p.kind === 'ignored') {
    report({ messageId: 'ignored', data: { key: p.key.value, cluster, replacement: p.change.replacement }, at: p.key.source, cluster, severity: 'warn' });
  } else if (p.version) {
    const data = { key: p.key.value, cluster, version: p.version.value, since: p.change.since ?? '', failure: p.change.failure ?? '', replacement: p.change.replacement };
    report({ messageId: 'removed', data, at: p.key.source, cluster, related: [{ ...p.version.source, message: `cilium chart ${p.version.value}` }] });
  } else {
    const data = { key: p.key.value, cluster, since: p.change.since ?? '', failure: p.change.failure ?? '', replacement: p.change.replacement };
    report({ messageId: 'removedUnknownVersion', data, at: p.key.source, cluster, severity: 'warn' });
  }
}

/**
 * `cilium-values`: Cilium Helm values the chart refuses or ignores. Keys the chart's
 * `validate.yaml` fails the install on (`tunnel` from 1.15: an error when the cluster's cilium
 * chart version — HelmRelease `spec.chart.spec.version`, Application `targetRevision` — is known
 * to be at least the removal, a warning saying "chart ≥ 1.15" when no version is known, nothing
 * when it is older); older keys the chart silently ignores (the singular
 * `clusterPoolIPv4PodCIDR`, `nativeRoutingCIDR`); top-level keys one or two edits from a chart key
 * (warning); ConfigMaps holding Cilium values under `values.yaml` that no HelmRelease of the
 * cluster reads through `valuesFrom` (warning). Facts: `src/model/sources/cilium.ts`; tables:
 * `src/model/cilium-values.ts`; problems: `ciliumValuesProblems` (`src/model/views/cilium.ts`).
 *
 * Upstream: cilium/cilium `install/kubernetes/cilium/templates/validate.yaml` (the `fail` texts
 * quoted in the hints), `values.yaml` (top-level keys, `ipam.operator.clusterPoolIPv4PodCIDRList`),
 * Cilium upgrade guide "Helm options"; Flux helm-controller `valuesFrom` (a ConfigMap's values
 * reach a chart only that way).
 */
export default defineRule({
  meta: {
    id: 'cilium-values',
    description: 'Cilium Helm values the chart refuses or ignores: removed keys, misspelt or deprecated keys, values wrapped in a ConfigMap no HelmRelease reads',
    severity: 'error',
    docs: 'docs/rules/cilium-values.md',
    messages: {
      removed: {
        text: 'Cluster "{{cluster}}" sets {{key}}, which cilium chart {{version}} refuses (removed in {{since}}).',
        hint: 'helm install/upgrade fails in templates/validate.yaml: "{{failure}}" Use {{replacement}} instead.',
      },
      removedUnknownVersion: {
        text: 'Cluster "{{cluster}}" sets {{key}}, which the cilium chart ≥ {{since}} refuses.',
        hint: 'With chart ≥ {{since}} helm install/upgrade fails in templates/validate.yaml: "{{failure}}" Use {{replacement}} instead (no chart version is stated, so this may be an older chart).',
      },
      ignored: {
        text: 'Cluster "{{cluster}}" sets {{key}}, which the cilium chart does not read (it reads {{replacement}}).',
        hint: 'Helm renders the chart without it, so Cilium runs with the default of {{replacement}}. Move the value to {{replacement}}.',
      },
      misspelt: {
        text: 'Cluster "{{cluster}}" sets top-level key {{key}}, which the cilium chart does not have (did you mean {{suggestion}}?).',
        hint: 'Helm ignores unknown keys silently, so the setting never reaches Cilium. Rename the key to {{suggestion}}.',
      },
      wrapped: {
        text: 'ConfigMap "{{configMap}}" in cluster "{{cluster}}" holds Cilium values under {{key}}, but no HelmRelease of the cluster reads it.',
        hint: 'The chart never sees values in a ConfigMap unless a Flux HelmRelease lists it under spec.valuesFrom. Add it there, or move the values to the chart release.',
      },
    },
  },
  check({ set, report }) {
    for (const p of ciliumValuesProblems(set)) reportProblem(p, report);
  },
});
