import { GLOBALNET_DEFAULTS, allocateGlobalCIDR, cidrText, defineRule, factOrigin, fieldPlace, globalnetCIDRError, nextPowerOf2, overlappingPairs, parseCidr, validClusterSize, type BrokerFacts, type Cidr, type ClusterModel, type ClusterSetModel, type Fact, type Report } from './kit.js';

interface GlobalRange {
  readonly cluster: ClusterModel;
  readonly fact: Fact<Cidr>;
}

/** Pairs of overlapping ranges among `ranges` (sort and sweep, O(n log n + k)). */
const sweep = <T extends { fact: Fact<Cidr> }>(ranges: readonly T[]) => overlappingPairs(ranges, (r) => r.fact.value);

/** The Broker that decides GlobalNet for the set: the first one with GlobalNet on, else the first. */
function brokerOf(set: ClusterSetModel): BrokerFacts | undefined {
  const brokers = set.clusters.flatMap((c) => c.brokers);
  return brokers.find((b) => b.globalnetEnabled.value) ?? brokers[0];
}

/** Where a note about a cluster's Submariner CR goes: its `spec`. */
function submarinerSpec(cluster: ClusterModel) {
  const object = cluster.submariner[0].object;
  return fieldPlace(object, 'spec');
}

/**
 * `globalnet-allocation`: Submariner GlobalNet settings and allocations that subctl or the
 * GlobalNet controller would reject, ignore or collide on.
 *
 * Upstream: submariner-operator `pkg/cidr` (`IsValid`, `Allocate` first-fit over aligned blocks,
 * `CheckForOverlappingCIDRs`: `invalid CIDR %q overlaps with cluster %q`, `no more allocations
 * available in %q`) and `pkg/discovery/globalnet` (`GetValidClusterSize`: `cluster size %d, should
 * be <= %d` for subctl's own size option; "Globalnet is not enabled on the Broker - ignoring the
 * specified global CIDR"). The Broker's
 * defaults are `globalnetCIDRRange` 242.0.0.0/8 and `defaultGlobalnetClusterSize` 65536.
 */
