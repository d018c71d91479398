import { ISTIO_TOPOLOGY_LABELS, defineRule, normalizeHost, serviceOfHost, workloadsByNamespace, type ClusterSetModel, type DestinationRuleFacts, type Locality, type LocalityLbFacts, type ReportWithout, type Source, type TrafficPolicyFacts } from './kit.js';

/** Labels `failoverPriority` may not use together with `failover` (istio.io/api `label`). */
const TOPOLOGY_PRIORITY_LABELS = new Set([ISTIO_TOPOLOGY_LABELS.region, ISTIO_TOPOLOGY_LABELS.zone, ISTIO_TOPOLOGY_LABELS.subzone]);
/** Labels Istio sets on every endpoint itself: always present for `failoverPriority`. */
const ISTIO_SET_LABELS = new Set<string>(Object.values(ISTIO_TOPOLOGY_LABELS));

const at = (s: Source, ...path: (string | number)[]) => ({ file: s.file, doc: s.doc, path: [...s.path, ...path] });
const drLabel = (dr: DestinationRuleFacts) => `DestinationRule "${dr.namespace === undefined ? dr.name : `${dr.namespace}/${dr.name}`}"`;

/**
 * Istio's `validateLocalities` for a list of `region/zone/subzone` patterns: a `*` only at the end
 * and only once, no empty part, no pattern overlapping an earlier one.
 * @returns Istio's message for the first defect, or undefined
 */
/** Go's strings.SplitN: at most `n` parts, the last holding the rest. */
function splitN(s: string, sep: string, n: number): string[] {
  const parts = s.split(sep);
  return parts.length <= n ? parts : [...parts.slice(0, n - 1), parts.slice(n - 1).join(sep)];
}

