import {
  defineRule,
  exportedServiceFinder,
  fieldPlace,
  importMismatches,
  legacyLighthouseImport,
  missingExport,
  objectLabel,
  placementView,
  portText,
  serviceLabel,
  serviceNamePlace,
  writtenNamePlace,
} from './kit.js';
import type { ClusterSetModel, ImportMismatch, MessageData, MessageTemplate, RelatedPlace } from './kit.js';

const HAND_WRITTEN =
  'ServiceImports are written by the MCS controller (KEP-1645), one per exported namespace/name in every cluster of the ClusterSet; a checked-in one is at best overwritten';
const IMPORT = 'ServiceImport {{import}} in cluster "{{cluster}}"';
const REF_TEXT = '{{referrer}} in cluster "{{cluster}}" references ServiceImport {{import}} ({{via}}), which no cluster exports.';
const NO_EXPORT_IMPORT = `An MCS controller deletes (or never creates) it, and clients of {{dnsName}} get no endpoints. ${HAND_WRITTEN}. Export the Service from at least one cluster, or delete the ServiceImport.`;
const NO_EXPORT_REF =
  'The ServiceImport never exists, so the reference resolves to no backend (Gateway API: ResolvedRefs=False, BackendNotFound; requests get errors). ' +
  'Export the Service (ServiceExport next to it) in the clusters that run it, or fix the name.';
// Azure fleet-networking (pkg/controllers/multiclusterservice/controller.go, handleUpdate): the MultiClusterService controller creates the
// ServiceImport itself; while its status lists no exporting cluster it makes no derived LoadBalancer Service and sets Valid=Unknown.
const NO_EXPORT_FLEET =
  "Azure fleet-networking's MultiClusterService controller creates ServiceImport {{import}} itself, but while no member cluster exports that Service the import lists no cluster: " +
  'the controller creates no derived LoadBalancer Service in fleet-system (and deletes one it made), and the MultiClusterService stays Is-Valid Unknown (UnknownServiceImport) with no External-IP, so nothing is reachable through it. ' +
  'Export the Service (a networking.fleet.azure.com ServiceExport next to it) in the member clusters that run it, or name an exported Service in spec.serviceImport.name.';
const UNEXPORTED = 'The Service exists in cluster {{clusters}} without a ServiceExport: add one next to it.';
const REJECTED = 'Its ServiceExports are not accepted (see service-export-pairing).';
const MISMATCH = `Exported from {{exporters}}, with "{{winner}}" taking precedence. ${HAND_WRITTEN}, so the checked-in spec does not describe the service. Delete the ServiceImport and let the controller write it.`;
// Karmada: the user writes the ServiceImport on the control plane and a PropagationPolicy sends it to the consumers (karmada docs/multi-cluster-service.md).
const TEMPLATE = 'ServiceImport {{import}} in cluster "{{cluster}}" is a Karmada resource template';
const DERIVED =
  "Karmada propagates it ({{policy}}) and creates Service derived-{{name}} from it in each cluster it reaches, with the ServiceImport's ports; the endpoints come from the clusters where a ServiceExport of the Service is propagated next to it";
const TEMPLATE_NO_EXPORT = `${DERIVED}. Without one, derived-{{name}} has no endpoints. Propagate a ServiceExport to the cluster that runs the Service; if that export is kept outside this repository, ignore this.`;
const TEMPLATE_PORTS = `${DERIVED} ({{exporters}}), joined by port name and protocol: a port the exported Service lacks gets no endpoints, and an exported port left out cannot be reached through derived-{{name}}. Make spec.ports name the exported Service's ports.`;

/** The three wordings of a missing export: none at all, a Service left unexported, exports all rejected. */
function missing(id: string, text: string, hint: string): Record<string, MessageTemplate> {
  return { [id]: { text, hint }, [`${id}Unexported`]: { text, hint: `${hint} ${UNEXPORTED}` }, [`${id}Rejected`]: { text, hint: `${hint} ${REJECTED}` } };
}

/**
 * Why `namespace/name` has no accepted export, as a message-id suffix (`Unexported` when the Service
 * exists unexported somewhere, `Rejected` when it has exports none accepts) with its data, and
 * `related` pointing at the rejected exports and the unexported Services.
 */
