import { ciliumNamespaceGlobal, defineRule, exportedFromSeveral, fieldPlace, namespacedName, portText, serviceKey, serviceNamePlace, type ClusterModel, type Place, type RelatedPlace, type Report, type ServiceFacts } from './kit.js';

/** Cilium's Service annotations (`pkg/annotation`), current name first, then the legacy alias. */
const GLOBAL = ['service.cilium.io/global', 'io.cilium/global-service'] as const;
const SHARED = ['service.cilium.io/shared', 'io.cilium/shared-service'] as const;
const AFFINITY = ['service.cilium.io/affinity', 'io.cilium/service-affinity'] as const;
const AFFINITY_VALUES = ['local', 'remote', 'none', ''];

/** The first annotation of `keys` present on the Service, with its key. */
function annotation(s: ServiceFacts, keys: readonly string[]): { key: string; value: string } | undefined {
  for (const key of keys) if (s.annotations[key] !== undefined) return { key, value: s.annotations[key] };
  return undefined;
}

const annotationPlace = (s: ServiceFacts, key: string): Place => (fieldPlace(s.object, 'metadata', 'annotations', key));
const label = (s: ServiceFacts) => `Service "${namespacedName(s.namespace, s.name)}"`;

/** A Service that Cilium treats as global in its cluster. */
interface GlobalService {
  readonly cluster: ClusterModel;
  readonly service: ServiceFacts;
  readonly shared: boolean;
  readonly at: Place;
}

/** Checks one Service's annotations; returns it when Cilium treats it as global. */
function checkAnnotations(cluster: ClusterModel, s: ServiceFacts, report: (r: Report) => void): GlobalService | undefined {
  const g = annotation(s, GLOBAL);
  const shared = annotation(s, SHARED);
  const affinity = annotation(s, AFFINITY);
  for (const a of [g, shared]) {
    if (a && !['true', 'false'].includes(a.value.toLowerCase())) {
      report({
        message: `${label(s)} in cluster "${cluster.name}" has ${a.key}: ${JSON.stringify(a.value)}: Cilium only recognises "true" (case-insensitive) and reads anything else as "false". Write "true" or "false".`,
        at: annotationPlace(s, a.key),
        cluster: cluster.name,
      });
    }
  }
  const isGlobal = g !== undefined && g.value.toLowerCase() === 'true';
  if (!isGlobal) {
    for (const a of [shared, affinity]) {
      if (!a) continue;
      report({
        message: `${label(s)} in cluster "${cluster.name}" sets ${a.key} without ${GLOBAL[0]}: "true": Cilium ignores it for non-global Services. Add ${GLOBAL[0]}: "true", or remove the annotation.`,
        at: annotationPlace(s, a.key),
        cluster: cluster.name,
        severity: 'warn',
      });
    }
    return undefined;
  }
  if (affinity && !AFFINITY_VALUES.includes(affinity.value.toLowerCase())) {
    report({
      message: `${label(s)} in cluster "${cluster.name}" has ${affinity.key}: ${JSON.stringify(affinity.value)}: current Cilium rejects it ("unrecognized service affinity value") and applies no affinity. Use local, remote or none.`,
      at: annotationPlace(s, affinity.key),
      cluster: cluster.name,
    });
  }
  const ns = ciliumNamespaceGlobal(cluster, s.namespace);
  if (!ns.global) {
    report({
      message:
        `${label(s)} in cluster "${cluster.name}" is annotated ${g!.key}: "true" but its namespace "${s.namespace}" is not global in the Cluster Mesh ` +
        `(${ns.because?.origin ?? 'clustermesh.cilium.io/global'}): Cilium neither shares its backends nor merges remote ones. ` +
        `Annotate the Namespace with clustermesh.cilium.io/global: "true".`,
      at: annotationPlace(s, g!.key),
      cluster: cluster.name,
      related: ns.because ? [{ ...ns.because, message: ns.because.origin }] : [],
    });
    return undefined;
  }
  return { cluster, service: s, shared: shared === undefined || shared.value.toLowerCase() === 'true', at: annotationPlace(s, g!.key) };
}

