import { addressCount, cidrText, defineRule, factOrigin, globalnetCIDRError, globalnetPlan, type GlobalnetPlan, type Report } from './kit.js';

const RESIZE = 'Lower defaultGlobalnetClusterSize or widen globalnetCIDRRange.';
const EXPLICIT =
  "subctl join accepts any valid globalCIDR (--globalnet-cidr) that overlaps no other cluster's: the cluster size only sizes the blocks subctl allocates itself, and its allocator skips blocks of any size already taken.";
const GLOBAL_IPS =
  'Globalnet hands out global IPs from the globalCIDR (every address but the network and broadcast ones): 8 for cluster egress (ClusterGlobalEgressIP), those of GlobalEgressIPs, one per exported ClusterIP Service and one per pod of an exported headless Service';
const APART = 'Keep the GlobalNet range apart from every pod and service CIDR of the ClusterSet.';
// Hints: what subctl and the GlobalNet controller do, and how to fix it.
const IGNORED = '{{enabledField}} is {{enabled}}; subctl says "Globalnet is not enabled on the Broker - ignoring the specified global CIDR". Enable it or drop the globalCIDR.';
const RANGE_INVALID = 'subctl refuses to join clusters to this Broker (invalid GlobalnetCidrRange). Use a private range such as the default 242.0.0.0/8.';
const SIZE_TOO_LARGE = `No cluster can be given a globalCIDR, and subctl join fails (unable to allocate global CIDR). ${RESIZE}`;
const SIZE_TIGHT = `The next join fails with "no more allocations available" (subctl would refuse such a size as --globalnet-cluster-size: {{refusal}}). ${RESIZE}`;
const SIZE_ROUNDED = 'Submariner rounds the cluster size up to a power of two. Write {{rounded}} so the address plan says what it does.';
const CIDR_INVALID = "subctl refuses it (specified globalnet-cidr is invalid). Use an address block from the Broker's globalnetCIDRRange.";
const OUTSIDE_RANGE = 'Submariner accepts it, but the plan leaves one range (the allocator only skips it; ranges planned elsewhere may collide). Pick a block in {{network}}.';
const CIDR_SMALL = `${EXPLICIT} ${GLOBAL_IPS}; once they run out, new exports and egress policies get no global IP. Widen the block if the cluster will need more.`;
const CIDR_LARGE = `${EXPLICIT} The larger block only leaves less of the range to clusters joined without a globalCIDR (the allocation findings say what they get).`;
const CIDR_TOO_SMALL = `${GLOBAL_IPS}. The 8 cluster egress IPs are allocated as one block: with fewer free, that allocation fails (insufficient IPs available for allocation) and pods reach no remote cluster unless NumberOfIPs of cluster-egress.submariner.io is lowered; a block of fewer than 4 addresses is refused outright (invalid prefix for CIDR). Use at least a /28, more for exported services.`;
const CIDR_OVERLAP = 'subctl refuses the join (invalid CIDR "{{written}}" overlaps with cluster "{{other}}"): two clusters would own the same global IPs. Give each its own block.';
const COLLISION = `The {{role}} CIDR is {{otherOrigin}}. GlobalNet would translate traffic into real {{role}}s' addresses, to the wrong endpoint. ${APART}`;
const EXHAUSTED = 'subctl join fails (unable to allocate global CIDR: {{error}}). Widen globalnetCIDRRange, lower the cluster size, or free a block.';
const ALLOCATED = "Submariner's first-fit allocator gives each cluster joined without a globalCIDR the first free aligned block of the cluster size; set globalCIDR to pin it.";

