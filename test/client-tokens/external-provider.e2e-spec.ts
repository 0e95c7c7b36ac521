import { inspect } from 'node:util';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { decodeJwt } from 'jose';
import { type Clock, createAccessTokenSource, externalToken } from '@nest-platform/client';
import { AUDIENCE, SECRETS, startTokenIssuer, type TokenIssuer } from './fixtures/token-issuer.js';

/**
 * An external provider: the user's own function fetches the token (here with a hand-written
 * client credentials request to the real issuer, as a sidecar or vault agent would); the token
 * manager still adds caching, single flight, 401 invalidation and status.
 */
describe('an external token function', () => {
  let started: TokenIssuer;
  let calls: number;
  let clock: Clock & { time: number };

  const fetchFromIssuer = async (): Promise<string> => {
    calls++;
    const response = await fetch(`${started.issuer.url}/token`, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(`cc-basic:${SECRETS.basic}`).toString('base64')}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams({ grant_type: 'client_credentials', resource: AUDIENCE }),
    });
    return ((await response.json()) as { access_token: string }).access_token;
  };

  beforeAll(async () => {
    started = await startTokenIssuer();
  });
  afterAll(() => started.close());
  beforeEach(() => {
    calls = 0;
    started.issuer.requests.clear();
    clock = { time: 1_800_000_000_000, now: () => clock.time, sleep: async () => undefined };
  });

  it('is called once for 100 concurrent callers, and its token is cached for expiresInS', async () => {
    const tokens = createAccessTokenSource(
      { provider: { grant: 'external', getToken: fetchFromIssuer, expiresInS: 600 } },
      { clock },
    );
    const results = await Promise.all(Array.from({ length: 100 }, () => tokens.getToken()));
    expect(new Set(results).size).toBe(1);
    expect(decodeJwt(results[0]!)).toMatchObject({ aud: AUDIENCE, client_id: 'cc-basic' });
    expect(calls).toBe(1);
    expect(started.issuer.count('POST /token')).toBe(1);

    clock.time += 600_000 - 300_001;
    await tokens.getToken();
    expect(calls).toBe(1);
    clock.time += 300_001;
    await tokens.getToken();
    expect(calls).toBe(2);
  });

  it('accepts a bare function as the provider', async () => {
    const tokens = createAccessTokenSource({ provider: () => 'static-token' });
    expect(await tokens.getToken()).toBe('static-token');
  });

  it('is called again after the token is invalidated (a 401)', async () => {
    const tokens = createAccessTokenSource({ provider: externalToken(fetchFromIssuer) });
    const first = await tokens.getToken();
    await tokens.invalidate(first);
    expect(await tokens.getToken()).not.toBe(first);
    expect(calls).toBe(2);
  });

  describe('failing', () => {
    it('turns a throw into TOKEN_ENDPOINT_UNAVAILABLE without carrying the original error', async () => {
      const secretInError = 'external-secret-in-error-1f2e3d4c';
      const tokens = createAccessTokenSource({
        provider: () => {
          throw new Error(`vault said no for ${secretInError}`);
        },
      });
      const error = await tokens.getToken().catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'TOKEN_ENDPOINT_UNAVAILABLE' });
      expect(inspect(error, { depth: 10 })).not.toContain(secretInError);
    });

    it.each([
      ['an empty string', ''],
      ['a value with a line break', 'abc\r\nX-Evil: 1'],
      ['a non-string', 42],
    ])('refuses %s with INVALID_TOKEN_RESPONSE', async (_case, value) => {
      const tokens = createAccessTokenSource({ provider: () => value as string });
      await expect(tokens.getToken()).rejects.toMatchObject({ code: 'INVALID_TOKEN_RESPONSE' });
    });

    it('needs an id to be used with a file cache', () => {
      expect(() =>
        createAccessTokenSource({
          provider: () => 'token',
          cache: { kind: 'file', directory: '/tmp/never-created' },
        }),
      ).toThrow('client.token.provider.id is required with a file or Redis cache');
    });
  });
});
