import { ciliumNamespaceGlobal, defineRule, displayPath, fieldPlace, mcsImplementationOf, namespacedName, type ClusterModel, type RelatedPlace, type Report, type ServiceExportFacts, type ServiceFacts } from './kit.js';

/**
 * Submariner Lighthouse's default `import-namespace-deny-list` (`kube-,openshift-,openshift`,
 * `pkg/agent/controller/namespace_validator.go`): an entry ending in `-` is a prefix, any other
 * an exact name. Importing clusters reject ServiceImports and EndpointSlices for these namespaces.
 */
const LIGHTHOUSE_IMPORT_DENY_LIST = ['kube-', 'openshift-', 'openshift'] as const;

/** The deny-list entry `namespace` matches, if any. */
export function lighthouseDeniedBy(namespace: string): string | undefined {
  return LIGHTHOUSE_IMPORT_DENY_LIST.find((e) => (e.endsWith('-') ? namespace.startsWith(e) : namespace === e));
}

/** The ClusterSet DNS zone of KEP-1645. */
const CLUSTERSET_DOMAIN = 'clusterset.local';
const MAX_LABEL = 63;
const MAX_NAME = 253;

/**
 * DNS names an export produces (KEP-1645 "DNS"): `<svc>.<ns>.svc.clusterset.local`, and for a
 * headless Service `<hostname>.<clusterid>.<svc>.<ns>.svc.clusterset.local` for each pod.
 * Returns the first problem (label over 63 characters, name over 253), or undefined.
 */
function dnsProblem(exp: ServiceExportFacts, service: ServiceFacts, cluster: ClusterModel): { text: string; related: RelatedPlace[] } | undefined {
  const ns = service.namespace ?? exp.namespace;
  if (ns === undefined) return undefined;
  const base = `${exp.name}.${ns}.svc.${CLUSTERSET_DOMAIN}`;
  for (const [what, label] of [['Service name', exp.name], ['namespace', ns]] as const) {
    if (label.length > MAX_LABEL) return { text: `the ${what} "${label}" is ${label.length} characters, over the 63 of a DNS label, so "${base}" cannot resolve`, related: [] };
  }
  if (base.length > MAX_NAME) return { text: `"${base}" is ${base.length} characters, over the 253 of a DNS name`, related: [] };
  if (!service.headless) return undefined;
  const id = cluster.identity.clusterIDs[0];
  const clusterID = id?.value ?? cluster.name;
  const idRelated: RelatedPlace[] = id ? [{ ...id.source, message: `cluster ID "${clusterID}"` }] : [];
  if (clusterID.length > MAX_LABEL) {
    return { text: `the cluster ID "${clusterID}" is ${clusterID.length} characters, over the 63 of a DNS label, so the per-pod names <hostname>.${clusterID}.${base} cannot resolve`, related: idRelated };
  }
  const pods = cluster.statefulSets
    .filter((st) => st.serviceName === exp.name && (st.namespace === undefined || st.namespace === ns) && st.replicas > 0)
    .map((st) => ({ st, hostname: `${st.name}-${st.replicas - 1}` }));
  for (const { st, hostname } of pods) {
    const fqdn = `${hostname}.${clusterID}.${base}`;
    const related = [...idRelated, { ...fieldPlace(st.object, 'metadata', 'name'), cluster: cluster.name, message: `StatefulSet "${st.name}" (pod hostnames ${st.name}-0..${hostname})` }];
    if (hostname.length > MAX_LABEL) return { text: `the pod hostname "${hostname}" is ${hostname.length} characters, over the 63 of a DNS label`, related };
    if (fqdn.length > MAX_NAME) return { text: `the per-pod name "${fqdn}" is ${fqdn.length} characters, over the 253 of a DNS name`, related };
  }
  const room = MAX_NAME - `.${clusterID}.${base}`.length;
  if (pods.length === 0 && room < 1) {
    return { text: `"${clusterID}.${base}" leaves no room for the pod hostname in the 253 characters of a DNS name`, related: idRelated };
  }
  return undefined;
}

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
 * Problems of an export whose Service exists with an exportable type: Cilium's global-namespace
 * requirement, Lighthouse's import deny-list, DNS name limits.
 */