/** The Broker's range and cluster size: a range Submariner rejects, a size that does not fit. */
function* brokerSettings(plan: GlobalnetPlan): Generator<Report> {
  const { broker, range, size } = plan;
  if (!broker) return;
  const error = range && !range.isDefault ? globalnetCIDRError(range.value.text) : undefined;
  if (range && error) yield { messageId: 'rangeInvalid', data: { error }, at: range.source, cluster: broker.cluster };
  if (!range || !size) return;
  const { fact, rounded, available, at } = size;
  const sizeText = `${fact.value}${fact.isDefault ? ' (the default)' : ''}${rounded !== fact.value ? `, rounded up to ${rounded}` : ''}`;
  const data = { size: sizeText, range: range.value.network, available };
  if (rounded > available) {
    yield { messageId: 'sizeTooLarge', data, at, cluster: broker.cluster };
    return;
  }
  if (rounded > available / 2) {
    yield { messageId: 'sizeTight', data: { ...data, fits: available / rounded, refusal: size.refusal ?? '' }, at, cluster: broker.cluster, severity: 'warn' };
  }
  if (rounded !== fact.value && !fact.isDefault)
    yield { messageId: 'sizeRounded', data: { size: fact.value, rounded }, at: fact.source, cluster: broker.cluster, severity: 'info' };
}

/** Globalnet's default `ClusterGlobalEgressIP` size (submariner `pkg/globalnet/controllers/types.go` `DefaultNumberOfClusterEgressIPs`). */
const CLUSTER_EGRESS_IPS = 8;

/**
 * Each cluster's globalCIDR: valid, inside the Broker's range, large enough for Globalnet's cluster
 * egress IPs. A size other than the cluster size is a note (subctl takes any explicit block), left
 * out for a block that overlaps another cluster's (that join is refused anyway).
 */
function* globalCIDRs(plan: GlobalnetPlan): Generator<Report> {
  const { range, clusterSize } = plan;
  const overlapping = new Set(
    plan
      .overlaps()
      .flat()
      .map((g) => g.fact),
  );
  for (const { cluster, fact } of plan.ranges) {
    const named = { cluster: cluster.name, cidr: cidrText(fact.value) };
    const error = globalnetCIDRError(fact.value.text);
    if (error) {
      yield { messageId: 'globalCIDRInvalid', data: { ...named, error }, at: fact.source, cluster: cluster.name };
      continue;
    }
    if (range && !(range.value.start <= fact.value.start && fact.value.end <= range.value.end)) {
      const data = { ...named, range: `${range.value.text}${range.isDefault ? ' (default)' : ''}`, network: range.value.network };
      const related = [{ ...range.source, message: `globalnetCIDRRange ${range.value.text}` }];
      yield { messageId: 'outsideRange', data, at: fact.source, cluster: cluster.name, related, severity: 'warn' };
    }
    const addresses = addressCount(fact.value);
    // Submariner pkg/ipam NewIPPool: the network and broadcast addresses are not handed out.
    const usable = Math.max(0, addresses - 2);
    if (fact.value.family === 4 && usable < CLUSTER_EGRESS_IPS) {
      yield { messageId: 'globalCIDRTooSmall', data: { ...named, count: usable }, at: fact.source, cluster: cluster.name, severity: 'warn' };
      continue;
    }
    if (clusterSize !== undefined && addresses !== clusterSize && !overlapping.has(fact)) {
      const data = { ...named, addresses, clusterSize: `${clusterSize}${plan.size?.fact.isDefault === true ? ' (default)' : ''}` };
      yield { messageId: addresses < clusterSize ? 'globalCIDRSmall' : 'globalCIDRLarge', data, at: fact.source, cluster: cluster.name, severity: 'info' };
    }
  }
}

