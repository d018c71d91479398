/**
 * Submariner GlobalNet arithmetic, mirroring submariner-operator `pkg/cidr` (`IsValid`,
 * `Allocate`, `CheckForOverlappingCIDRs`) and `pkg/discovery/globalnet` (`GetValidClusterSize`):
 * what subctl does when a cluster joins a Broker with GlobalNet on. Ranges are IPv4 (Submariner
 * does its GlobalNet arithmetic on 32-bit integers). Parsing and masking are ipaddr.js's.
 */
import ipaddr from 'ipaddr.js';
import { parseCidr, type Cidr } from '../base/cidr.js';

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