function acceptedExportProblems(exp: ServiceExportFacts, service: ServiceFacts, cluster: ClusterModel, implementation: string, denied: string | undefined): Report[] {
  const out: Report[] = [];
  const at = fieldPlace(exp.object, 'metadata', 'name');
  const namespace = exp.namespace ?? service.namespace;
  if (implementation === 'cilium') {
    const { global, because } = ciliumNamespaceGlobal(cluster, namespace);
    if (!global) {
      out.push({
        message:
          `${exportLabel(exp)} is in namespace "${namespace}", which Cilium Cluster Mesh in cluster "${cluster.name}" does not treat as global: ` +
          `Cilium sets Valid=False (reason NamespaceNotGlobal: "Namespace is not global, Service cannot be exported") and nothing is exported. ` +
          `Annotate the Namespace with clustermesh.cilium.io/global: "true".`,
        at,
        cluster: cluster.name,
        related: because ? [{ ...because, message: because.origin }] : [],
      });
    }
  }
  if (denied !== undefined && namespace !== undefined) {
    out.push({
      message:
        `${exportLabel(exp)} exports from namespace "${namespace}", which matches "${denied}" in Submariner Lighthouse's default import deny-list (kube-, openshift-, openshift): ` +
        `the other clusters reject the aggregated ServiceImport and its EndpointSlices ("Rejecting aggregated ServiceImport"), so no other cluster can reach the Service. ` +
        `Move the Service to an application namespace.`,
      at: fieldPlace(exp.object, 'metadata', exp.namespace !== undefined ? 'namespace' : 'name'),
      cluster: cluster.name,
    });
  }
  const dns = dnsProblem(exp, service, cluster);
  if (dns) {
    out.push({
      message: `${exportLabel(exp)} in cluster "${cluster.name}" gets no usable ClusterSet DNS name: ${dns.text}. Shorten the names.`,
      at,
      cluster: cluster.name,
      related: dns.related,
    });
  }
  return out;
}

/**
 * `service-export-pairing`: every ServiceExport needs a Service of the same namespace/name in the
 * same cluster, of a type the cluster's MCS implementation can export.
 *
 * Upstream: the MCS API (kubernetes-sigs/mcs-api `pkg/apis/v1beta1/serviceexport.go`) sets
 * condition `Valid=False` with reason `NoService` or `InvalidServiceType` (ExternalName cannot be
 * exported). Submariner Lighthouse (`pkg/agent/controller/agent.go`) supports ClusterIP and
 * headless only: reason `ServiceUnavailable` ("Service to be exported doesn't exist") or
 * `UnsupportedServiceType` ("Service of type %v not supported"), and importing clusters reject
 * namespaces of its `import-namespace-deny-list` (`pkg/agent/controller/namespace_validator.go`).
 * Cilium (`pkg/clustermesh/mcsapi/serviceimport_controller.go`) sets `NamespaceNotGlobal` for
 * exports from namespaces that are not global. KEP-1645 asks for special care with exports from
 * `default` and `kube-system`, and defines the ClusterSet DNS names
 * (`<svc>.<ns>.svc.clusterset.local`, `<hostname>.<clusterid>.<svc>.<ns>.svc.clusterset.local`),
 * which must fit DNS limits (63-character labels, 253-character names). The cluster's MCS
 * implementation comes from `mcsImplementationOf` (config `mcsImplementation`, else the manifests).
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
      const implementation = mcsImplementationOf(cluster);
      const lighthouse = implementation === 'lighthouse';
      for (const exp of cluster.serviceExports) {
        const candidates = cluster.servicesByName.get(exp.name);
        const service = candidates && candidates.find((s) => sameNamespace(s.namespace, exp.namespace));
        const namespace = exp.namespace ?? service?.namespace;
        const denied = lighthouse && namespace !== undefined ? lighthouseDeniedBy(namespace) : undefined;
        const sensitive = exp.namespace !== undefined && SENSITIVE_NAMESPACES.has(exp.namespace) && !denied;
        const exportable = service && service.type.value !== 'ExternalName' && (!lighthouse || service.type.value === 'ClusterIP');
        const at = fieldPlace(exp.object, 'metadata', 'name');
        if (exportable) {
          const extra = acceptedExportProblems(exp, service, cluster, implementation, denied);
          for (const r of extra) report(r);
        }
        if (exportable && !sensitive) continue;
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
            at: fieldPlace(exp.object, 'metadata', 'namespace'),
            cluster: cluster.name,
            severity: 'warn',
          });
        }
      }
    }
  },
});
