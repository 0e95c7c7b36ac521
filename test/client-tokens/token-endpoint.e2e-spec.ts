import { inspect } from 'node:util';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { exportJWK, generateKeyPair, jwtVerify } from 'jose';
import { fetch as undiciFetch } from 'undici';
import {
  type AccessTokenSource,
  type Clock,
  createAccessTokenSource,
  createPlatformClient,
  MemoryTokenCache,
  refreshToken,
  serialiseCacheKey,
  type TokenProviderOptions,
} from '@nest-platform/client';
import {
  discoveryDocument,
  type FakeResponse,
  type RecordedRequest,
  RecordingServer,
} from './fixtures/fake-authorization-server.js';

const SECRET = 'fake-as-secret-5e1d2c3b4a5f6e7d8c9b0a1f2e3d4c5b';
const LEAKED_TOKEN = 'leaked-access-token-8f7e6d5c4b3a29180716';
const INITIAL_RT = 'initial-refresh-token-0a1b2c3d4e5f60718293';
const ok = (body: Record<string, unknown>): FakeResponse => ({ status: 200, body });
const bearer = (accessToken: string, extra: Record<string, unknown> = {}) =>
  ok({ access_token: accessToken, token_type: 'Bearer', expires_in: 600, ...extra });

/**
 * A fake authorization server (discovery + token endpoint on loopback) and a recorder standing
 * for "somewhere else": the tests check that the client secret never reaches the recorder when
 * discovery or the token endpoint misbehave, and how token responses map to error codes.
 */
