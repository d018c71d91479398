import {
  cidrText,
  defineRule,
  factOrigin,
  evidenceText,
  listRanges,
  nativeRoutingGaps,
  nodesOutsidePodCIDRs,
  rangeOverlaps,
  rangeShapes,
  remoteSubnets,
  type RangeOverlap,
  type RangeRole,
  type Report,
  VIA_TEXT,
} from './kit.js';

const ROLE_TEXT: Record<RangeRole, string> = { pod: 'pod CIDR', service: 'service CIDR', node: 'node pod CIDR', address: 'node address' };
const SUBMARINER_ROLE: Record<RangeRole, string> = { pod: 'Pod', service: 'Service', node: 'Pod', address: 'Pod' };
const capital = (s: string) => `${s[0].toUpperCase()}${s.slice(1)}`;
/** ipaddr.js range names of unusable ranges, as messages say them. */
const UNUSABLE_TEXT: Record<string, string> = {
  unspecified: 'the unspecified address',
  loopback: 'the loopback range',
  linkLocal: 'the link-local range',
  multicast: 'the multicast range',
};

const EVIDENCE = 'The link is {{evidence}}.';
// Hints: what the controllers do with such ranges, and how to fix them.
const OTHER = 'The other range is {{otherOrigin}}.';
const NODE_SLICES = `${OTHER} Two nodes would hand out the same pod IPs. Give every Node a distinct slice of the pod CIDR.`;
const ADDRESS = `${OTHER} Packets for that address are routed into the {{target}} instead of the node. Keep node addresses outside pod and Service ranges.`;
const PODS_SERVICES = `${OTHER} Addresses in the overlap are both pod IPs and Service ClusterIPs, so kube-proxy rewrites traffic meant for those pods. Give pods and Services disjoint ranges.`;
const SUBMARINER = `${OTHER} ${EVIDENCE} Submariner connects these clusters without GlobalNet: the route agent in "{{cluster}}" refuses the remote endpoint (local {{localRole}} CIDR "{{written}}", overlaps with remote cluster subnets {{remoteSubnets}}) and traffic between the clusters never flows. Give each cluster a disjoint {{fixRole}}, or enable GlobalNet on the Broker with a globalCIDR per cluster.`;
const CILIUM = `${OTHER} ${EVIDENCE} Both clusters run Cilium Cluster Mesh, which routes pod IPs between clusters directly: a pod IP that exists in both clusters is unreachable from the other one and its identity is ambiguous. Give each cluster its own cluster-pool CIDR (ipam.operator.clusterPoolIPv4PodCIDRList).`;
const FLAT = `${OTHER} ${EVIDENCE} A flat pod network cannot route a pod IP that exists in two clusters: traffic to it stays in the sending cluster. Give each cluster its own pod CIDR, or state the real connectivity in the config (\`connectivity:\` with kind remapped or gateway) if addresses are translated or clusters meet only through gateways.`;
const UNCONNECTED = `${OTHER} Nothing in the manifests or the config says how these clusters connect. If pods are routed between them flat (Submariner without GlobalNet, Cilium Cluster Mesh, Calico federation, MCS endpoints), the overlap breaks routing; if they meet only through gateways or translate addresses, it is harmless. Say which with \`connectivity:\` in the config, or give each cluster its own pod CIDR.`;
const UNROUTABLE = 'The kernel does not route such addresses between hosts, so pods or Services there are unreachable. Use a private range (RFC 1918 or an IPv6 ULA).';
const HOST_BITS = 'The controllers use {{network}}. Write {{network}} so the address plan says what it does.';
const NODE_OUTSIDE = "The pod CIDR is {{podOrigin}}. Routes and network plugins built for the cluster's pod CIDR miss that node's pods. Fix the pod CIDR or the Node.";
const NATIVE_ROUTING = `That pod CIDR is {{podOrigin}}. With native routing Cilium masquerades traffic to addresses outside ipv4NativeRoutingCIDR, so Cluster Mesh traffic to those pods loses its source identity and network policies drop it. Widen ipv4NativeRoutingCIDR to cover every connected cluster's pod CIDRs.`;

const ACROSS = '{{what}} {{cidr}} of cluster "{{cluster}}" overlaps {{role}} {{otherCidr}} of cluster "{{other}}", routed {{link}}.';
const ACROSS_UNKNOWN = '{{what}} {{cidr}} of cluster "{{cluster}}" overlaps {{role}} {{otherCidr}} of cluster "{{other}}" (how they connect is unknown).';

