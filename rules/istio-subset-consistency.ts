import { defineRule, displayPath, fieldPlace, istioSubsets, labelsText, namespacedName, weightlessDestinations, writtenNamePlace } from './kit.js';
import type { DestinationRuleFacts, MissingSubset, RelatedPlace, SubsetEndpoint, SubsetSignature, UnknownTopology, UnselectedSubset } from './kit.js';

const drLabel = (dr: DestinationRuleFacts) => `DestinationRule "${namespacedName(dr.namespace, dr.name)}"`;
const drPlace = (dr: DestinationRuleFacts, message: string): RelatedPlace => ({ ...writtenNamePlace(dr.object), cluster: dr.cluster, message });
const drPlaces = (drs: readonly DestinationRuleFacts[], message: (dr: DestinationRuleFacts) => string) => drs.map((dr) => drPlace(dr, message(dr)));
const quoted = (names: Iterable<string>) => [...new Set(names)].map((n) => `"${n}"`).join(', ');
const signatureText = (s: SubsetSignature) => `"${s.name}" (${s.labels.length === 0 ? '{}' : s.labels.join(', ')})`;
const subsetsText = (list: readonly SubsetSignature[]) => (list.length === 0 ? 'no subsets' : `subsets ${list.map(signatureText).join(', ')}`);
const endpointPlace = (e: SubsetEndpoint): RelatedPlace => ({
  ...fieldPlace(e.what.object, 'metadata', 'name'),
  cluster: e.cluster.name,
  message: `${e.what.object.kind} "${e.what.name}" in cluster "${e.cluster.name}"`,
});

/** The hint's tail when alternative DestinationRules (tutorial variants) define the same subset: it is reported once, with them related. */
function variantsNote(drs: readonly DestinationRuleFacts[]): string {
  if (drs.length < 2) return '';
  return `; reported once for the ${drs.length} alternative DestinationRules of this host that define the same subset (${[...new Set(drs.map((d) => displayPath(d.object.file)))].join(', ')})`;
}

/** The message id, data and related places saying why a route's subset is not found. */
function whyMissing(m: MissingSubset, namespace: string | undefined): [string, Record<string, string>, RelatedPlace[]] {
  const h = m.hidden[0];
  if (h) {
    const data = { rule: drLabel(h), exportTo: (h.exportTo ?? []).join(', ') || 'workloadSelector', namespace: namespace ?? '(apply time)' };
    return [h.workloadSelector ? 'subsetHiddenSelector' : 'subsetHidden', data, drPlaces(m.hidden, (dr) => `${drLabel(dr)} defines subset "${m.subset}"`)];
  }
  if (m.visible.length > 0) {
    const names = m.visible.flatMap((dr) => dr.subsets.map((s) => s.name));
    return [
      'subsetUndefined',
      { defined: names.length === 0 ? 'no subsets' : `subsets ${quoted(names)}` },
      drPlaces(m.visible, (dr) => `${drLabel(dr)} for host "${dr.host!.value}"`),
    ];
  }
  if (m.elsewhere.length > 0)
    return ['subsetElsewhere', { clusters: quoted(m.elsewhere.map((dr) => dr.cluster)) }, drPlaces(m.elsewhere, (dr) => `${drLabel(dr)} in cluster "${dr.cluster}"`)];
  return ['subsetNoRule', { fqdn: m.host }, []];
}

/** The message id of a subset label naming an unknown cluster or network. */
const topologyId = (p: UnknownTopology) => (p.kind === 'cluster' ? 'unknownCluster' : p.known.length === 0 ? 'noNetworks' : 'unknownNetwork');
const isTopology = (p: UnknownTopology | UnselectedSubset): p is UnknownTopology => 'kind' in p;

