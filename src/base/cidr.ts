/**
 * CIDR values as the model keeps them: the text as written plus the masked numeric range, so
 * rules can sort and compare ranges without re-parsing. Parsing and masking are ipaddr.js's.
 */
import ipaddr from 'ipaddr.js';

/**
 * A parsed CIDR.
 * - `text`: as written in the manifest, e.g. "10.10.30.0/16".
 * - `network`: the masked network in canonical form, e.g. "10.10.0.0/16".
 * - `start`/`end`: first and last address of the masked network as unsigned integers.
 * - `hostBitsSet`: the written address had bits set beyond the prefix (10.10.30.0/16).
 */
export interface Cidr {
  readonly text: string;
  readonly family: 4 | 6;
  readonly prefix: number;
  readonly network: string;
  readonly start: bigint;
  readonly end: bigint;
  readonly hostBitsSet: boolean;
}

function toBigInt(addr: ipaddr.IPv4 | ipaddr.IPv6): bigint {
  let n = 0n;
  for (const byte of addr.toByteArray()) n = (n << 8n) | BigInt(byte);
  return n;
}

/**
 * Parses one CIDR with Go's `net.ParseCIDR` strictness: IPv4 must be four decimal parts without
 * leading zeros ("10.1/16" and "010.0.0.0/8" are rejected), the prefix must fit the family.
 * @returns the parsed CIDR, or undefined when `text` is not a valid CIDR
 */
export function parseCidr(text: string): Cidr | undefined {
  const trimmed = text.trim();
  let family: 4 | 6;
  if (ipaddr.IPv4.isValidCIDRFourPartDecimal(trimmed)) family = 4;
  else if (trimmed.includes(':') && ipaddr.IPv6.isValidCIDR(trimmed) && !trimmed.includes('%')) family = 6;
  else return undefined;
  // Parsed once, by the family's own parser (ipaddr.parseCIDR tries IPv6 first and catches its
  // error: 10,000 IPv4 entries of one hostile list cost seconds), then masked as ipaddr.js's
  // networkAddressFromCIDR / broadcastAddressFromCIDR do, without parsing the text again.
  const [addr, prefix] = family === 4 ? ipaddr.IPv4.parseCIDR(trimmed) : ipaddr.IPv6.parseCIDR(trimmed);
  const kind = family === 4 ? ipaddr.IPv4 : ipaddr.IPv6;
  const octets = addr.toByteArray();
  const mask = kind.subnetMaskFromPrefixLength(prefix).toByteArray();
  const net = ipaddr.fromByteArray(octets.map((o, i) => o & mask[i]));
  const last = ipaddr.fromByteArray(octets.map((o, i) => o | (mask[i] ^ 255)));
  const start = toBigInt(net);
  return {
    text: trimmed,
    family,
    prefix,
    network: `${net.toString()}/${prefix}`,
    start,
    end: toBigInt(last),
    hostBitsSet: toBigInt(addr) !== start,
  };
}

/**
 * Splits a comma-separated CIDR list (Submariner's `clusterCIDR: "10.0.0.0/16,fd00::/48"`).
 * @returns one entry per non-empty item, `cidr` undefined where the item is invalid
 */
export function splitCidrList(text: string): { item: string; cidr: Cidr | undefined }[] {
  return text
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0)
    .map((item) => ({ item, cidr: parseCidr(item) }));
}

/** True when the masked ranges of `a` and `b` share at least one address. */
export function overlaps(a: Cidr, b: Cidr): boolean {
  return a.family === b.family && a.start <= b.end && b.start <= a.end;
}

const cmp = (a: number | bigint, b: number | bigint) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Every pair of items whose CIDRs overlap, found by sorting on (family, start, widest first) and
 * sweeping: each item is compared only with earlier items that have not ended before it starts,
 * so the cost is O(n log n + k) for k pairs. Pairs are `[earlier, later]` in that order.
 * @param order breaks ties between items with equal ranges, for deterministic output
 */
export function overlappingPairs<T>(items: readonly T[], cidrOf: (item: T) => Cidr, order: (a: T, b: T) => number = () => 0): [T, T][] {
  const sorted = [...items].sort((a, b) => {
    const x = cidrOf(a);
    const y = cidrOf(b);
    return cmp(x.family, y.family) || cmp(x.start, y.start) || cmp(y.end, x.end) || order(a, b);
  });
  const pairs: [T, T][] = [];
  let active: T[] = [];
  for (const item of sorted) {
    const c = cidrOf(item);
    active = active.filter((a) => cidrOf(a).family === c.family && cidrOf(a).end >= c.start);
    for (const a of active) if (overlaps(cidrOf(a), c)) pairs.push([a, item]);
    active.push(item);
  }
  return pairs;
}
