import { defineRule, exportConflicts, ipFamilyConflicts, multiClusterServices, precedenceText, serviceLabel, type ExportConflictReason, type MessageTemplate } from './kit.js';

/** The message id of each reason: `typeConflict`, `sessionAffinityConflict`, …; `…Lighthouse` when every exporting cluster runs Lighthouse. */
const messageId = (reason: ExportConflictReason) => `${reason[0].toLowerCase()}${reason.slice(1)}`;

/** The property each reason compares, as messages name it. */
const PROPERTY: Record<ExportConflictReason, string> = {
  TypeConflict: 'type',
  SessionAffinityConflict: 'sessionAffinity',
  SessionAffinityConfigConflict: 'sessionAffinityConfig.clientIP.timeoutSeconds',
  InternalTrafficPolicyConflict: 'internalTrafficPolicy',
  TrafficDistributionConflict: 'trafficDistribution',
  LabelsConflict: 'exported labels',
  AnnotationsConflict: 'exported annotations',
};

const TEXT = 'Service {{service}} has {{property}} "{{value}}" in cluster "{{cluster}}" but "{{winnerValue}}" in cluster "{{winner}}".';
const MAP_TEXT = 'Service {{service}} has {{property}} {{value}} in cluster "{{cluster}}" but {{winnerValue}} in cluster "{{winner}}".';
const WINS = 'Cluster "{{winner}}" is the one {{precedence}}';

/**
 * The templates of a property conflict: the MCS controller's (KEP, Cilium) wording and, for the
 * properties Lighthouse compares too, Lighthouse's (`<id>Lighthouse`).
 */
function conflict(reason: ExportConflictReason, fix: string, opts: { lighthouse?: boolean; map?: boolean } = {}): Record<string, MessageTemplate> {
  const text = opts.map ? MAP_TEXT : TEXT;
  const winnerValue = opts.map ? '{{winnerValue}}' : '"{{winnerValue}}"';
  const verdict = (controller: string) =>
    `${WINS}: ${controller} uses ${winnerValue} from "{{winner}}" for the ServiceImport and sets Conflict=True (reason ${reason}) on the ServiceExports. ${fix}`;
  const id = messageId(reason);
  return { [id]: { text, hint: verdict('the MCS controller') }, ...(opts.lighthouse ? { [`${id}Lighthouse`]: { text, hint: verdict('Submariner Lighthouse') } } : {}) };
}

/**
 * `serviceexport-conflict`: properties other than ports that must agree across the clusters
 * exporting a `namespace/name`; the oldest export decides, and the controllers raise
 * `Conflict=True` with the mcs-api reason. One message id per reason (`typeConflict`,
 * `sessionAffinityConflict`, `sessionAffinityConfigConflict`, `internalTrafficPolicyConflict`,
 * `trafficDistributionConflict`, `labelsConflict`, `annotationsConflict`, `ipFamilyConflict`),
 * with a `…Lighthouse` twin for those Lighthouse compares. The comparison itself is the model's
 * (`exportConflicts`, `ipFamilyConflicts` in `src/model/views/mcs-exports.ts`).
 *
 * Primary location: the losing export's field (the controllers keep the oldest export's value and
 * override this one); with changed files known and only the winner's file changed, the property
 * conflicts are reported at the winner's field, the clusters swapped in the text. An IP family
 * conflict always stays on the export left outside the intersection.
 *
 * Upstream: kubernetes-sigs/mcs-api `pkg/apis/v1beta1/serviceexport.go` (reasons TypeConflict,
 * SessionAffinityConflict, SessionAffinityConfigConflict, InternalTrafficPolicyConflict,
 * TrafficDistributionConflict, IPFamilyConflict, LabelsConflict, AnnotationsConflict) and the
 * conformance test `testServiceTypeConflict`; Cilium `pkg/clustermesh/mcsapi/serviceimport_controller.go`
 * (`checkConflictExport`, `intersectIPFamilies`); Submariner Lighthouse
 * `pkg/agent/controller/service_import_conflict.go` (type and session affinity only; a cluster
 * whose type conflicts is not merged into the ServiceImport).
 */
