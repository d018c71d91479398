import ipaddr from 'ipaddr.js';
import { cidrText, defineRule, factOrigin, inCiliumMesh, linkBetween, overlappingPairs, type Cidr, type ClusterModel, type ClusterSetModel, type Fact, type Report } from './kit.js';

/**
 * What a range is for: the cluster's pod network, its Service ClusterIP range, one Node's slice of
 * the pod network (`spec.podCIDR`), or one Node address.
 */
type Role = 'pod' | 'service' | 'node' | 'address';

interface Range {
  readonly cluster: ClusterModel;
  readonly role: Role;
  readonly fact: Fact<Cidr>;
}

const ROLE_TEXT: Record<Role, string> = { pod: 'pod CIDR', service: 'service CIDR', node: 'node pod CIDR', address: 'node address' };
const SUBMARINER_ROLE: Record<Role, string> = { pod: 'Pod', service: 'Service', node: 'Pod', address: 'Pod' };
const capital = (s: string) => `${s[0].toUpperCase()}${s.slice(1)}`;

/** A cluster's ranges by role. */
function rangesByRole(cluster: ClusterModel): [Role, readonly Fact<Cidr>[]][] {
  const { network } = cluster;
  return [
    ['pod', network.podCIDRs],
    ['service', network.serviceCIDRs],
    ['node', network.nodePodCIDRs],
    ['address', network.nodeAddresses],
  ];
}