export default defineRule({
  meta: {
    id: 'globalnet-allocation',
    description: 'Submariner GlobalNet ranges, cluster sizes and per-cluster globalCIDRs must be valid, disjoint and allocatable',
    severity: 'error',
    docs: 'docs/rules/globalnet-allocation.md',
  },
  check({ set, report }) {
    const broker = brokerOf(set);
    const globalRanges: GlobalRange[] = set.clusters.flatMap((cluster) => cluster.network.globalCIDRs.map((fact) => ({ cluster, fact })));
    if (!set.globalnet.enabled) {
      // GlobalNet off on a Broker in the repository: globalCIDRs are ignored.
      if (broker) {
        for (const { cluster, fact } of globalRanges) {
          report({
            message:
              `globalCIDR ${fact.value.text} of cluster "${cluster.name}" is ignored: GlobalNet is not enabled on the Broker ` +
              `(${factOrigin(broker.globalnetEnabled)}${broker.globalnetEnabled.isDefault ? ', default false' : ''}), and subctl says ` +
              `"Globalnet is not enabled on the Broker - ignoring the specified global CIDR". Enable GlobalNet on the Broker or remove the globalCIDR.`,
            at: fact.source,
            cluster: cluster.name,
            related: [{ ...broker.globalnetEnabled.source, cluster: broker.cluster, message: 'Broker spec.globalnetEnabled' }],
            severity: 'warn',
          });
        }
      }
      return;
    }

    // The Broker's range and cluster size (defaults when no Broker is in the repository).
    const rangeFact = broker?.globalnetCIDRRange;
    const range = rangeFact?.value;
    let clusterSize: number | undefined;
    if (rangeFact && !rangeFact.isDefault) {
      const error = globalnetCIDRError(rangeFact.value.text);
      if (error) {
        report({
          message: `Broker globalnetCIDRRange is invalid: ${error}. subctl refuses to join clusters to this Broker (invalid GlobalnetCidrRange). Use a private range such as the default ${GLOBALNET_DEFAULTS.cidrRange}.`,
          at: rangeFact.source,
          cluster: broker.cluster,
        });
      }
    }
    // An unrendered cluster size (undefined) is unknown: nothing that depends on it is checked.
    if (broker && range && broker.defaultGlobalnetClusterSize) {
      // The Broker's size is used as it is (rounded up to a power of two); only subctl join's own
      // --globalnet-cluster-size goes through GetValidClusterSize (at most half the range).
      const size = broker.defaultGlobalnetClusterSize;
      const rounded = nextPowerOf2(size.value);
      const available = 2 ** ((range.family === 4 ? 32 : 128) - range.prefix);
      const at = size.isDefault ? rangeFact!.source : size.source;
      const sizeText = `${size.value}${size.isDefault ? ' (the default)' : ''}${rounded !== size.value ? `, rounded up to ${rounded}` : ''}`;
      if (rounded > available) {
        clusterSize = undefined;
        report({
          message:
            `GlobalNet cluster size ${sizeText} is larger than the range ${range.network} (${available} addresses): no cluster can be given a globalCIDR, ` +
            `and subctl join fails (unable to allocate global CIDR). Lower defaultGlobalnetClusterSize or widen globalnetCIDRRange.`,
          at,
          cluster: broker.cluster,
        });
      } else {
        clusterSize = rounded;
        if (rounded > available / 2) {
          report({
            message:
              `GlobalNet cluster size ${sizeText} leaves room for ${available / rounded} cluster in ${range.network}: the next join fails with ` +
              `"no more allocations available" (subctl would refuse such a size as --globalnet-cluster-size: ${validClusterSize(range, size.value).error}). ` +
              `Lower defaultGlobalnetClusterSize or widen globalnetCIDRRange.`,
            at,
            cluster: broker.cluster,
            severity: 'warn',
          });
        }
        if (rounded !== size.value && !size.isDefault) {
          report({
            message: `defaultGlobalnetClusterSize ${size.value} is not a power of two: Submariner rounds it up and gives each cluster ${rounded} addresses.`,
            at: size.source,
            cluster: broker.cluster,
            severity: 'info',
          });
        }
      }
    }

    // Each cluster's globalCIDR: valid, inside the range, of the cluster size.
    for (const { cluster, fact } of globalRanges) {
      const error = globalnetCIDRError(fact.value.text);
      if (error) {
        report({
          message: `globalCIDR of cluster "${cluster.name}" is invalid: ${error}. subctl refuses it (specified globalnet-cidr is invalid). Use an address block from the Broker's globalnetCIDRRange.`,
          at: fact.source,
          cluster: cluster.name,
        });
        continue;
      }
      if (range && rangeFact && !(range.start <= fact.value.start && fact.value.end <= range.end)) {
        report({
          message:
            `globalCIDR ${cidrText(fact.value)} of cluster "${cluster.name}" is outside the Broker's globalnetCIDRRange ${range.text}` +
            `${rangeFact.isDefault ? ' (default)' : ''}: Submariner accepts it, but the address plan no longer lives in one range ` +
            `(the allocator only skips it, and ranges planned elsewhere may collide with it). Pick a block inside ${range.network}.`,
          at: fact.source,
          cluster: cluster.name,
          related: [{ ...rangeFact.source, message: `globalnetCIDRRange ${range.text}` }],
          severity: 'warn',
        });
      }
      const addresses = 2 ** ((fact.value.family === 4 ? 32 : 128) - fact.value.prefix);
      if (clusterSize !== undefined && addresses !== clusterSize) {
        report({
          message:
            `globalCIDR ${cidrText(fact.value)} of cluster "${cluster.name}" has ${addresses} addresses, but the GlobalNet cluster size is ${clusterSize}` +
            `${broker?.defaultGlobalnetClusterSize?.isDefault !== false ? ' (default)' : ''}: allocations for other clusters assume equal blocks, ` +
            `and ${addresses < clusterSize ? 'this cluster may run out of global IPs' : 'it takes space meant for other clusters'}. Use a /${32 - Math.log2(clusterSize)}.`,
          at: fact.source,
          cluster: cluster.name,
          severity: 'warn',
        });
      }
    }

    // globalCIDRs of different clusters must be disjoint (CheckForOverlappingCIDRs).
    const usable = globalRanges.filter((g) => !globalnetCIDRError(g.fact.value.text));
    for (const [a, b] of sweep(usable)) {
      if (a.cluster === b.cluster) continue;
      const [here, there] = a.cluster.name > b.cluster.name ? [a, b] : [b, a];
      report({
        message:
          `globalCIDR ${cidrText(here.fact.value)} of cluster "${here.cluster.name}" overlaps globalCIDR ${cidrText(there.fact.value)} of cluster ` +
          `"${there.cluster.name}" (${factOrigin(there.fact)}): subctl refuses the join (invalid CIDR "${here.fact.value.text}" overlaps with cluster ` +
          `"${there.cluster.name}"), and two clusters would answer for the same global IPs. Give each cluster its own block of the GlobalNet range.`,
        at: here.fact.source,
        cluster: here.cluster.name,
        related: [{ ...there.fact.source, cluster: there.cluster.name, message: `globalCIDR ${there.fact.value.text} of cluster "${there.cluster.name}"` }],
      });
    }

    // globalCIDRs must not overlap any cluster's pod or service CIDRs.
    type Tagged = { fact: Fact<Cidr>; cluster: ClusterModel; role: 'global' | 'pod' | 'service' };
    const tagged: Tagged[] = [
      ...usable.map((g) => ({ ...g, role: 'global' as const })),
      ...set.clusters.flatMap((cluster) => [
        ...cluster.network.podCIDRs.map((fact) => ({ fact, cluster, role: 'pod' as const })),
        ...cluster.network.serviceCIDRs.map((fact) => ({ fact, cluster, role: 'service' as const })),
      ]),
    ];
    const reported = new Set<string>();
    for (const [a, b] of sweep(tagged)) {
      if ((a.role === 'global') === (b.role === 'global')) continue;
      const [global, local] = a.role === 'global' ? [a, b] : [b, a];
      const key = `${global.cluster.name} ${global.fact.value.network} ${local.cluster.name} ${local.role} ${local.fact.value.network}`;
      if (reported.has(key)) continue;
      reported.add(key);
      const whose = local.cluster === global.cluster ? 'its own' : `cluster "${local.cluster.name}"'s`;
      report({
        message:
          `globalCIDR ${cidrText(global.fact.value)} of cluster "${global.cluster.name}" overlaps ${whose} ${local.role} CIDR ${cidrText(local.fact.value)} ` +
          `(${factOrigin(local.fact)}): GlobalNet would translate traffic into addresses that already belong to real ${local.role === 'pod' ? 'pods' : 'Services'}, ` +
          `so those connections go to the wrong endpoint. Keep the GlobalNet range apart from every pod and service CIDR of the ClusterSet.`,
        at: global.fact.source,
        cluster: global.cluster.name,
        related: [{ ...local.fact.source, cluster: local.cluster.name, message: `${local.role} CIDR ${local.fact.value.text} of cluster "${local.cluster.name}"` }],
      });
    }

    // Clusters joined without a globalCIDR: what the first-fit allocator would give them.
    if (!broker || !range || clusterSize === undefined || globalnetCIDRError(range.text)) return;
    const taken = usable.map((g) => g.fact.value);
    for (const cluster of set.clusters) {
      if (cluster.submariner.length === 0 || cluster.network.globalCIDRs.length > 0) continue;
      const result = allocateGlobalCIDR(range, clusterSize, taken);
      const rangeSource = { ...broker.globalnetCIDRRange!.source, cluster: broker.cluster, message: `globalnetCIDRRange ${range.text}` };
      const finding: Report =
        result.error !== undefined
          ? {
              message:
                `Cluster "${cluster.name}" has no globalCIDR and the GlobalNet range is exhausted: subctl join fails (unable to allocate global CIDR: ${result.error}). ` +
                `Widen globalnetCIDRRange, lower the cluster size, or free a block.`,
              at: submarinerSpec(cluster),
              cluster: cluster.name,
              related: [rangeSource],
            }
          : {
              message: `Cluster "${cluster.name}" has no globalCIDR: subctl join will allocate ${result.cidr}, the first free block of ${clusterSize} addresses in ${range.network}.`,
              at: submarinerSpec(cluster),
              cluster: cluster.name,
              related: [rangeSource],
              severity: 'info',
            };
      report(finding);
      const allocated = result.cidr !== undefined ? parseCidr(result.cidr) : undefined;
      if (allocated) taken.push(allocated);
    }
  },
});