/** Overlaps between two clusters: two-sided findings. */
const ACROSS_KINDS: ReadonlySet<RangeOverlap['kind']> = new Set(['submariner', 'cilium', 'flat', 'unconnected']);

/**
 * The report for an overlap, two-sided when it is between two clusters: primary on the model's
 * `here` (the cluster whose name sorts later: both clusters' controllers refuse the overlap alike,
 * so no side is the one refused), related place in `there`'s cluster, and the same overlap worded
 * from `there` as its mirror (shown when only `there`'s file changed).
 */
function twoSided(overlap: RangeOverlap): Report {
  const r = overlapReport(overlap);
  if (!ACROSS_KINDS.has(overlap.kind) || overlap.here.cluster.name === overlap.there.cluster.name) return r;
  const m = overlapReport({ ...overlap, here: overlap.there, there: overlap.here });
  const related = (r.related ?? []).map((p) => ({ ...p, cluster: overlap.there.cluster.name, otherSide: true as const }));
  return { ...r, related, mirror: { messageId: m.messageId, data: m.data, relatedMessage: m.related?.[0]?.message } };
}

/** The report for an overlap of the model's `rangeOverlaps`. */
function overlapReport({ kind, here, there, link }: RangeOverlap): Report {
  const related = [{ ...there.fact.source, message: `${ROLE_TEXT[there.role]} ${there.fact.value.text} of cluster "${there.cluster.name}"` }];
  const base = {
    cluster: here.cluster.name,
    cidr: cidrText(here.fact.value),
    origin: here.fact.source.origin,
    otherCidr: cidrText(there.fact.value),
    otherOrigin: factOrigin(there.fact),
  };
  const at = { at: here.fact.source, cluster: here.cluster.name, related };
  if (kind === 'nodeSlices') return { messageId: 'nodeSlices', data: base, ...at };
  if (kind === 'addressInRange') {
    const data = { ...base, address: here.fact.value.network.replace(/\/\d+$/, ''), role: ROLE_TEXT[there.role], other: there.cluster.name };
    return { messageId: there.role === 'service' ? 'addressInServiceCIDR' : 'addressInPodCIDR', data, ...at };
  }
  if (kind === 'podsAndServices') return { messageId: 'podsAndServices', data: { ...base, role: ROLE_TEXT[there.role] }, ...at };
  const linked: Record<string, string> = link && link.via ? { link: `${link.kind} by ${VIA_TEXT[link.via]}`, evidence: evidenceText(link) } : {};
  const data = { ...base, what: capital(ROLE_TEXT[here.role]), role: ROLE_TEXT[there.role], other: there.cluster.name, ...linked };
  if (kind === 'unconnected') return { messageId: kind, data, ...at, severity: 'info' };
  if (kind !== 'submariner') return { messageId: kind, data, ...at };
  const fixRole = ROLE_TEXT[here.role === 'node' ? 'pod' : here.role];
  return {
    messageId: 'submariner',
    data: { ...data, localRole: SUBMARINER_ROLE[here.role], written: here.fact.value.text, remoteSubnets: remoteSubnets(there.cluster), fixRole },
    ...at,
  };
}

/**
 * `cidr-overlap`: address ranges that collide between clusters of a ClusterSet or inside one
 * cluster, ranges that cannot be pod or Service ranges, CIDRs with host bits set, Node pod ranges
 * outside their cluster's pod CIDR, and Cilium native-routing CIDRs that miss a connected
 * cluster's pods. The ranges, their overlaps and what the connectivity makes of them are the
 * model's network views (`src/model/views/networks.ts`); this rule words them.
 *
 * Upstream: Submariner's route agent (submariner-io/submariner `pkg/cidr`,
 * `OverlappingSubnets`; the kube-proxy endpoint handler) refuses a remote endpoint whose subnets
 * overlap the local pod or service CIDR — "local Service CIDR %q, overlaps with remote cluster
 * subnets %s" — and never retries. GlobalNet (Broker `spec.globalnetEnabled` with a `globalCIDR`
 * per cluster) makes such overlaps safe. Flat pod networks (Cilium Cluster Mesh, Calico
 * federation) cannot route overlapping pod IPs; meshes that cross clusters only through gateways
 * (clusters declared on different networks) can, and service CIDRs may repeat unless Submariner
 * routes them. How two clusters connect is the model's connectivity (`src/model/connectivity.ts`):
 * overlaps are errors where pods are routed flat, notes where nothing says, and left alone where
 * a fabric remaps addresses (GlobalNet, Liqo) or clusters meet only through gateways. Cilium (`pkg/datapath` masquerading) SNATs traffic leaving `ipv4NativeRoutingCIDR`.
 * Policies' allow-all CIDRs (NetworkPolicy `0.0.0.0/0`) are never read as ranges.
 */
