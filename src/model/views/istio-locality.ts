/**
 * The Istio locality view of a ClusterSet, for `istio-locality`: every DestinationRule traffic
 * policy's `localityLbSetting` checked as istiod validates it, against the localities the set's
 * clusters have, and against the labels its workloads carry.
 *
 * A pure function of the set and the run's cluster domain (`run.config.clusterDomain`), computed
 * when the rule asks; it holds no state, so nothing here outlives a run.
 *
 * Upstream behaviour mirrored: istio/istio `pkg/config/validation/agent/validation.go`
 * `ValidateLocalityLbSetting` and `validateLocalities` (the checks, their order, and Istio's
 * messages verbatim in `values.problem`); localities from Node labels
 * `topology.kubernetes.io/region|zone`, `topology.istio.io/subzone` (pilot `pkg/kube/labels`),
 * which Istio sets on every endpoint, so `failoverPriority` may always name them.
 */
import type { Place } from '../../base/types.js';
import { ISTIO_TOPOLOGY_LABELS, normalizeHost, serviceOfHost, workloadsByNamespace } from '../istio.js';
import type { ClusterModel, ClusterSetModel, DestinationRuleFacts, Locality, LocalityLbFacts, RunModel, Source, TrafficPolicyFacts } from '../types.js';

/** Labels `failoverPriority` may not use together with `failover` (istio.io/api `label`). */
const TOPOLOGY_PRIORITY_LABELS = new Set<string>([ISTIO_TOPOLOGY_LABELS.region, ISTIO_TOPOLOGY_LABELS.zone, ISTIO_TOPOLOGY_LABELS.subzone]);
/** Labels Istio sets on every endpoint itself: always present for `failoverPriority`. */
const ISTIO_SET_LABELS = new Set<string>(Object.values(ISTIO_TOPOLOGY_LABELS));

/**
 * What is wrong with a `localityLbSetting`. Rejected by istiod's validation:
 * `distributeAndFailover`, `failoverTopologyLabel` {label}, `weightRange` {weight, locality},
 * `weightTotal` {total, from?}, `distributeTo` / `distributeFrom` {problem: Istio's
 * `validateLocalities` message}, `failoverToItself` {from}, `failoverZone` {locality},
 * `failoverWildcard` {locality}. Accepted but ineffective: `noOutlierDetection` {field} (Istio
 * only warns), `unknownLocality` {role, locality, known}, `unusedPriorityLabel` {label, namespace}.
 */
export type LocalityProblemKind =
  | 'distributeAndFailover'
  | 'failoverTopologyLabel'
  | 'weightRange'
  | 'weightTotal'
  | 'distributeTo'
  | 'distributeFrom'
  | 'noOutlierDetection'
  | 'failoverToItself'
  | 'failoverZone'
  | 'failoverWildcard'
  | 'unknownLocality'
  | 'unusedPriorityLabel';

/** One problem of one traffic policy's `localityLbSetting`; `at` is the offending field. */
export interface LocalityProblem {
  readonly kind: LocalityProblemKind;
  readonly cluster: ClusterModel;
  readonly destinationRule: DestinationRuleFacts;
  readonly policy: TrafficPolicyFacts;
  readonly at: Place;
  /** The values the check found, named as listed for `LocalityProblemKind`. */
  readonly values: Readonly<Record<string, string | number>>;
}

type Emit = (kind: LocalityProblemKind, at: Place, values?: Record<string, string | number>) => void;

const place = (s: Source, ...path: (string | number)[]): Place => ({ file: s.file, doc: s.doc, path: [...s.path, ...path] });

/** Go's strings.SplitN: at most `n` parts, the last holding the rest. */
function splitN(s: string, sep: string, n: number): string[] {
  const parts = s.split(sep);
  return parts.length <= n ? parts : [...parts.slice(0, n - 1), parts.slice(n - 1).join(sep)];
}

