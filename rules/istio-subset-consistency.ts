import { ISTIO_TOPOLOGY_LABELS, configNetworks, defineRule, displayPath, fieldPlace, hostMatches, isVisible, istioClusterName, istioView, normalizeHost, selects, serviceOfHost, workloadsByNamespace, type ClusterModel, type ClusterSetModel, type DestinationRuleFacts, type IstioView, type RelatedPlace, type Report, type SubsetFacts, type WorkloadEntryFacts, type WorkloadFacts } from './kit.js';

/** `DestinationRule "ns/name"` (or without namespace). */
const drLabel = (dr: DestinationRuleFacts) => `DestinationRule "${dr.namespace === undefined ? dr.name : `${dr.namespace}/${dr.name}`}"`;
const objLabel = (kind: string, ns: string | undefined, name: string) => `${kind} "${ns === undefined ? name : `${ns}/${name}`}"`;
const labelsText = (labels: Readonly<Record<string, string>>) =>
  Object.keys(labels).length === 0 ? '{}' : Object.entries(labels).map(([k, v]) => `${k}=${v}`).join(', ');
const drPlace = (dr: DestinationRuleFacts, message: string): RelatedPlace => ({
  file: dr.object.file,
  doc: dr.object.doc,
  path: [...dr.object.base, 'metadata', 'name'],
  cluster: dr.cluster,
  message,
});

/** DestinationRules of one cluster by normalized host, plus the wildcard ones. */
interface HostIndex {
  readonly exact: Map<string, DestinationRuleFacts[]>;
  readonly wildcard: { readonly host: string; readonly dr: DestinationRuleFacts }[];
}

const NONE: readonly DestinationRuleFacts[] = [];

/** @param hosts the normalized host of each of `c`'s DestinationRules, by index */
function hostIndex(c: ClusterModel, hosts: readonly (string | undefined)[]): HostIndex {
  const exact = new Map<string, DestinationRuleFacts[]>();
  const wildcard: HostIndex['wildcard'] = [];
  const drs = c.istioConfig.destinationRules;
  for (let i = 0; i < drs.length; i++) {
    const dr = drs[i];
    const host = hosts[i];
    if (host === undefined) continue;
    if (host.includes('*')) wildcard.push({ host, dr });
    else {
      const list = exact.get(host);
      if (list) list.push(dr);
      else exact.set(host, [dr]);
    }
  }
  return { exact, wildcard };
}

function rulesFor(index: HostIndex, host: string): readonly DestinationRuleFacts[] {
  const exact = index.exact.get(host) ?? NONE;
  if (index.wildcard.length === 0) return exact;
  const wild = index.wildcard.filter((w) => hostMatches(w.host, host)).map((w) => w.dr);
  return wild.length === 0 ? exact : [...exact, ...wild];
}

/** The values Istio may give its own topology labels on endpoints of cluster `c`. */
function addedLabels(c: ClusterModel, view: IstioView): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  const add = (k: string, v: string | undefined) => {
    if (v === undefined) return;
    if (!out.has(k)) out.set(k, new Set());
    out.get(k)!.add(v);
  };
  add(ISTIO_TOPOLOGY_LABELS.cluster, istioClusterName(c));
  for (const n of view.networksOf.get(c) ?? []) add(ISTIO_TOPOLOGY_LABELS.network, n.value);
  for (const { value } of c.topology.localities) {
    add(ISTIO_TOPOLOGY_LABELS.region, value.region);
    add(ISTIO_TOPOLOGY_LABELS.zone, value.zone);
    add(ISTIO_TOPOLOGY_LABELS.subzone, value.subzone);
  }
  return out;
}

/** Endpoints a host's subsets choose from: pod templates and WorkloadEntries, with their cluster. */
interface Endpoint {
  readonly cluster: ClusterModel;
  readonly labels: Readonly<Record<string, string>>;
  readonly what: WorkloadFacts | WorkloadEntryFacts;
}

