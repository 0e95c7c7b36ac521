import { inspect } from 'node:util';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { decodeJwt } from 'jose';
import {
  type Clock,
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
    expect((await cache.get(key))?.tokenSet).toEqual({
      accessToken: '',
      tokenType: 'Bearer',
      expiresAt: 0,
    });
    expect(await tokens.status()).toEqual({ state: 'failed', lastErrorCode: 'REAUTH_REQUIRED' });
  });

  describe('a refresh token the server rejected or rotation replaced', () => {
    /** A fetch that records the refresh_token of every token request. */
    const recordingFetch = (sent: string[]): typeof fetch =>
      (async (input, init) => {
        if (String(input).endsWith('/token')) {
          const body = new URLSearchParams(String(init?.body));
          if (body.get('grant_type') === 'refresh_token') sent.push(body.get('refresh_token')!);
        }
        return fetch(input, init);
      }) as typeof fetch;
    const userProvider = (initial: string, sent: string[], clock?: Clock) =>
      refreshToken(
        {
          issuer: started.issuer.url,
          clientId: 'app',
          clientSecret: SECRETS.app,
          refreshToken: initial,
          subject: 'erin',
          audience: AUDIENCE,
          allowHttp: true,
        },
        { fetch: recordingFetch(sent), ...(clock ? { clock } : {}) },
      );
    /** Someone replays `used`: oidc-provider sees the reuse and revokes the whole grant. */
    const replay = async (used: string) => {
      await expect(
        createAccessTokenSource({ provider: provider(used) }).getToken(),
      ).rejects.toMatchObject({ code: 'REAUTH_REQUIRED' });
    };

    it('is never presented again: after invalid_grant the source stays REAUTH_REQUIRED without a request', async () => {
      const initial = await mintRefreshToken(started.issuer, 'erin');
      const sent: string[] = [];
      const cache = new MemoryTokenCache();
      const tokens = createAccessTokenSource({ provider: userProvider(initial, sent), cache });
      const first = await tokens.getToken();
      await replay(initial);

      await tokens.invalidate(first);
      await expect(tokens.getToken()).rejects.toMatchObject({ code: 'REAUTH_REQUIRED' });
      const requests = started.issuer.count('POST /token');
      for (let call = 0; call < 3; call++) {
        await expect(tokens.getToken()).rejects.toMatchObject({ code: 'REAUTH_REQUIRED' });
      }
      expect(started.issuer.count('POST /token')).toBe(requests);
      // The configured token (rotated out) and its successor (rejected), each sent once.
      expect(sent).toHaveLength(2);
      expect(sent[0]).toBe(initial);
      expect(new Set(sent).size).toBe(2);
      const stored = JSON.stringify(
        await cache.get(serialiseCacheKey(userProvider(initial, []).cacheKey)),
      );
      for (const token of sent) expect(stored).not.toContain(token);
    });

    it('recovers when the user logs in again or a new refresh token is configured', async () => {
      const initial = await mintRefreshToken(started.issuer, 'erin');
      const sent: string[] = [];
      const cache = new MemoryTokenCache();
      const erin = userProvider(initial, sent);
      const key = serialiseCacheKey(erin.cacheKey);
      const tokens = createAccessTokenSource({ provider: erin, cache });
      await tokens.invalidate(await tokens.getToken());
      await replay(initial);
      await expect(tokens.getToken()).rejects.toMatchObject({ code: 'REAUTH_REQUIRED' });

      // Logged in again: a new session (with a fresh refresh token) lands in the cache.
      const relogin = await mintRefreshToken(started.issuer, 'erin');
      await cache.set(key, {
        receivedAt: Date.now(),
        tokenSet: { accessToken: '', tokenType: 'Bearer', expiresAt: 0, refreshToken: relogin },
      });
      expect(decodeJwt(await tokens.getToken()).sub).toBe('erin');
      expect(sent.at(-1)).toBe(relogin);

      // Reconfigured: a new refresh token for the same subject, with the old entry purged.
      await cache.delete(key);
      const configured = await mintRefreshToken(started.issuer, 'erin');
      const reconfigured = createAccessTokenSource({
        provider: userProvider(configured, sent),
        cache,
      });
      expect(decodeJwt(await reconfigured.getToken()).sub).toBe('erin');
      expect(sent.at(-1)).toBe(configured);
    });

    it('during a background refresh, leaves the still-valid access token in use until it expires', async () => {
      const clock = { time: Date.now(), now: () => clock.time, sleep: async () => undefined };
      const initial = await mintRefreshToken(started.issuer, 'erin');
      const sent: string[] = [];
      const tokens = createAccessTokenSource(
        { provider: userProvider(initial, sent, clock), refreshJitterRatio: 0 },
        { clock },
      );
      const first = await tokens.getToken();
      await replay(initial);

      // oidc-provider's tokens live 300 s: the refresh-ahead window opens 150 s before expiry.
      clock.time += 151_000;
      expect(await tokens.getToken()).toBe(first);
      // The background refresh is under way: wait until it has failed.
      for (let i = 0; i < 200 && (await tokens.status()).lastErrorCode === undefined; i++) {
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      expect(sent).toHaveLength(2);
      expect(await tokens.getToken()).toBe(first);
      expect(await tokens.peekToken()).toBe(first);
      expect(await tokens.status()).toMatchObject({
        state: 'valid',
        lastErrorCode: 'REAUTH_REQUIRED',
      });

      clock.time += 150_000;
      await expect(tokens.getToken()).rejects.toMatchObject({ code: 'REAUTH_REQUIRED' });
      expect(sent).toHaveLength(2);
    });
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
