import { defineRule, fieldPlace, importType, mergePorts, multiClusterServices, namespacedName, portText, serviceKey, serviceNamePlace, type ClusterSetModel, type MultiClusterService, type RelatedPlace, type ServiceImportFacts } from './kit.js';

/** The ClusterSet services by key, and the keys by name for references whose namespace is left to apply time. */
function index(set: ClusterSetModel): { byKey: Map<string, MultiClusterService>; keysByName: Map<string, string[]> } {
  const byKey = new Map<string, MultiClusterService>();
  const keysByName = new Map<string, string[]>();
  for (const mcs of multiClusterServices(set, 1)) {
    byKey.set(mcs.key, mcs);
    const list = keysByName.get(mcs.name) ?? [];
    list.push(mcs.key);
    keysByName.set(mcs.name, list);
  }
  return { byKey, keysByName };
}

/** Exports of `namespace/name` that their controller rejects, for the "exported but rejected" hint. */
function rejectedExports(set: ClusterSetModel, key: string): RelatedPlace[] {
  return (set.exportsByKey.get(key) ?? []).map((e) => ({
    file: e.export.object.file,
    doc: e.export.object.doc,
    path: [...e.export.object.base, 'metadata', 'name'],
    cluster: e.cluster.name,
    message: `ServiceExport in cluster "${e.cluster.name}" (not accepted: see service-export-pairing)`,
  }));
}

/**
 * What to do about a missing export: name the clusters where the Service exists unexported,
 * with `related` pointing at those Services and at rejected exports.
 */
function missingExportHint(set: ClusterSetModel, namespace: string | undefined, name: string): { hint: string; related: RelatedPlace[] } {
  const key = serviceKey(namespace, name);
  const rejected = rejectedExports(set, key);
  const exportedIn = new Set((set.exportsByKey.get(key) ?? []).map((e) => e.cluster.name));
  const unexported = (set.servicesByKey.get(key) ?? []).filter((s) => !exportedIn.has(s.cluster));
  const related = [
    ...rejected,
    ...unexported.map((s) => ({ ...serviceNamePlace(s), cluster: s.cluster, message: `Service in cluster "${s.cluster}", not exported` })),
  ];
  if (unexported.length > 0) {
    const where = [...new Set(unexported.map((s) => `"${s.cluster}"`))].join(', ');
    return { hint: `The Service exists in cluster ${where} without a ServiceExport: add one next to it.`, related };
  }
  return { hint: rejected.length > 0 ? 'Its ServiceExports are not accepted (see service-export-pairing).' : '', related };
}

const HAND_WRITTEN =
  'ServiceImports are written by the MCS controller (KEP-1645), one per exported namespace/name in every cluster of the ClusterSet; a checked-in one is at best overwritten';

/** Compares a checked-in ServiceImport with what the exports produce; returns the differences. */
function mismatches(imp: ServiceImportFacts, mcs: MultiClusterService): { at: RelatedPlace; text: string }[] {
  const out: { at: RelatedPlace; text: string }[] = [];
  const expectedType = importType(mcs.exports[0].service);
  if (imp.type && imp.type.value !== expectedType) {
    out.push({ at: imp.type.source, text: `spec.type is ${imp.type.value}, but the exports produce ${expectedType}` });
  }
  if (imp.ports) {
    const expected = mergePorts(mcs).ports;
    const key = (p: { name?: string; port?: number; protocol: string }) => `${p.name ?? ''}|${p.port}|${p.protocol}`;
    const want = new Set(expected.map((p) => key({ ...p.port, name: p.name })));
    const have = new Set(imp.ports.map((p) => key(p)));
    const extra = imp.ports.filter((p) => !want.has(key(p)));
    const missing = expected.filter((p) => !have.has(key({ ...p.port, name: p.name })));
    if (extra.length > 0 || missing.length > 0) {
      const at = extra[0]?.source ?? { ...imp.object, path: [...imp.object.base, 'spec', 'ports'] };
      const parts = [
        ...(extra.length > 0 ? [`${extra.map((p) => portText(p)).join(', ')} ${extra.length === 1 ? 'is' : 'are'} exported by no cluster`] : []),
        ...(missing.length > 0 ? [`${missing.map((p) => portText({ ...p.port, name: p.name })).join(', ')} ${missing.length === 1 ? 'is' : 'are'} missing`] : []),
      ];
      out.push({ at: { file: at.file, doc: at.doc, path: at.path }, text: `spec.ports disagree with the exports: ${parts.join('; ')}` });
    }
  }
  return out;
}

