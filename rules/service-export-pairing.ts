import { defineRule } from '../src/engine/types.js';
import { displayPath, namespacedName } from '../src/model/describe.js';
import type { RelatedPlace } from '../src/engine/types.js';
import type { ClusterModel, ServiceExportFacts, ServiceFacts } from '../src/model/types.js';

/** Namespaces the MCS KEP singles out: exporting from them merges with every cluster's copy. */
const SENSITIVE_NAMESPACES = new Set(['default', 'kube-system']);

/** A namespace left to apply time (`kubectl -n`) matches any namespace. */
const sameNamespace = (a: string | undefined, b: string | undefined) => a === undefined || b === undefined || a === b;

function exportLabel(e: ServiceExportFacts): string {
  return e.namespace === undefined
    ? `ServiceExport "${e.name}" (namespace chosen at apply time)`
    : `ServiceExport "${namespacedName(e.namespace, e.name)}"`;
}

const serviceRelated = (s: ServiceFacts, cluster: string, message: string): RelatedPlace => ({
  file: s.object.file,
  doc: s.object.doc,
  path: [...s.object.base, 'metadata', 'name'],
  cluster,
  message,
});

/** Why no Service matched, and what the likely fix is. */
function missingServiceHint(
  exp: ServiceExportFacts,
  cluster: ClusterModel,
  elsewhere: readonly ServiceFacts[],
): { hint: string; related: RelatedPlace[] } {
  const otherNamespace = (cluster.servicesByName.get(exp.name) ?? []).filter((s) => !sameNamespace(s.namespace, exp.namespace));
  if (otherNamespace.length > 0) {
    const s = otherNamespace[0];
    return {
      hint:
        `A Service "${exp.name}" exists in namespace "${s.namespace}" of this cluster (${displayPath(s.object.file)}): ` +
        `namespace sameness requires the ServiceExport to live in the Service's namespace.`,
      related: otherNamespace.map((o) => serviceRelated(o, cluster.name, `Service "${namespacedName(o.namespace, o.name)}"`)),
    };
  }
  const otherClusters = elsewhere.filter((s) => s.cluster !== cluster.name && sameNamespace(s.namespace, exp.namespace));
  if (otherClusters.length > 0) {
    const names = [...new Set(otherClusters.map((s) => `"${s.cluster}"`))].join(', ');
    return {
      hint:
        `The Service exists only in cluster ${names}: exports are per cluster, so this cluster exports nothing unless it has the Service too. ` +
        `Add the Service here, or delete this export.`,
      related: otherClusters.map((s) => serviceRelated(s, s.cluster, `Service "${namespacedName(s.namespace, s.name)}" in cluster "${s.cluster}"`)),
    };
  }
  return { hint: 'Create the Service in this cluster, or delete the export.', related: [] };
}

/**
 * `service-export-pairing`: every ServiceExport needs a Service of the same namespace/name in the
 * same cluster, of a type the cluster's MCS implementation can export.
 *
 * Upstream: the MCS API (kubernetes-sigs/mcs-api `pkg/apis/v1beta1/serviceexport.go`) sets
 * condition `Valid=False` with reason `NoService` or `InvalidServiceType` (ExternalName cannot be
 * exported). Submariner Lighthouse (`pkg/agent/controller/agent.go`) supports ClusterIP and
 * headless only: reason `ServiceUnavailable` ("Service to be exported doesn't exist") or
 * `UnsupportedServiceType` ("Service of type %v not supported"). KEP-1645 asks for special care
 * with exports from `default` and `kube-system`.
 */
export default defineRule({
  meta: {
    id: 'service-export-pairing',
    description: 'Every ServiceExport needs an exportable Service of the same namespace/name in its own cluster',
    severity: 'error',
    docs: 'docs/rules/service-export-pairing.md',
  },
  check({ set, report }) {
    for (const cluster of set.clusters) {
      const lighthouse = cluster.lighthouse.length > 0;
      for (const exp of cluster.serviceExports) {
        const candidates = cluster.servicesByName.get(exp.name);
        const service = candidates && candidates.find((s) => sameNamespace(s.namespace, exp.namespace));
        const sensitive = exp.namespace !== undefined && SENSITIVE_NAMESPACES.has(exp.namespace);
        const exportable = service && service.type.value !== 'ExternalName' && (!lighthouse || service.type.value === 'ClusterIP');
        if (exportable && !sensitive) continue;
        const at = { file: exp.object.file, doc: exp.object.doc, path: [...exp.object.base, 'metadata', 'name'] };
        if (!service) {
          const { hint, related } = missingServiceHint(exp, cluster, set.servicesByName.get(exp.name) ?? []);
          const where = exp.namespace === undefined ? '' : ` in namespace "${exp.namespace}"`;
          const controller = lighthouse
            ? `Submariner Lighthouse sets Valid=False (reason ServiceUnavailable: "Service to be exported doesn't exist")`
            : 'the MCS controller sets Valid=False (reason NoService)';
          report({
            message: `${exportLabel(exp)} has no Service "${exp.name}"${where} in cluster "${cluster.name}": ${controller} and nothing is exported. ${hint}`,
            at,
            cluster: cluster.name,
            related,
          });
        } else {
          const type = service.type.value;
          const related = [{ ...service.type.source, message: `Service "${namespacedName(service.namespace, service.name)}" type ${type}` }];
          if (type === 'ExternalName') {
            const controller = lighthouse
              ? 'Submariner Lighthouse rejects it (Valid=False, reason UnsupportedServiceType: "Service of type ExternalName not supported")'
              : 'MCS controllers reject it (Valid=False, reason InvalidServiceType)';
            report({
              message: `${exportLabel(exp)} exports a Service of type ExternalName in cluster "${cluster.name}": ${controller} and no other cluster can import it. Export a ClusterIP or headless Service instead.`,
              at,
              cluster: cluster.name,
              related,
            });
          } else if (lighthouse && type !== 'ClusterIP') {
            report({
              message:
                `${exportLabel(exp)} exports a Service of type ${type}, which Submariner Lighthouse in cluster "${cluster.name}" does not support ` +
                `(Valid=False, reason UnsupportedServiceType: "Service of type ${type} not supported"): nothing is exported. ` +
                `Export a ClusterIP Service (a separate one if the ${type} Service must stay).`,
              at,
              cluster: cluster.name,
              related,
            });
          }
        }
        if (sensitive) {
          report({
            message:
              `${exportLabel(exp)} exports from namespace "${exp.namespace}": by namespace sameness it merges with the "${namespacedName(exp.namespace, exp.name)}" ` +
              `of every cluster in the ClusterSet, and the MCS API (KEP-1645) asks administrators to be especially careful with exports from "default" and "kube-system". ` +
              `Move the Service to a dedicated namespace.`,
            at: { file: exp.object.file, doc: exp.object.doc, path: [...exp.object.base, 'metadata', 'namespace'] },
            cluster: cluster.name,
            severity: 'warn',
          });
        }
      }
    }
  },
});
