/**
 * Submariner's CNI prerequisites per cluster, as `subctl diagnose cni` / `diagnose kube-proxy-mode`
 * and the Submariner docs state them:
 * - Calico (submariner.io "Calico CNI"; submariner #407, #2121, #2724, #2810): Calico's NAT rules
 *   run before Submariner's, so each cluster needs, for every remote cluster's pod and Service
 *   CIDR, an IPPool with `disabled: true` (no local pod gets such an address) and
 *   `natOutgoing: false` (traffic to it keeps its pod source IP). Submariner ≥ 0.16 creates these
 *   pools itself when the Calico API server is installed (submariner PR #2576), so a missing pool
 *   is advisory; a pool that covers a remote range but is enabled or NATs is wrong either way.
 *   "Submariner is validated only when Calico is deployed with VXLAN encapsulation": the cluster's
 *   own pools without VXLAN are advisory.
 * - kube-proxy in `ipvs` mode: "The cluster is deployed with kube-proxy ipvs mode which Submariner
 *   does not support" (subctl diagnose; submariner #1559, #1611): Submariner's iptables rules that
 *   keep pod source IPs are bypassed by IPVS.
 * Clusters of a GlobalNet set (a `globalCIDR` or a Broker with `globalnetEnabled: true`) are not
 * checked for pools: remote ranges are then global IPs, a case the docs give no pool layout for.
 * Remote ranges are the remote Submariner CR's CIDRs, else the remote's other written pod/Service
 * CIDRs (defaults are not read).
 */
import type { Cidr } from '../../base/cidr.js';
import { CALICO_ORIGINS } from '../sources/calico.js';
import type { CalicoPoolFacts, ClusterModel, ClusterSetModel, Fact, Source } from '../types.js';
import { viewKey, viewOf } from './cache.js';

/** A remote cluster's range that a local Calico pool must cover. */
export interface RemoteRange {
  readonly remote: ClusterModel;
  readonly role: 'pod' | 'service';
  readonly cidr: Fact<Cidr>;
}

/**
 * One unmet prerequisite in `cluster`:
 * - `missingPool`: no pool covers `range` (`at`: the cluster's Submariner CR);
 * - `poolEnabled` / `poolNatOutgoing`: `pool` covers `range` but is not `disabled: true` / NATs;
 * - `notVxlan`: one of the cluster's own pools carries traffic without VXLAN;
 * - `ipvs`: kube-proxy runs in `ipvs` mode (`mode`).
 */
export type SubmarinerCniProblem =
  | { readonly kind: 'missingPool'; readonly cluster: ClusterModel; readonly range: RemoteRange; readonly at: Source }
  | { readonly kind: 'poolEnabled' | 'poolNatOutgoing'; readonly cluster: ClusterModel; readonly range: RemoteRange; readonly pool: CalicoPoolFacts; readonly at: Source }
  | { readonly kind: 'notVxlan'; readonly cluster: ClusterModel; readonly pool: CalicoPoolFacts; readonly at: Source }
  | { readonly kind: 'ipvs'; readonly cluster: ClusterModel; readonly mode: Fact<string>; readonly at: Source };

const inside = (a: Cidr, b: Cidr) => a.family === b.family && a.start >= b.start && a.end <= b.end;
const isCalico = (f: Fact<Cidr>) => CALICO_ORIGINS.some((o) => f.source.origin.startsWith(o));

/** A cluster's written ranges of one role: its Submariner CR's when it has them, else the others (no Calico pools, no defaults), one per network. */
function statedRanges(facts: readonly Fact<Cidr>[]): Fact<Cidr>[] {
  const written = facts.filter((f) => !f.isDefault && !isCalico(f));
  const submariner = written.filter((f) => f.source.origin.startsWith('Submariner '));
  const seen = new Set<string>();
  return (submariner.length > 0 ? submariner : written).filter((f) => !seen.has(f.value.network) && seen.add(f.value.network));
}

function usesGlobalnet(set: ClusterSetModel): boolean {
  return set.clusters.some((c) => c.network.globalCIDRs.length > 0 || c.brokers.some((b) => b.globalnetEnabled.value && !b.globalnetEnabled.isDefault));
}

function poolProblems(cluster: ClusterModel, remotes: readonly ClusterModel[]): SubmarinerCniProblem[] {
  const problems: SubmarinerCniProblem[] = [];
  const ranges: RemoteRange[] = remotes.flatMap((remote) => [
    ...statedRanges(remote.network.podCIDRs).map((cidr) => ({ remote, role: 'pod' as const, cidr })),
    ...statedRanges(remote.network.serviceCIDRs).map((cidr) => ({ remote, role: 'service' as const, cidr })),
  ]);
  const at: Source = { ...cluster.submariner[0].at, origin: 'Submariner' };
  const forRemote = new Set<CalicoPoolFacts>();
  for (const range of ranges) {
    const covering = cluster.calicoPools.filter((p) => inside(range.cidr.value, p.cidr.value));
    if (covering.length === 0) problems.push({ kind: 'missingPool', cluster, range, at });
    for (const pool of covering) {
      forRemote.add(pool);
      if (pool.disabled && !pool.disabled.value)
        problems.push({ kind: 'poolEnabled', cluster, range, pool, at: pool.disabled.isDefault ? pool.cidr.source : pool.disabled.source });
      if (pool.natOutgoing?.value) problems.push({ kind: 'poolNatOutgoing', cluster, range, pool, at: pool.natOutgoing.isDefault ? pool.cidr.source : pool.natOutgoing.source });
    }
  }
  for (const pool of cluster.calicoPools) {
    if (forRemote.has(pool) || pool.disabled?.value !== false || !pool.encapsulation || pool.encapsulation.value === 'VXLAN') continue;
    problems.push({ kind: 'notVxlan', cluster, pool, at: pool.encapsulation.source });
  }
  return problems;
}

const KEY = viewKey<readonly SubmarinerCniProblem[]>('submariner-cni');

/** Every unmet Submariner CNI prerequisite of the Submariner clusters of `set`, cluster by cluster. */
export function submarinerCniProblems(set: ClusterSetModel): readonly SubmarinerCniProblem[] {
  return viewOf(set, KEY, () => {
    const joined = set.clusters.filter((c) => c.submariner.length > 0);
    const globalnet = usesGlobalnet(set);
    return joined.flatMap((cluster) => [
      ...(globalnet || cluster.calicoPools.length === 0
        ? []
        : poolProblems(
            cluster,
            joined.filter((c) => c !== cluster),
          )),
      ...cluster.kubeProxy.filter((k) => k.mode.value === 'ipvs').map((k): SubmarinerCniProblem => ({ kind: 'ipvs', cluster, mode: k.mode, at: k.mode.source })),
    ]);
  });
}