/**
 * The endpoints of a Kubernetes Service host in every cluster of the set: workloads and
 * WorkloadEntries of the Service's namespace that its selector selects. Empty when no Service
 * with a selector is known (then the repository does not show the endpoints).
 */
function serviceEndpoints(set: ClusterSetModel, host: string, domain: string): Endpoint[] {
  // A short name that stayed short: its resource's namespace is chosen at apply time ('').
  const svc = serviceOfHost(host, domain) ?? (host.includes('.') || host.includes('*') ? undefined : { name: host, namespace: '' });
  if (!svc) return [];
  const selectors = (set.servicesByName.get(svc.name) ?? []).filter((s) => (s.namespace === undefined || s.namespace === svc.namespace) && s.selector && Object.keys(s.selector).length > 0);
  if (selectors.length === 0) return [];
  const out: Endpoint[] = [];
  const index = workloadsByLabel(set);
  // The workloads found so far, once a second selector may find them again.
  let seen: Set<WorkloadFacts | WorkloadEntryFacts> | undefined;
  const done: Readonly<Record<string, string>>[] = [];
  for (const s of selectors) {
    const sel = s.selector!;
    // Services of one name in several clusters usually share their selector: look it up once.
    if (done.some((d) => selects(d, sel) && selects(sel, d))) continue;
    if (done.length > 0) seen ??= new Set(out.map((e) => e.what));
    done.push(sel);
    let k = '';
    for (const key in sel) {
      k = key;
      break;
    }
    // The index lists a workload once per label, under its own namespace only.
    for (const ns of svc.namespace === '' ? [''] : [svc.namespace, '']) {
      for (const w of index.get(ns)?.get(k)?.get(sel[k]) ?? []) {
        if (!selects(sel, w.labels)) continue;
        if (seen) {
          if (seen.has(w)) continue;
          seen.add(w);
        }
        out.push({ cluster: set.clusterByName.get(w.cluster)!, labels: w.labels, what: w });
      }
    }
  }
  for (const c of set.clusters) {
    for (const we of c.istioConfig.workloadEntries) {
      if ((we.namespace === undefined || we.namespace === svc.namespace) && selectors.some((s) => selects(s.selector!, we.labels))) out.push({ cluster: c, labels: we.labels, what: we });
    }
  }
  return out;
}

function selectsEndpoint(subset: SubsetFacts, e: Endpoint, added: Map<string, Set<string>>): boolean {
  for (const k in subset.labels) {
    const v = subset.labels[k];
    if (e.labels[k] === v) continue;
    if (added.get(k)?.has(v)) continue;
    return false;
  }
  return true;
}

/** Workloads by namespace ('' when left to apply time), label key and value; memoised per set. */
type LabelIndex = Map<string, Map<string, Map<string, WorkloadFacts[]>>>;
const labelIndexes = new WeakMap<ClusterSetModel, LabelIndex>();
function workloadsByLabel(set: ClusterSetModel): LabelIndex {
  let index = labelIndexes.get(set);
  if (!index) {
    index = new Map();
    for (const [ns, list] of workloadsByNamespace(set)) {
      const keys = new Map<string, Map<string, WorkloadFacts[]>>();
      index.set(ns, keys);
      for (const w of list) {
        for (const k in w.labels) {
          let values = keys.get(k);
          if (!values) keys.set(k, (values = new Map()));
          const v = w.labels[k];
          const l = values.get(v);
          if (l) l.push(w);
          else values.set(v, [w]);
        }
      }
    }
    labelIndexes.set(set, index);
  }
  return index;
}

/**
 * A subset's defining signature, for comparing clusters and grouping tutorial variants:
 * `name\0key=value\0...` with keys sorted. Memoised per subset.
 */
const signatures = new WeakMap<SubsetFacts, string>();

