import {
  ciliumNamespaceGlobal,
  defineRule,
  displayPath,
  exportDnsProblem,
  exportPairings,
  fieldPlace,
  namespacedName,
  serviceElsewhere,
  serviceLabel,
  writtenNamePlace,
} from './kit.js';
import type { ClusterSetModel, ExportPairing, MessageData, RelatedPlace, ReportWithout, ServiceFacts } from './kit.js';

const EXPORT = 'ServiceExport {{export}}';
const NO_SERVICE = `${EXPORT} has no Service "{{name}}" in cluster "{{cluster}}".`;
const NO_SERVICE_MCS = 'The MCS controller sets Valid=False (reason NoService) and nothing is exported.';
const NO_SERVICE_LIGHTHOUSE = 'Submariner Lighthouse sets Valid=False (reason ServiceUnavailable: "Service to be exported doesn\'t exist") and nothing is exported.';
const CREATE = 'Create the Service in this cluster, or delete the export.';
const OTHER_NAMESPACE =
  'A Service "{{name}}" exists in namespace "{{serviceNamespace}}" of this cluster ({{file}}): namespace sameness requires the ServiceExport to live in the Service\'s namespace.';
const OTHER_CLUSTERS =
  'The Service exists only in cluster {{clusters}}: exports are per cluster, so this cluster exports nothing unless it has the Service too. Add the Service here, or delete this export.';
const SHORTEN =
  'The export gets no usable ClusterSet DNS name (KEP-1645: <svc>.<ns>.svc.clusterset.local, <hostname>.<clusterid>.<svc>.<ns>.svc.clusterset.local): "{{name}}" cannot resolve. Shorten the names.';

const serviceRelated = (s: ServiceFacts, cluster: string, message: string): RelatedPlace => ({ ...writtenNamePlace(s.object), cluster, message });

/** The missing-Service finding: where the Service is instead (another namespace, other clusters, nowhere). */
function missingService(set: ClusterSetModel, p: ExportPairing, data: MessageData): ReportWithout<'at' | 'cluster'> {
  const suffix = p.implementation === 'lighthouse' ? 'Lighthouse' : '';
  const { kind, services } = serviceElsewhere(set, p);
  if (kind === 'otherNamespace') {
    const related = services.map((o) => serviceRelated(o, p.cluster.name, `Service "${namespacedName(o.namespace, o.name)}"`));
    return { messageId: `noServiceOtherNamespace${suffix}`, data: { ...data, serviceNamespace: services[0].namespace ?? '', file: displayPath(services[0].object.file) }, related };
  }
  if (kind === 'otherClusters') {
    const related = services.map((s) => serviceRelated(s, s.cluster, `Service "${namespacedName(s.namespace, s.name)}" in cluster "${s.cluster}"`));
    return { messageId: `noServiceOtherClusters${suffix}`, data: { ...data, clusters: [...new Set(services.map((s) => `"${s.cluster}"`))].join(', ') }, related };
  }
  return { messageId: `noService${suffix}`, data, related: [] };
}

/** Problems of an export whose Service exists with an exportable type: Cilium's global namespaces, Lighthouse's import deny-list, DNS name limits. */
/** False when `acceptedExportProblems` certainly finds nothing (no Cilium, no Lighthouse denial, no DNS problem). */
function mayHaveAcceptedProblem(p: ExportPairing, service: ServiceFacts): boolean {
  return p.implementation === 'cilium' || (p.denied !== undefined && p.namespace !== undefined) || exportDnsProblem(p, service) !== undefined;
}

function acceptedExportProblems(p: ExportPairing & { service: ServiceFacts }, data: MessageData): ReportWithout<'cluster'>[] {
  const out: ReportWithout<'cluster'>[] = [];
  const at = fieldPlace(p.export.object, 'metadata', 'name');
  const cilium = p.implementation === 'cilium' ? ciliumNamespaceGlobal(p.cluster, p.namespace) : undefined;
  if (cilium && !cilium.global) out.push({ messageId: 'namespaceNotGlobal', data, at, related: cilium.because ? [{ ...cilium.because, message: cilium.because.origin }] : [] });
  if (p.denied !== undefined && p.namespace !== undefined) {
    const where = p.export.namespace !== undefined ? 'namespace' : 'name';
    out.push({ messageId: 'lighthouseDenied', data: { ...data, entry: p.denied }, at: fieldPlace(p.export.object, 'metadata', where) });
  }
  const dns = exportDnsProblem(p, p.service);
  if (dns) {
    const related: RelatedPlace[] = dns.clusterID ? [{ ...dns.clusterID.source, message: `cluster ID "${dns.clusterID.value}"` }] : [];
    const st = dns.statefulSet;
    const pods = st && `StatefulSet "${st.name}" (pod hostnames ${st.name}-0..${st.hostname})`;
    if (st && pods) related.push({ ...fieldPlace(st.object, 'metadata', 'name'), cluster: p.cluster.name, message: pods });
    const values: MessageData = dns.kind === 'label' ? { what: dns.what, label: dns.label } : {};
    out.push({ messageId: dns.kind === 'label' ? 'dnsLabel' : 'dnsPodName', data: { ...data, ...values, name: dns.name, length: dns.length }, at, related });
  }
  return out;
}