/** globalCIDRs overlapping each other (CheckForOverlappingCIDRs) or any pod or service CIDR. */
function* overlaps(plan: GlobalnetPlan): Generator<Report> {
  for (const [here, there] of plan.overlaps()) {
    const data = { cluster: here.cluster.name, cidr: cidrText(here.fact.value), written: here.fact.value.text, other: there.cluster.name, otherCidr: cidrText(there.fact.value) };
    const related = [
      { ...there.fact.source, cluster: there.cluster.name, otherSide: true as const, message: `globalCIDR ${there.fact.value.text} of cluster "${there.cluster.name}"` },
    ];
    const mirror = {
      data: { cluster: there.cluster.name, cidr: cidrText(there.fact.value), written: there.fact.value.text, other: here.cluster.name, otherCidr: cidrText(here.fact.value) },
      relatedMessage: `globalCIDR ${here.fact.value.text} of cluster "${here.cluster.name}"`,
    };
    yield { messageId: 'globalCIDROverlap', data, at: here.fact.source, cluster: here.cluster.name, related, mirror };
  }
  for (const { global, local } of plan.collisions()) {
    const own = local.cluster === global.cluster;
    const data = {
      cluster: global.cluster.name,
      cidr: cidrText(global.fact.value),
      other: local.cluster.name,
      role: local.role,
      otherCidr: cidrText(local.fact.value),
      otherOrigin: factOrigin(local.fact),
    };
    const related = [
      {
        ...local.fact.source,
        cluster: local.cluster.name,
        ...(own ? {} : { otherSide: true as const }),
        message: `${local.role} CIDR ${local.fact.value.text} of cluster "${local.cluster.name}"`,
      },
    ];
    // The text names both clusters: it reads the same at the other cluster's range.
    const mirror = own ? undefined : { relatedMessage: `globalCIDR ${global.fact.value.text} of cluster "${global.cluster.name}"` };
    yield { messageId: own ? 'overlapsOwnRange' : 'overlapsOtherRange', data, at: global.fact.source, cluster: global.cluster.name, related, ...(mirror && { mirror }) };
  }
}

/** Clusters joined without a globalCIDR: what the first-fit allocator would give them. */
function* allocations(plan: GlobalnetPlan): Generator<Report> {
  const { broker, range, clusterSize } = plan;
  for (const { cluster, at, result } of plan.allocations()) {
    const related = [{ ...range!.source, cluster: broker!.cluster, message: `globalnetCIDRRange ${range!.value.text}` }];
    const data = { cluster: cluster.name, range: range!.value.network, size: clusterSize! };
    if (result.error !== undefined) yield { messageId: 'exhausted', data: { ...data, error: result.error }, at, cluster: cluster.name, related };
    else yield { messageId: 'allocated', data: { ...data, cidr: result.cidr }, at, cluster: cluster.name, related, severity: 'info' };
  }
}

/**
 * `globalnet-allocation`: Submariner GlobalNet settings and allocations that subctl or the
 * GlobalNet controller would reject, ignore or collide on. The address plan (Broker, range, cluster
 * size, globalCIDRs, overlaps, first-fit allocations) is the model's `globalnetPlan` and its
 * queries (`src/model/globalnet.ts`); this rule words them.
 *
 * Upstream: submariner-operator `pkg/cidr` (`IsValid`, `Allocate` first-fit over aligned blocks,
 * `CheckForOverlappingCIDRs`: `invalid CIDR %q overlaps with cluster %q`, `no more allocations
 * available in %q`) and `pkg/discovery/globalnet` (`GetValidClusterSize`: `cluster size %d, should
 * be <= %d` for subctl's own size option; `ValidateGlobalnetConfiguration` and `AssignGlobalnetIPs`:
 * a `--globalnet-cidr` given to subctl join is only checked by `IsValid` and
 * `CheckForOverlappingCIDRs`, never against the cluster size; "Globalnet is not enabled on the Broker
 * - ignoring the specified global CIDR"). The Broker's defaults are `globalnetCIDRRange`
 * 242.0.0.0/8 and `defaultGlobalnetClusterSize` 65536. What a globalCIDR is used for: submariner
 * `pkg/ipam/ippool.go` (`NewIPPool`: every address but the network and broadcast ones, "invalid
 * prefix for CIDR" below two; `Allocate`: a contiguous block, "insufficient IPs available for
 * allocation"), `pkg/globalnet/controllers/types.go` (`DefaultNumberOfClusterEgressIPs` = 8) and
 * the Globalnet architecture page (submariner-website `getting-started/architecture/globalnet`:
 * cluster egress IPs, GlobalEgressIPs, one global IP per exported ClusterIP Service and per pod of
 * an exported headless Service).
 */
