import { describe, expect, it } from 'vitest';
import { closest, editDistance } from '../src/base/edit-distance.js';

describe('editDistance', () => {
  it.each([
    ['', '', 0],
    ['', 'abc', 3],
    ['kitten', 'sitting', 3],
    ['clustermesh', 'clustermessh', 1],
    ['routingMode', 'routingmode', 1],
    ['ipam', 'ipma', 2],
    ['same', 'same', 0],
  ])('%j → %j is %i', (a, b, d) => {
    expect(editDistance(a, b)).toBe(d);
    expect(editDistance(b, a)).toBe(d);
  });
  it('stops at limit + 1', () => {
    expect(editDistance('kitten', 'sitting', 1)).toBe(2);
    expect(editDistance('a', 'abcdef', 2)).toBe(3);
    expect(editDistance('kitten', 'sitting', 3)).toBe(3);
  });
});

describe('closest', () => {
  const keys = ['clustermesh', 'cluster', 'ipam', 'MTU', 'routingMode'];
  it('finds the nearest candidate within the limit', () => {
    expect(closest('clustermessh', keys, 2)).toBe('clustermesh');
    expect(closest('routingMod', keys, 2)).toBe('routingMode');
  });
  it('prefers a candidate that differs only in case', () => {
    expect(closest('mtu', keys, 1)).toBe('MTU');
  });
  it('gives nothing for a candidate itself or a word too far away', () => {
    expect(closest('ipam', keys, 2)).toBeUndefined();
    expect(closest('hubble', keys, 2)).toBeUndefined();
  });
});