/**
 * `service-export-pairing`: every ServiceExport needs a Service of the same namespace/name in the
 * same cluster, of a type the cluster's MCS implementation can export (`…Lighthouse` message ids
 * carry Lighthouse's reasons). The pairing is the model's (`src/model/views/mcs-exports.ts`).
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
    messages: {
      noService: { text: NO_SERVICE, hint: `${NO_SERVICE_MCS} ${CREATE}` },
      noServiceLighthouse: { text: NO_SERVICE, hint: `${NO_SERVICE_LIGHTHOUSE} ${CREATE}` },
      noServiceOtherNamespace: { text: NO_SERVICE, hint: `${NO_SERVICE_MCS} ${OTHER_NAMESPACE}` },
      noServiceOtherNamespaceLighthouse: { text: NO_SERVICE, hint: `${NO_SERVICE_LIGHTHOUSE} ${OTHER_NAMESPACE}` },
      noServiceOtherClusters: { text: NO_SERVICE, hint: `${NO_SERVICE_MCS} ${OTHER_CLUSTERS}` },
      noServiceOtherClustersLighthouse: { text: NO_SERVICE, hint: `${NO_SERVICE_LIGHTHOUSE} ${OTHER_CLUSTERS}` },
      externalName: {
        text: `${EXPORT} exports a Service of type ExternalName in cluster "{{cluster}}".`,
        hint: 'MCS controllers reject it (Valid=False, reason InvalidServiceType) and no other cluster can import it. Export a ClusterIP or headless Service instead.',
      },
      externalNameLighthouse: {
        text: `${EXPORT} exports a Service of type ExternalName in cluster "{{cluster}}".`,
        hint: 'Submariner Lighthouse rejects it (Valid=False, reason UnsupportedServiceType: "Service of type ExternalName not supported") and no other cluster can import it. Export a ClusterIP or headless Service instead.',
      },
      unsupportedType: {
        text: `${EXPORT} exports a Service of type {{type}}, which Submariner Lighthouse in cluster "{{cluster}}" does not support.`,
        hint: 'Lighthouse sets Valid=False (reason UnsupportedServiceType: "Service of type {{type}} not supported"): nothing is exported. Export a ClusterIP Service (a separate one if the {{type}} Service must stay).',
      },
      namespaceNotGlobal: {
        text: `${EXPORT} is in namespace "{{namespace}}", which Cilium Cluster Mesh in cluster "{{cluster}}" does not treat as global.`,
        hint: 'Cilium sets Valid=False (reason NamespaceNotGlobal: "Namespace is not global, Service cannot be exported") and nothing is exported. Annotate the Namespace with clustermesh.cilium.io/global: "true".',
      },
      lighthouseDenied: {
        text: `${EXPORT} in cluster "{{cluster}}" exports from namespace "{{namespace}}", on Lighthouse's default import deny-list ("{{entry}}").`,
        hint:
          "Submariner Lighthouse's default import deny-list is kube-, openshift-, openshift: the other clusters reject the aggregated ServiceImport and its EndpointSlices " +
          '("Rejecting aggregated ServiceImport"), so no other cluster can reach the Service. Move the Service to an application namespace.',
      },
      dnsLabel: { text: `The {{what}} "{{label}}" of ${EXPORT} in cluster "{{cluster}}" is {{length}} characters, over the 63 of a DNS label.`, hint: SHORTEN },
      dnsPodName: { text: `The per-pod DNS name of ${EXPORT} in cluster "{{cluster}}" is {{length}} characters, over the 253 of a DNS name.`, hint: SHORTEN },
      sensitiveNamespace: {
        text: `${EXPORT} exports from namespace "{{namespace}}" in cluster "{{cluster}}".`,
        hint:
          'By namespace sameness it merges with the "{{namespace}}/{{name}}" of every cluster in the ClusterSet, and the MCS API (KEP-1645) asks administrators ' +
          'to be especially careful with exports from "default" and "kube-system". Move the Service to a dedicated namespace.',
      },
    },
  },
  check({ set, report }) {
    for (const p of exportPairings(set)) {
      const { cluster, export: exp, service } = p;
      // Nearly every export is accepted and fine: its texts are built only once it is not.
      if (p.exportable && service && !p.sensitive && !mayHaveAcceptedProblem(p, service)) continue;
      const data = { export: serviceLabel(exp), name: exp.name, cluster: cluster.name, namespace: p.namespace ?? '' };
      const at = fieldPlace(exp.object, 'metadata', 'name');
      if (p.exportable && service) for (const r of acceptedExportProblems({ ...p, service }, data)) report({ ...r, cluster: cluster.name });
      if (p.exportable && !p.sensitive) continue;
      if (!service) {
        report({ ...missingService(set, p, data), at, cluster: cluster.name });
      } else {
        const type = service.type.value;
        const related = [{ ...service.type.source, message: `Service "${namespacedName(service.namespace, service.name)}" type ${type}` }];
        const lighthouse = p.implementation === 'lighthouse';
        if (type === 'ExternalName') report({ messageId: lighthouse ? 'externalNameLighthouse' : 'externalName', data, at, cluster: cluster.name, related });
        else if (lighthouse && type !== 'ClusterIP') report({ messageId: 'unsupportedType', data: { ...data, type }, at, cluster: cluster.name, related });
      }
      if (p.sensitive) report({ messageId: 'sensitiveNamespace', data, at: fieldPlace(exp.object, 'metadata', 'namespace'), cluster: cluster.name, severity: 'warn' });
    }
  },
});