/**
 * `serviceimport-dangling`: ServiceImports, and references to them, whose `namespace/name` no
 * cluster of the ClusterSet exports; checked-in ServiceImports whose type or ports disagree with
 * what the exports produce.
 *
 * Upstream: KEP-1645 "Importing services" (the controller creates a ServiceImport in every
 * cluster for each exported service and deletes it when the last export goes; the mcs-api
 * conformance test "A ServiceImport should only exist as long as there's at least one exporting
 * cluster"); Gateway API routes resolve a `ServiceImport` backendRef only while the import exists
 * (GKE multi-cluster Gateways: `net.gke.io` ServiceImports); Azure fleet `MultiClusterService`
 * (`spec.serviceImport`) load-balances an imported service.
 */
export default defineRule({
  meta: {
    id: 'serviceimport-dangling',
    description: 'ServiceImports and references to them need an export of the same namespace/name in the ClusterSet',
    severity: 'error',
    docs: 'docs/rules/serviceimport-dangling.md',
  },
  check({ set, report }) {
    const { byKey, keysByName } = index(set);
    const find = (namespace: string | undefined, name: string): MultiClusterService | undefined => {
      const exact = byKey.get(serviceKey(namespace, name));
      if (exact) return exact;
      // A side whose namespace is left to apply time matches the other's namespace.
      const keys = keysByName.get(name) ?? [];
      if (namespace === undefined) return keys.length > 0 ? byKey.get(keys[0]) : undefined;
      return byKey.get(serviceKey(undefined, name));
    };
    for (const cluster of set.clusters) {
      for (const imp of cluster.serviceImports) {
        const mcs = find(imp.namespace, imp.name);
        const at = fieldPlace(imp.object, 'metadata', 'name');
        const label = `ServiceImport "${namespacedName(imp.namespace, imp.name)}"`;
        if (!mcs) {
          const { hint, related } = missingExportHint(set, imp.namespace, imp.name);
          report({
            message:
              `${label} in cluster "${cluster.name}" has no ServiceExport of "${namespacedName(imp.namespace, imp.name)}" accepted in any cluster of the ClusterSet: ` +
              `an MCS controller deletes (or never creates) it, and clients of ${imp.name}.${imp.namespace ?? '<namespace>'}.svc.clusterset.local get no endpoints. ` +
              `${HAND_WRITTEN}. Export the Service from at least one cluster, or delete the ServiceImport.${hint ? ` ${hint}` : ''}`,
            at,
            cluster: cluster.name,
            related,
          });
          continue;
        }
        const first = mcs.exports[0];
        const differences = mismatches(imp, mcs);
        if (differences.length === 0) {
          report({
            message:
              `${label} in cluster "${cluster.name}" is checked in, but ${HAND_WRITTEN}: it matches the exports from ${mcs.exports.map((e) => `"${e.cluster.name}"`).join(', ')} today, ` +
              `yet the controller owns it. Consider deleting it from the repository.`,
            at,
            cluster: cluster.name,
            severity: 'info',
          });
        }
        for (const m of differences) {
          report({
            message:
              `${label} in cluster "${cluster.name}": ${m.text} (exported from ${mcs.exports.map((e) => `"${e.cluster.name}"`).join(', ')}, with "${first.cluster.name}" taking precedence). ` +
              `${HAND_WRITTEN}, so the checked-in spec does not describe the service. Delete the ServiceImport and let the controller write it.`,
            at: m.at,
            cluster: cluster.name,
            related: [{ ...serviceNamePlace(first.service), cluster: first.cluster.name, message: `exported Service in cluster "${first.cluster.name}"` }],
          });
        }
      }
      for (const ref of cluster.serviceImportRefs) {
        if (find(ref.namespace, ref.name)) continue;
        const { hint, related } = missingExportHint(set, ref.namespace, ref.name);
        report({
          message:
            `${ref.object.kind} "${namespacedName(ref.object.namespace, ref.object.name ?? '')}" in cluster "${cluster.name}" references ServiceImport "${namespacedName(ref.namespace, ref.name)}" (${ref.via}), ` +
            `but no cluster of the ClusterSet exports "${namespacedName(ref.namespace, ref.name)}": the ServiceImport never exists, so the reference resolves to no backend ` +
            `(Gateway API: ResolvedRefs=False, BackendNotFound; requests get errors). Export the Service (ServiceExport next to it) in the clusters that run it, or fix the name.${hint ? ` ${hint}` : ''}`,
          at: ref.source,
          cluster: cluster.name,
          related,
        });
      }
    }
  },
});
