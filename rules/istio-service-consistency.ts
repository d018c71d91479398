import { defineRule, fieldPlace, istioServices, namespacedName, type RelatedPlace, type ServiceFacts, type ServicePortFacts, type Source } from './kit.js';

const place = (s: Source, message: string, cluster: string): RelatedPlace => ({ file: s.file, doc: s.doc, path: s.path, cluster, message });
const nameAt = (s: ServiceFacts): Source => ({ ...fieldPlace(s.object, 'metadata', 'name'), cluster: s.cluster, object: s.object, origin: 'Service metadata.name' });
const portText = (p: ServicePortFacts) => `${p.name ?? '(unnamed)'} ${p.port ?? '?'}/${p.protocol}`;
const portKey = (p: ServicePortFacts) => `${p.name ?? ''}|${p.port ?? ''}|${p.protocol}`;

/** One difference between a Service and the reference cluster's: Istio's wording, and where. */
interface Difference {
  readonly behaviour: string;
  readonly at: Source;
  readonly related: Source;
}

const samePort = (a: ServicePortFacts, b: ServicePortFacts) => a.name === b.name && a.port === b.port && a.protocol === b.protocol;

/** True when both Services have the same ports (in any order): the common case, checked without allocating. */
function samePorts(a: readonly ServicePortFacts[], b: readonly ServicePortFacts[]): boolean {
  if (a.length !== b.length) return false;
  for (const p of a) if (!b.some((q) => samePort(p, q))) return false;
  return true;
}

/**
 * How `s` differs from `ref`. With `mcsCovers` (the Service is exported from several clusters),
 * headless mode and ports are left to serviceexport-conflict / serviceimport-port-conflict.
 */
function differences(s: ServiceFacts, ref: ServiceFacts, mcsCovers: boolean): Difference[] {
  const out: Difference[] = [];
  if (s.type.value === ref.type.value && (mcsCovers || (s.headless === ref.headless && samePorts(s.ports, ref.ports)))) return out;
  if (s.type.value !== ref.type.value) {
    out.push({
      behaviour: `service type is inconsistent (${s.type.value} here, ${ref.type.value} in the other cluster)`,
      at: s.type.isDefault ? nameAt(s) : s.type.source,
      related: ref.type.isDefault ? nameAt(ref) : ref.type.source,
    });
  }
  if (mcsCovers) return out;
  if (s.headless !== ref.headless) {
    out.push({
      behaviour: `service is ${s.headless ? '' : 'not '}headless here and ${ref.headless ? '' : 'not '}headless in the other cluster (clusterIP: None)`,
      at: s.clusterIP?.source ?? nameAt(s),
      related: ref.clusterIP?.source ?? nameAt(ref),
    });
  }
  const refPorts = new Map(ref.ports.map((p) => [portKey(p), p]));
  const ports = new Set(s.ports.map(portKey));
  const extra = s.ports.filter((p) => !refPorts.has(portKey(p)));
  const missing = ref.ports.filter((p) => !ports.has(portKey(p)));
  if (extra.length > 0 || missing.length > 0) {
    out.push({
      behaviour: `service ports are inconsistent (${[...extra.map((p) => `${portText(p)} only here`), ...missing.map((p) => `${portText(p)} only in the other cluster`)].join(', ')})`,
      at: extra[0]?.source ?? nameAt(s),
      related: missing[0]?.source ?? nameAt(ref),
    });
  }
  return out;
}

const HINT =
  'Istio IST0170 (MultiClusterInconsistentService): "The service {{name}} in namespace "{{namespace}}" is inconsistent across clusters ["{{refCluster}}" "{{cluster}}"], which can lead to undefined behaviors." ' +
  'Istio merges the endpoints of this Service from every cluster of the mesh (istioctl checks IST0170 only on live clusters): make the definitions the same in every cluster.';

/**
 * `istio-service-consistency`: a Service `namespace/name` present in several clusters of an Istio
 * mesh is one service whose endpoints Istio merges; its type, headless mode and ports must agree.
 * The first cluster by name is the reference; a cluster with alternative versions of the Service
 * is consistent when any of them matches.
 *
 * Upstream: istio/istio `pkg/config/analysis/analyzers/multicluster/service.go` (IST0170
 * MultiClusterInconsistentService), which istioctl can only run against live clusters.
 */
export default defineRule({
  meta: {
    id: 'istio-service-consistency',
    description: 'Services with the same namespace/name in the clusters of an Istio mesh must agree on type, headless mode and ports',
    severity: 'warn',
    docs: 'docs/rules/istio-service-consistency.md',
    messages: {
      inconsistent: { text: 'Service "{{service}}" differs between clusters "{{refCluster}}" and "{{cluster}}": {{behaviours}}.', hint: HINT },
      inconsistentVersions: {
        text: 'None of the {{versions}} versions of Service "{{service}}" in cluster "{{cluster}}" matches cluster "{{refCluster}}".',
        hint: `The first differs by: {{behaviours}}. ${HINT}`,
      },
    },
  },
  check({ set, run, report }) {
    for (const { clusters, mcsCovers } of istioServices(set, run).meshServices) {
      const { cluster: refCluster, services: refServices } = clusters[0];
      const ref = refServices[0];
      for (const { cluster: c, services } of clusters.slice(1)) {
        // Consistent when any alternative version here matches the reference.
        if (services.some((s) => differences(s, ref, mcsCovers).length === 0)) continue;
        const s = services[0];
        const d = differences(s, ref, mcsCovers);
        const data = {
          service: namespacedName(s.namespace, s.name),
          name: s.name,
          namespace: s.namespace ?? '(namespace chosen at apply time)',
          refCluster: refCluster.name,
          cluster: c.name,
          behaviours: d.map((x) => x.behaviour).join('; '),
          versions: services.length,
        };
        report({
          messageId: services.length > 1 ? 'inconsistentVersions' : 'inconsistent',
          data,
          at: d[0].at,
          cluster: c.name,
          related: d.map((x, i) => ({
            ...place(x.related, `Service "${namespacedName(ref.namespace, ref.name)}" in cluster "${refCluster.name}"`, refCluster.name),
            ...(i === 0 && { otherSide: true as const }),
          })),
          // The text names both clusters: it reads the same at the reference cluster's Service.
          mirror: { relatedMessage: `Service "${namespacedName(s.namespace, s.name)}" in cluster "${c.name}"` },
        });
      }
    }
  },
});
