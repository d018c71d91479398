/**
 * CIDR sources of one cluster side by side: the pod and Service ranges that the Submariner CR
 * (`clusterCIDR`, `serviceCIDR`), kubeadm and kind (`networking.podSubnet`/`serviceSubnet`), Cilium
 * (cluster-pool `ipam.operator.clusterPoolIPv4PodCIDRList`, `cluster-pool-ipv4-cidr`), Calico
 * IPPools and the config file (`podCIDRs`, `serviceCIDRs`) state for the same cluster, and where
 * they disagree.
 *
 * Upstream: `subctl join` compares the CIDRs given to it with the ones it discovers from the cluster
 * (submariner-io/submariner-operator `pkg/discovery/network`, the join's CIDR checks) and warns
 * "Your provided cluster CIDR for the pods (…) does not match discovered (…)" (submariner #2285);
 * the CR's ranges are what the gateway and route agent route and check for overlaps, while pods get
 * their addresses from the CNI's pools and Services from the API server's range.
 *
 * Decisions: a statement is every CIDR one field of one object names (a comma-separated list or a
 * YAML list is one statement). Statements are compared per address family, and only for families
 * both state (a single-stack Submariner CR on a dual-stack cluster is not a mismatch); each family's
 * reference is the best statement naming a range of that family. Defaults
 * (`isDefault`: kind's and kubeadm's subnets, Cilium's 10.0.0.0/8) are not statements: a default
 * never disagrees with a written value. Calico IPPools are compared by coverage, not equality (a
 * cluster may have several pools): every enabled pool must lie inside the pod CIDR. The reference
 * is the cluster's own installer first — kubeadm, kind, Cilium, the config file, Submariner — so a
 * Submariner CR that disagrees is reported, as subctl reports the provided value.
 */
import type { Cidr } from '../../base/cidr.js';
import { CALICO_ORIGINS } from '../sources/calico.js';
import type { ClusterModel, ClusterSetModel, Fact } from '../types.js';
import { viewKey, viewOf } from './cache.js';
import { alternativeOf, type PerClusterAlternatives } from '../alternatives.js';

/** The range a statement is about. */
export type CidrRole = 'pod' | 'service';

/**
 * One statement that disagrees with the cluster's reference statement, for one address family:
 * - `differs`: `stated` (the statement's CIDRs of that family) is not the same set as `reference`;
 * - `poolOutside`: a Calico pool (`stated`, one CIDR) not inside any `reference` CIDR;
 * - `alternatives`: `stated` differs, but comes from a per-cluster alternative of every statement
 *   that agrees with the reference (two kind `Cluster` configs or kubeadm `ClusterConfiguration`s
 *   of one folder: `perClusterAlternatives`), so it is no disagreement; at most one per cluster.
 * `at` is the fact reported (the first CIDR not in the reference).
 */
export type CidrSourceMismatch = {
  readonly cluster: ClusterModel;
  readonly role: CidrRole;
  readonly at: Fact<Cidr>;
  readonly stated: readonly Fact<Cidr>[];
  readonly reference: readonly Fact<Cidr>[];
} & ({ readonly kind: 'differs' | 'poolOutside' } | { readonly kind: 'alternatives'; readonly alternatives: PerClusterAlternatives });

const RANKS: [RegExp, number][] = [
  [/^kubeadm /, 0],
  [/^kind /, 1],
  [/^(Cilium values|cilium-config) /, 2],
  [/^config /, 3],
  [/^Submariner /, 4],
];
const rankOf = (origin: string) => RANKS.find(([re]) => re.test(origin))?.[1] ?? 5;
const isCalico = (fact: Fact<Cidr>) => CALICO_ORIGINS.some((o) => fact.source.origin.startsWith(o));
const inside = (a: Cidr, b: Cidr) => a.family === b.family && a.start >= b.start && a.end <= b.end;
const networks = (facts: readonly Fact<Cidr>[]) => new Set(facts.map((f) => f.value.network));

/** Written (non-default) facts grouped into statements (file, document, origin), best reference first. */
function statements(facts: readonly Fact<Cidr>[]): Fact<Cidr>[][] {
  const groups = new Map<string, Fact<Cidr>[]>();
  for (const fact of facts) {
    if (fact.isDefault || isCalico(fact)) continue;
    const key = `${fact.source.file}\0${fact.source.doc}\0${fact.source.origin}`;
    const group = groups.get(key);
    if (group) group.push(fact);
    else groups.set(key, [fact]);
  }
  return [...groups.values()].sort((a, b) => rankOf(a[0].source.origin) - rankOf(b[0].source.origin));
}

function roleMismatches(cluster: ClusterModel, role: CidrRole, facts: readonly Fact<Cidr>[]): CidrSourceMismatch[] {
  const all = statements(facts);
  const found: CidrSourceMismatch[] = [];
  for (const family of [4, 6] as const) {
    // The reference of a family: the best statement that names a range of it.
    const [ref = [], ...others] = all.map((statement) => statement.filter((f) => f.value.family === family)).filter((stated) => stated.length > 0);
    if (ref.length === 0) continue;
    const refNets = networks(ref);
    const same = (stated: readonly Fact<Cidr>[]) => {
      const nets = networks(stated);
      return nets.size === refNets.size && [...nets].every((n) => refNets.has(n));
    };
    const agreeing = [ref, ...others.filter(same)].map((statement) => statement[0].source);
    for (const stated of others) {
      if (same(stated)) continue;
      const at = stated.find((f) => !refNets.has(f.value.network)) ?? stated[0];
      const alternatives = alternativeOf(cluster, at.source, agreeing);
      found.push(alternatives ? { cluster, role, kind: 'alternatives', at, stated, reference: ref, alternatives } : { cluster, role, kind: 'differs', at, stated, reference: ref });
    }
    if (role !== 'pod') continue;
    for (const pool of facts) {
      if (!isCalico(pool) || pool.isDefault || pool.value.family !== family || ref.some((r) => inside(pool.value, r.value))) continue;
      found.push({ cluster, role, kind: 'poolOutside', at: pool, stated: [pool], reference: ref });
    }
  }
  return found;
}

const KEY = viewKey<readonly CidrSourceMismatch[]>('cidr-sources');

/** Every disagreement between the CIDR sources of each cluster of `set`, cluster by cluster, pod ranges first; at most one `alternatives` per cluster. */
export function cidrSourceMismatches(set: ClusterSetModel): readonly CidrSourceMismatch[] {
  return viewOf(set, KEY, () =>
    set.clusters.flatMap((cluster) => {
      const all = [...roleMismatches(cluster, 'pod', cluster.network.podCIDRs), ...roleMismatches(cluster, 'service', cluster.network.serviceCIDRs)];
      const noted = all.find((m) => m.kind === 'alternatives');
      return all.filter((m) => m.kind !== 'alternatives' || m === noted);
    }),
  );
}
