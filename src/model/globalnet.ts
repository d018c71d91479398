/**
 * Submariner GlobalNet arithmetic, mirroring submariner-operator `pkg/cidr` (`IsValid`,
 * `Allocate`, `CheckForOverlappingCIDRs`) and `pkg/discovery/globalnet` (`GetValidClusterSize`):
 * what subctl does when a cluster joins a Broker with GlobalNet on. Ranges are IPv4 (Submariner
 * does its GlobalNet arithmetic on 32-bit integers). Parsing and masking are ipaddr.js's.
 */
import ipaddr from 'ipaddr.js';
import { overlappingPairs, parseCidr, type Cidr } from '../base/cidr.js';
import type { Place } from '../base/types.js';
import type { BrokerFacts, ClusterModel, ClusterSetModel, Fact } from './types.js';

/** Submariner's GlobalNet defaults (submariner `pkg/globalnet` constants). */
export const GLOBALNET_DEFAULTS = { cidrRange: '242.0.0.0/8', clusterSize: 65536 } as const;

/**
 * Submariner's `cidr.IsValid`: the CIDR parses, and its address (as written, host bits included)
 * is not unspecified, loopback, link-local unicast or link-local multicast (224.0.0.0/24).
 * @param text a CIDR string as written, e.g. `"242.0.0.0/8"`
 * @returns Submariner's error text, or undefined when valid
 */
export function globalnetCIDRError(text: string): string | undefined {
  const cidr = parseCidr(text);
  if (!cidr) return `invalid CIDR address: ${text}`;
  const address = ipaddr.parse(cidr.text.slice(0, cidr.text.lastIndexOf('/')));
  const range = address.range();
  const bytes = address.toByteArray();
  // Go's net.IP.IsUnspecified: the address 0.0.0.0 or :: itself (not all of 0.0.0.0/8).
  if (bytes.every((b) => b === 0)) return `${text} can't be unspecified`;
  if (range === 'loopback') return `${text} can't be in loopback range`;
  if (range === 'linkLocal') return `${text} can't be in link-local range`;
  if (address.kind() === 'ipv4' && (address as ipaddr.IPv4).match(ipaddr.IPv4.parse('224.0.0.0'), 24)) return `${text} can't be in link-local multicast range`;
  // Go's IsLinkLocalMulticast for IPv6: ffX2::/16 (any flags nibble).
  if (address.kind() === 'ipv6' && bytes[0] === 0xff && (bytes[1] & 0x0f) === 0x02) return `${text} can't be in link-local multicast range`;
  return undefined;
}

/** Go's `nextPowerOf2` on a cluster size in addresses (sizes ≤ 1 stay as they are). */
export function nextPowerOf2(n: number): number {
  let p = 1;
  while (p < n) p *= 2;
  return n <= 1 ? n : p;
}

/**
 * `GetValidClusterSize`: the size rounded up to a power of two, which must be at most half the
 * range. @returns `{ size }` in addresses, or `{ error }` with Submariner's message
 * (`cluster size N, should be <= M`).
 */
export function validClusterSize(range: Cidr, size: number): { size: number; error?: undefined } | { size?: undefined; error: string } {
  const available = 2 ** ((range.family === 4 ? 32 : 128) - range.prefix);
  const rounded = nextPowerOf2(size);
  if (rounded > available / 2) return { error: `cluster size ${size}, should be <= ${available / 2}` };
  return { size: rounded };
}

const toIPv4 = (n: bigint) => ipaddr.fromByteArray([Number((n >> 24n) & 255n), Number((n >> 16n) & 255n), Number((n >> 8n) & 255n), Number(n & 255n)]).toString();

/**
 * Submariner's first-fit allocator (`cidr.Allocate` → `allocateBySize`): starting at the range's
 * first address, try a block of `size` addresses (rounded up to a power of two, aligned by the
 * mask); when it holds or touches an allocated CIDR, jump past that CIDR and try again.
 * @param range the Broker's `globalnetCIDRRange` (IPv4)
 * @param size cluster size in addresses
 * @param allocated globalCIDRs already taken (any size, any alignment)
 * @returns the CIDR Submariner would write (as it writes it), or Submariner's error, e.g.
 *   `no more allocations available in "169.254.0.0/16"`
 */
