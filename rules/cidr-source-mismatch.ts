import { cidrSourceMismatches, cidrText, defineRule, factOrigin, type CidrSourceMismatch, type Report, PER_CLUSTER_ALTERNATIVES } from './kit.js';

const ROLE = { pod: 'pod', service: 'Service' } as const;
const list = (facts: CidrSourceMismatch['stated']) => facts.map((f) => cidrText(f.value)).join(', ');

const DIFFERS =
  'The other statement is {{referenceOrigin}}. Each tool acts on its own copy: Submariner routes and checks for overlaps only the ranges its CR names (subctl join warns "Your provided cluster CIDR for the pods … does not match discovered …"), the CNI hands out pod IPs from its pools and the API server allocates ClusterIPs from its range, so traffic to addresses only one of them knows is dropped or NATed. Make every source name the same {{role}} ranges.';
const POOL_OUTSIDE =
  'The pod CIDR is {{referenceOrigin}}. Calico allocates pod IPs from this pool, outside the range the rest of the cluster (Submariner, kube-proxy, Node podCIDR allocation) treats as pods, so those pods are routed and NATed as external hosts. Move the pool inside the pod CIDR, or state the pod CIDR that covers it.';

/** The report for one mismatch of the model's `cidrSourceMismatches`. */
function mismatchReport(mismatch: CidrSourceMismatch): Report {
  const { cluster, role, kind, at, stated, reference } = mismatch;
  if (mismatch.kind === 'alternatives') {
    const { kind: files, other, names } = mismatch.alternatives;
    const data = { cluster: cluster.name, kind: files, files: [...names].sort().join(' and ') };
    return {
      messageId: 'perClusterAlternatives',
      data,
      at: at.source,
      cluster: cluster.name,
      severity: 'info',
      related: [{ ...other, message: `${other.origin} in ${names[1]}` }],
    };
  }
  const data = {
    cluster: cluster.name,
    role: ROLE[role],
    cidrs: list(stated),
    origin: at.source.origin,
    referenceCidrs: list(reference),
    referenceField: reference[0].source.origin,
    referenceOrigin: factOrigin(reference[0]),
  };
  const related = [{ ...reference[0].source, message: `${ROLE[role]} CIDR ${data.referenceCidrs} (${reference[0].source.origin})` }];
  // Submariner acting on other ranges than the cluster's breaks cross-cluster traffic; other disagreements are advisory.
  const submariner = [at, reference[0]].some((f) => f.source.origin.startsWith('Submariner '));
  return { messageId: kind, data, at: at.source, cluster: cluster.name, related, ...(!submariner && { severity: 'warn' as const }) };
}

/**
 * `cidr-source-mismatch`: the sources of one cluster's pod and Service ranges disagree — the
 * Submariner CR (`clusterCIDR`, `serviceCIDR`), kubeadm and kind (`networking.podSubnet`,
 * `serviceSubnet`), Cilium cluster-pool (`ipam.operator.clusterPoolIPv4PodCIDRList`), the config
 * file (`podCIDRs`, `serviceCIDRs`) name different ranges (per address family), or an enabled
 * Calico IPPool lies outside the pod CIDR. The comparison (statements, families, defaults, the
 * reference order kubeadm → kind → Cilium → config → Submariner) is the model's view
 * `src/model/views/cidr-sources.ts`. Findings involving a Submariner CR are errors, the rest
 * warnings. Node `spec.podCIDR`s outside the pod CIDR are `cidr-overlap`'s `nodeOutsidePodCIDR`. Ranges that disagree only between per-cluster alternatives (two kind
 * or kubeadm configs of one folder) give one `perClusterAlternatives` note per cluster instead.
 *
 * Upstream: `subctl join` (submariner-io/subctl `cmd/subctl/join.go`, submariner-operator
 * `pkg/discovery/network`) warns "Your provided cluster CIDR for the pods (…) does not match
 * discovered (…)" (submariner #2285, subctl #444); the Submariner gateway and route agent use the
 * CR's `clusterCIDR`/`serviceCIDR` as the cluster's subnets; Calico allocates pod IPs from its
 * enabled IPPools (docs.tigera.io "IP pool").
 */
export default defineRule({
  meta: {
    id: 'cidr-source-mismatch',
    description: 'The pod and Service CIDRs that the Submariner CR, kubeadm/kind, Cilium, Calico and the config file state for one cluster must agree',
    severity: 'error',
    docs: 'docs/rules/cidr-source-mismatch.md',
    messages: {
      differs: { text: '{{origin}} of cluster "{{cluster}}" names {{role}} CIDR {{cidrs}}, but {{referenceField}} names {{referenceCidrs}}.', hint: DIFFERS },
      perClusterAlternatives: PER_CLUSTER_ALTERNATIVES,
      poolOutside: { text: 'Calico pool {{cidrs}} of cluster "{{cluster}}" ({{origin}}) lies outside its pod CIDR {{referenceCidrs}}.', hint: POOL_OUTSIDE },
    },
  },
  check({ set, report }) {
    for (const mismatch of cidrSourceMismatches(set)) report(mismatchReport(mismatch));
  },
});
