/**
 * The Istio subset view of a ClusterSet, for `istio-subset-consistency`: each cluster's
 * DestinationRules by normalized host, the subsets routes name that no visible DestinationRule
 * defines, subsets whose labels name no cluster or network or select no workload of their host,
 * and DestinationRules of one host that disagree across the clusters of a mesh.
 *
 * Upstream behaviour mirrored: istio/istio `pkg/config/analysis/analyzers/virtualservice/destinationrules.go`
 * (IST0101, a route's host+subset must be defined by a DestinationRule), `analyzers/destinationrule`
 * (IST0173, subsets selecting no pods), `pkg/config/validation` `validateHTTPRouteDestinations`
 * ("total destination weight = 0"), host resolution of `pkg/config/analysis/analyzers/util`
 * (`ConvertHostToFQDN`, here `normalizeHost`), `exportTo` of `pkg/config/visibility` (`isVisible`),
 * and the topology labels Istio adds to every endpoint (istio.io/api `label`).
 *
 * Built lazily, part by part, once per ClusterSet and run (see `istioSubsets`).
 */
import {
  ISTIO_TOPOLOGY_LABELS,
  hostMatches,
  isVisible,
  istioClusterName,
  istioView,
  normalizeHost,
  selects,
  serviceOfHost,
  workloadsByNamespace,
  type IstioView,
} from '../istio.js';
import type {
  ClusterModel,
  ClusterSetModel,
  DestinationRuleFacts,
  RouteDestinationFacts,
  RouteFacts,
  RunModel,
  SubsetFacts,
  VirtualServiceFacts,
  WorkloadEntryFacts,
  WorkloadFacts,
} from '../types.js';
import { viewKey, viewOf } from './cache.js';
import { byName } from '../../base/order.js';

/** An endpoint a host's subsets choose from: a pod template or a WorkloadEntry, with its cluster. */
export interface SubsetEndpoint {
  readonly cluster: ClusterModel;
  readonly labels: Readonly<Record<string, string>>;
  readonly what: WorkloadFacts | WorkloadEntryFacts;
}

/** Why a route's subset is not found in its cluster: the DestinationRules that explain it. */
export interface MissingSubset {
  /** The destination host, normalized (`normalizeHost`). */
  readonly host: string;
  readonly subset: string;
  /** DestinationRules of the host that define the subset but are hidden from the route's namespace (exportTo, workloadSelector). */
  readonly hidden: readonly DestinationRuleFacts[];
  /** DestinationRules of the host usable from the route's namespace (none defines the subset). */
  readonly visible: readonly DestinationRuleFacts[];
  /** DestinationRules of the host in the other clusters of the set that define the subset. */
  readonly elsewhere: readonly DestinationRuleFacts[];
}

/**
 * A subset of a cluster's DestinationRules for one host; `drs` are the alternative
 * DestinationRules (tutorial variants) that define the same subset, the first reported.
 */
export interface SubsetAt {
  readonly cluster: ClusterModel;
  /** The normalized host. */
  readonly host: string;
  readonly subset: SubsetFacts;
  readonly drs: readonly DestinationRuleFacts[];
}

/** A subset label `topology.istio.io/cluster|network` whose value names no cluster / network of the set. */
export interface UnknownTopology extends SubsetAt {
  readonly kind: 'cluster' | 'network';
  /** The label key. */
  readonly label: string;
  readonly value: string;
  /** The cluster names (or networks) of the set, sorted. */
  readonly known: readonly string[];
}

/** A subset whose labels no endpoint of its host carries in any cluster. */
export interface UnselectedSubset extends SubsetAt {
  /** The host's endpoints (at least one). */
  readonly endpoints: readonly SubsetEndpoint[];
  /** The distinct values the endpoints have for the subset's label keys (`labelsText`), none empty. */
  readonly present: readonly string[];
}

/** A subset as compared across clusters: its name and its `key=value` labels, sorted by key. */
export interface SubsetSignature {
  readonly name: string;
  readonly labels: readonly string[];
}

/** DestinationRules for one host whose subsets in `cluster` differ from those in `refCluster` (same mesh). */
export interface SubsetDisagreement {
  readonly host: string;
  readonly cluster: ClusterModel;
  readonly drs: readonly DestinationRuleFacts[];
  readonly refCluster: ClusterModel;
  readonly refDrs: readonly DestinationRuleFacts[];
  /** The subsets of `drs` (of all of them, distinct), sorted. */
  readonly subsets: readonly SubsetSignature[];
  readonly refSubsets: readonly SubsetSignature[];
}