/** The topology labels whose values must name a cluster / network of the set. */
const TOPOLOGY_KEYS = [ISTIO_TOPOLOGY_LABELS.cluster, ISTIO_TOPOLOGY_LABELS.network] as const;
function signature(s: SubsetFacts): string {
  let sig = signatures.get(s);
  if (sig === undefined) {
    const keys = Object.keys(s.labels);
    if (keys.length > 1) keys.sort();
    sig = s.name;
    for (const k of keys) sig += `\0${k}=${s.labels[k]}`;
    signatures.set(s, sig);
  }
  return sig;
}

/** The sorted signatures of a DestinationRule's subsets; memoised. */
const drSignatures = new WeakMap<DestinationRuleFacts, string[]>();
function drSignature(dr: DestinationRuleFacts): string[] {
  let sig = drSignatures.get(dr);
  if (!sig) drSignatures.set(dr, (sig = dr.subsets.map(signature).sort()));
  return sig;
}

/** True when two DestinationRules define the same subsets in the same order (a cheap check before signatures). */
function sameSubsets(a: DestinationRuleFacts, b: DestinationRuleFacts): boolean {
  if (a.subsets.length !== b.subsets.length) return false;
  for (let i = 0; i < a.subsets.length; i++) {
    const x = a.subsets[i];
    const y = b.subsets[i];
    // Equal label maps: each selects the other.
    if (x.name !== y.name || !selects(x.labels, y.labels) || !selects(y.labels, x.labels)) return false;
  }
  return true;
}

/** Whether a DestinationRule of `all` usable from namespace `from` defines `subset` (no workloadSelector, visible by exportTo). */
function definesSubset(all: readonly DestinationRuleFacts[], subset: string, from: string | undefined): boolean {
  for (const dr of all) {
    if (dr.workloadSelector || !isVisible(dr.exportTo, dr.namespace, from)) continue;
    for (const s of dr.subsets) if (s.name === subset) return true;
  }
  return false;
}

/** The tail of a subset message when alternative DestinationRules (tutorial variants) define it too. */
function variantsText(drs: readonly DestinationRuleFacts[]): string {
  return drs.length > 1 ? `; reported once for the ${drs.length} alternative DestinationRules of this host that define the same subset (${[...new Set(drs.map((d) => displayPath(d.object.file)))].join(', ')})` : '';
}

/** The alternative DestinationRules of a subset message, as related places. */
function variantPlaces(drs: readonly DestinationRuleFacts[]): RelatedPlace[] {
  return drs.slice(1).map((d) => drPlace(d, `alternative ${drLabel(d)}`));
}

/** `"v1" (version=v1)` from a signature. */
function describeSignature(sig: string): string {
  const [name, ...labels] = sig.split('\0');
  return `"${name}" (${labels.length === 0 ? '{}' : labels.join(', ')})`;
}

