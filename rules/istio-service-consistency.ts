import { configNetworks, defineRule, exportedFromSeveral, fieldPlace, istioView, type ClusterModel, type RelatedPlace, type ServiceFacts, type ServicePortFacts, type Source } from './kit.js';

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
    out.push({ behaviour: `service type is inconsistent (${s.type.value} here, ${ref.type.value} in the other cluster)`, at: s.type.isDefault ? nameAt(s) : s.type.source, related: ref.type.isDefault ? nameAt(ref) : ref.type.source });
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
      behaviour:
        `service ports are inconsistent (${[...extra.map((p) => `${portText(p)} only here`), ...missing.map((p) => `${portText(p)} only in the other cluster`)].join(', ')})`,
      at: extra[0]?.source ?? nameAt(s),
      related: missing[0]?.source ?? nameAt(ref),
    });
  }
  return out;
}

/**
 * `istio-service-consistency`: a Service `namespace/name` present in several clusters of an Istio
 * mesh is one service whose endpoints Istio merges; its type, headless mode and ports must agree.
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
  },
  check({ set, run, report }) {
    const view = istioView(set, configNetworks(run.config));
    for (const mesh of view.meshes) {
      if (mesh.clusters.length < 2) continue;
      // namespace/name → cluster → its Services (tutorial repos may hold alternative versions),
      // from the set's index (clusters in name order).
      const inMesh = new Set(mesh.clusters);
      const byKey: { per: [ClusterModel, ServiceFacts[]][]; mcsCovers: boolean }[] = [];
      for (const [key, list] of set.servicesByKey) {
        if (list.length < 2) continue;
        // A key's Services come in cluster order: a cluster's are consecutive.
        const per: [ClusterModel, ServiceFacts[]][] = [];
        for (const s of list) {
          const c = set.clusterByName.get(s.cluster)!;
          if (!inMesh.has(c)) continue;
          const last = per[per.length - 1];
          if (last && last[0] === c) last[1].push(s);
          else per.push([c, [s]]);
        }
        if (per.length > 1) byKey.push({ per, mcsCovers: exportedFromSeveral(set, key) });
      }
      for (const { per, mcsCovers } of byKey) {
        const [refCluster, refServices] = per[0];
        const ref = refServices[0];
        for (let i = 1; i < per.length; i++) {
          const [c, services] = per[i];
          // Consistent when any alternative version here matches the reference.
          if (services.some((s) => differences(s, ref, mcsCovers).length === 0)) continue;
          const s = services[0];
          const d = differences(s, ref, mcsCovers);
          const variants = services.length > 1 ? ` (none of the ${services.length} alternative versions of this Service in cluster "${c.name}" matches)` : '';
          const ns = s.namespace ?? '(namespace chosen at apply time)';
          report({
            message:
              `The service ${s.name} in namespace "${ns}" is inconsistent across clusters ["${refCluster.name}" "${c.name}"], which can lead to undefined behaviors. ` +
              `The inconsistent behaviors are: ${d.map((x) => x.behaviour).join('; ')}${variants}. ` +
              `Istio merges the endpoints of this Service from every cluster of the mesh (IST0170, which istioctl checks only on live clusters): make the definitions the same in every cluster.`,
            at: d[0].at,
            cluster: c.name,
            related: d.map((x) => place(x.related, `Service "${ref.namespace === undefined ? ref.name : `${ref.namespace}/${ref.name}`}" in cluster "${refCluster.name}"`, refCluster.name)),
          });
        }
      }
    }
  },
});