/** The Istio subset view of a set for one run (see `istioSubsets`). */
export interface IstioSubsetsView {
  readonly istio: IstioView;
  /**
   * Why destination `d` of VirtualService `vs` in cluster `c` names a subset that no
   * DestinationRule usable from `vs`'s namespace defines, or undefined when one does (or `d`
   * names no subset).
   */
  missingSubset(c: ClusterModel, vs: VirtualServiceFacts, d: RouteDestinationFacts): MissingSubset | undefined;
  /**
   * Subsets of every cluster's DestinationRules that name an unknown cluster/network or select
   * no endpoint of their host, cluster by cluster (a host's only DestinationRule in DestinationRule
   * order, then grouped variants). A subset with an unknown topology label is not checked against
   * endpoints; one selecting every endpoint (no labels), or of a host whose endpoints the
   * repository does not show, is not reported.
   */
  readonly subsetProblems: readonly (UnknownTopology | UnselectedSubset)[];
  /** DestinationRules (without workloadSelector) for one namespace's host that disagree across the clusters of a mesh, against the first cluster by name. */
  readonly disagreements: readonly SubsetDisagreement[];
}

/** `key=value, …` (or `{}`) for a label map. */
export function labelsText(labels: Readonly<Record<string, string>>): string {
  return Object.keys(labels).length === 0
    ? '{}'
    : Object.entries(labels)
        .map(([k, v]) => `${k}=${v}`)
        .join(', ');
}

/**
 * The number of route destinations of `route` when it has several and their weights total 0
 * (Istio rejects it: `validateHTTPRouteDestinations`, "total destination weight = 0"), else undefined.
 */
export function weightlessDestinations(route: RouteFacts): number | undefined {
  let weighted = 0;
  let weightless = 0;
  for (const d of route.destinations) {
    if (d.role !== 'route') continue;
    weighted++;
    if ((d.weight ?? 0) === 0) weightless++;
  }
  return weighted > 1 && weightless === weighted ? weighted : undefined;
}

/** True when `dr` may be used for a host from namespace `from`: no workloadSelector, visible by exportTo. */
const usableFrom = (dr: DestinationRuleFacts, from: string | undefined) => !dr.workloadSelector && isVisible(dr.exportTo, dr.namespace, from);

const ISTIO_SUBSETS = viewKey<IstioSubsetsView>('istio subsets');

/**
 * The Istio subset view of `set` in `run` (cluster domain and config networks from `run.config`),
 * built once per set and run; each part is built on first use.
 */
export function istioSubsets(set: ClusterSetModel, run: RunModel): IstioSubsetsView {
  return viewOf(set, ISTIO_SUBSETS, () => new SubsetsView(set, run.config.clusterDomain, istioView(set)));
}

/** DestinationRules of one cluster by normalized host, plus the wildcard ones. */
interface HostIndex {
  /** The normalized host of each DestinationRule, by index (arrays, not a map keyed by 20,000 objects). */
  readonly hosts: readonly (string | undefined)[];
  readonly exact: Map<string, DestinationRuleFacts[]>;
  readonly wildcard: { readonly host: string; readonly dr: DestinationRuleFacts }[];
}

/** Workloads by namespace ('' when left to apply time), label key and value. */
type LabelIndex = Map<string, Map<string, Map<string, WorkloadFacts[]>>>;

const NONE: readonly DestinationRuleFacts[] = [];
const TOPOLOGY_KEYS = [ISTIO_TOPOLOGY_LABELS.cluster, ISTIO_TOPOLOGY_LABELS.network] as const;

class SubsetsView implements IstioSubsetsView {
  readonly #indexes = new Map<ClusterModel, HostIndex>();
  readonly #added = new Map<ClusterModel, Map<string, Set<string>>>();
  readonly #endpoints = new Map<string, SubsetEndpoint[]>();
  readonly #signatures = new Map<SubsetFacts, string>();
  readonly #drSignatures = new Map<DestinationRuleFacts, string[]>();
  #labelIndex: LabelIndex | undefined;
  #subsetProblems: (UnknownTopology | UnselectedSubset)[] | undefined;
  #disagreements: SubsetDisagreement[] | undefined;