const IST0101 = 'Istio IST0101: "Referenced host+subset in destinationrule not found: "{{host}}+{{subset}}""; Envoy has no cluster for it and answers 503. ';
const NOT_FOUND = 'VirtualService "{{virtualService}}" {{verb}} subset "{{subset}}" of host "{{host}}", which no DestinationRule visible to it defines in cluster "{{cluster}}".';
const HIDDEN = `${IST0101}{{rule}} defines it, but its exportTo ({{exportTo}}) hides it from namespace "{{namespace}}"`;
const ELSEWHERE = `${IST0101}Only cluster {{clusters}} has a DestinationRule defining it: each cluster's istiod reads its own cluster's configuration, so apply the DestinationRule in cluster "{{cluster}}" too.`;
const SELECTS = '{{rule}} subset "{{subset}}" selects {{label}}={{value}}, but no';
const TOPOLOGY = 'so the subset selects no endpoint and its traffic fails with 503{{variantsNote}}.';
const BY_NETWORK = 'Istio sets this label on every endpoint from the network (global.network, topology.istio.io/network)';
const NO_WORKLOAD = `The host's workloads ({{workloads}}) carry {{present}}: traffic routed to the subset finds no healthy upstream and fails with 503 UH (Istio IST0173 checks one cluster's Pods; this checks every cluster's pod templates){{variantsNote}}. Fix the labels, or deploy the workload.`;
const SPLIT = `In a multi-primary mesh each istiod applies its own cluster's DestinationRules, so the same request is split differently depending on the client's cluster. Apply the same DestinationRule in every cluster of the mesh.`;

/**
 * `istio-subset-consistency`: VirtualService routes and mirrors name subsets that a visible
 * DestinationRule defines; subsets select workloads that exist somewhere in the set; topology
 * labels in subsets name clusters and networks of the set; DestinationRules for one host agree
 * across the clusters of a mesh; weighted routes do not total 0. The facts come from the view
 * `src/model/views/istio-subsets.ts`.
 *
 * Upstream: istio/istio `pkg/config/analysis/analyzers/virtualservice/destinationrules.go`
 * (IST0101 ReferencedResourceNotFound, "Referenced host+subset in destinationrule not found"),
 * `analyzers/destinationrule` (IST0173, subsets selecting no pods), `pkg/config/validation`
 * `validateHTTPRouteDestinations` ("total destination weight = 0"), host resolution of
 * `pkg/config/analysis/analyzers/util` (`ConvertHostToFQDN`) and `exportTo` (`pkg/config/visibility`).
 */
