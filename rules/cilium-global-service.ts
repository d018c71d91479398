import {
  CILIUM_GLOBAL_SERVICE,
  CILIUM_SHARED_SERVICE,
  ciliumGlobalServices,
  ciliumPortMismatches,
  ciliumServices,
  defineRule,
  exportedFromSeveral,
  fieldPlace,
  namespacedName,
  portText,
  serviceNamePlace,
  type CiliumServiceAnnotations,
  type MessageData,
  type Report,
  type ServiceFacts,
} from './kit.js';

const GLOBAL = CILIUM_GLOBAL_SERVICE[0];
const label = (s: ServiceFacts) => `Service "${namespacedName(s.namespace, s.name)}"`;
const quoted = (names: readonly string[]) => [...new Set(names)].map((n) => `"${n}"`).join(', ');
const PORTS_HINT = 'Cilium adds remote backends to a Service by port name, so traffic to this port never reaches those clusters. Use the same port names in every cluster.';

/** Reports one Service's annotation problems (values, annotations ignored, namespace not global). */
function checkAnnotations(a: CiliumServiceAnnotations, report: (r: Report) => void): void {
  const cluster = a.cluster.name;
  const service = label(a.service);
  for (const x of a.notBoolean) report({ messageId: 'notBoolean', data: { service, cluster, key: x.key, value: JSON.stringify(x.value) }, at: x.at, cluster });
  if (!a.isGlobal) {
    for (const x of [a.shared, a.affinity])
      if (x) report({ messageId: 'withoutGlobal', data: { service, cluster, key: x.key, global: GLOBAL }, at: x.at, cluster, severity: 'warn' });
    return;
  }
  const x = a.badAffinity;
  if (x) report({ messageId: 'badAffinity', data: { service, cluster, key: x.key, value: JSON.stringify(x.value) }, at: x.at, cluster });
  const because = a.namespace?.because;
  if (a.namespace && !a.namespace.global) {
    const data = { service, cluster, key: a.global!.key, namespace: a.service.namespace ?? '', because: because?.origin ?? 'clustermesh.cilium.io/global' };
    report({ messageId: 'namespaceNotGlobal', data, at: a.global!.at, cluster, related: because ? [{ ...because, message: because.origin }] : [] });
  }
}

/**
 * `cilium-global-service`: Cilium Cluster Mesh global services. Annotation values; global
 * Services whose namespace is not global; global services present (or global) in one cluster
 * only; services no cluster shares; ports that do not line up by name across clusters.
 * The annotations, grouping and port comparison are views (`src/model/views/cilium.ts`).
 *
 * Upstream: Cilium `pkg/annotation` (`GetAnnotationIncludeExternal`, `GetAnnotationShared`,
 * `GetAnnotationServiceAffinity`: "true" compared case-insensitively, affinity
 * local/remote/none, "unrecognized service affinity value"), `pkg/clustermesh/namespace`
 * (`clustermesh.cilium.io/global`, `clustermesh.defaultGlobalNamespace`), and the Cluster Mesh
 * service merge, which adds remote backends to the local Service by port name.
 */