  constructor(
    readonly set: ClusterSetModel,
    readonly domain: string,
    readonly istio: IstioView,
  ) {}

  #index(c: ClusterModel): HostIndex {
    let index = this.#indexes.get(c);
    if (index) return index;
    const drs = c.istioConfig.destinationRules;
    const hosts = drs.map((dr) => dr.host && normalizeHost(dr.host.value, dr.namespace, this.domain));
    const exact = new Map<string, DestinationRuleFacts[]>();
    const wildcard: HostIndex['wildcard'] = [];
    for (let i = 0; i < drs.length; i++) {
      const host = hosts[i];
      if (host === undefined) continue;
      if (host.includes('*')) wildcard.push({ host, dr: drs[i] });
      else {
        const list = exact.get(host);
        if (list) list.push(drs[i]);
        else exact.set(host, [drs[i]]);
      }
    }
    this.#indexes.set(c, (index = { hosts, exact, wildcard }));
    return index;
  }

  /** `c`'s DestinationRules for a normalized host: exact ones, then matching wildcard ones. */
  #rulesFor(c: ClusterModel, host: string): readonly DestinationRuleFacts[] {
    const index = this.#index(c);
    const exact = index.exact.get(host) ?? NONE;
    if (index.wildcard.length === 0) return exact;
    const wild = index.wildcard.filter((w) => hostMatches(w.host, host)).map((w) => w.dr);
    return wild.length === 0 ? exact : [...exact, ...wild];
  }

  missingSubset(c: ClusterModel, vs: VirtualServiceFacts, d: RouteDestinationFacts): MissingSubset | undefined {
    const subset = d.subset;
    if (subset === undefined) return undefined;
    const host = normalizeHost(d.host, vs.namespace, this.domain);
    const all = this.#rulesFor(c, host);
    for (const dr of all) if (usableFrom(dr, vs.namespace) && dr.subsets.some((s) => s.name === subset)) return undefined;
    const visible = all.filter((dr) => usableFrom(dr, vs.namespace));
    const hidden = all.filter((dr) => !visible.includes(dr) && dr.subsets.some((s) => s.name === subset));
    const elsewhere = this.set.clusters.filter((o) => o !== c).flatMap((o) => this.#rulesFor(o, host).filter((dr) => dr.subsets.some((s) => s.name === subset)));
    return { host, subset, hidden, visible, elsewhere };
  }

  get subsetProblems(): readonly (UnknownTopology | UnselectedSubset)[] {
    if (this.#subsetProblems) return this.#subsetProblems;
    const out: (UnknownTopology | UnselectedSubset)[] = [];
    for (const c of this.set.clusters) {
      // Per host, subsets by signature (nested maps: keys are strings already hashed).
      const byHost = new Map<string, Map<string, { subset: SubsetFacts; drs: DestinationRuleFacts[] }>>();
      const { hosts, exact } = this.#index(c);
      const drs = c.istioConfig.destinationRules;
      for (let i = 0; i < drs.length; i++) {
        const dr = drs[i];
        const host = hosts[i];
        if (host === undefined) continue;
        if (exact.get(host)?.length === 1) {
          // The host's only DestinationRule in this cluster: nothing to group.
          for (const subset of dr.subsets) this.#checkSubset(out, { cluster: c, host, subset, drs: [dr] });
          continue;
        }
        let bySig = byHost.get(host);
        if (!bySig) byHost.set(host, (bySig = new Map<string, { subset: SubsetFacts; drs: DestinationRuleFacts[] }>()));
        for (const subset of dr.subsets) {
          const sig = this.#signature(subset);
          const earlier = bySig.get(sig);
          if (earlier) earlier.drs.push(dr);
          else bySig.set(sig, { subset, drs: [dr] });
        }
      }
      for (const [host, bySig] of byHost) for (const { subset, drs } of bySig.values()) this.#checkSubset(out, { cluster: c, host, subset, drs });
    }
    return (this.#subsetProblems = oncePerSource(out));
  }

  #checkSubset(out: (UnknownTopology | UnselectedSubset)[], at: SubsetAt): void {
    const { subset, host } = at;
    let topologyProblem = false;
    for (const label of TOPOLOGY_KEYS) {
      const value = subset.labels[label];
      if (value === undefined) continue;
      const kind = label === ISTIO_TOPOLOGY_LABELS.cluster ? 'cluster' : 'network';
      const names = kind === 'cluster' ? this.istio.clusterNames : this.istio.networks;
      if (names.has(value)) continue;
      topologyProblem = true;
      out.push({ ...at, kind, label, value, known: [...names].sort() });
    }
    if (topologyProblem || isEmpty(subset.labels)) return;
    let endpoints = this.#endpoints.get(host);
    if (!endpoints) this.#endpoints.set(host, (endpoints = this.#serviceEndpoints(host)));
    if (endpoints.length === 0) return;
    for (const e of endpoints) if (this.#selectsEndpoint(subset, e)) return;
    const keys = Object.keys(subset.labels);
    const present = [...new Set(endpoints.map((e) => labelsText(Object.fromEntries(keys.filter((k) => e.labels[k] !== undefined).map((k) => [k, e.labels[k]])))))].filter(
      (t) => t !== '{}',
    );
    out.push({ ...at, endpoints, present });
  }

  /** The values Istio may give its own topology labels on endpoints of cluster `c`. */
  #addedLabels(c: ClusterModel): Map<string, Set<string>> {
    const known = this.#added.get(c);
    if (known) return known;
    const added = new Map<string, Set<string>>();
    const add = (k: string, v: string | undefined) => {
      if (v === undefined) return;
      let values = added.get(k);
      if (!values) added.set(k, (values = new Set()));
      values.add(v);
    };
    add(ISTIO_TOPOLOGY_LABELS.cluster, istioClusterName(c));
    for (const n of this.istio.networksOf.get(c) ?? []) add(ISTIO_TOPOLOGY_LABELS.network, n.value);
    for (const { value } of c.topology.localities) {
      add(ISTIO_TOPOLOGY_LABELS.region, value.region);
      add(ISTIO_TOPOLOGY_LABELS.zone, value.zone);
      add(ISTIO_TOPOLOGY_LABELS.subzone, value.subzone);
    }
    this.#added.set(c, added);
    return added;
  }

  #selectsEndpoint(subset: SubsetFacts, e: SubsetEndpoint): boolean {
    const added = this.#addedLabels(e.cluster);
    for (const k in subset.labels) {
      const v = subset.labels[k];
      if (e.labels[k] === v) continue;
      if (added.get(k)?.has(v)) continue;
      return false;
    }
    return true;
  }

  /**
   * The endpoints of a Kubernetes Service host in every cluster of the set: workloads and
   * WorkloadEntries of the Service's namespace that its selector selects. Empty when no Service
   * with a selector is known (then the repository does not show the endpoints).
   */
  #serviceEndpoints(host: string): SubsetEndpoint[] {
    const { set } = this;
    // A short name that stayed short: its resource's namespace is chosen at apply time ('').
    const svc = serviceOfHost(host, this.domain) ?? (host.includes('.') || host.includes('*') ? undefined : { name: host, namespace: '' });
    if (!svc) return [];
    const selectors = (set.servicesByName.get(svc.name) ?? []).filter((s) => (s.namespace === undefined || s.namespace === svc.namespace) && s.selector && !isEmpty(s.selector));
    if (selectors.length === 0) return [];
    const out: SubsetEndpoint[] = [];
    const index = this.#workloadsByLabel();
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
        if ((we.namespace === undefined || we.namespace === svc.namespace) && selectors.some((s) => selects(s.selector!, we.labels)))
          out.push({ cluster: c, labels: we.labels, what: we });
      }
    }
    return out;
  }

  #workloadsByLabel(): LabelIndex {
    if (this.#labelIndex) return this.#labelIndex;
    const index: LabelIndex = new Map();
    for (const [ns, list] of workloadsByNamespace(this.set)) {
      const keys = new Map<string, Map<string, WorkloadFacts[]>>();
      index.set(ns, keys);
      for (const w of list) {
        for (const k in w.labels) {
          let values = keys.get(k);
          if (!values) keys.set(k, (values = new Map<string, WorkloadFacts[]>()));
          const v = w.labels[k];
          const l = values.get(v);
          if (l) l.push(w);
          else values.set(v, [w]);
        }
      }
    }
    return (this.#labelIndex = index);
  }

  /** A subset's defining signature, for comparing clusters and grouping variants: `name\0key=value\0…`, keys sorted. */
  #signature(s: SubsetFacts): string {
    let sig = this.#signatures.get(s);
    if (sig === undefined) {
      const keys = Object.keys(s.labels);
      if (keys.length > 1) keys.sort();
      sig = s.name;
      for (const k of keys) sig += `\0${k}=${s.labels[k]}`;
      this.#signatures.set(s, sig);
    }
    return sig;
  }

  /** The sorted signatures of a DestinationRule's subsets. */
  #drSignature(dr: DestinationRuleFacts): string[] {
    let sig = this.#drSignatures.get(dr);
    if (!sig) this.#drSignatures.set(dr, (sig = dr.subsets.map((s) => this.#signature(s)).sort()));
    return sig;
  }

  get disagreements(): readonly SubsetDisagreement[] {
    if (this.#disagreements) return this.#disagreements;
    const out: SubsetDisagreement[] = [];
    const sig = (drs: readonly DestinationRuleFacts[]) => (drs.length === 1 ? this.#drSignature(drs[0]) : [...new Set(drs.flatMap((d) => this.#drSignature(d)))].sort());
    for (const mesh of this.istio.meshes) {
      if (mesh.clusters.length < 2) continue;
      for (const [host, per] of this.#meshHosts(mesh.clusters)) {
        if (per.length < 2) continue;
        const [refCluster, refDrs] = per[0];
        let refSig: string[] | undefined;
        for (let i = 1; i < per.length; i++) {
          const [c, drs] = per[i];
          if (drs.length === 1 && refDrs.length === 1 && sameSubsets(drs[0], refDrs[0])) continue;
          const ref = (refSig ??= sig(refDrs));
          const s = sig(drs);
          if (s.length === ref.length && s.every((x, k) => x === ref[k])) continue;
          out.push({ host, cluster: c, drs, refCluster, refDrs, subsets: s.map(decodeSignature), refSubsets: ref.map(decodeSignature) });
        }
      }
    }
    return (this.#disagreements = out);
  }

  /**
   * A mesh's DestinationRules without workloadSelector by namespace and normalized host: each
   * host's `[cluster, DestinationRules]` in cluster name order, namespaces then hosts in first-seen order.
   */
  #meshHosts(clusters: readonly ClusterModel[]): [string, [ClusterModel, DestinationRuleFacts[]][]][] {
    const byHost = new Map<string, Map<string, [ClusterModel, DestinationRuleFacts[]][]>>();
    // Clusters are visited in name order, so a host's last entry is the current cluster's, if any.
    for (const c of [...clusters].sort(byName)) {
      const drs = c.istioConfig.destinationRules;
      const { hosts: drHosts } = this.#index(c);
      for (let i = 0; i < drs.length; i++) {
        const dr = drs[i];
        const host = drHosts[i];
        if (host === undefined || dr.workloadSelector) continue;
        const ns = dr.namespace ?? '';
        let hosts = byHost.get(ns);
        if (!hosts) byHost.set(ns, (hosts = new Map<string, [ClusterModel, DestinationRuleFacts[]][]>()));
        let per = hosts.get(host);
        if (!per) hosts.set(host, (per = []));
        const last = per[per.length - 1];
        if (last && last[0] === c) last[1].push(dr);
        else per.push([c, [dr]]);
      }
    }
    return [...byHost.values()].flatMap((h) => [...h]);
  }
}

/**
 * The problems without repeats of one written subset: a DestinationRule file that several clusters
 * read (a kustomize base rendered into every overlay, a folder two clusters pull) gives each
 * cluster its own copy with the same source place, and the same set-wide problem (no cluster or
 * network of the set is called so; no workload of the set carries the labels). The first cluster's,
 * in set order, is kept.
 */
function oncePerSource(problems: (UnknownTopology | UnselectedSubset)[]): (UnknownTopology | UnselectedSubset)[] {
  const seen = new Set<string>();
  return problems.filter((p) => {
    const { file, doc, path } = p.subset.labelsSource;
    const key = `${'kind' in p ? p.label : ''}\0${file}\0${doc}\0${path.join('\0')}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** True for a label map without labels (checked without listing its keys). */
function isEmpty(labels: Readonly<Record<string, string>>): boolean {
  for (const _ in labels) return false;
  return true;
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

function decodeSignature(sig: string): SubsetSignature {
  const [name, ...labels] = sig.split('\0');
  return { name, labels };
}