/** One entry per (cluster, role, masked network, object): the first source wins, copies add nothing. */
function collectRanges(set: ClusterSetModel): Range[] {
  const ranges: Range[] = [];
  for (const cluster of set.clusters) {
    for (const [role, facts] of rangesByRole(cluster)) {
      const seen = new Set<string>();
      for (const fact of facts) {
        // Nodes are told apart by object: two Nodes with one range is a finding, not a copy.
        const key = role === 'node' || role === 'address' ? `${fact.value.network} ${fact.source.file} ${fact.source.doc}` : fact.value.network;
        if (seen.has(key)) continue;
        seen.add(key);
        ranges.push({ cluster, role, fact });
      }
    }
  }
  return ranges;
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Ties between equal ranges: by cluster, role, file and path, so output is deterministic. */
const tieBreak = (a: Range, b: Range) =>
  cmp(a.cluster.name, b.cluster.name) ||
  cmp(a.role, b.role) ||
  cmp(a.fact.source.file, b.fact.source.file) ||
  cmp(JSON.stringify(a.fact.source.path), JSON.stringify(b.fact.source.path));

const remoteSubnets = (c: ClusterModel) =>
  `[${[...c.network.serviceCIDRs, ...c.network.podCIDRs].map((f) => f.value.text).join(' ')}]`;

const related = (r: Range) => ({ ...r.fact.source, message: `${ROLE_TEXT[r.role]} ${r.fact.value.text} of cluster "${r.cluster.name}"` });

/** The finding for two overlapping ranges of one cluster, or undefined when the overlap is expected. */
function insideCluster(a: Range, b: Range): Report | undefined {
  const pair = new Set([a.role, b.role]);
  const pick = (role: Role) => (a.role === role ? a : b);
  const other = (r: Range) => (r === a ? b : a);
  if (pair.size === 1 && a.role !== 'node') return undefined; // several sources, one range
  if (pair.has('pod') && pair.has('node')) return undefined; // a node's slice of the pod network
  if (pair.size === 1) {
    // Two Nodes given overlapping pod ranges: the node IPAM never does that.
    return {
      message:
        `${capital(ROLE_TEXT.node)} ${cidrText(b.fact.value)} (${b.fact.source.origin}) overlaps ${cidrText(a.fact.value)} of another Node ` +
        `(${factOrigin(a.fact)}): two nodes would hand out the same pod IPs. Give every Node a distinct slice of the pod CIDR.`,
      at: b.fact.source,
      cluster: b.cluster.name,
      related: [related(a)],
    };
  }
  if (pair.has('address')) {
    const address = pick('address');
    const range = other(address);
    return {
      message:
        `${capital(ROLE_TEXT.address)} ${address.fact.value.network.replace(/\/\d+$/, '')} (${address.fact.source.origin}) lies inside the ${ROLE_TEXT[range.role]} ` +
        `${cidrText(range.fact.value)} of cluster "${range.cluster.name}" (${factOrigin(range.fact)}): packets for that address are routed into the ` +
        `${range.role === 'service' ? 'Service proxy' : 'pod network'} instead of the node. Keep node addresses outside pod and Service ranges.`,
      at: address.fact.source,
      cluster: address.cluster.name,
      related: [related(range)],
    };
  }
  const svc = pick('service');
  const pods = other(svc);
  return {
    message:
      `Service CIDR ${cidrText(svc.fact.value)} of cluster "${svc.cluster.name}" overlaps its ${ROLE_TEXT[pods.role]} ${cidrText(pods.fact.value)} ` +
      `(${factOrigin(pods.fact)}): addresses in the overlap are both pod IPs and Service ClusterIPs, so kube-proxy rewrites traffic meant for those pods. ` +
      `Give pods and Services disjoint ranges.`,
    at: svc.fact.source,
    cluster: svc.cluster.name,
    related: [related(pods)],
  };
}

/** The finding for two overlapping ranges of different clusters, or undefined when harmless there. */
function acrossClusters(set: ClusterSetModel, first: Range, second: Range): Report | undefined {
  // Report on the cluster that sorts later, pointing back at the earlier one.
  const [here, there] = first.cluster.name > second.cluster.name ? [first, second] : [second, first];
  const podLike = (r: Range) => r.role === 'pod' || r.role === 'node';
  const link = linkBetween(set, here.cluster, there.cluster);
  if (link.globalnet) return undefined;
  const bothPods = podLike(here) && podLike(there);
  if (!bothPods && link.kind !== 'submariner') return undefined;
  if (link.kind === 'gateway') return undefined;

  const what =
    `${capital(ROLE_TEXT[here.role])} ${cidrText(here.fact.value)} of cluster "${here.cluster.name}" ` +
    `overlaps ${ROLE_TEXT[there.role]} ${cidrText(there.fact.value)} of cluster "${there.cluster.name}" (${factOrigin(there.fact)}). `;
  let consequence: string;
  if (link.kind === 'submariner') {
    consequence =
      `Submariner connects these clusters without GlobalNet: the route agent in "${here.cluster.name}" refuses the remote endpoint (local ${SUBMARINER_ROLE[here.role]} CIDR ` +
      `"${here.fact.value.text}", overlaps with remote cluster subnets ${remoteSubnets(there.cluster)}) and traffic between the clusters never flows. ` +
      `Give each cluster a disjoint ${ROLE_TEXT[here.role === 'node' ? 'pod' : here.role]}, or enable GlobalNet on the Broker with a globalCIDR per cluster.`;
  } else if (link.kind === 'cilium') {
    consequence =
      'Both clusters run Cilium Cluster Mesh, which routes pod IPs between clusters directly: a pod IP that exists in both clusters is ' +
      'unreachable from the other one and its identity is ambiguous. Give each cluster its own cluster-pool CIDR (ipam.operator.clusterPoolIPv4PodCIDRList).';
  } else {
    consequence =
      'Clusters of one ClusterSet need disjoint pod networks: flat multi-cluster networks (Submariner without GlobalNet, Cilium Cluster Mesh, ' +
      'Calico federation) cannot route a pod IP that exists in two clusters. Give each cluster its own pod CIDR, or declare the clusters ' +
      'on different networks (config `network`) if they only meet through gateways.';
  }
  return { message: what + consequence, at: here.fact.source, cluster: here.cluster.name, related: [related(there)] };
}

/** ipaddr.js range names that can never hold pods or Services, with how to say them. */
const UNUSABLE_RANGES: Record<string, string> = {
  unspecified: 'the unspecified address',
  loopback: 'the loopback range',
  linkLocal: 'the link-local range',
  multicast: 'the multicast range',
};

/** Pod, service and node ranges that cannot be such ranges at all, and CIDRs with host bits set. */
function* rangeShape(set: ClusterSetModel): Generator<Report> {
  const seen = new Set<string>();
  for (const cluster of set.clusters) {
    for (const [role, facts] of rangesByRole(cluster)) {
      if (role === 'address') continue;
      for (const fact of facts) {
        const key = JSON.stringify([fact.source.file, fact.source.doc, fact.source.path, fact.value.text]);
        if (seen.has(key)) continue;
        seen.add(key);
        const cidr = fact.value;
        const kind = cidr.prefix === 0 ? 'all' : ipaddr.parse(cidr.network.replace(/\/\d+$/, '')).range();
        if (kind === 'all' || kind in UNUSABLE_RANGES) {
          yield {
            message:
              `${capital(ROLE_TEXT[role])} ${cidr.text} of cluster "${cluster.name}" (${fact.source.origin}) ` +
              `${kind === 'all' ? 'covers every address' : `is in ${UNUSABLE_RANGES[kind]}`}: ` +
              `the kernel does not route such addresses between hosts, so pods or Services there are unreachable. Use a private range (RFC 1918 or an IPv6 ULA).`,
            at: fact.source,
            cluster: cluster.name,
          };
        }
        if (cidr.hostBitsSet && !fact.isDefault) {
          yield {
            message:
              `${capital(ROLE_TEXT[role])} ${cidr.text} has host bits set: it means ${cidr.network}, which is what the controllers use. ` +
              `Write ${cidr.network} so the address plan says what it does.`,
            at: fact.source,
            cluster: cluster.name,
            severity: 'warn',
          };
        }
      }
    }
  }
}

/** Node pod ranges outside every pod CIDR of their cluster (when the cluster's pod CIDRs are known). */
function* nodesOutsidePodCIDRs(set: ClusterSetModel): Generator<Report> {
  for (const cluster of set.clusters) {
    const pods = cluster.network.podCIDRs;
    if (pods.length === 0) continue;
    for (const node of cluster.network.nodePodCIDRs) {
      const n = node.value;
      const inside = pods.some((p) => p.value.family === n.family && p.value.start <= n.start && n.end <= p.value.end);
      if (inside || !pods.some((p) => p.value.family === n.family)) continue;
      const list = pods.filter((p) => p.value.family === n.family);
      yield {
        message:
          `${capital(ROLE_TEXT.node)} ${cidrText(n)} (${node.source.origin}) is not inside the pod CIDR of cluster "${cluster.name}" ` +
          `(${list.map((p) => p.value.text).join(', ')}, ${factOrigin(list[0])}): routes and network plugins built for the cluster's pod CIDR miss that node's pods. ` +
          'Fix the pod CIDR or the Node.',
        at: node.source,
        cluster: cluster.name,
        related: [{ ...list[0].source, message: `pod CIDR ${list[0].value.text}` }],
        severity: 'warn',
      };
    }
  }
}

/**
 * Cilium native routing: traffic to pod IPs outside `ipv4NativeRoutingCIDR` is masqueraded, so
 * with Cluster Mesh the CIDR must cover the pod CIDRs of every connected cluster.
 */
function* nativeRouting(set: ClusterSetModel): Generator<Report> {
  const mesh = set.clusters.filter(inCiliumMesh);
  if (mesh.length < 2) return;
  // Every mesh pod CIDR, sorted by start: CIDRs nest or are disjoint, so the ones inside a routing
  // CIDR form one run found by binary search, and only the others are visited (O(n log n + k)).
  const pods = mesh.flatMap((cluster) => cluster.network.podCIDRs.map((fact) => ({ cluster, fact })));
  pods.sort((a, b) => (a.fact.value.family - b.fact.value.family) || (a.fact.value.start < b.fact.value.start ? -1 : a.fact.value.start > b.fact.value.start ? 1 : 0));
  const firstAtOrAfter = (family: number, start: bigint) => {
    let lo = 0;
    let hi = pods.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      const v = pods[mid].fact.value;
      if (v.family < family || (v.family === family && v.start < start)) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  for (const cluster of mesh) {
    for (const cilium of cluster.cilium) {
      const routing = cilium.nativeRoutingCIDR;
      if (cilium.routingMode?.value !== 'native' || !routing) continue;
      const r = routing.value;
      const lo = firstAtOrAfter(r.family, r.start);
      const hi = firstAtOrAfter(r.family, r.end + 1n);
      const outside = [...pods.slice(0, lo), ...pods.slice(lo, hi).filter((p) => p.fact.value.end > r.end), ...pods.slice(hi)];
      for (const { cluster: other, fact: pod } of outside) {
        const p = pod.value;
        if (p.family !== r.family) continue;
        yield {
          message:
            `ipv4NativeRoutingCIDR ${cidrText(r)} of cluster "${cluster.name}" does not contain the pod CIDR ${cidrText(p)} of ` +
            `cluster "${other.name}" (${factOrigin(pod)}): with native routing Cilium masquerades traffic to addresses outside that CIDR, so ` +
            `Cluster Mesh traffic to those pods loses its source identity and network policies drop it. Widen ipv4NativeRoutingCIDR to cover every connected cluster's pod CIDRs.`,
          at: routing.source,
          cluster: cluster.name,
          related: [{ ...pod.source, cluster: other.name, message: `pod CIDR ${p.text} of cluster "${other.name}"` }],
        };
      }
    }
  }
}

/**
 * `cidr-overlap`: address ranges that collide between clusters of a ClusterSet or inside one
 * cluster, ranges that cannot be pod or Service ranges, CIDRs with host bits set, Node pod ranges
 * outside their cluster's pod CIDR, and Cilium native-routing CIDRs that miss a connected
 * cluster's pods.
 *
 * Upstream: Submariner's route agent (submariner-io/submariner `pkg/cidr`,
 * `OverlappingSubnets`; the kube-proxy endpoint handler) refuses a remote endpoint whose subnets
 * overlap the local pod or service CIDR — "local Service CIDR %q, overlaps with remote cluster
 * subnets %s" — and never retries. GlobalNet (Broker `spec.globalnetEnabled` with a `globalCIDR`
 * per cluster) makes such overlaps safe. Flat pod networks (Cilium Cluster Mesh, Calico
 * federation) cannot route overlapping pod IPs; meshes that cross clusters only through gateways
 * (clusters declared on different networks) can, and service CIDRs may repeat unless Submariner
 * routes them. Cilium (`pkg/datapath` masquerading) SNATs traffic leaving `ipv4NativeRoutingCIDR`.
 * Policies' allow-all CIDRs (NetworkPolicy `0.0.0.0/0`) are never read as ranges.
 */
export default defineRule({
  meta: {
    id: 'cidr-overlap',
    description: 'Pod and service CIDRs must not overlap between clusters of a ClusterSet, nor pods with services in one cluster',
    severity: 'error',
    docs: 'docs/rules/cidr-overlap.md',
  },
  check({ set, report }) {
    for (const [first, second] of overlappingPairs(collectRanges(set), (r) => r.fact.value, tieBreak)) {
      const finding = first.cluster === second.cluster ? insideCluster(first, second) : first.role === 'address' || second.role === 'address' ? undefined : acrossClusters(set, first, second);
      if (finding) report(finding);
    }
    for (const r of rangeShape(set)) report(r);
    for (const r of nodesOutsidePodCIDRs(set)) report(r);
    for (const r of nativeRouting(set)) report(r);
  },
});
