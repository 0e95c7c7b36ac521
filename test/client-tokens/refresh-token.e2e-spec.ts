import { inspect } from 'node:util';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { decodeJwt } from 'jose';
import {
  createAccessTokenSource,
  MemoryTokenCache,
  refreshToken,
  type RefreshTokenProvider,
  serialiseCacheKey,
} from '@nest-platform/client';
import {
  AUDIENCE,
  mintRefreshToken,
  SECRETS,
  startTokenIssuer,
  type TokenIssuer,
} from './fixtures/token-issuer.js';

describe('refresh token grant against oidc-provider (rotation on)', () => {
  let started: TokenIssuer;
  const provider = (initial: string): RefreshTokenProvider =>
    refreshToken({
      issuer: started.issuer.url,
      clientId: 'app',
      clientSecret: SECRETS.app,
      refreshToken: initial,
      audience: AUDIENCE,
      allowHttp: true,
    });

  beforeAll(async () => {
    started = await startTokenIssuer({ rotateRefreshToken: true });
  });
  afterAll(() => started.close());
  beforeEach(() => started.issuer.requests.clear());

  it('gets an access token for the user, persists the rotated refresh token and uses it next', async () => {
    const initial = await mintRefreshToken(started.issuer, 'alice');
    const cache = new MemoryTokenCache();
    const alice = provider(initial);
    const key = serialiseCacheKey(alice.cacheKey);
    const tokens = createAccessTokenSource({ provider: alice, cache });

    const first = await tokens.getToken();
    expect(decodeJwt(first)).toMatchObject({ sub: 'alice', aud: AUDIENCE, client_id: 'app' });
    const rotated = (await cache.get(key))?.tokenSet.refreshToken;
    expect(rotated).toBeDefined();
    expect(rotated).not.toBe(initial);

    await tokens.invalidate(first);
    const second = await tokens.getToken();
    expect(second).not.toBe(first);
    const rotatedAgain = (await cache.get(key))?.tokenSet.refreshToken;
    expect(rotatedAgain).not.toBe(rotated);
    expect(started.issuer.count('POST /token')).toBe(2);
  });

  it('fails with REAUTH_REQUIRED for an already-used refresh token, and purges the cache', async () => {
    const initial = await mintRefreshToken(started.issuer, 'carol');
    await createAccessTokenSource({ provider: provider(initial) }).getToken();

    const cache = new MemoryTokenCache();
    const replay = provider(initial);
    const key = serialiseCacheKey(replay.cacheKey);
    const tokens = createAccessTokenSource({ provider: replay, cache });
    await expect(tokens.getToken()).rejects.toMatchObject({ code: 'REAUTH_REQUIRED' });
    expect(await cache.get(key)).toBeUndefined();
    expect(await tokens.status()).toEqual({ state: 'failed', lastErrorCode: 'REAUTH_REQUIRED' });
  });

  it('keeps two users apart in one cache (the subject defaults to a refresh-token fingerprint)', async () => {
    const cache = new MemoryTokenCache();
    const [alice, bob] = await Promise.all([
      mintRefreshToken(started.issuer, 'alice'),
      mintRefreshToken(started.issuer, 'bob'),
    ]);
    const aliceProvider = provider(alice);
    const bobProvider = provider(bob);
    expect(serialiseCacheKey(aliceProvider.cacheKey)).not.toBe(
      serialiseCacheKey(bobProvider.cacheKey),
    );
    const aliceToken = await createAccessTokenSource({ provider: aliceProvider, cache }).getToken();
    const bobToken = await createAccessTokenSource({ provider: bobProvider, cache }).getToken();
    expect(decodeJwt(aliceToken).sub).toBe('alice');
    expect(decodeJwt(bobToken).sub).toBe('bob');
  });

  it('never shows the refresh token or client secret in inspect or JSON', async () => {
    const initial = await mintRefreshToken(started.issuer, 'dave');
    const dave = provider(initial);
    const shown = `${inspect(dave, { depth: 10 })}\n${JSON.stringify(dave)}`;
    expect(shown).toContain('refresh_token');
    expect(shown).not.toContain(initial);
    expect(shown).not.toContain(SECRETS.app);
  });
});
