import { describe, expect, it } from '@jest/globals';
import { decodeEntry, encodeEntry, TOKEN_CACHE_SCHEMA } from './token-cache-entry.codec.js';
import type { TokenCacheEntry } from './token-cache-entry.js';

const entry: TokenCacheEntry = {
  receivedAt: 1000,
  tokenSet: { accessToken: 'at', tokenType: 'Bearer', expiresAt: 5000, refreshToken: 'rt' },
};
const stored = (patch: Record<string, unknown>, tokenSet: Record<string, unknown> = {}) =>
  JSON.stringify({
    schema: TOKEN_CACHE_SCHEMA,
    key: 'k',
    receivedAt: 1000,
    ...patch,
    tokenSet: { accessToken: 'at', tokenType: 'Bearer', expiresAt: 5000, ...tokenSet },
  });

describe('token cache entry codec', () => {
  it('round-trips an entry for its key only', () => {
    expect(decodeEntry('k', encodeEntry('k', entry))).toEqual(entry);
    expect(decodeEntry('other', encodeEntry('k', entry))).toBeUndefined();
  });

  it('keeps the refresh-token-only entry left by an invalidation', () => {
    const invalidated = stored({}, { accessToken: '', expiresAt: 0, refreshToken: 'rt' });
    expect(decodeEntry('k', invalidated)?.tokenSet.refreshToken).toBe('rt');
    expect(decodeEntry('k', stored({}, { accessToken: '', expiresAt: 0 }))).toBeUndefined();
  });

  it.each([
    ['garbage', '{{{'],
    ['an array', '[]'],
    ['null', 'null'],
    ['another schema', stored({ schema: 'x@2' })],
    ['a string receivedAt', stored({ receivedAt: '1000' })],
    ['a fractional expiresAt', stored({}, { expiresAt: 1.5 })],
    ['a numeric access token', stored({}, { accessToken: 42 })],
    ['an empty token type', stored({}, { tokenType: '' })],
    ['an empty refresh token', stored({}, { refreshToken: '' })],
    ['a non-string scope', stored({}, { scope: ['a'] })],
    [
      'a missing token set',
      JSON.stringify({ schema: TOKEN_CACHE_SCHEMA, key: 'k', receivedAt: 1 }),
    ],
  ])('reads %s as a miss', (_case, text) => {
    expect(decodeEntry('k', text)).toBeUndefined();
  });

  it('round-trips retired refresh-token fingerprints and a throttle, also without a token', () => {
    const fingerprint = `sha256:${'0'.repeat(32)}`;
    const tombstone: TokenCacheEntry = {
      receivedAt: 1000,
      tokenSet: { accessToken: '', tokenType: 'Bearer', expiresAt: 0 },
      retiredRefreshTokens: [fingerprint],
      throttledUntil: 9000,
    };
    expect(decodeEntry('k', encodeEntry('k', tombstone))).toEqual(tombstone);
    expect(decodeEntry('k', stored({ retiredRefreshTokens: ['rt-value'] }))).toBeUndefined();
    expect(decodeEntry('k', stored({ throttledUntil: -1 }))).toBeUndefined();
  });

  it('round-trips the fingerprint of a refresh token being presented, and refuses a raw token there', () => {
    const marked: TokenCacheEntry = { ...entry, refreshing: `sha256:${'a'.repeat(32)}` };
    expect(decodeEntry('k', encodeEntry('k', marked))).toEqual(marked);
    expect(decodeEntry('k', stored({ refreshing: 'rt' }))).toBeUndefined();
    const onlyMarker = stored(
      { refreshing: `sha256:${'a'.repeat(32)}` },
      { accessToken: '', expiresAt: 0 },
    );
    expect(decodeEntry('k', onlyMarker)?.refreshing).toBe(`sha256:${'a'.repeat(32)}`);
  });

  it('never writes fields beyond the token set', () => {
    const withExtra = { ...entry, tokenSet: { ...entry.tokenSet, clientSecret: 's3cret' } };
    expect(encodeEntry('k', withExtra as TokenCacheEntry)).not.toContain('s3cret');
  });
});