describe('token endpoint and discovery fencing', () => {
  let as: RecordingServer;
  let elsewhere: RecordingServer;
  let tokenEndpoint: () => string;
  let discoveredIssuer: () => string;
  let onToken: (request: RecordedRequest) => FakeResponse;
  let clock: Clock & { time: number };

  const source = (
    provider: Partial<Extract<TokenProviderOptions, { grant: 'client_credentials' }>> = {},
    fetchImpl?: typeof fetch,
  ): AccessTokenSource =>
    createAccessTokenSource(
      {
        provider: {
          grant: 'client_credentials',
          issuer: as.url,
          clientId: 'fake-client',
          clientSecret: SECRET,
          allowHttp: true,
          ...provider,
        },
      },
      { clock, fetch: fetchImpl },
    );

  beforeAll(async () => {
    elsewhere = await RecordingServer.start(() => bearer('stolen'));
    as = await RecordingServer.start((request) => {
      if (request.path === '/.well-known/openid-configuration') {
        return discoveryDocument(discoveredIssuer(), tokenEndpoint());
      }
      if (request.path === '/token') return onToken(request);
      if (request.path === '/token-redirect') {
        return { status: 307, headers: { location: `${elsewhere.url}/token` } };
      }
      return { status: 404 };
    });
  });
  afterAll(async () => {
    await as.close();
    await elsewhere.close();
  });
  beforeEach(() => {
    as.requests.length = 0;
    elsewhere.requests.length = 0;
    tokenEndpoint = () => `${as.url}/token`;
    discoveredIssuer = () => as.url;
    onToken = () => bearer('good-token');
    clock = { time: 1_800_000_000_000, now: () => clock.time, sleep: async () => undefined };
  });

  describe('discovery and endpoint checks (before any secret is sent)', () => {
    it('gets a token from a well-behaved server (control)', async () => {
      expect(await source().getToken()).toBe('good-token');
      expect(as.received(SECRET)).toBe(true);
    });

    it('refuses a discovery document naming another issuer', async () => {
      discoveredIssuer = () => elsewhere.url;
      tokenEndpoint = () => `${elsewhere.url}/token`;
      await expect(source().getToken()).rejects.toMatchObject({ code: 'ISSUER_MISMATCH' });
      expect(elsewhere.requests).toEqual([]);
      expect(as.received(SECRET)).toBe(false);
    });

    it('refuses an http:// token endpoint off loopback, even with allowHttp', async () => {
      // The transport resolves tokens.example.test to the recorder: without the check, the secret
      // would reach it (the control request below proves the route works).
      const routed: typeof fetch = (input, init) =>
        fetch(String(input).replace('http://tokens.example.test', elsewhere.url), init);
      tokenEndpoint = () => 'http://tokens.example.test/token';
      await expect(source({}, routed).getToken()).rejects.toMatchObject({
        code: 'INSECURE_ENDPOINT',
      });
      expect(elsewhere.requests).toEqual([]);
      await routed('http://tokens.example.test/control');
      expect(elsewhere.count('GET /control')).toBe(1);
    });

    it('does not follow a redirect from the token endpoint', async () => {
      tokenEndpoint = () => `${as.url}/token-redirect`;
      await expect(source().getToken()).rejects.toMatchObject({
        code: 'TOKEN_ENDPOINT_UNAVAILABLE',
        status: 307,
      });
      expect(elsewhere.requests).toEqual([]);
    });

    it('retries a failed discovery on the next call (the failure is not cached)', async () => {
      let discoveries = 0;
      const handler = as.handler;
      as.handler = (request) =>
        request.path === '/.well-known/openid-configuration' && ++discoveries === 1
          ? { status: 503 }
          : handler(request);
      try {
        const tokens = source();
        await expect(tokens.getToken()).rejects.toMatchObject({
          code: 'TOKEN_ENDPOINT_UNAVAILABLE',
          status: 503,
        });
        expect(await tokens.getToken()).toBe('good-token');
        expect(discoveries).toBe(2);
      } finally {
        as.handler = handler;
      }
    });
  });

  describe('token responses', () => {
    it.each<[string, FakeResponse, Record<string, unknown>]>([
      [
        'a body that is not JSON',
        { status: 200, body: 'hello' },
        { code: 'INVALID_TOKEN_RESPONSE' },
      ],
      ['no access_token', ok({ token_type: 'Bearer' }), { code: 'INVALID_TOKEN_RESPONSE' }],
      [
        'an unsupported token_type',
        ok({ access_token: LEAKED_TOKEN, token_type: 'mac' }),
        { code: 'INVALID_TOKEN_RESPONSE' },
      ],
      [
        'a negative expires_in',
        ok({ access_token: LEAKED_TOKEN, token_type: 'Bearer', expires_in: -5 }),
        { code: 'INVALID_TOKEN_RESPONSE' },
      ],
      [
        'an access_token with a line break',
        ok({ access_token: `${LEAKED_TOKEN}\r\nX-Injected: 1`, token_type: 'Bearer' }),
        { code: 'INVALID_TOKEN_RESPONSE' },
      ],
      [
        'HTTP 429 with Retry-After',
        { status: 429, headers: { 'retry-after': '7' }, body: 'slow down' },
        { code: 'THROTTLED', retryAfterMs: 7000 },
      ],
      [
        'HTTP 429 with an OAuth error body',
        { status: 429, headers: { 'retry-after': '3' }, body: { error: 'slow_down' } },
        { code: 'THROTTLED', retryAfterMs: 3000 },
      ],
      [
        'HTTP 503',
        { status: 503, body: 'maintenance' },
        { code: 'TOKEN_ENDPOINT_UNAVAILABLE', status: 503 },
      ],
      [
        'invalid_client',
        { status: 401, body: { error: 'invalid_client' } },
        { code: 'CLIENT_AUTH_FAILED', oauthError: 'invalid_client' },
      ],
      [
        'invalid_scope',
        { status: 400, body: { error: 'invalid_scope', error_description: 'no such scope' } },
        { code: 'TOKEN_REQUEST_REJECTED', oauthError: 'invalid_scope' },
      ],
      [
        'invalid_grant',
        { status: 400, body: { error: 'invalid_grant' } },
        { code: 'REAUTH_REQUIRED' },
      ],
    ])('maps %s to a typed error without echoing the body', async (_case, response, expected) => {
      onToken = () => response;
      const tokens = source();
      const error = await tokens.getToken().catch((e: unknown) => e);
      expect(error).toMatchObject(expected);
      const shown = `${inspect(error, { depth: 10 })}\n${String(error)}\n${JSON.stringify(error)}`;
      expect(shown).not.toContain(LEAKED_TOKEN);
      expect(shown).not.toContain(SECRET);
      expect(await tokens.status()).toMatchObject({
        state: 'failed',
        lastErrorCode: expected.code,
      });
    });

    it('maps a 429 the same through an undici fetch (a custom transport)', async () => {
      onToken = () => ({ status: 429, headers: { 'retry-after': '4' }, body: 'busy' });
      const tokens = source({}, undiciFetch as unknown as typeof fetch);
      await expect(tokens.getToken()).rejects.toMatchObject({
        code: 'THROTTLED',
        retryAfterMs: 4000,
      });
    });

    it('assumes defaultExpiresInS when the response has no expires_in', async () => {
      onToken = () => ok({ access_token: 'no-expiry', token_type: 'bearer' });
      const tokens = createAccessTokenSource(
        {
          provider: {
            grant: 'client_credentials',
            issuer: as.url,
            clientId: 'fake-client',
            clientSecret: SECRET,
            allowHttp: true,
          },
          defaultExpiresInS: 120,
        },
        { clock },
      );
      expect(await tokens.getToken()).toBe('no-expiry');
      expect(await tokens.status()).toEqual({ state: 'valid', expiresAt: clock.time + 120_000 });
    });

    it('sends scopes normalised and the audience as the RFC 8707 resource', async () => {
      await source({ scope: 'b a b', audience: 'https://api.example.test' }).getToken();
      const body = new URLSearchParams(as.requests.find((r) => r.path === '/token')!.body);
      expect(body.get('grant_type')).toBe('client_credentials');
      expect(body.get('scope')).toBe('a b');
      expect(body.get('resource')).toBe('https://api.example.test');
    });
  });

  describe('Retry-After of a throttled token request is obeyed', () => {
    it('sends no token request until it has elapsed, for getToken() and for PlatformClient calls', async () => {
      onToken = () => ({ status: 429, headers: { 'retry-after': '7' }, body: 'busy' });
      const tokens = source();
      const client = createPlatformClient({ baseUrl: as.url, allowHttp: true, token: tokens });
      try {
        await expect(tokens.getToken()).rejects.toMatchObject({
          code: 'THROTTLED',
          retryAfterMs: 7000,
        });
        clock.time += 3000;
        await expect(tokens.getToken()).rejects.toMatchObject({
          code: 'THROTTLED',
          retryAfterMs: 4000,
        });
        await expect(client.get('/orders')).rejects.toMatchObject({ code: 'THROTTLED' });
        expect(as.count('POST /token')).toBe(1);
        expect(as.count('GET /orders')).toBe(0);

        onToken = () => bearer('after-the-wait');
        clock.time += 3999;
        await expect(tokens.getToken()).rejects.toMatchObject({ code: 'THROTTLED' });
        expect(as.count('POST /token')).toBe(1);
        clock.time += 1;
        expect(await tokens.getToken()).toBe('after-the-wait');
        expect(as.count('POST /token')).toBe(2);
      } finally {
        await client.close();
      }
    });

    it('caps an absurd Retry-After (a date years away) at 5 minutes', async () => {
      onToken = () => ({
        status: 429,
        headers: { 'retry-after': new Date(clock.time + 3 * 365 * 86_400_000).toUTCString() },
        body: 'busy',
      });
      const tokens = source();
      await expect(tokens.getToken()).rejects.toMatchObject({ code: 'THROTTLED' });
      onToken = () => bearer('five-minutes-later');
      clock.time += 299_999;
      await expect(tokens.getToken()).rejects.toMatchObject({ code: 'THROTTLED' });
      clock.time += 1;
      expect(await tokens.getToken()).toBe('five-minutes-later');
      expect(as.count('POST /token')).toBe(2);
    });
  });

  describe('what the server says is passed on without the credentials it was sent', () => {
    /** Every value the client sent in the token request (body and Basic credentials). */
    const CREDENTIAL_PARAMETERS = ['client_secret', 'refresh_token', 'client_assertion'];
    const sentValues = (request: RecordedRequest): string[] => {
      const body = new URLSearchParams(request.body);
      const values = CREDENTIAL_PARAMETERS.flatMap((name) => body.getAll(name));
      const basic = request.headers.authorization;
      if (basic?.startsWith('Basic ')) {
        const decoded = Buffer.from(basic.slice(6), 'base64').toString('utf8');
        values.push(basic.slice(6), decoded, decodeURIComponent(decoded.split(':')[1]!));
      }
      return values;
    };
    let sent: string[];
    const echo = (error: string, status = 400) => {
      onToken = (request) => {
        sent = sentValues(request);
        const everything = sent.flatMap((v) => [v, encodeURIComponent(v)]).join(' | ');
        return { status, body: { error, error_description: `you sent ${everything}` } };
      };
    };
    const shown = (error: unknown) =>
      `${String(error)}\n${inspect(error, { depth: 10 })}\n${JSON.stringify(error)}`;
    const expectNoneOf = (error: unknown, values: readonly string[]) => {
      for (const value of values) expect(shown(error)).not.toContain(value);
    };

    beforeEach(() => {
      sent = [];
    });

    it.each(['client_secret_basic', 'client_secret_post'] as const)(
      'strips the client secret sent with %s',
      async (clientAuth) => {
        echo('invalid_client', 401);
        const error = await source({ clientAuth })
          .getToken()
          .catch((e: unknown) => e);
        expect(error).toMatchObject({ code: 'CLIENT_AUTH_FAILED' });
        expect(sent.join(' ')).toContain(SECRET);
        expect(shown(error)).toContain('you sent');
        expectNoneOf(error, [SECRET, encodeURIComponent(SECRET), ...sent]);
      },
    );

    it('strips the refresh token of a refresh grant', async () => {
      echo('invalid_grant');
      const tokens = createAccessTokenSource(
        {
          provider: {
            grant: 'refresh_token',
            issuer: as.url,
            clientId: 'fake-client',
            clientSecret: SECRET,
            refreshToken: INITIAL_RT,
            allowHttp: true,
          },
        },
        { clock },
      );
      const error = await tokens.getToken().catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'REAUTH_REQUIRED' });
      expect(sent).toContain(INITIAL_RT);
      expectNoneOf(error, [INITIAL_RT, SECRET, ...sent]);
    });

    it('strips the client assertion of private_key_jwt', async () => {
      const { privateKey } = await generateKeyPair('ES256', { extractable: true });
      const privateJwk = { ...(await exportJWK(privateKey)), alg: 'ES256', kid: 'k1' };
      echo('unauthorized_client');
      const error = await source({ clientSecret: undefined, privateKey: privateJwk })
        .getToken()
        .catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'CLIENT_AUTH_FAILED' });
      const assertion = sent.find((value) => value.split('.').length === 3)!;
      expect(assertion).toBeDefined();
      // The assertion is longer than the bound: not even its beginning may show.
      expectNoneOf(error, [assertion.slice(0, 24), ...sent]);
    });

    it('strips a credential that straddles the length bound, and bounds the length', async () => {
      onToken = () => ({
        status: 400,
        body: { error: 'invalid_scope', error_description: `${'x'.repeat(190)}${SECRET}` },
      });
      const error = await source()
        .getToken()
        .catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'TOKEN_REQUEST_REJECTED' });
      expectNoneOf(error, [SECRET.slice(0, 8)]);

      onToken = () => ({
        status: 400,
        body: { error: 'invalid_scope', error_description: 'y'.repeat(100_000) },
      });
      const long = await source()
        .getToken()
        .catch((e: unknown) => e);
      expect((long as Error).message.length).toBeLessThan(500);
    });

    it('strips a truncated echo of the secret', async () => {
      onToken = () => ({
        status: 401,
        body: { error: 'invalid_client', error_description: `secret ${SECRET.slice(0, 20)}...` },
      });
      const error = await source()
        .getToken()
        .catch((e: unknown) => e);
      expectNoneOf(error, [SECRET.slice(0, 20)]);
    });

    it('strips credentials from the error code itself', async () => {
      onToken = (request) => {
        const secret = new URLSearchParams(request.body).get('client_secret');
        return { status: 400, body: { error: `bad_${secret}` } };
      };
      const error = await source({ clientAuth: 'client_secret_post' })
        .getToken()
        .catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'TOKEN_REQUEST_REJECTED' });
      expectNoneOf(error, [SECRET]);
    });
  });

  describe('private_key_jwt', () => {
    it('authenticates with a client assertion signed by the private JWK, and no secret', async () => {
      const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
      const privateJwk = { ...(await exportJWK(privateKey)), alg: 'ES256', kid: 'k1' };
      let assertion: string | null = null;
      onToken = (request) => {
        const body = new URLSearchParams(request.body);
        assertion = body.get('client_assertion');
        return body.get('client_assertion_type') ===
          'urn:ietf:params:oauth:client-assertion-type:jwt-bearer'
          ? bearer('jwt-token')
          : { status: 401, body: { error: 'invalid_client' } };
      };
      const tokens = source({
        clientId: 'jwt-client',
        clientSecret: undefined,
        privateKey: privateJwk,
      });
      expect(await tokens.getToken()).toBe('jwt-token');
      const { payload, protectedHeader } = await jwtVerify(assertion ?? '', publicKey, {
        issuer: 'jwt-client',
        subject: 'jwt-client',
      });
      expect(protectedHeader.kid).toBe('k1');
      expect([payload.aud].flat()).toContain(as.url);
      expect(as.requests.some((r) => r.body.includes('client_secret'))).toBe(false);
      expect(inspect(tokens, { depth: 10 }) + JSON.stringify(tokens)).not.toContain(
        String(privateJwk.d),
      );
    });
  });

  describe('refresh token responses', () => {
    const refreshSource = (cache: MemoryTokenCache) => {
      const provider = refreshToken(
        {
          issuer: as.url,
          clientId: 'fake-client',
          clientSecret: SECRET,
          refreshToken: INITIAL_RT,
          allowHttp: true,
        },
        { clock },
      );
      const key = serialiseCacheKey(provider.cacheKey);
      return { tokens: createAccessTokenSource({ provider, cache }, { clock }), key };
    };

    it('keeps the old refresh token when the response has none', async () => {
      let n = 0;
      onToken = () => bearer(`access-${++n}`);
      const cache = new MemoryTokenCache();
      const { tokens, key } = refreshSource(cache);
      expect(await tokens.getToken()).toBe('access-1');
      expect((await cache.get(key))?.tokenSet.refreshToken).toBe(INITIAL_RT);
      await tokens.invalidate('access-1');
      expect(await tokens.getToken()).toBe('access-2');
      const sent = as.requests
        .filter((r) => r.path === '/token')
        .map((r) => new URLSearchParams(r.body).get('refresh_token'));
      expect(sent).toEqual([INITIAL_RT, INITIAL_RT]);
    });

    it('uses and stores a rotated refresh token', async () => {
      let n = 0;
      onToken = () => bearer(`access-${++n}`, { refresh_token: `rotated-${n}` });
      const cache = new MemoryTokenCache();
      const { tokens, key } = refreshSource(cache);
      await tokens.getToken();
      await tokens.invalidate('access-1');
      await tokens.getToken();
      const sent = as.requests
        .filter((r) => r.path === '/token')
        .map((r) => new URLSearchParams(r.body).get('refresh_token'));
      expect(sent).toEqual([INITIAL_RT, 'rotated-1']);
      expect((await cache.get(key))?.tokenSet.refreshToken).toBe('rotated-2');
    });

    it('purges the cached refresh token on invalid_grant and does not retry', async () => {
      onToken = () => ({ status: 400, body: { error: 'invalid_grant' } });
      const cache = new MemoryTokenCache();
      const { tokens, key } = refreshSource(cache);
      await cache.set(key, {
        receivedAt: clock.time - 10_000,
        tokenSet: {
          accessToken: 'old',
          tokenType: 'Bearer',
          expiresAt: clock.time - 1,
          refreshToken: 'cached-rt',
        },
      });
      await expect(tokens.getToken()).rejects.toMatchObject({ code: 'REAUTH_REQUIRED' });
      expect(as.count('POST /token')).toBe(1);
      // Only the rejected token's fingerprint is left, so no token source presents it again.
      const left = await cache.get(key);
      expect(left?.tokenSet).toEqual({ accessToken: '', tokenType: 'Bearer', expiresAt: 0 });
      expect(left?.retiredRefreshTokens).toHaveLength(1);
      expect(JSON.stringify(left)).not.toContain('cached-rt');
    });
  });
});