export default defineRule({
  meta: {
    id: 'cilium-global-service',
    description: 'Cilium Cluster Mesh global services: annotation values, global namespaces, and a consistent service in every cluster',
    severity: 'error',
    docs: 'docs/rules/cilium-global-service.md',
    messages: {
      notBoolean: {
        text: '{{service}} in cluster "{{cluster}}" has {{key}}: {{value}}, which Cilium reads as "false".',
        hint: 'Cilium only recognises "true" (case-insensitive) and reads anything else as "false". Write "true" or "false".',
      },
      withoutGlobal: {
        text: '{{service}} in cluster "{{cluster}}" sets {{key}} without {{global}}: "true".',
        hint: 'Cilium ignores it for non-global Services. Add {{global}}: "true", or remove the annotation.',
      },
      badAffinity: {
        text: '{{service}} in cluster "{{cluster}}" has {{key}}: {{value}}, which Cilium does not recognise.',
        hint: 'Current Cilium rejects it ("unrecognized service affinity value") and applies no affinity. Use local, remote or none.',
      },
      namespaceNotGlobal: {
        text: '{{service}} in cluster "{{cluster}}" is annotated {{key}}: "true" but its namespace "{{namespace}}" is not global.',
        hint: 'What makes the namespace not global: {{because}}. Cilium neither shares its backends nor merges remote ones. Annotate the Namespace with clustermesh.cilium.io/global: "true".',
      },
      globalHereOnly: {
        text: '{{service}} is global in cluster "{{cluster}}" only: cluster {{others}} has the Service without {{global}}: "true".',
        hint: 'So it neither shares its backends nor uses remote ones. Annotate the Service in every cluster.',
      },
      noRemoteService: {
        text: '{{service}} is global in cluster "{{cluster}}" only: no other cluster of the ClusterSet has a Service "{{name}}".',
        hint: 'There are no remote backends to load-balance to. Deploy the Service in the other clusters, or drop the annotation.',
      },
      notShared: {
        text: '{{service}} is global in {{clusters}}, but every cluster sets {{shared}}: "false".',
        hint: 'No cluster shares its backends, so the global service load-balances to local backends only. Let at least one cluster share.',
      },
      portRenamed: {
        text: 'Port {{port}} of global {{service}} in cluster "{{cluster}}" has no port named "{{portName}}" in cluster {{missing}} ({{renamed}}).',
        hint: PORTS_HINT,
      },
      portMissing: { text: 'Port {{port}} of global {{service}} in cluster "{{cluster}}" has no port named "{{portName}}" in cluster {{missing}}.', hint: PORTS_HINT },
    },
  },
  check({ set, report }) {
    const services = ciliumServices(set);
    for (const a of services) checkAnnotations(a, report);
    if (set.clusters.length < 2) return;
    for (const { key, globals } of ciliumGlobalServices(services)) {
      const first = globals[0];
      const service = label(first.service);
      const cluster = first.cluster.name;
      if (globals.length === 1) {
        const others = (set.servicesByKey.get(key) ?? []).filter((s) => s.cluster !== cluster);
        const related = others.map((s) => ({ ...serviceNamePlace(s), cluster: s.cluster, message: `${label(s)} in cluster "${s.cluster}", not global` }));
        const text: { messageId: string; data: MessageData } =
          others.length > 0
            ? { messageId: 'globalHereOnly', data: { service, cluster, others: quoted(others.map((s) => s.cluster)), global: GLOBAL } }
            : { messageId: 'noRemoteService', data: { service, cluster, name: namespacedName(first.service.namespace, first.service.name) } };
        report({ ...text, at: first.at, cluster, severity: 'warn', related });
        continue;
      }
      if (globals.every((g) => !g.shared)) {
        const data = { service, clusters: quoted(globals.map((g) => g.cluster.name)), shared: CILIUM_SHARED_SERVICE[0] };
        report({ messageId: 'notShared', data, at: first.at, cluster, severity: 'warn', related: globals.slice(1).map((g) => ({ ...g.at, cluster: g.cluster.name })) });
      }
      // Unless the Service is also exported from several clusters, where serviceimport-port-conflict
      // reports the same ports (one finding per problem).
      if (exportedFromSeveral(set, key)) continue;
      for (const m of ciliumPortMismatches(globals)) {
        const { global: g, port } = m.have;
        const data = {
          port: portText({ ...port, name: m.portName }),
          service,
          cluster: g.cluster.name,
          portName: m.portName || '(unnamed)',
          missing: quoted(m.missing.map((x) => x.cluster.name)),
        };
        const renamed = m.renamed.map((r) => `"${r.global.cluster.name}" names ${r.port.port}/${r.port.protocol} "${r.port.name ?? ''}"`).join(', ');
        report({
          ...(m.renamed.length > 0 ? { messageId: 'portRenamed', data: { ...data, renamed } } : { messageId: 'portMissing', data, severity: 'warn' as const }),
          at: port.source,
          cluster: g.cluster.name,
          related: m.missing.map((x) => ({ ...fieldPlace(x.service.object, 'spec', 'ports'), cluster: x.cluster.name, message: `ports in cluster "${x.cluster.name}"` })),
        });
      }
    }
  },
});