export default defineRule({
  meta: {
    id: 'cidr-overlap',
    description: 'Pod and service CIDRs must not overlap between clusters of a ClusterSet, nor pods with services in one cluster',
    severity: 'error',
    docs: 'docs/rules/cidr-overlap.md',
    messages: {
      nodeSlices: { text: 'Node pod CIDR {{cidr}} ({{origin}}) overlaps {{otherCidr}} of another Node.', hint: NODE_SLICES },
      addressInPodCIDR: {
        text: 'Node address {{address}} ({{origin}}) lies inside the {{role}} {{otherCidr}} of cluster "{{other}}".',
        hint: ADDRESS.replace('{{target}}', 'pod network'),
      },
      addressInServiceCIDR: {
        text: 'Node address {{address}} ({{origin}}) lies inside the {{role}} {{otherCidr}} of cluster "{{other}}".',
        hint: ADDRESS.replace('{{target}}', 'Service proxy'),
      },
      podsAndServices: { text: 'Service CIDR {{cidr}} of cluster "{{cluster}}" overlaps its {{role}} {{otherCidr}}.', hint: PODS_SERVICES },
      submariner: { text: ACROSS, hint: SUBMARINER },
      cilium: { text: ACROSS, hint: CILIUM },
      flat: { text: ACROSS, hint: FLAT },
      unconnected: { text: ACROSS_UNKNOWN, hint: UNCONNECTED },
      coversAll: { text: '{{what}} {{cidr}} of cluster "{{cluster}}" ({{origin}}) covers every address.', hint: UNROUTABLE },
      unusableRange: { text: '{{what}} {{cidr}} of cluster "{{cluster}}" ({{origin}}) is in {{range}}.', hint: UNROUTABLE },
      hostBits: { text: '{{what}} {{cidr}} has host bits set: it means {{network}}.', hint: HOST_BITS },
      nodeOutsidePodCIDR: { text: 'Node pod CIDR {{cidr}} ({{origin}}) is not inside the pod CIDR of cluster "{{cluster}}" ({{podCIDRs}}).', hint: NODE_OUTSIDE },
      nativeRouting: { text: 'ipv4NativeRoutingCIDR {{cidr}} of cluster "{{cluster}}" does not contain the pod CIDR {{podCIDR}} of cluster "{{other}}".', hint: NATIVE_ROUTING },
    },
  },
  check({ set, report }) {
    for (const overlap of rangeOverlaps(set)) report(twoSided(overlap));
    for (const { cluster, role, fact, unusable, hostBits } of rangeShapes(set)) {
      const data = { what: capital(ROLE_TEXT[role]), cidr: fact.value.text, cluster: cluster.name, origin: fact.source.origin };
      if (unusable === 'all') report({ messageId: 'coversAll', data, at: fact.source, cluster: cluster.name });
      else if (unusable !== undefined) report({ messageId: 'unusableRange', data: { ...data, range: UNUSABLE_TEXT[unusable] }, at: fact.source, cluster: cluster.name });
      if (hostBits) report({ messageId: 'hostBits', data: { ...data, network: fact.value.network }, at: fact.source, cluster: cluster.name, severity: 'warn' });
    }
    for (const { cluster, node, pods } of nodesOutsidePodCIDRs(set)) {
      const data = {
        cidr: cidrText(node.value),
        origin: node.source.origin,
        cluster: cluster.name,
        podCIDRs: listRanges([pods], ', '),
        podOrigin: factOrigin(pods[0]),
      };
      const related = [{ ...pods[0].source, message: `pod CIDR ${pods[0].value.text}` }];
      report({ messageId: 'nodeOutsidePodCIDR', data, at: node.source, cluster: cluster.name, related, severity: 'warn' });
    }
    for (const { cluster, routing, other, pod } of nativeRoutingGaps(set)) {
      const data = { cidr: cidrText(routing.value), cluster: cluster.name, podCIDR: cidrText(pod.value), other: other.name, podOrigin: factOrigin(pod) };
      const related = [{ ...pod.source, cluster: other.name, otherSide: true as const, message: `pod CIDR ${pod.value.text} of cluster "${other.name}"` }];
      // The text names both clusters: it reads the same at the other cluster's pod CIDR.
      const mirror = { relatedMessage: `ipv4NativeRoutingCIDR ${routing.value.text} of cluster "${cluster.name}"` };
      report({ messageId: 'nativeRouting', data, at: routing.source, cluster: cluster.name, related, mirror });
    }
  },
});