function localitiesDefect(localities: readonly string[]): { index: number; message: string } | undefined {
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
function matchesLocality(pattern: string, known: Locality): boolean {
  const [r, z, s] = pattern.split('/');
  const part = (p: string | undefined, v: string | undefined) => p === undefined || p === '*' || v === undefined || p === v;
  return part(r, known.region) && part(z, known.zone) && part(s, known.subzone);
}

/** The localities of the set, and where they come from, for messages. */
function setLocalities(set: ClusterSetModel): { localities: Locality[]; describe: string } {
  const localities = set.clusters.flatMap((c) => c.topology.localities.map((f) => f.value));
  const names = [...new Set(localities.map((l) => [l.region, l.zone, l.subzone].filter(Boolean).join('/')))].sort();
  return { localities, describe: names.map((n) => `"${n}"`).join(', ') };
}

/**
 * `istio-locality`: Istio's validation of `localityLbSetting` (top level, port level, subset
 * level), and the localities and `failoverPriority` labels the set actually has.
 *
 * Upstream: istio/istio `pkg/config/validation/agent/validation.go` `ValidateLocalityLbSetting`
 * and `validateLocalities` (messages kept verbatim); locality from Node labels
 * `topology.kubernetes.io/region|zone`, `topology.istio.io/subzone` (pilot `pkg/kube/labels`).
 */
export default defineRule({
  meta: {
    id: 'istio-locality',
    description: 'Istio localityLbSetting must be valid and name localities and labels that exist in the ClusterSet',
    severity: 'error',
    docs: 'docs/rules/istio-locality.md',
  },
  check({ set, run, report }) {
    const domain = run.config.clusterDomain;
    const known = setLocalities(set);
    const byNs = workloadsByNamespace(set);
    for (const c of set.clusters) {
      for (const dr of c.istioConfig.destinationRules) {
        for (const policy of dr.trafficPolicies) {
          const lb = policy.localityLbSetting;
          if (!lb) continue;
          const emit = (r: ReportWithout<'cluster'>) => report({ ...r, cluster: c.name });
          const where = `${drLabel(dr)} ${policy.level} localityLbSetting`;
          if (validate(lb, policy, where, emit)) continue;
          checkAgainstSet(lb, where, known, emit);
          checkPriorityLabels(lb, dr, where, domain, byNs, emit);
        }
      }
    }
  },
});

/** Istio's own checks. @returns true when Istio stops at the first one (`distribute` with `failover`). */
function validate(lb: LocalityLbFacts, policy: TrafficPolicyFacts, where: string, emit: (r: ReportWithout<'cluster'>) => void): boolean {
  const rejected = 'istiod rejects the DestinationRule';
  if (lb.distribute.length > 0 && lb.failover.length > 0) {
    emit({
      message: `${where} sets both distribute and failover: ${rejected} ("can not simultaneously specify 'distribute' and 'failover'"). Keep one: distribute sets fixed weights, failover only orders regions when endpoints fail.`,
      at: at(lb.source, 'failover'),
    });
    return true;
  }
  if (lb.failover.length > 0) {
    for (const p of lb.failoverPriority) {
      const label = p.value.split('=')[0];
      if (!TOPOLOGY_PRIORITY_LABELS.has(label as never)) continue;
      emit({
        message: `${where} uses failover with the topology label ${label} in failoverPriority: ${rejected} ("can not simultaneously set 'failover' and topology label '${label}' in 'failover_priority'"). Drop the label from failoverPriority (failover already orders by region), or drop failover.`,
        at: p.source,
      });
    }
  }
  lb.distribute.forEach((d) => {
    let total = 0;
    for (const to of d.to) {
      total += to.weight ?? 0;
      if (to.weight === undefined || (to.weight >= 1 && to.weight <= 100)) continue;
      emit({ message: `${where} distribute weight ${to.weight} for "${to.locality}": ${rejected} ("locality weight must be in range [1, 100]").`, at: to.source });
    }
    if (d.to.length > 0 && total !== 100) {
      emit({
        message: `${where} distributes ${total}% of the traffic${d.from ? ` from "${d.from.value}"` : ''}: ${rejected} ("total locality weight ${total} != 100"). Make the weights of this from entry add up to 100.`,
        at: at(d.source, 'to'),
      });
    }
    const defect = localitiesDefect(d.to.map((t) => t.locality));
    if (defect) emit({ message: `${where} distribute to: ${rejected} ("${defect.message}").`, at: d.to[defect.index].source });
  });
  const fromDefect = localitiesDefect(lb.distribute.flatMap((d) => (d.from ? [d.from.value] : [])));
  if (fromDefect) {
    const froms = lb.distribute.flatMap((d) => (d.from ? [d.from] : []));
    emit({ message: `${where} distribute from: ${rejected} ("${fromDefect.message}").`, at: froms[fromDefect.index].source });
  }
  if ((lb.failover.length > 0 || lb.failoverPriority.length > 0) && !policy.outlierDetection) {
    const field = lb.failover.length > 0 ? 'failover' : 'failoverPriority';
    emit({
      message:
        `${where} sets ${field} without outlierDetection in the same traffic policy (${policy.level}): Istio warns "outlier detection policy must be provided for failover", ` +
        `and Envoy never marks endpoints unhealthy, so traffic never fails over. Add outlierDetection next to loadBalancer.`,
      at: at(lb.source, field),
      severity: 'warn',
    });
  }
  for (const f of lb.failover) {
    const from = f.from?.value ?? '';
    const to = f.to?.value ?? '';
    const place = f.to ?? f.from;
    if (!place) continue;
    if (from === to) emit({ message: `${where} fails over from "${from}" to itself: ${rejected} ("locality lb failover settings must specify different regions").`, at: place.source });
    if (from.includes('/') || to.includes('/')) {
      emit({
        message: `${where} failover names a zone ("${from.includes('/') ? from : to}"): ${rejected} ("locality lb failover only specify region"). Failover works between regions; use distribute or failoverPriority for zones.`,
        at: (from.includes('/') ? f.from! : f.to!).source,
      });
    }
    if (from.includes('*') || to.includes('*')) {
      emit({ message: `${where} failover uses a wildcard ("${from.includes('*') ? from : to}"): ${rejected} ("locality lb failover region should not contain '*' wildcard").`, at: (from.includes('*') ? f.from! : f.to!).source });
    }
  }
  return false;
}

/** Localities named in distribute/failover that match no region/zone of the set (warnings). */
function checkAgainstSet(lb: LocalityLbFacts, where: string, known: { localities: Locality[]; describe: string }, emit: (r: ReportWithout<'cluster'>) => void): void {
  if (known.localities.length === 0) return;
  const check = (pattern: string, source: Source, role: string) => {
    if (pattern === '*' || known.localities.some((l) => matchesLocality(pattern, l))) return;
    emit({
      message:
        `${where} ${role} "${pattern}" matches no region/zone of the ClusterSet (known: ${known.describe}, from Node labels, WorkloadEntry localities and the config file): ` +
        `no endpoint is in that locality, so this ${role.startsWith('distribute') ? 'weight goes nowhere' : 'entry never applies'}. Check the spelling against topology.kubernetes.io/region|zone.`,
      at: source,
      severity: 'warn',
    });
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

/** `failoverPriority` labels no workload of the host carries (warnings). */
function checkPriorityLabels(
  lb: LocalityLbFacts,
  dr: DestinationRuleFacts,
  where: string,
  domain: string,
  byNs: ReadonlyMap<string, readonly { labels: Readonly<Record<string, string>> }[]>,
  emit: (r: ReportWithout<'cluster'>) => void,
): void {
  if (lb.failoverPriority.length === 0 || !dr.host) return;
  const svc = serviceOfHost(normalizeHost(dr.host.value, dr.namespace, domain), domain);
  const workloads = svc ? [...(byNs.get(svc.namespace) ?? [])] : [];
  if (workloads.length === 0) return;
  for (const p of lb.failoverPriority) {
    const label = p.value.split('=')[0];
    if (ISTIO_SET_LABELS.has(label) || workloads.some((w) => w.labels[label] !== undefined)) continue;
    emit({
      message:
        `${where} failoverPriority label "${label}" is on no workload of namespace "${svc!.namespace}" in any cluster of the ClusterSet: ` +
        `Istio compares this label between client and endpoints, so it never orders the failover. Label the pod templates, or remove it.`,
      at: p.source,
      severity: 'warn',
    });
  }
}