export function allocateGlobalCIDR(range: Cidr, size: number, allocated: readonly Cidr[]): { cidr: string; error?: undefined } | { cidr?: undefined; error: string } {
  if (range.family !== 4) return { error: `GlobalNet allocates IPv4 ranges only, not ${range.text}` };
  const bitSize = size <= 1 ? 0 : Math.ceil(Math.log2(size));
  const prefix = 32 - bitSize;
  const blockMask = (1n << BigInt(bitSize)) - 1n;
  const within = (n: bigint) => range.start <= n && n <= range.end;
  let current = range.start;
  for (;;) {
    if (!within(current)) return { error: `no more allocations available in "${range.network}"` };
    const start = current & ~blockMask;
    const last = start + blockMask;
    if (!within(last)) return { error: `${toIPv4(last)} not a valid subnet of ${range.network}` };
    let next: bigint | undefined;
    for (const a of allocated) {
      if (a.family !== 4) continue;
      if (a.start <= current && current <= a.end) {
        next = a.end + 1n; // the try starts inside an allocated CIDR
        break;
      }
      if (start <= a.start && a.start <= last) {
        next = last + 1n; // an allocated CIDR starts inside the try
        break;
      }
    }
    if (next === undefined) return { cidr: `${toIPv4(current)}/${prefix}` };
    current = next;
  }
}

/** One cluster's `globalCIDR` (Submariner CR `spec.globalCIDR`). */
export interface GlobalRange {
  readonly cluster: ClusterModel;
  readonly fact: Fact<Cidr>;
}

/**
 * The Broker's cluster size measured against its range.
 * - `fact`: `spec.defaultGlobalnetClusterSize` in addresses (default 65536, `isDefault`).
 * - `rounded`: the size rounded up to a power of two (`nextPowerOf2`), what each cluster gets.
 * - `available`: addresses in the Broker's `globalnetCIDRRange`.
 * - `at`: where a finding about the size goes: the size field, or the range when the size is the default.
 * - `refusal`: what subctl join would say of this size given as `--globalnet-cluster-size`
 *   (`GetValidClusterSize`: `cluster size N, should be <= M`), undefined when it would accept it.
 */
export interface ClusterSizePlan {
  readonly fact: Fact<number>;
  readonly rounded: number;
  readonly available: number;
  readonly at: Place;
  readonly refusal?: string;
}

/** A usable `globalCIDR` overlapping a pod or service CIDR of a cluster of the set (that cluster's own or another's). */
export interface GlobalCIDRCollision {
  readonly global: GlobalRange;
  readonly local: GlobalRange & { readonly role: 'pod' | 'service' };
}

/** What subctl join's allocator gives a cluster joined without a `globalCIDR`; `at`: its Submariner CR `spec`. */
export interface PendingAllocation {
  readonly cluster: ClusterModel;
  readonly at: Place;
  readonly result: ReturnType<typeof allocateGlobalCIDR>;
}

/**
 * The GlobalNet address plan of a ClusterSet, as the Broker and the Submariner CRs write it.
 * - `broker`: the Broker that decides GlobalNet for the set: the first one with GlobalNet on, else
 *   the first; undefined when no Broker is in the repository.
 * - `range`: the Broker's `globalnetCIDRRange` (default 242.0.0.0/8); undefined without a Broker
 *   or when the range is an unrendered placeholder.
 * - `ranges`: every cluster's `globalCIDR`, in cluster order; `usable`: those Submariner's
 *   `cidr.IsValid` accepts (`globalnetCIDRError` undefined).
 * - `size`: the cluster size against the range, when the Broker, its range and its size are known.
 * - `clusterSize`: the block each cluster gets (`size.rounded`), when it fits the range; undefined
 *   otherwise (nothing that depends on it is checked).
 * - `overlaps()`: pairs of usable `globalCIDR`s of different clusters that overlap once masked
 *   (submariner-operator `pkg/cidr` `CheckForOverlappingCIDRs`), as `[here, there]`: `here` is the
 *   one whose cluster name sorts later. Sort and sweep (`overlappingPairs`).
 * - `collisions()`: usable `globalCIDR`s overlapping a pod or service CIDR of any cluster of the
 *   set, each (global cluster and network, local cluster, role and network) once, in sweep order.
 * - `allocations()`: what subctl join's first-fit allocator (`allocateGlobalCIDR`) gives each
 *   cluster that joined Submariner without a `globalCIDR`, in cluster order, each allocation taken
 *   before the next; empty when the Broker, its range or a cluster size that fits are unknown, or
 *   the range is invalid.
 * The queries compute on each call (one rule asks each once per set); nothing is cached.
 */