function whyMissing(set: ClusterSetModel, namespace: string | undefined, name: string): { suffix: string; data: MessageData; related: RelatedPlace[] } {
  const { rejected, unexported } = missingExport(set, namespace, name);
  const related: RelatedPlace[] = [
    ...rejected.map((e) => ({
      ...writtenNamePlace(e.export.object),
      cluster: e.cluster.name,
      message: `ServiceExport in cluster "${e.cluster.name}" (not accepted: see service-export-pairing)`,
    })),
    ...unexported.map((s) => ({ ...serviceNamePlace(s), cluster: s.cluster, message: `Service in cluster "${s.cluster}", not exported` })),
  ];
  if (unexported.length > 0) return { suffix: 'Unexported', data: { clusters: [...new Set(unexported.map((s) => `"${s.cluster}"`))].join(', ') }, related };
  return { suffix: rejected.length > 0 ? 'Rejected' : '', data: {}, related };
}

/** The message id and values of a difference between a checked-in ServiceImport and the exports (`template`: a Karmada resource template's ids). */
function mismatchData(m: ImportMismatch, template: boolean): { messageId: string; data: MessageData } {
  if (m.kind === 'type') return { messageId: 'typeMismatch', data: { type: m.type, expected: m.expected } };
  const extra = m.extra.map((p) => portText(p)).join(', ');
  const missingPorts = m.missing.map((p) => portText({ ...p.port, name: p.name })).join(', ');
  const which = m.missing.length === 0 ? 'Extra' : m.extra.length === 0 ? 'Missing' : 'Differ';
  return { messageId: `${template ? 'templatePorts' : 'ports'}${which}`, data: { extra, missing: missingPorts } };
}

/**
 * `serviceimport-dangling`: ServiceImports, and references to them, whose `namespace/name` no
 * cluster of the ClusterSet exports (message ids `importNoExport`, `refNoExport` — `refNoExportFleet`
 * for an Azure fleet `MultiClusterService` — each with an `…Unexported` and a `…Rejected` variant);
 * checked-in ServiceImports whose type or ports disagree
 * with what the exports produce (`typeMismatch`, `portsExtra`, `portsMissing`, `portsDiffer`), or
 * that match them (`checkedIn`, a note).
 *
 * A ServiceImport that a Karmada PropagationPolicy or ClusterPropagationPolicy of the repository
 * selects is a resource template: the user writes it, Karmada propagates it and derives Service
 * `derived-<name>` from it (karmada `docs/multi-cluster-service.md`,
 * `pkg/controllers/mcs/service_import_controller.go`). It is not called controller-written (no
 * `checkedIn` note, no type check); its ports are compared by name and protocol
 * (`templatePorts…`, a warning); without an accepted export in the repository it is
 * `templateNoExport…`: a warning when a rejected export or an unexported Service of the name shows
 * the export is missing here, else a note (the ServiceExport template may live elsewhere).
 *
 * Upstream: KEP-1645 "Importing services" (the controller creates a ServiceImport in every
 * cluster for each exported service and deletes it when the last export goes; the mcs-api
 * conformance test "A ServiceImport should only exist as long as there's at least one exporting
 * cluster"); Gateway API routes resolve a `ServiceImport` backendRef only while the import exists
 * (GKE multi-cluster Gateways: `net.gke.io` ServiceImports); Azure fleet `MultiClusterService`
 * (`spec.serviceImport`) load-balances an imported service: Azure/fleet-networking
 * `pkg/controllers/multiclusterservice/controller.go` (`handleUpdate`, `handleInvalidServiceImport`,
 * `updateMultiClusterServiceStatus`) creates the named ServiceImport itself and, while its
 * `status.clusters` is empty, creates no derived LoadBalancer Service (deleting one it made) and sets
 * condition `Valid` Unknown, reason `UnknownServiceImport`; `api/v1alpha1/multiclusterservice_types.go`
 * (`spec.serviceImport` names the Service exported in the member clusters).
 */
