import { cidrText, defineRule, factOrigin, submarinerCniProblems, type Report, type SubmarinerCniProblem } from './kit.js';

const ROLE = { pod: 'pod', service: 'Service' } as const;

const POOL =
  "Calico's NAT rules run before Submariner's: without an IPPool for the remote range that is `disabled: true` (no local pod gets such an address) and `natOutgoing: false`, Calico masquerades cross-cluster traffic and Submariner cannot keep the pods' source IPs, so replies and network policies fail.";
const MISSING = `${POOL} Submariner 0.16 and later create these pools itself only when the Calico API server is installed. Add an IPPool with cidr {{remoteCidr}}, disabled: true and natOutgoing: false (submariner.io, "Calico CNI").`;
const ENABLED = `${POOL} An enabled pool also hands local pods addresses of the remote cluster, which are then unreachable across the set. Set disabled: true on it.`;
const NAT = `${POOL} Set natOutgoing: false on it.`;
const VXLAN =
  "The Submariner docs say it is validated only when Calico is deployed with VXLAN encapsulation; with IP-in-IP or unencapsulated (BGP) pools Calico's routes and rules compete with Submariner's (submariner #407). Use vxlanMode: Always (Installation encapsulation: VXLAN).";
const IPVS =
  'kube-proxy in IPVS mode programs IPVS load-balancer rules instead of the iptables rules Submariner\'s route agent relies on to keep pod source IPs for cross-cluster traffic; `subctl diagnose kube-proxy-mode` fails with "The cluster is deployed with kube-proxy ipvs mode which Submariner does not support". Run kube-proxy in iptables mode.';

/** The report for one problem of the model's `submarinerCniProblems`. */
function problemReport(problem: SubmarinerCniProblem): Report {
  const { kind, cluster, at } = problem;
  const base = { at, cluster: cluster.name };
  if (kind === 'ipvs') return { ...base, messageId: 'ipvs', data: { cluster: cluster.name, origin: problem.mode.source.origin } };
  if (kind === 'notVxlan') {
    const { encapsulation, cidr } = problem.pool;
    const data = {
      cluster: cluster.name,
      cidr: cidrText(cidr.value),
      encapsulation: encapsulation!.value,
      origin: encapsulation!.source.origin,
      default: encapsulation!.isDefault ? ' (default)' : '',
    };
    return { ...base, messageId: 'notVxlan', data, severity: 'warn' };
  }
  const { remote, role, cidr } = problem.range;
  const data = { cluster: cluster.name, remote: remote.name, role: ROLE[role], remoteCidr: cidrText(cidr.value), remoteOrigin: factOrigin(cidr) };
  const related = [{ ...cidr.source, cluster: remote.name, otherSide: true as const, message: `${ROLE[role]} CIDR ${cidr.value.text} of cluster "${remote.name}"` }];
  // The texts name both clusters: they read the same at the remote cluster's CIDR.
  const mirror = {
    relatedMessage: kind === 'missingPool' ? `Calico in cluster "${cluster.name}"` : `Calico IPPool ${cidrText(problem.pool.cidr.value)} of cluster "${cluster.name}"`,
  };
  if (kind === 'missingPool') return { ...base, messageId: 'missingPool', data, related, severity: 'warn', mirror };
  return { ...base, messageId: kind, data: { ...data, pool: cidrText(problem.pool.cidr.value) }, related, mirror };
}

/**
 * `submariner-cni`: Submariner's CNI prerequisites in each cluster joined to Submariner — with
 * Calico, an IPPool with `disabled: true` and `natOutgoing: false` for every remote cluster's pod
 * and Service CIDR (missing: warning; enabled or NATing: error), the cluster's own pools using
 * VXLAN (warning); kube-proxy not in `ipvs` mode (error). The checks are the model's view
 * `src/model/views/submariner-cni.ts` (GlobalNet sets are not checked for pools).
 *
 * Upstream: submariner.io "Calico CNI" (IPPools per remote CIDR; "validated only when Calico is
 * deployed with VXLAN encapsulation"); submariner #407, #2121, #2724, #2810 (Calico NAT breaking
 * cross-cluster traffic), PR #2576 (the route agent creates the pools when the Calico API server is
 * installed); subctl `diagnose kube-proxy-mode` ("The cluster is deployed with kube-proxy ipvs mode
 * which Submariner does not support", submariner #1559, #1611).
 */
export default defineRule({
  meta: {
    id: 'submariner-cni',
    description: "Submariner's CNI prerequisites: Calico IPPools for remote clusters' CIDRs, VXLAN pools, kube-proxy not in ipvs mode",
    severity: 'error',
    docs: 'docs/rules/submariner-cni.md',
    messages: {
      missingPool: { text: 'Cluster "{{cluster}}" runs Calico but has no IPPool for the {{role}} CIDR {{remoteCidr}} of cluster "{{remote}}".', hint: MISSING },
      poolEnabled: { text: 'Calico IPPool {{pool}} of cluster "{{cluster}}" covers the {{role}} CIDR {{remoteCidr}} of cluster "{{remote}}" but is not disabled.', hint: ENABLED },
      poolNatOutgoing: {
        text: 'Calico IPPool {{pool}} of cluster "{{cluster}}" covers the {{role}} CIDR {{remoteCidr}} of cluster "{{remote}}" but has natOutgoing on.',
        hint: NAT,
      },
      notVxlan: { text: 'Calico IPPool {{cidr}} of cluster "{{cluster}}" uses {{encapsulation}} encapsulation{{default}}, not VXLAN, with Submariner.', hint: VXLAN },
      ipvs: { text: 'Cluster "{{cluster}}" runs kube-proxy in ipvs mode ({{origin}}), which Submariner does not support.', hint: IPVS },
    },
  },
  check({ set, report }) {
    for (const problem of submarinerCniProblems(set)) report(problemReport(problem));
  },
});