/**
 * `cilium-global-service`: Cilium Cluster Mesh global services. Annotation values; global
 * Services whose namespace is not global; global services present (or global) in one cluster
 * only; services no cluster shares; ports that do not line up by name across clusters.
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
  },
  check({ set, report }) {
    const byKey = new Map<string, GlobalService[]>();
    for (const cluster of set.clusters) {
      const seen = new Set<string>();
      for (const list of cluster.servicesByName.values()) {
        for (const s of list) {
          const g = checkAnnotations(cluster, s, report);
          const key = serviceKey(s.namespace, s.name);
          // Tutorial alternatives of one Service in one cluster count once.
          if (!g || seen.has(key)) continue;
          seen.add(key);
          const l = byKey.get(key) ?? [];
          l.push(g);
          byKey.set(key, l);
        }
      }
    }
    if (set.clusters.length < 2) return;
    for (const key of [...byKey.keys()].sort()) {
      const globals = byKey.get(key)!;
      const first = globals[0];
      const name = label(first.service);
      if (globals.length === 1) {
        const others = (set.servicesByKey.get(key) ?? []).filter((s) => s.cluster !== first.cluster.name);
        const related: RelatedPlace[] = others.map((s) => ({ ...serviceNamePlace(s), cluster: s.cluster, message: `${label(s)} in cluster "${s.cluster}", not global` }));
        report({
          message:
            `${name} is global in cluster "${first.cluster.name}" only` +
            (others.length > 0
              ? `; cluster ${[...new Set(others.map((s) => `"${s.cluster}"`))].join(', ')} has the Service without ${GLOBAL[0]}: "true", so it neither shares its backends nor uses remote ones. Annotate the Service in every cluster.`
              : `: no other cluster of the ClusterSet has a Service "${namespacedName(first.service.namespace, first.service.name)}", so there are no remote backends to load-balance to. Deploy the Service in the other clusters, or drop the annotation.`),
          at: first.at,
          cluster: first.cluster.name,
          severity: 'warn',
          related,
        });
        continue;
      }
      if (globals.every((g) => !g.shared)) {
        report({
          message: `${name} is global in ${globals.map((g) => `"${g.cluster.name}"`).join(', ')}, but every cluster sets ${SHARED[0]}: "false": no cluster shares its backends, so the global service load-balances to local backends only. Let at least one cluster share.`,
          at: first.at,
          cluster: first.cluster.name,
          severity: 'warn',
          related: globals.slice(1).map((g) => ({ ...g.at, cluster: g.cluster.name })),
        });
      }
      // Remote backends join the local Service by port name: compare the port names — unless the
      // Service is also exported from several clusters, where serviceimport-port-conflict reports
      // the same ports (one finding per problem).
      if (exportedFromSeveral(set, key)) continue;
      const names = new Map<string, { g: GlobalService; port: ServiceFacts['ports'][number] }[]>();
      for (const g of globals) for (const p of g.service.ports) {
        const l = names.get(p.name ?? '') ?? [];
        l.push({ g, port: p });
        names.set(p.name ?? '', l);
      }
      const mentioned = new Set<string>();
      for (const [portName, list] of [...names].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
        const missing = globals.filter((g) => !list.some((x) => x.g === g));
        if (missing.length === 0) continue;
        const have = list[0];
        // The other name of a renamed port was already reported with this one.
        if (mentioned.has(`${have.g.cluster.name}|${have.port.port}/${have.port.protocol}`)) continue;
        const renamed = missing.flatMap((g) => g.service.ports.filter((p) => p.port === have.port.port && p.protocol === have.port.protocol).map((p) => ({ g, p })));
        for (const { g, p } of renamed) mentioned.add(`${g.cluster.name}|${p.port}/${p.protocol}`);
        report({
          message:
            `Port ${portText({ ...have.port, name: portName })} of global ${name} in cluster "${have.g.cluster.name}" has no port named "${portName || '(unnamed)'}" in cluster ${missing.map((g) => `"${g.cluster.name}"`).join(', ')}` +
            (renamed.length > 0 ? ` (${renamed.map(({ g, p }) => `"${g.cluster.name}" names ${p.port}/${p.protocol} "${p.name ?? ''}"`).join(', ')})` : '') +
            `: Cilium adds remote backends to a Service by port name, so traffic to this port never reaches those clusters. Use the same port names in every cluster.`,
          at: have.port.source,
          cluster: have.g.cluster.name,
          severity: renamed.length > 0 ? undefined : 'warn',
          related: missing.map((g) => ({ ...fieldPlace(g.service.object, 'spec', 'ports'), cluster: g.cluster.name, message: `ports in cluster "${g.cluster.name}"` })),
        });
      }
    }
  },
});