/**
 * `istio-subset-consistency`: VirtualService routes and mirrors name subsets that a visible
 * DestinationRule defines; subsets select workloads that exist somewhere in the set; topology
 * labels in subsets name clusters and networks of the set; DestinationRules for one host agree
 * across the clusters of a mesh; weighted routes do not total 0.
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
  },
  check({ set, run, report }) {
    const domain = run.config.clusterDomain;
    const view = istioView(set, configNetworks(run.config));
    // Each cluster's DestinationRule hosts, normalized, by DestinationRule index (arrays, not a
    // map keyed by 20,000 objects).
    const hostsOf = new Map(set.clusters.map((c) => [c, c.istioConfig.destinationRules.map((dr) => dr.host && normalizeHost(dr.host.value, dr.namespace, domain))]));
    const indexes = new Map(set.clusters.map((c) => [c, hostIndex(c, hostsOf.get(c)!)]));
    const addedByCluster = new Map(set.clusters.map((c) => [c, addedLabels(c, view)]));

    // 1. Routes and mirrors: weights, and subsets defined by a visible DestinationRule.
    for (const c of set.clusters) {
      const index = indexes.get(c)!;
      for (const vs of c.istioConfig.virtualServices) {
        for (const route of vs.routes) {
          let weighted = 0;
          let weightless = 0;
          for (const d of route.destinations) {
            if (d.role !== 'route') continue;
            weighted++;
            if ((d.weight ?? 0) === 0) weightless++;
          }
          if (weighted > 1 && weightless === weighted) {
            report({
              message:
                `${objLabel('VirtualService', vs.namespace, vs.name)} ${route.protocol}[${route.index}] has ${weighted} destinations whose weights total 0: Istio rejects the VirtualService ("total destination weight = 0"). ` +
                `Give the destinations weights (they are relative), or keep a single destination.`,
              at: { file: route.source.file, doc: route.source.doc, path: [...route.source.path, 'route'] },
              cluster: c.name,
            });
          }
          for (const d of route.destinations) {
            if (d.subset === undefined) continue;
            const host = normalizeHost(d.host, vs.namespace, domain);
            const all = rulesFor(index, host);
            if (definesSubset(all, d.subset, vs.namespace)) continue;
            const usable = (dr: DestinationRuleFacts) => !dr.workloadSelector && isVisible(dr.exportTo, dr.namespace, vs.namespace);
            const visible = all.filter(usable);
            const related: RelatedPlace[] = [];
            let hint: string;
            const hidden = all.filter((dr) => !visible.includes(dr) && dr.subsets.some((s) => s.name === d.subset));
            const elsewhere = set.clusters
              .filter((o) => o !== c)
              .flatMap((o) => rulesFor(indexes.get(o)!, host).filter((dr) => dr.subsets.some((s) => s.name === d.subset)));
            if (hidden.length > 0) {
              hint = `${drLabel(hidden[0])} defines it, but its exportTo (${(hidden[0].exportTo ?? []).join(', ') || 'workloadSelector'}) hides it from namespace "${vs.namespace ?? '(apply time)'}"${hidden[0].workloadSelector ? ' (a DestinationRule with a workloadSelector applies to those workloads only)' : ''}.`;
              related.push(...hidden.map((dr) => drPlace(dr, `${drLabel(dr)} defines subset "${d.subset}"`)));
            } else if (visible.length > 0) {
              const names = [...new Set(visible.flatMap((dr) => dr.subsets.map((s) => s.name)))];
              hint = `The DestinationRules for this host define ${names.length === 0 ? 'no subsets' : `subsets ${names.map((n) => `"${n}"`).join(', ')}`}: add subset "${d.subset}" or fix the name.`;
              related.push(...visible.map((dr) => drPlace(dr, `${drLabel(dr)} for host "${dr.host!.value}"`)));
            } else if (elsewhere.length > 0) {
              const clusters = [...new Set(elsewhere.map((dr) => `"${dr.cluster}"`))].join(', ');
              hint = `Only cluster ${clusters} has a DestinationRule defining it: each cluster's istiod reads its own cluster's configuration, so apply the DestinationRule in cluster "${c.name}" too.`;
              related.push(...elsewhere.map((dr) => drPlace(dr, `${drLabel(dr)} in cluster "${dr.cluster}"`)));
            } else {
              hint = `No DestinationRule for host "${host}" exists in cluster "${c.name}": add one defining subset "${d.subset}".`;
            }
            report({
              message:
                `${objLabel('VirtualService', vs.namespace, vs.name)} ${d.role === 'mirror' ? 'mirrors to' : 'routes to'} subset "${d.subset}" of host "${d.host}", which no DestinationRule visible to it defines in cluster "${c.name}" ` +
                `(Istio IST0101: Referenced host+subset in destinationrule not found: "${d.host}+${d.subset}"); Envoy has no cluster for it and answers 503. ${hint}`,
              at: d.subsetSource,
              cluster: c.name,
              related,
            });
          }
        }
      }
    }

    // 2. Subsets: topology labels naming nothing, and labels selecting no workload. Identical
    //    subsets of alternative DestinationRules for one host (tutorial variants) report once.
    // Per cluster and host, subsets by signature (nested maps: keys are strings already hashed).
    const endpointsByHost = new Map<string, Endpoint[]>();
    const checkSubset = (c: ClusterModel, host: string, subset: SubsetFacts, drs: readonly DestinationRuleFacts[]): void => {
      const dr = drs[0];
      let topologyProblem = false;
      for (const k of TOPOLOGY_KEYS) {
        const v = subset.labels[k];
        if (v === undefined) continue;
        const isCluster = k === ISTIO_TOPOLOGY_LABELS.cluster;
        const isNetwork = !isCluster;
        if ((isCluster ? view.clusterNames : view.networks).has(v)) continue;
        topologyProblem = true;
        const known = [...(isCluster ? view.clusterNames : view.networks)].sort();
        report({
          message:
            `${drLabel(dr)} subset "${subset.name}" selects ${k}=${v}, but no ${isCluster ? 'cluster' : 'network'} of the ClusterSet is called "${v}"` +
            `${known.length > 0 ? ` (known: ${known.map((n) => `"${n}"`).join(', ')})` : isNetwork ? ' (no cluster declares a network: Istio then sets no network label)' : ''}: ` +
            `Istio sets this label on every endpoint from the ${isCluster ? 'cluster ID (global.multiCluster.clusterName)' : 'network (global.network, topology.istio.io/network)'}, so the subset selects no endpoint and its traffic fails with 503${variantsText(drs)}.`,
          at: { file: subset.labelsSource.file, doc: subset.labelsSource.doc, path: [...subset.labelsSource.path, k] },
          cluster: c.name,
          related: variantPlaces(drs),
        });
      }
      if (topologyProblem) return;
      let empty = true;
      for (const _ in subset.labels) {
        empty = false;
        break;
      }
      if (empty) return;
      let endpoints = endpointsByHost.get(host);
      if (!endpoints) endpointsByHost.set(host, (endpoints = serviceEndpoints(set, host, domain)));
      if (endpoints.length === 0) return;
      for (const e of endpoints) if (selectsEndpoint(subset, e, addedByCluster.get(e.cluster)!)) return;
      const keys = Object.keys(subset.labels);
      const present = [...new Set(endpoints.map((e) => labelsText(Object.fromEntries(keys.filter((k) => e.labels[k] !== undefined).map((k) => [k, e.labels[k]])))))].filter((t) => t !== '{}');
      report({
        message:
          `${drLabel(dr)} subset "${subset.name}" selects ${labelsText(subset.labels)}, which no workload of host "${host}" carries in any cluster of the ClusterSet ` +
          `(its ${endpoints.length === 1 ? 'workload carries' : `${endpoints.length} workloads carry`} ${present.length > 0 ? present.join('; ') : 'none of these labels'}): ` +
          `traffic routed to the subset finds no healthy upstream and fails with 503 UH (Istio IST0173 checks one cluster's Pods; this checks every cluster's pod templates)${variantsText(drs)}. ` +
          `Fix the labels, or deploy the workload.`,
        at: subset.labelsSource,
        cluster: c.name,
        severity: 'warn',
        related: [
          ...endpoints.slice(0, 3).map(
            (e): RelatedPlace => ({ ...fieldPlace(e.what.object, 'metadata', 'name'), cluster: e.cluster.name, message: `${e.what.object.kind} "${e.what.name}" in cluster "${e.cluster.name}"` }),
          ),
          ...variantPlaces(drs),
        ],
      });
    };
    for (const c of set.clusters) {
      // Per host, subsets by signature (nested maps: keys are strings already hashed).
      const byHost = new Map<string, Map<string, { subset: SubsetFacts; drs: DestinationRuleFacts[] }>>();
      const exact = indexes.get(c)!.exact;
      const drs = c.istioConfig.destinationRules;
      const hosts = hostsOf.get(c)!;
      for (let i = 0; i < drs.length; i++) {
        const dr = drs[i];
        const host = hosts[i];
        if (host === undefined) continue;
        if (exact.get(host)?.length === 1) {
          // The host's only DestinationRule in this cluster: nothing to group.
          for (const subset of dr.subsets) checkSubset(c, host, subset, [dr]);
          continue;
        }
        let bySig = byHost.get(host);
        if (!bySig) byHost.set(host, (bySig = new Map()));
        for (const subset of dr.subsets) {
          const sig = signature(subset);
          const earlier = bySig.get(sig);
          if (earlier) earlier.drs.push(dr);
          else bySig.set(sig, { subset, drs: [dr] });
        }
      }
      for (const [host, bySig] of byHost) for (const { subset, drs } of bySig.values()) checkSubset(c, host, subset, drs);
    }

    // 3. DestinationRules for one host that disagree across the clusters of a mesh.
    for (const mesh of view.meshes) {
      if (mesh.clusters.length < 2) continue;
      // namespace → host → [cluster, DestinationRules] in cluster name order (clusters are
      // visited in that order, so a host's last entry is the current cluster's, if any).
      const byHost = new Map<string, Map<string, [ClusterModel, DestinationRuleFacts[]][]>>();
      for (const c of [...mesh.clusters].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
        const drs = c.istioConfig.destinationRules;
        const drHosts = hostsOf.get(c)!;
        for (let i = 0; i < drs.length; i++) {
          const dr = drs[i];
          const host = drHosts[i];
          if (host === undefined || dr.workloadSelector) continue;
          const ns = dr.namespace ?? '';
          let hosts = byHost.get(ns);
          if (!hosts) byHost.set(ns, (hosts = new Map()));
          let per = hosts.get(host);
          if (!per) hosts.set(host, (per = []));
          const last = per[per.length - 1];
          if (last && last[0] === c) last[1].push(dr);
          else per.push([c, [dr]]);
        }
      }
      for (const [host, per] of [...byHost.values()].flatMap((h) => [...h])) {
        if (per.length < 2) continue;
        const sig = (drs: DestinationRuleFacts[]) => (drs.length === 1 ? drSignature(drs[0]) : [...new Set(drs.flatMap((d) => drSignature(d)))].sort());
        const [refCluster, refDrs] = per[0];
        let refSig: string[] | undefined;
        for (let i = 1; i < per.length; i++) {
          const [c, drs] = per[i];
          if (drs.length === 1 && refDrs.length === 1 && sameSubsets(drs[0], refDrs[0])) continue;
          const ref = (refSig ??= sig(refDrs));
          const s = sig(drs);
          if (s.length === ref.length && s.every((x, i) => x === ref[i])) continue;
          const describe = (list: string[]) => (list.length === 0 ? 'no subsets' : `subsets ${list.map(describeSignature).join(', ')}`);
          const r: Report = {
            message:
              `DestinationRules for host "${host}" in cluster "${c.name}" define ${describe(s)}, but in cluster "${refCluster.name}" ${describe(ref)}: ` +
              `in a multi-primary mesh each istiod applies its own cluster's DestinationRules, so the same request is split differently depending on the client's cluster. ` +
              `Apply the same DestinationRule in every cluster of the mesh.`,
            at: { file: drs[0].object.file, doc: drs[0].object.doc, path: [...drs[0].object.base, ...(drs[0].subsets.length > 0 ? ['spec', 'subsets'] : ['metadata', 'name'])] },
            cluster: c.name,
            severity: 'warn',
            related: [drPlace(refDrs[0], `${drLabel(refDrs[0])} in cluster "${refCluster.name}"`)],
          };
          report(r);
        }
      }
    }
  },
});