export interface GlobalnetPlan {
  readonly broker?: BrokerFacts;
  readonly range?: Fact<Cidr>;
  readonly ranges: readonly GlobalRange[];
  readonly usable: readonly GlobalRange[];
  readonly size?: ClusterSizePlan;
  readonly clusterSize?: number;
  overlaps(): [GlobalRange, GlobalRange][];
  collisions(): GlobalCIDRCollision[];
  allocations(): PendingAllocation[];
}

/** Addresses in `cidr` (2^(bits − prefix)). */
export const addressCount = (cidr: Cidr) => 2 ** ((cidr.family === 4 ? 32 : 128) - cidr.prefix);

/**
 * The GlobalNet plan of `set` (see `GlobalnetPlan`). The Broker's size is used as written,
 * rounded up to a power of two (submariner-operator `pkg/cidr` `Allocate`); only subctl join's own
 * `--globalnet-cluster-size` goes through `GetValidClusterSize` (at most half the range).
 */
export function globalnetPlan(set: ClusterSetModel): GlobalnetPlan {
  const brokers = set.clusters.flatMap((c) => c.brokers);
  const broker = brokers.find((b) => b.globalnetEnabled.value) ?? brokers[0];
  const ranges = set.clusters.flatMap((cluster) => cluster.network.globalCIDRs.map((fact) => ({ cluster, fact })));
  const usable = ranges.filter((g) => !globalnetCIDRError(g.fact.value.text));
  const range = broker?.globalnetCIDRRange;
  const sizeFact = broker?.defaultGlobalnetClusterSize;
  let size: ClusterSizePlan | undefined;
  if (range && sizeFact) {
    const rounded = nextPowerOf2(sizeFact.value);
    const at = sizeFact.isDefault ? range.source : sizeFact.source;
    size = { fact: sizeFact, rounded, available: addressCount(range.value), at, refusal: validClusterSize(range.value, sizeFact.value).error };
  }
  const plan: GlobalnetPlan = {
    broker,
    range,
    ranges,
    usable,
    size,
    clusterSize: size && size.rounded <= size.available ? size.rounded : undefined,
    overlaps: () =>
      overlappingPairs(usable, (r) => r.fact.value)
        .filter(([a, b]) => a.cluster !== b.cluster)
        .map(([a, b]) => (a.cluster.name > b.cluster.name ? [a, b] : [b, a])),
    collisions: () => globalCIDRCollisions(set, usable),
    allocations: () => pendingAllocations(set, plan),
  };
  return plan;
}

/** See `GlobalnetPlan.collisions`. */
function globalCIDRCollisions(set: ClusterSetModel, usable: readonly GlobalRange[]): GlobalCIDRCollision[] {
  type Tagged = GlobalRange & { role: 'global' | 'pod' | 'service' };
  const tagged: Tagged[] = [
    ...usable.map((g) => ({ ...g, role: 'global' as const })),
    ...set.clusters.flatMap((cluster) => [
      ...cluster.network.podCIDRs.map((fact) => ({ fact, cluster, role: 'pod' as const })),
      ...cluster.network.serviceCIDRs.map((fact) => ({ fact, cluster, role: 'service' as const })),
    ]),
  ];
  const seen = new Set<string>();
  const collisions: GlobalCIDRCollision[] = [];
  for (const [a, b] of overlappingPairs(tagged, (r) => r.fact.value)) {
    if ((a.role === 'global') === (b.role === 'global')) continue;
    const [global, local] = a.role === 'global' ? [a, b] : [b, a];
    const key = `${global.cluster.name} ${global.fact.value.network} ${local.cluster.name} ${local.role} ${local.fact.value.network}`;
    if (seen.has(key)) continue;
    seen.add(key);
    collisions.push({ global, local: local as GlobalRange & { role: 'pod' | 'service' } });
  }
  return collisions;
}

/** See `GlobalnetPlan.allocations`. */
function pendingAllocations(set: ClusterSetModel, plan: GlobalnetPlan): PendingAllocation[] {
  const { broker, range, clusterSize } = plan;
  if (!broker || !range || clusterSize === undefined || globalnetCIDRError(range.value.text)) return [];
  const taken = plan.usable.map((g) => g.fact.value);
  const out: PendingAllocation[] = [];
  for (const cluster of set.clusters) {
    if (cluster.submariner.length === 0 || cluster.network.globalCIDRs.length > 0) continue;
    const result = allocateGlobalCIDR(range.value, clusterSize, taken);
    const { file, doc, path } = cluster.submariner[0].settings;
    out.push({ cluster, at: { file, doc, path }, result });
    const allocated = result.cidr !== undefined ? parseCidr(result.cidr) : undefined;
    if (allocated) taken.push(allocated);
  }
  return out;
}
