/**
 * Submariner's GlobalNet arithmetic, with the cases of submariner-operator's own unit tests
 * (`pkg/cidr` allocation, overlap and validity tests) as the table.
 */
import { describe, expect, it } from 'vitest';
import { parseCidr, overlaps, type Cidr } from '../src/base/cidr.js';
import { allocateGlobalCIDR, globalnetCIDRError, nextPowerOf2, validClusterSize } from '../src/model/globalnet.js';

const c = (text: string): Cidr => parseCidr(text)!;

describe('allocateGlobalCIDR (first fit, aligned blocks)', () => {
  const cases: [string, number, string[], string][] = [
    ['first allocation', 8192, [], '169.254.0.0/19'],
    ['first block taken', 8192, ['169.254.0.0/19'], '169.254.32.0/19'],
    ['second block taken, first free', 8192, ['169.254.32.0/19'], '169.254.0.0/19'],
    ['first and third taken', 8192, ['169.254.0.0/19', '169.254.64.0/19'], '169.254.32.0/19'],
    ['a smaller foreign block in the way', 8192, ['169.254.0.0/24'], '169.254.32.0/19'],
    ['size rounded up to a power of two', 5000, [], '169.254.0.0/19'],
  ];
  for (const [name, size, taken, want] of cases) {
    it(name, () => expect(allocateGlobalCIDR(c('169.254.0.0/16'), size, taken.map(c))).toEqual({ cidr: want }));
  }
  it('size 32768 with 169.254.0.0/18 and 169.254.128.0/17 taken: no aligned block is left', () => {
    expect(allocateGlobalCIDR(c('169.254.0.0/16'), 32768, [c('169.254.0.0/18'), c('169.254.128.0/17')])).toEqual({
      error: 'no more allocations available in "169.254.0.0/16"',
    });
  });
  it('a full range', () => {
    expect(allocateGlobalCIDR(c('242.0.0.0/15'), 65536, [c('242.0.0.0/16'), c('242.1.0.0/16')]).error).toBe('no more allocations available in "242.0.0.0/15"');
  });
  it('the default range and size give 242.0.0.0/16, then 242.1.0.0/16', () => {
    expect(allocateGlobalCIDR(c('242.0.0.0/8'), 65536, [])).toEqual({ cidr: '242.0.0.0/16' });
    expect(allocateGlobalCIDR(c('242.0.0.0/8'), 65536, [c('242.0.0.0/16')])).toEqual({ cidr: '242.1.0.0/16' });
  });
});

describe('globalCIDR overlap (masked networks)', () => {
  const cases: [string, string[], boolean][] = [
    ['10.10.10.0/24', ['10.10.0.0/16'], true],
    ['10.10.30.0/16', ['10.10.10.0/24'], true],
    ['10.10.10.128/22', ['10.10.10.0/24'], true],
    ['10.10.20.128/24', ['10.10.10.0/24', '10.10.30.0/24'], false],
  ];
  for (const [cidr, east, want] of cases) {
    it(`${cidr} vs east ${east.join(',')} → ${want ? 'overlap' : 'none'}`, () => expect(east.some((e) => overlaps(c(cidr), c(e)))).toBe(want));
  }
});

describe('globalnetCIDRError (Submariner cidr.IsValid)', () => {
  const cases: [string, string | undefined][] = [
    ['127.0.0.0/16', "127.0.0.0/16 can't be in loopback range"],
    ['169.254.0.0/16', "169.254.0.0/16 can't be in link-local range"],
    ['224.0.0.0/24', "224.0.0.0/24 can't be in link-local multicast range"],
    ['0.0.0.0/8', "0.0.0.0/8 can't be unspecified"],
    ['', 'invalid CIDR address: '],
    ['1.2', 'invalid CIDR address: 1.2'],
    ['10.10.20.128/24', undefined],
    ['0.1.0.0/16', undefined], // Go's IsUnspecified: 0.0.0.0 itself only
    ['ff12::/16', "ff12::/16 can't be in link-local multicast range"],
    ['242.0.0.0/8', undefined],
  ];
  for (const [text, want] of cases) it(JSON.stringify(text), () => expect(globalnetCIDRError(text)).toBe(want));
});

describe('validClusterSize (GetValidClusterSize)', () => {
  it('rounds up to a power of two', () => {
    expect(nextPowerOf2(5000)).toBe(8192);
    expect(validClusterSize(c('242.0.0.0/8'), 65536)).toEqual({ size: 65536 });
    expect(validClusterSize(c('242.0.0.0/16'), 30000)).toEqual({ size: 32768 });
  });
  it('must be at most half the range', () => {
    expect(validClusterSize(c('242.0.0.0/16'), 40000)).toEqual({ error: 'cluster size 40000, should be <= 32768' });
  });
});