export default defineRule({
  meta: {
    id: 'istio-subset-consistency',
    description: 'Istio subsets referenced by routes exist, select workloads, and agree across the clusters of a mesh',
    severity: 'error',
    docs: 'docs/rules/istio-subset-consistency.md',
    messages: {
      zeroWeight: {
        text: 'VirtualService "{{virtualService}}" {{route}} has {{count}} destinations whose weights total 0.',
        hint: 'Istio rejects the VirtualService ("total destination weight = 0"). Give the destinations weights (they are relative), or keep a single destination.',
      },
      subsetHidden: { text: NOT_FOUND, hint: `${HIDDEN}.` },
      subsetHiddenSelector: { text: NOT_FOUND, hint: `${HIDDEN} (a DestinationRule with a workloadSelector applies to those workloads only).` },
      subsetUndefined: { text: NOT_FOUND, hint: `${IST0101}The DestinationRules for this host define {{defined}}: add subset "{{subset}}" or fix the name.` },
      subsetElsewhere: { text: NOT_FOUND, hint: ELSEWHERE },
      subsetNoRule: { text: NOT_FOUND, hint: `${IST0101}No DestinationRule for host "{{fqdn}}" exists in cluster "{{cluster}}": add one defining subset "{{subset}}".` },
      unknownCluster: {
        text: `${SELECTS} cluster of the ClusterSet is called "{{value}}" (known: {{known}}).`,
        hint: `Istio sets this label on every endpoint from the cluster ID (global.multiCluster.clusterName), ${TOPOLOGY}`,
      },
      unknownNetwork: { text: `${SELECTS} network of the ClusterSet is called "{{value}}" (known: {{known}}).`, hint: `${BY_NETWORK}, ${TOPOLOGY}` },
      noNetworks: { text: `${SELECTS} cluster of the ClusterSet declares a network.`, hint: `${BY_NETWORK} and sets none when no cluster declares one, ${TOPOLOGY}` },
      noWorkload: { text: '{{rule}} subset "{{subset}}" selects {{labels}}, which no workload of host "{{host}}" carries in any cluster of the ClusterSet.', hint: NO_WORKLOAD },
      disagreement: { text: 'DestinationRules for host "{{host}}" define {{subsets}} in cluster "{{cluster}}" but {{refSubsets}} in cluster "{{refCluster}}".', hint: SPLIT },
    },
  },
  check({ set, run, report }) {
    const view = istioSubsets(set, run);
    // 1. Routes and mirrors: weights, and subsets defined by a visible DestinationRule.
    for (const c of set.clusters) {
      for (const vs of c.istioConfig.virtualServices) {
        const virtualService = () => namespacedName(vs.namespace, vs.name);
        for (const route of vs.routes) {
          const count = weightlessDestinations(route);
          if (count !== undefined) {
            const at = { file: route.source.file, doc: route.source.doc, path: [...route.source.path, 'route'] };
            report({ messageId: 'zeroWeight', data: { virtualService: virtualService(), route: `${route.protocol}[${route.index}]`, count }, at, cluster: c.name });
          }
          for (const d of route.destinations) {
            const missing = view.missingSubset(c, vs, d);
            if (!missing) continue;
            const [messageId, why, related] = whyMissing(missing, vs.namespace);
            const data = {
              virtualService: virtualService(),
              verb: d.role === 'mirror' ? 'mirrors to' : 'routes to',
              subset: missing.subset,
              host: d.host,
              cluster: c.name,
              ...why,
            };
            report({ messageId, data, at: d.subsetSource, cluster: c.name, related });
          }
        }
      }
    }
    // 2. Subsets naming no cluster or network, or selecting no workload (variants reported once).
    for (const p of view.subsetProblems) {
      const data = { rule: drLabel(p.drs[0]), subset: p.subset.name, variants: p.drs.length, variantsNote: variantsNote(p.drs) };
      const variants = p.drs.slice(1).map((d) => drPlace(d, `alternative ${drLabel(d)}`));
      const src = p.subset.labelsSource;
      if (isTopology(p)) {
        const at = { file: src.file, doc: src.doc, path: [...src.path, p.label] };
        report({ messageId: topologyId(p), data: { ...data, label: p.label, value: p.value, known: quoted(p.known) }, at, cluster: p.cluster.name, related: variants });
        continue;
      }
      const present = p.present.length > 0 ? p.present.join('; ') : 'none of these labels';
      const related = [...p.endpoints.slice(0, 3).map(endpointPlace), ...variants];
      report({
        messageId: 'noWorkload',
        data: { ...data, labels: labelsText(p.subset.labels), host: p.host, workloads: p.endpoints.length, present },
        at: src,
        cluster: p.cluster.name,
        severity: 'warn',
        related,
      });
    }
    // 3. DestinationRules for one host that disagree across the clusters of a mesh.
    for (const d of view.disagreements) {
      const dr = d.drs[0];
      const at = { file: dr.object.file, doc: dr.object.doc, path: [...dr.object.base, ...(dr.subsets.length > 0 ? ['spec', 'subsets'] : ['metadata', 'name'])] };
      const data = { host: d.host, cluster: d.cluster.name, refCluster: d.refCluster.name, subsets: subsetsText(d.subsets), refSubsets: subsetsText(d.refSubsets) };
      const related = [{ ...drPlace(d.refDrs[0], `${drLabel(d.refDrs[0])} in cluster "${d.refCluster.name}"`), otherSide: true as const }];
      // The text names both clusters: it reads the same at the reference cluster's DestinationRule.
      const mirror = { relatedMessage: `${drLabel(dr)} in cluster "${d.cluster.name}"` };
      report({ messageId: 'disagreement', data, at, cluster: d.cluster.name, severity: 'warn', related, mirror });
    }
  },
});
