import { defineRule, fieldPlace, importType, multiClusterServices, precedenceText, serviceLabel, serviceNamePlace, type AcceptedExport, type Fact, type MultiClusterService, type Place } from './kit.js';

/** One property that must agree across the exports of a ClusterSet service. */
interface Property {
  /** The mcs-api condition reason (`pkg/apis/v1beta1/serviceexport.go`). */
  readonly reason: string;
  readonly what: string;
  /** Submariner Lighthouse checks this property too (type and session affinity only). */
  readonly lighthouse: boolean;
  /** The effective value as text, or undefined when the property does not apply to this export. */
  value(e: AcceptedExport): string | undefined;
  /** The field to point at: the written field, else the object that would carry it. */
  place(e: AcceptedExport): Place;
  fix: string;
}

const factPlace = (fact: Fact<unknown> | undefined, fallback: Place): Place => fact?.source ?? fallback;
const exportPlace = (e: AcceptedExport): Place => (fieldPlace(e.export.object, 'metadata', 'name'));
const mapText = (m: Readonly<Record<string, string>> | undefined) => {
  const entries = Object.entries(m ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return entries.length === 0 ? '{}' : `{${entries.map(([k, v]) => `${k}: ${JSON.stringify(v)}`).join(', ')}}`;
};
const affinity = (e: AcceptedExport) => e.service.sessionAffinity?.value ?? 'None';

const PROPERTIES: readonly Property[] = [
  {
    reason: 'TypeConflict',
    what: 'type',
    lighthouse: true,
    value: (e) => importType(e.service),
    place: (e) => factPlace(e.service.clusterIP, serviceNamePlace(e.service)),
    fix: 'Make the Service headless (clusterIP: None) in every cluster, or in none.',
  },
  {
    reason: 'SessionAffinityConflict',
    what: 'sessionAffinity',
    lighthouse: true,
    value: affinity,
    place: (e) => factPlace(e.service.sessionAffinity, serviceNamePlace(e.service)),
    fix: 'Use the same spec.sessionAffinity in every cluster.',
  },
  {
    reason: 'SessionAffinityConfigConflict',
    what: 'sessionAffinityConfig.clientIP.timeoutSeconds',
    lighthouse: true,
    // The API server defaults the timeout to 10800 s for ClientIP affinity; it is nil otherwise.
    value: (e) => (affinity(e) === 'ClientIP' ? String(e.service.sessionAffinityTimeout?.value ?? 10800) : undefined),
    place: (e) => factPlace(e.service.sessionAffinityTimeout, factPlace(e.service.sessionAffinity, serviceNamePlace(e.service))),
    fix: 'Use the same spec.sessionAffinityConfig.clientIP.timeoutSeconds in every cluster.',
  },
  {
    reason: 'InternalTrafficPolicyConflict',
    what: 'internalTrafficPolicy',
    lighthouse: false,
    value: (e) => e.service.internalTrafficPolicy?.value ?? 'Cluster',
    place: (e) => factPlace(e.service.internalTrafficPolicy, serviceNamePlace(e.service)),
    fix: 'Use the same spec.internalTrafficPolicy in every cluster (absent means Cluster).',
  },
  {
    reason: 'TrafficDistributionConflict',
    what: 'trafficDistribution',
    lighthouse: false,
    value: (e) => e.service.trafficDistribution?.value ?? '(unset)',
    place: (e) => factPlace(e.service.trafficDistribution, serviceNamePlace(e.service)),
    fix: 'Use the same spec.trafficDistribution in every cluster.',
  },
  {
    reason: 'LabelsConflict',
    what: 'exported labels',
    lighthouse: false,
    value: (e) => mapText(e.export.exportedLabels?.value),
    place: (e) => factPlace(e.export.exportedLabels, exportPlace(e)),
    fix: 'Export the same spec.exportedLabels from every cluster.',
  },
  {
    reason: 'AnnotationsConflict',
    what: 'exported annotations',
    lighthouse: false,
    value: (e) => mapText(e.export.exportedAnnotations?.value),
    place: (e) => factPlace(e.export.exportedAnnotations, exportPlace(e)),
    fix: 'Export the same spec.exportedAnnotations from every cluster.',
  },
];

/**
 * IP families as Cilium intersects them (`intersectIPFamilies`): exports without `ipFamilies` are
 * skipped; an export sharing no family with the intersection so far conflicts.
 */
function ipFamilyConflicts(mcs: MultiClusterService): { e: AcceptedExport; families: readonly string[]; common: readonly string[]; from: AcceptedExport }[] {
  const withFamilies = mcs.exports.filter((e) => e.service.ipFamilies && e.service.ipFamilies.value.length > 0);
  if (withFamilies.length < 2) return [];
  let common = withFamilies[0].service.ipFamilies!.value;
  const out = [];
  for (const e of withFamilies.slice(1)) {
    const families = e.service.ipFamilies!.value;
    const next = common.filter((f) => families.includes(f));
    if (next.length === 0) out.push({ e, families, common, from: withFamilies[0] });
    else common = next;
  }
  return out;
}

/**
 * `serviceexport-conflict`: properties other than ports that must agree across the clusters
 * exporting a `namespace/name`; the oldest export decides, and the controllers raise
 * `Conflict=True` with the mcs-api reason.
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
  },
  check({ set, report }) {
    for (const mcs of multiClusterServices(set)) {
      const [first, ...later] = mcs.exports;
      const label = serviceLabel(mcs);
      const lighthouse = mcs.mode === 'lighthouse';
      const controller = lighthouse ? 'Submariner Lighthouse' : 'the MCS controller';
      const typeConflicts = new Set<AcceptedExport>();
      for (const prop of PROPERTIES) {
        if (lighthouse && !prop.lighthouse) continue;
        const winning = prop.value(first);
        for (const e of later) {
          if (typeConflicts.has(e)) continue;
          const mine = prop.value(e);
          if (mine === undefined || winning === undefined || mine === winning) continue;
          if (prop.reason === 'TypeConflict') typeConflicts.add(e);
          const outcome =
            prop.reason === 'TypeConflict' && lighthouse
              ? `Submariner Lighthouse refuses "${e.cluster.name}"'s export: its endpoints are not part of the ServiceImport, which stays ${winning}`
              : `${controller} uses ${JSON.stringify(winning)} from "${first.cluster.name}" for the ServiceImport`;
          report({
            message:
              `Service ${label} has ${prop.what} ${JSON.stringify(mine)} in cluster "${e.cluster.name}" but ${JSON.stringify(winning)} in cluster "${first.cluster.name}", ${precedenceText(mcs)}: ` +
              `${outcome} and sets Conflict=True (reason ${prop.reason}) on the ServiceExports. ${prop.fix}`,
            at: prop.place(e),
            cluster: e.cluster.name,
            related: [{ ...prop.place(first), cluster: first.cluster.name, message: `${prop.what} ${JSON.stringify(winning)} in cluster "${first.cluster.name}"` }],
          });
        }
      }
      if (lighthouse) continue;
      for (const c of ipFamilyConflicts(mcs)) {
        report({
          message:
            `Service ${label} has ipFamilies ${JSON.stringify(c.families)} in cluster "${c.e.cluster.name}", sharing no family with ${JSON.stringify(c.common)} of the clusters before it ` +
            `(starting with "${c.from.cluster.name}"): the ServiceImport keeps ${JSON.stringify(c.common)}, clients reach no endpoint of "${c.e.cluster.name}", ` +
            `and the controller sets Conflict=True (reason IPFamilyConflict). Give the Service a common IP family (e.g. ipFamilyPolicy: PreferDualStack) in every cluster.`,
          at: c.e.service.ipFamilies!.source,
          cluster: c.e.cluster.name,
          related: [{ ...c.from.service.ipFamilies!.source, cluster: c.from.cluster.name, message: `ipFamilies in cluster "${c.from.cluster.name}"` }],
        });
      }
    }
  },
});
