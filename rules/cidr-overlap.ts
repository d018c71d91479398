import { defineRule } from '../src/engine/types.js';
import { overlaps, type Cidr } from '../src/model/cidr.js';
import { cidrText, factOrigin } from '../src/model/describe.js';
import type { ClusterModel, ClusterSetModel, Fact } from '../src/model/types.js';

type Role = 'pod' | 'service';

interface Range {
  readonly cluster: ClusterModel;
  readonly role: Role;
  readonly fact: Fact<Cidr>;
}

const ROLE_TEXT: Record<Role, string> = { pod: 'pod CIDR', service: 'service CIDR' };
const SUBMARINER_ROLE: Record<Role, string> = { pod: 'Pod', service: 'Service' };

/** One entry per (cluster, role, masked network): the first source wins, later copies add nothing. */
function collectRanges(set: ClusterSetModel): Range[] {
  const ranges: Range[] = [];
  for (const cluster of set.clusters) {
    for (const [role, facts] of [
      ['pod', cluster.network.podCIDRs],
      ['service', cluster.network.serviceCIDRs],
    ] as const) {
      const seen = new Set<string>();
      for (const fact of facts) {
        if (seen.has(fact.value.network)) continue;
        seen.add(fact.value.network);
        ranges.push({ cluster, role, fact });
      }
    }
  }
  return ranges;
}

const cmp = (a: string | number | bigint, b: string | number | bigint) => (a < b ? -1 : a > b ? 1 : 0);

function byStart(a: Range, b: Range): number {
  const x = a.fact.value;
  const y = b.fact.value;
  return (
    cmp(x.family, y.family) ||
    cmp(x.start, y.start) ||
    cmp(y.end, x.end) ||
    cmp(a.cluster.name, b.cluster.name) ||
    cmp(a.role, b.role) ||
    cmp(a.fact.source.file, b.fact.source.file) ||
    cmp(JSON.stringify(a.fact.source.path), JSON.stringify(b.fact.source.path))
  );
}

/**
 * Every pair of overlapping ranges, found by sorting on start address and sweeping: each range
 * is compared only with the earlier ranges that have not ended before it starts (O(n log n + k)).
 */
function overlappingPairs(ranges: Range[]): [Range, Range][] {
  const sorted = [...ranges].sort(byStart);
  const pairs: [Range, Range][] = [];
  let active: Range[] = [];
  for (const r of sorted) {
    active = active.filter((a) => a.fact.value.family === r.fact.value.family && a.fact.value.end >= r.fact.value.start);
    for (const a of active) if (overlaps(a.fact.value, r.fact.value)) pairs.push([a, r]);
    active.push(r);
  }
  return pairs;
}

const remoteSubnets = (c: ClusterModel) =>
  `[${[...c.network.serviceCIDRs, ...c.network.podCIDRs].map((f) => f.value.text).join(' ')}]`;

/**
 * `cidr-overlap`: pod and service CIDRs that collide between clusters of a ClusterSet, or
 * between pods and services inside one cluster.
 *
 * Upstream: Submariner's route agent (submariner-io/submariner `pkg/cidr/iputil.go`,
 * `OverlappingSubnets`; `pkg/routeagent_driver/handlers/kubeproxy/endpoint_handler.go`) refuses a
 * remote endpoint whose subnets overlap the local pod or service CIDR — "local Service CIDR %q,
 * overlaps with remote cluster subnets %s" — and never retries. GlobalNet (Broker
 * `spec.globalnetEnabled` with a `globalCIDR` per cluster) exists to make such overlaps safe; when
 * the Broker is not in the repository, a `globalCIDR` in every Submariner CR says GlobalNet is on.
 * Flat pod networks (Cilium Cluster Mesh, Calico federation) cannot route overlapping pod IPs.
 */
export default defineRule({
  meta: {
    id: 'cidr-overlap',
    description: 'Pod and service CIDRs must not overlap between clusters of a ClusterSet, nor pods with services in one cluster',
    severity: 'error',
    docs: 'docs/rules/cidr-overlap.md',
  },
  check({ set, report }) {
    const joined = (c: ClusterModel) => c.submariner.length > 0;
    const hasGlobalCIDR = (c: ClusterModel) => c.network.globalCIDRs.length > 0;

    for (const [first, second] of overlappingPairs(collectRanges(set))) {
      if (first.cluster === second.cluster) {
        if (first.role === second.role) continue;
        const [pod, svc] = first.role === 'pod' ? [first, second] : [second, first];
        report({
          message:
            `Service CIDR ${cidrText(svc.fact.value)} of cluster "${svc.cluster.name}" overlaps its pod CIDR ${cidrText(pod.fact.value)} ` +
            `(${factOrigin(pod.fact)}): addresses in the overlap are both pod IPs and Service ClusterIPs, so kube-proxy rewrites traffic meant for those pods. ` +
            `Give pods and Services disjoint ranges.`,
          at: svc.fact.source,
          cluster: svc.cluster.name,
          related: [{ ...pod.fact.source, message: `pod CIDR ${pod.fact.value.text}` }],
        });
        continue;
      }
      // Report on the cluster that sorts later, pointing back at the earlier one.
      const [here, there] = first.cluster.name > second.cluster.name ? [first, second] : [second, first];
      const submariner = joined(here.cluster) && joined(there.cluster);
      if (set.globalnet.enabled && hasGlobalCIDR(here.cluster) && hasGlobalCIDR(there.cluster)) continue;
      if (!(here.role === 'pod' && there.role === 'pod') && !submariner) continue;

      const what =
        `${ROLE_TEXT[here.role][0].toUpperCase()}${ROLE_TEXT[here.role].slice(1)} ${cidrText(here.fact.value)} of cluster "${here.cluster.name}" ` +
        `overlaps ${ROLE_TEXT[there.role]} ${cidrText(there.fact.value)} of cluster "${there.cluster.name}" (${factOrigin(there.fact)}). `;
      let consequence: string;
      if (submariner) {
        const missing = [here.cluster, there.cluster].filter((c) => !hasGlobalCIDR(c)).map((c) => `"${c.name}"`);
        const lacking = `cluster ${missing.join(' and ')} ${missing.length > 1 ? 'have' : 'has'} no globalCIDR to translate into`;
        const globalnet =
          set.globalnet.via === 'broker'
            ? `GlobalNet is enabled on the Broker, but ${lacking}. `
            : set.globalnet.via === 'globalCIDR'
              ? `Other clusters use GlobalNet (they have a globalCIDR), but ${lacking}. `
              : 'Submariner connects these clusters without GlobalNet: ';
        consequence =
          `${globalnet}the route agent in "${here.cluster.name}" refuses the remote endpoint (local ${SUBMARINER_ROLE[here.role]} CIDR ` +
          `"${here.fact.value.text}", overlaps with remote cluster subnets ${remoteSubnets(there.cluster)}) and traffic between the clusters never flows. ` +
          `Give each cluster a disjoint ${ROLE_TEXT[here.role]}, or enable GlobalNet on the Broker with a globalCIDR per cluster.`;
      } else {
        consequence =
          'Clusters of one ClusterSet need disjoint pod networks: flat multi-cluster networks (Submariner without GlobalNet, Cilium Cluster Mesh, ' +
          'Calico federation) cannot route a pod IP that exists in two clusters. Give each cluster its own pod CIDR.';
      }
      report({
        message: what + consequence,
        at: here.fact.source,
        cluster: here.cluster.name,
        related: [{ ...there.fact.source, message: `${ROLE_TEXT[there.role]} ${there.fact.value.text} of cluster "${there.cluster.name}"` }],
      });
    }
  },
});
