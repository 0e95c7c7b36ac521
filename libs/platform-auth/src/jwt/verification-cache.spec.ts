import { describe, expect, it } from '@jest/globals';
import { createAuthContext } from '../context/create-auth-context.js';
import { VerificationCache } from './verification-cache.js';

const context = createAuthContext({ subject: 's', issuer: 'https://i', principalType: 'user' });

describe('VerificationCache', () => {
  it('serves an entry strictly before its expiry and drops it at expiry', () => {
    const cache = new VerificationCache(10);
    cache.set('t', context, 2000, 1000);
    expect(cache.get('t', 1999)).toBe(context);
    expect(cache.get('t', 2000)).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it('never stores an entry that is already expired', () => {
    const cache = new VerificationCache(10);
    cache.set('t', context, 1000, 1000);
    expect(cache.size).toBe(0);
  });

  it('stays within its bound by evicting the least recently used entry', () => {
    const cache = new VerificationCache(2);
    cache.set('a', context, 9000, 0);
    cache.set('b', context, 9000, 0);
    cache.set('c', context, 9000, 0);
    expect(cache.size).toBe(2);
    expect(cache.get('a', 1)).toBeUndefined();
    expect(cache.get('c', 1)).toBe(context);
  });

  it('stays within its character budget whatever the entry count', () => {
    const cache = new VerificationCache(100, 10);
    cache.set('aaaa', context, 9000, 0);
    cache.set('bbbb', context, 9000, 0);
    cache.set('cccc', context, 9000, 0);
    expect(cache.size).toBe(2);
    expect(cache.get('aaaa', 1)).toBeUndefined();
    expect(cache.get('cccc', 1)).toBe(context);
  });

  it('serves an entry only to its exact token, not to another token ending the same way', () => {
    const tail = 's'.repeat(32);
    const cache = new VerificationCache(10);
    cache.set(`header.claims.${tail}`, context, 9000, 0);
    expect(cache.get(`header.claims.${tail}`, 1)).toBe(context);
    const other = createAuthContext({ subject: 'o', issuer: 'https://i', principalType: 'user' });
    expect(cache.get(`header.forged.${tail}`, 1)).toBeUndefined();
    cache.set(`header.forged.${tail}`, other, 9000, 0);
    expect(cache.get(`header.forged.${tail}`, 1)).toBeUndefined();
    expect(cache.get(`header.claims.${tail}`, 1)).toBe(context);
    expect(cache.size).toBe(1);
  });

  it('is off with size 0 and empties on clear()', () => {
    const off = new VerificationCache(0);
    off.set('a', context, 9000, 0);
    expect(off.get('a', 1)).toBeUndefined();
    const cache = new VerificationCache(5);
    cache.set('a', context, 9000, 0);
    cache.clear();
    expect(cache.get('a', 1)).toBeUndefined();
  });

  it('evicts the least recently used entry, not the oldest one', () => {
    const cache = new VerificationCache(2);
    cache.set('a', context, 9000, 0);
    cache.set('b', context, 9000, 0);
    expect(cache.get('a', 1)).toBe(context); // 'a' is now the most recently used
    cache.set('c', context, 9000, 1);
    expect([cache.get('a', 2), cache.get('b', 2), cache.get('c', 2)]).toEqual([
      context,
      undefined,
      context,
    ]);
  });

  it('keeps the newest entries across many evictions', () => {
    const cache = new VerificationCache(3);
    for (let index = 0; index < 100; index += 1) cache.set(`t${index}`, context, 9000, 0);
    expect(cache.size).toBe(3);
    expect(['t96', 't97', 't98', 't99'].map((token) => cache.get(token, 1) !== undefined)).toEqual([
      false,
      true,
      true,
      true,
    ]);
  });

  it('gives an expired entry’s characters back to the budget', () => {
    const cache = new VerificationCache(100, 12);
    cache.set('aaaa', context, 100, 0);
    cache.set('bbbb', context, 9000, 0);
    expect(cache.get('aaaa', 100)).toBeUndefined(); // expired: 4 characters freed
    cache.set('cccc', context, 9000, 100);
    cache.set('dddd', context, 9000, 100); // 12 characters: fits without evicting anything
    expect(['bbbb', 'cccc', 'dddd'].every((token) => cache.get(token, 101) === context)).toBe(true);
    cache.set('eeee', context, 9000, 100); // over budget: the least recently used entry goes
    expect(cache.get('bbbb', 101)).toBeUndefined();
    expect(cache.size).toBe(3);
  });

  it('replaces an entry that expired under the same tail, never a live one', () => {
    const tail = 't'.repeat(32);
    const cache = new VerificationCache(3);
    const other = createAuthContext({ subject: 'o', issuer: 'https://i', principalType: 'user' });
    cache.set(`one.${tail}`, context, 100, 0);
    cache.set(`two.${tail}`, other, 9000, 50); // 'one' is still live: not replaced
    expect(cache.get(`two.${tail}`, 60)).toBeUndefined();
    cache.set(`two.${tail}`, other, 9000, 100); // 'one' expired at 100: replaced
    expect(cache.get(`two.${tail}`, 101)).toBe(other);
    expect(cache.get(`one.${tail}`, 101)).toBeUndefined();
  });

  it('stores a token again after its entry expired (an injected clock set back)', () => {
    const cache = new VerificationCache(3);
    cache.set('a', context, 100, 0);
    expect(cache.get('a', 100)).toBeUndefined();
    cache.set('a', context, 100, 50);
    expect(cache.get('a', 51)).toBe(context);
  });

  it('evicts again after clear()', () => {
    const cache = new VerificationCache(2);
    cache.set('a', context, 9000, 0);
    cache.set('b', context, 9000, 0);
    cache.clear();
    cache.set('c', context, 9000, 0);
    cache.set('d', context, 9000, 0);
    cache.set('e', context, 9000, 0);
    expect(cache.size).toBe(2);
    expect(cache.get('c', 1)).toBeUndefined();
    expect(cache.get('e', 1)).toBe(context);
  });
});