/**
 * Istio's `validateLocalities` for a list of `region/zone/subzone` patterns: a `*` only at the end
 * and only once, no empty part, no pattern overlapping an earlier one.
 * @returns the index of the first defective pattern and Istio's message for it, or undefined
 */
export function localitiesDefect(localities: readonly string[]): { index: number; message: string } | undefined {
  const seen = new Map<string, Map<string, Set<string>>>();
  for (const [index, locality] of localities.entries()) {
    const stars = locality.split('*').length - 1;
    if (stars > 0 && (stars > 1 || !locality.endsWith('*'))) return { index, message: `locality ${locality} wildcard '*' number can not exceed 1 and must be in the end` };
    const overlap = { index, message: `locality ${locality} overlap with previous specified ones` };
    if (seen.has('*')) return overlap;
    // Istio's getLocalityParam: strings.SplitN(locality, "/", 3), so a subzone may hold slashes.
    const parts = splitN(locality, '/', 3);
    const [region, zone, subzone] = [parts[0], parts[1], parts[2]];
    if (parts.some((p) => p === '')) return { index, message: `locality ${locality} must not contain empty region/zone/subzone info` };
    const zones = seen.get(region);
    if (parts.length === 1) {
      if (zones) return overlap;
      seen.set(region, new Map([['*', new Set(['*'])]]));
    } else if (parts.length === 2) {
      if (zones && (zones.has('*') || zones.has(zone))) return overlap;
      if (zones) zones.set(zone, new Set(['*']));
      else seen.set(region, new Map([[zone, new Set(['*'])]]));
    } else {
      const subzones = zones?.get(zone);
      if (zones?.has('*') || subzones?.has('*') || subzones?.has(subzone)) return overlap;
      if (subzones) subzones.add(subzone);
      else if (zones) zones.set(zone, new Set([subzone]));
      else seen.set(region, new Map([[zone, new Set([subzone])]]));
    }
  }
  return undefined;
}

/**
 * True when the `region[/zone[/subzone]]` pattern (`*` wildcards) can match a known locality.
 * A part the known locality leaves unknown (a region without zones) matches.
 */
export function matchesLocality(pattern: string, known: Locality): boolean {
  const [r, z, s] = pattern.split('/');
  const part = (p: string | undefined, v: string | undefined) => p === undefined || p === '*' || v === undefined || p === v;
  return part(r, known.region) && part(z, known.zone) && part(s, known.subzone);
}

/** Istio's own checks. @returns true when Istio stops at the first one (`distribute` with `failover`). */
function validate(lb: LocalityLbFacts, policy: TrafficPolicyFacts, emit: Emit): boolean {
  if (lb.distribute.length > 0 && lb.failover.length > 0) {
    emit('distributeAndFailover', place(lb.source, 'failover'));
    return true;
  }
  for (const p of lb.failover.length > 0 ? lb.failoverPriority : []) {
    const label = p.value.split('=')[0];
    if (TOPOLOGY_PRIORITY_LABELS.has(label)) emit('failoverTopologyLabel', p.source, { label });
  }
  for (const d of lb.distribute) {
    let total = 0;
    for (const to of d.to) {
      total += to.weight ?? 0;
      if (to.weight !== undefined && !(to.weight >= 1 && to.weight <= 100)) emit('weightRange', to.source, { weight: to.weight, locality: to.locality });
    }
    if (d.to.length > 0 && total !== 100) emit('weightTotal', place(d.source, 'to'), d.from ? { total, from: d.from.value } : { total });
    const defect = localitiesDefect(d.to.map((t) => t.locality));
    if (defect) emit('distributeTo', d.to[defect.index].source, { problem: defect.message });
  }
  const froms = lb.distribute.flatMap((d) => (d.from ? [d.from] : []));
  const fromDefect = localitiesDefect(froms.map((f) => f.value));
  if (fromDefect) emit('distributeFrom', froms[fromDefect.index].source, { problem: fromDefect.message });
  if ((lb.failover.length > 0 || lb.failoverPriority.length > 0) && !policy.outlierDetection) {
    const field = lb.failover.length > 0 ? 'failover' : 'failoverPriority';
    emit('noOutlierDetection', place(lb.source, field), { field });
  }
  for (const f of lb.failover) {
    const [from, to] = [f.from?.value ?? '', f.to?.value ?? ''];
    const at = f.to ?? f.from;
    if (!at) continue;
    if (from === to) emit('failoverToItself', at.source, { from });
    if (from.includes('/') || to.includes('/')) emit('failoverZone', (from.includes('/') ? f.from! : f.to!).source, { locality: from.includes('/') ? from : to });
    if (from.includes('*') || to.includes('*')) emit('failoverWildcard', (from.includes('*') ? f.from! : f.to!).source, { locality: from.includes('*') ? from : to });
  }
  return false;
}