export default defineRule({
  meta: {
    id: 'serviceexport-conflict',
    description: 'Type, session affinity, traffic policies, IP families and exported labels/annotations must agree across exporting clusters',
    severity: 'error',
    docs: 'docs/rules/serviceexport-conflict.md',
    messages: {
      ...conflict('TypeConflict', 'Make the Service headless (clusterIP: None) in every cluster, or in none.'),
      typeConflictLighthouse: {
        text: TEXT,
        hint:
          `${WINS}: Submariner Lighthouse refuses "{{cluster}}"'s export: its endpoints are not part of the ServiceImport, which stays {{winnerValue}}, ` +
          'and sets Conflict=True (reason TypeConflict) on the ServiceExports. Make the Service headless (clusterIP: None) in every cluster, or in none.',
      },
      ...conflict('SessionAffinityConflict', 'Use the same spec.sessionAffinity in every cluster.', { lighthouse: true }),
      ...conflict('SessionAffinityConfigConflict', 'Use the same spec.sessionAffinityConfig.clientIP.timeoutSeconds in every cluster.', { lighthouse: true }),
      ...conflict('InternalTrafficPolicyConflict', 'Use the same spec.internalTrafficPolicy in every cluster (absent means Cluster).'),
      ...conflict('TrafficDistributionConflict', 'Use the same spec.trafficDistribution in every cluster.'),
      ...conflict('LabelsConflict', 'Export the same spec.exportedLabels from every cluster.', { map: true }),
      ...conflict('AnnotationsConflict', 'Export the same spec.exportedAnnotations from every cluster.', { map: true }),
      ipFamilyConflict: {
        text: 'Service {{service}} has ipFamilies {{ipFamilies}} in cluster "{{cluster}}", sharing no family with {{common}} of the clusters before it.',
        hint:
          'The intersection starts with "{{from}}": the ServiceImport keeps {{common}}, clients reach no endpoint of "{{cluster}}", and the controller sets ' +
          'Conflict=True (reason IPFamilyConflict). Give the Service a common IP family (e.g. ipFamilyPolicy: PreferDualStack) in every cluster.',
      },
    },
  },
  check({ set, report }) {
    for (const mcs of multiClusterServices(set)) {
      const service = serviceLabel(mcs);
      const suffix = mcs.mode === 'lighthouse' ? 'Lighthouse' : '';
      for (const c of exportConflicts(mcs)) {
        const property = PROPERTY[c.reason];
        const data = {
          service,
          property,
          value: c.value,
          cluster: c.export.cluster.name,
          winnerValue: c.winnerValue,
          winner: c.winner.cluster.name,
          precedence: precedenceText(mcs),
        };
        const related = [
          {
            ...c.winnerAt,
            cluster: c.winner.cluster.name,
            otherSide: true as const,
            message: `${property} ${JSON.stringify(c.winnerValue)} in cluster "${c.winner.cluster.name}"`,
          },
        ];
        // Told from the winner's side (when only its file changed): the text swaps the clusters, the hint still names the winner.
        const mirror = {
          data: { ...data, value: c.winnerValue, cluster: c.winner.cluster.name, winnerValue: c.value, winner: c.export.cluster.name },
          hintData: data,
          relatedMessage: `${property} ${JSON.stringify(c.value)} in cluster "${c.export.cluster.name}"`,
        };
        report({ messageId: `${messageId(c.reason)}${suffix}`, data, at: c.at, cluster: c.export.cluster.name, related, mirror });
      }
      for (const c of ipFamilyConflicts(mcs)) {
        const data = { service, ipFamilies: JSON.stringify(c.ipFamilies), cluster: c.export.cluster.name, common: JSON.stringify(c.common), from: c.from.cluster.name };
        const related = [{ ...c.fromAt, cluster: c.from.cluster.name, otherSide: true as const, message: `ipFamilies in cluster "${c.from.cluster.name}"` }];
        report({ messageId: 'ipFamilyConflict', data, at: c.at, cluster: c.export.cluster.name, related });
      }
    }
  },
});
