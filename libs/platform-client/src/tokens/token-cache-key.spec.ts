import { describe, expect, it } from '@jest/globals';
import { normaliseScopes, serialiseCacheKey, type TokenCacheKey } from './token-cache-key.js';

const base: TokenCacheKey = {
  kind: 'oauth',
  issuer: 'https://id.example.com',
  clientId: 'worker',
  grant: 'client_credentials',
  resource: 'https://api.example.com',
  scopes: ['a', 'b'],
};

describe('normaliseScopes', () => {
  it('ignores order, duplicates and extra whitespace', () => {
    expect(normaliseScopes('b  a a')).toEqual(['a', 'b']);
    expect(normaliseScopes(['b', 'a b', ''])).toEqual(['a', 'b']);
    expect(normaliseScopes(undefined)).toEqual([]);
  });
});

describe('serialiseCacheKey', () => {
  it('is the same for equal keys, whatever the property order', () => {
    const reordered: TokenCacheKey = {
      scopes: normaliseScopes('b a'),
      resource: 'https://api.example.com',
      grant: 'client_credentials',
      clientId: 'worker',
      issuer: 'https://id.example.com',
      kind: 'oauth',
    };
    expect(serialiseCacheKey(reordered)).toBe(serialiseCacheKey(base));
  });

  it('is a versioned hex digest that reveals nothing of the key', () => {
    const key = serialiseCacheKey(base);
    expect(key).toMatch(/^v1-[0-9a-f]{64}$/);
    expect(key).not.toContain('worker');
  });

  it('differs whenever any field differs', () => {
    const variants: TokenCacheKey[] = [
      { ...base, issuer: 'https://id.example.org' },
      { ...base, clientId: 'worker2' },
      { ...base, grant: 'refresh_token' },
      { ...base, resource: 'https://other.example.com' },
      { ...base, resource: undefined },
      { ...base, scopes: ['a'] },
      { ...base, scopes: ['a', 'b', 'c'] },
      { ...base, subject: 'alice' },
      { ...base, subject: 'bob' },
      { kind: 'external', id: 'worker' },
      { kind: 'external', id: 'other' },
    ];
    const keys = new Set([base, ...variants].map(serialiseCacheKey));
    expect(keys.size).toBe(variants.length + 1);
  });

  it('cannot be confused by values that contain separators', () => {
    const a: TokenCacheKey = { ...base, clientId: 'x","grant":"y' };
    const b: TokenCacheKey = { ...base, clientId: 'x', grant: 'y' };
    expect(serialiseCacheKey(a)).not.toBe(serialiseCacheKey(b));
  });
});