export default defineRule({
  meta: {
    id: 'serviceimport-dangling',
    description: 'ServiceImports and references to them need an export of the same namespace/name in the ClusterSet',
    severity: 'error',
    docs: 'docs/rules/serviceimport-dangling.md',
    messages: {
      ...missing('importNoExport', `${IMPORT} has no accepted ServiceExport in any cluster of the ClusterSet.`, NO_EXPORT_IMPORT),
      ...missing('refNoExport', REF_TEXT, NO_EXPORT_REF),
      ...missing('refNoExportFleet', REF_TEXT, NO_EXPORT_FLEET),
      checkedIn: {
        text: `${IMPORT} is checked in, though the MCS controller writes it.`,
        hint: `${HAND_WRITTEN}: it matches the exports from {{exporters}} today, yet the controller owns it. Consider deleting it from the repository.`,
      },
      typeMismatch: { text: `${IMPORT} has type {{type}}, but the exports produce {{expected}}.`, hint: MISMATCH },
      portsExtra: { text: `${IMPORT} lists ports {{extra}}, which no cluster exports.`, hint: MISMATCH },
      portsMissing: { text: `${IMPORT} lacks ports {{missing}}, which the exports produce.`, hint: MISMATCH },
      portsDiffer: { text: `${IMPORT} lists ports {{extra}}, which no cluster exports, and lacks {{missing}}.`, hint: MISMATCH },
      ...missing('templateNoExport', `${TEMPLATE} with no accepted ServiceExport of it in the repository.`, TEMPLATE_NO_EXPORT),
      templatePortsExtra: { text: `${TEMPLATE} listing ports {{extra}}, which the exported Service does not name.`, hint: TEMPLATE_PORTS },
      templatePortsMissing: { text: `${TEMPLATE} lacking ports {{missing}} of the exported Service.`, hint: TEMPLATE_PORTS },
      templatePortsDiffer: { text: `${TEMPLATE} listing ports {{extra}}, which the exported Service does not name, and lacking {{missing}}.`, hint: TEMPLATE_PORTS },
    },
  },
  check({ set, report }) {
    const find = exportedServiceFinder(set);
    const placement = placementView(set);
    for (const cluster of set.clusters) {
      for (const imp of cluster.serviceImports) {
        const mcs = find(imp.namespace, imp.name);
        const at = fieldPlace(imp.object, 'metadata', 'name');
        const common = { import: serviceLabel(imp), cluster: cluster.name };
        const [selection] = placement.karmadaTemplate({ group: imp.object.group, kind: imp.object.kind, namespace: imp.namespace, name: imp.name });
        const template = selection && {
          policy: `${selection.policy.kind} "${selection.policy.namespace ? `${selection.policy.namespace}/` : ''}${selection.policy.name}"`,
          name: imp.name,
          related: { ...selection.selector.source, cluster: selection.cluster.name, message: `resource selector of ${selection.policy.kind} "${selection.policy.name}"` },
        };
        if (!mcs) {
          const why = whyMissing(set, imp.namespace, imp.name);
          if (template) {
            // The ServiceExport may be a template kept elsewhere: a warning only with evidence here that it is missing, else a note.
            const data = { ...common, ...why.data, policy: template.policy, name: template.name };
            const severity = why.suffix === '' ? ('info' as const) : ('warn' as const);
            report({ messageId: `templateNoExport${why.suffix}`, data, at, cluster: cluster.name, related: [template.related, ...why.related], severity });
            continue;
          }
          const data = { ...common, ...why.data, dnsName: `${imp.name}.${imp.namespace ?? '<namespace>'}.svc.clusterset.local` };
          report({ messageId: `importNoExport${why.suffix}`, data, at, cluster: cluster.name, related: why.related });
          continue;
        }
        const first = mcs.exports[0];
        const exporters = mcs.exports.map((e) => `"${e.cluster.name}"`).join(', ');
        const differences = importMismatches(imp, mcs, template ? 'name' : 'port');
        if (differences.length === 0 && !template) report({ messageId: 'checkedIn', data: { ...common, exporters }, at, cluster: cluster.name, severity: 'info' });
        for (const m of differences) {
          const { messageId, data } = mismatchData(m, template !== undefined);
          const related = [{ ...serviceNamePlace(first.service), cluster: first.cluster.name, message: `exported Service in cluster "${first.cluster.name}"` }];
          const extra: MessageData = template ? { policy: template.policy, name: template.name } : {};
          report({
            messageId,
            data: { ...common, ...data, ...extra, exporters, winner: first.cluster.name },
            at: m.at,
            cluster: cluster.name,
            related: template ? [...related, template.related] : related,
            ...(template && { severity: 'warn' as const }),
          });
        }
      }
      for (const ref of cluster.serviceImportRefs) {
        if (find(ref.namespace, ref.name) || legacyLighthouseImport(set, ref.namespace, ref.name)) continue;
        const why = whyMissing(set, ref.namespace, ref.name);
        const data = { ...why.data, referrer: objectLabel(ref.object), cluster: cluster.name, import: serviceLabel(ref), via: ref.via };
        const fleet = ref.object.group === 'networking.fleet.azure.com' && ref.object.kind === 'MultiClusterService';
        report({ messageId: `refNoExport${fleet ? 'Fleet' : ''}${why.suffix}`, data, at: ref.source, cluster: cluster.name, related: why.related });
      }
    }
  },
});