export default defineRule({
  meta: {
    id: 'globalnet-allocation',
    description: 'Submariner GlobalNet ranges, cluster sizes and per-cluster globalCIDRs must be valid, disjoint and allocatable',
    severity: 'error',
    docs: 'docs/rules/globalnet-allocation.md',
    messages: {
      ignored: { text: 'globalCIDR {{cidr}} of cluster "{{cluster}}" is ignored: GlobalNet is not enabled on the Broker.', hint: IGNORED },
      rangeInvalid: { text: 'Broker globalnetCIDRRange is invalid: {{error}}.', hint: RANGE_INVALID },
      sizeTooLarge: { text: 'GlobalNet cluster size {{size}} is larger than the range {{range}} ({{available}} addresses).', hint: SIZE_TOO_LARGE },
      sizeTight: { text: 'GlobalNet cluster size {{size}} leaves room for {{fits}} cluster in {{range}}.', hint: SIZE_TIGHT },
      sizeRounded: { text: 'defaultGlobalnetClusterSize {{size}} is not a power of two: each cluster gets {{rounded}} addresses.', hint: SIZE_ROUNDED },
      globalCIDRInvalid: { text: 'globalCIDR of cluster "{{cluster}}" is invalid: {{error}}.', hint: CIDR_INVALID },
      outsideRange: { text: 'globalCIDR {{cidr}} of cluster "{{cluster}}" is outside the Broker\'s globalnetCIDRRange {{range}}.', hint: OUTSIDE_RANGE },
      globalCIDRTooSmall: {
        text: 'globalCIDR {{cidr}} of cluster "{{cluster}}" has {{count}} usable global IPs, fewer than the 8 Globalnet allocates for cluster egress.',
        hint: CIDR_TOO_SMALL,
      },
      globalCIDRSmall: { text: 'globalCIDR {{cidr}} of cluster "{{cluster}}" has {{addresses}} addresses, fewer than the cluster size {{clusterSize}}.', hint: CIDR_SMALL },
      globalCIDRLarge: { text: 'globalCIDR {{cidr}} of cluster "{{cluster}}" has {{addresses}} addresses, more than the cluster size {{clusterSize}}.', hint: CIDR_LARGE },
      globalCIDROverlap: { text: 'globalCIDR {{cidr}} of cluster "{{cluster}}" overlaps globalCIDR {{otherCidr}} of cluster "{{other}}".', hint: CIDR_OVERLAP },
      overlapsOwnRange: { text: 'globalCIDR {{cidr}} of cluster "{{cluster}}" overlaps its own {{role}} CIDR {{otherCidr}}.', hint: COLLISION },
      overlapsOtherRange: { text: 'globalCIDR {{cidr}} of cluster "{{cluster}}" overlaps cluster "{{other}}"\'s {{role}} CIDR {{otherCidr}}.', hint: COLLISION },
      exhausted: { text: 'Cluster "{{cluster}}" has no globalCIDR and the GlobalNet range {{range}} is exhausted.', hint: EXHAUSTED },
      allocated: { text: 'Cluster "{{cluster}}" has no globalCIDR: subctl join will allocate {{cidr}}, the first free block of {{size}} addresses in {{range}}.', hint: ALLOCATED },
    },
  },
  check({ set, report }) {
    const plan = globalnetPlan(set);
    if (!set.globalnet.enabled) {
      // GlobalNet off on a Broker in the repository: globalCIDRs are ignored.
      const enabled = plan.broker?.globalnetEnabled;
      for (const { cluster, fact } of enabled ? plan.ranges : []) {
        const data = { cidr: fact.value.text, cluster: cluster.name, enabledField: factOrigin(enabled!), enabled: enabled!.isDefault ? 'false (the default)' : 'false' };
        const related = [{ ...enabled!.source, cluster: plan.broker!.cluster, message: 'Broker spec.globalnetEnabled' }];
        report({ messageId: 'ignored', data, at: fact.source, cluster: cluster.name, related, severity: 'warn' });
      }
      return;
    }
    for (const generate of [brokerSettings(plan), globalCIDRs(plan), overlaps(plan), allocations(plan)]) for (const r of generate) report(r);
  },
});