/** Localities named in distribute/failover that match no region/zone of the set. */
function checkAgainstSet(lb: LocalityLbFacts, localities: readonly Locality[], known: string, emit: Emit): void {
  if (localities.length === 0) return;
  const check = (locality: string, source: Source, role: string) => {
    if (locality !== '*' && !localities.some((l) => matchesLocality(locality, l))) emit('unknownLocality', source, { role, locality, known });
  };
  for (const d of lb.distribute) {
    if (d.from) check(d.from.value, d.from.source, 'distribute from');
    for (const t of d.to) check(t.locality, t.source, 'distribute to');
  }
  for (const f of lb.failover) {
    if (f.from) check(f.from.value, f.from.source, 'failover from');
    if (f.to) check(f.to.value, f.to.source, 'failover to');
  }
}

/** `failoverPriority` labels no workload of the host's namespace carries, in any cluster of the set. */
function checkPriorityLabels(set: ClusterSetModel, lb: LocalityLbFacts, dr: DestinationRuleFacts, domain: string, emit: Emit): void {
  if (lb.failoverPriority.length === 0 || !dr.host) return;
  const svc = serviceOfHost(normalizeHost(dr.host.value, dr.namespace, domain), domain);
  const workloads = svc ? (workloadsByNamespace(set).get(svc.namespace) ?? []) : [];
  if (workloads.length === 0) return;
  for (const p of lb.failoverPriority) {
    const label = p.value.split('=')[0];
    if (!ISTIO_SET_LABELS.has(label) && !workloads.some((w) => w.labels[label] !== undefined)) emit('unusedPriorityLabel', p.source, { label, namespace: svc!.namespace });
  }
}

/**
 * The `localityLbSetting` problems of every DestinationRule traffic policy of `set` (top level,
 * port level, subset level), by cluster, DestinationRule and policy. A setting istiod rejects as a
 * whole (`distributeAndFailover`) is checked no further; the checks against the set's localities
 * and workloads run only on settings istiod accepts. Never throws.
 */
export function istioLocalityProblems(set: ClusterSetModel, run: RunModel): LocalityProblem[] {
  const localities = set.clusters.flatMap((c) => c.topology.localities.map((f) => f.value));
  const names = [...new Set(localities.map((l) => [l.region, l.zone, l.subzone].filter(Boolean).join('/')))].sort();
  const known = names.map((n) => `"${n}"`).join(', ');
  const out: LocalityProblem[] = [];
  for (const cluster of set.clusters) {
    for (const destinationRule of cluster.istioConfig.destinationRules) {
      for (const policy of destinationRule.trafficPolicies) {
        const lb = policy.localityLbSetting;
        if (!lb) continue;
        const emit: Emit = (kind, at, values = {}) => out.push({ kind, cluster, destinationRule, policy, at, values });
        if (validate(lb, policy, emit)) continue;
        checkAgainstSet(lb, localities, known, emit);
        checkPriorityLabels(set, lb, destinationRule, run.config.clusterDomain, emit);
      }
    }
  }
  return out;
}
