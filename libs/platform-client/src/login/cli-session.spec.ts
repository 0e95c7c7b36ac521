import { describe, expect, it } from '@jest/globals';
import { MemoryTokenCache } from '../caches/memory-token-cache.js';
import type { Clock } from '../shared/clock.js';
import type { TokenSet } from '../shared/token-set.js';
import { CliSession } from './cli-session.js';
import type { LoginEvent } from './login-event.js';

const ISSUER = 'https://id.example.test';
const NOW = 1_000_000_000;

/** Time that moves only when something sleeps. */
function manualClock(): Clock {
  let now = NOW;
  return {
    now: () => now,
    sleep: async (ms) => {
      now += ms;
    },
  };
}

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json', ...headers },
  });

type Handler = (body: URLSearchParams, headers: Headers) => Response;

/** A scripted issuer: discovery from `metadata`, one handler per endpoint path. */
function fakeIssuer(metadata: Record<string, string>, handlers: Record<string, Handler>) {
  const requests: Array<{ path: string; body: URLSearchParams; headers: Headers }> = [];
  const fetchImpl = (async (input: string | URL | Request, init?: RequestInit) => {
    const url = new URL(String(input instanceof Request ? input.url : input));
    if (url.pathname === '/.well-known/openid-configuration') {
      return json(200, { issuer: ISSUER, token_endpoint: `${ISSUER}/token`, ...metadata });
    }
    const body = new URLSearchParams(init?.body ? String(init.body) : '');
    const headers = new Headers(init?.headers);
    requests.push({ path: url.pathname, body, headers });
    const handler = handlers[url.pathname];
    return handler ? handler(body, headers) : json(404, {});
  }) as typeof fetch;
  return { fetchImpl, requests };
}

function session(
  fetchImpl: typeof fetch,
  options: { scope?: string; env?: Record<string, string>; events?: LoginEvent[] } = {},
) {
  const cache = new MemoryTokenCache();
  const clock = manualClock();
  const cli = new CliSession(
    {
      issuer: ISSUER,
      clientId: 'cli',
      scope: options.scope ?? 'openid profile email offline_access documents:read',
      cache,
      environment: { env: options.env ?? {} },
      ports: [0],
      openBrowser: async () => undefined,
      ...(options.events ? { onEvent: (event: LoginEvent) => options.events!.push(event) } : {}),
    },
    { fetch: fetchImpl, clock },
  );
  const seed = (tokenSet: Partial<TokenSet>) =>
    cache.set(cli.key, {
      tokenSet: {
        accessToken: 'at-old',
        tokenType: 'Bearer',
        expiresAt: NOW + 600_000,
        ...tokenSet,
      },
      receivedAt: NOW - 1000,
    });
  return { cli, cache, seed };
}

const tokenAnswer = (accessToken: string, extra: Record<string, unknown> = {}) =>
  json(200, { access_token: accessToken, token_type: 'Bearer', expires_in: 600, ...extra });

describe('CliSession.whoami', () => {
  it('refreshes an expired access token (injected clock), then merges the userinfo answer', async () => {
    const { fetchImpl, requests } = fakeIssuer(
      { userinfo_endpoint: `${ISSUER}/me` },
      {
        '/token': () => tokenAnswer('at-new', { refresh_token: 'rt-2' }),
        '/me': (_body, headers) =>
          headers.get('authorization') === 'Bearer at-new'
            ? json(200, { sub: 'alice', name: 'Alice Example', preferred_username: 'al' })
            : json(401, {}, { 'www-authenticate': 'Bearer error="invalid_token"' }),
      },
    );
    const { cli, cache, seed } = session(fetchImpl);
    await seed({ expiresAt: NOW - 1, refreshToken: 'rt-1' });
    expect(await cli.state()).toBe('refreshable');

    const identity = await cli.whoami();

    expect(requests[0].body.get('grant_type')).toBe('refresh_token');
    expect(requests[0].body.get('refresh_token')).toBe('rt-1');
    expect(identity).toMatchObject({
      issuer: ISSUER,
      subject: 'alice',
      name: 'Alice Example',
      preferredUsername: 'al',
      refreshable: true,
      expiresAt: NOW + 600_000,
      userInfo: { ok: true },
    });
    expect((await cache.get(cli.key))?.tokenSet).toMatchObject({
      accessToken: 'at-new',
      refreshToken: 'rt-2',
    });
    expect(JSON.stringify(identity)).not.toMatch(/at-new|rt-[12]/);
  });

  it('when userinfo refuses the API-bound token: one OpenID-only refresh (no resource) for userinfo, rotation stored', async () => {
    const { fetchImpl, requests } = fakeIssuer(
      { userinfo_endpoint: `${ISSUER}/me` },
      {
        '/token': () => tokenAnswer('at-userinfo', { refresh_token: 'rt-rotated' }),
        '/me': (_body, headers) =>
          headers.get('authorization') === 'Bearer at-userinfo'
            ? json(200, { sub: 'alice', email: 'alice@example.com' })
            : json(401, {}, { 'www-authenticate': 'Bearer error="invalid_token"' }),
      },
    );
    const { cli, cache, seed } = session(fetchImpl);
    await seed({ refreshToken: 'rt-1' });

    const identity = await cli.whoami();

    expect(identity).toMatchObject({ email: 'alice@example.com', userInfo: { ok: true } });
    const refresh = requests.find((r) => r.path === '/token')!;
    expect(refresh.body.get('scope')).toBe('openid profile email');
    expect(refresh.body.has('resource')).toBe(false);
    const stored = (await cache.get(cli.key))!.tokenSet;
    expect(stored).toMatchObject({ accessToken: 'at-old', refreshToken: 'rt-rotated' });
  });

  it('reports (does not throw) a userinfo refusal when there is no refresh token to try', async () => {
    const { fetchImpl, requests } = fakeIssuer(
      { userinfo_endpoint: `${ISSUER}/me` },
      { '/me': () => json(401, {}, { 'www-authenticate': 'Bearer error="invalid_token"' }) },
    );
    const { cli, seed } = session(fetchImpl);
    await seed({});
    const identity = await cli.whoami();
    expect(identity.userInfo).toEqual({
      ok: false,
      reason: 'the userinfo endpoint rejected the access token (HTTP 401, invalid_token)',
    });
    expect(requests.map((r) => r.path)).toEqual(['/me']);
  });

  it('with userInfo: false, uses the cached claims only (no request at all)', async () => {
    const { fetchImpl, requests } = fakeIssuer({ userinfo_endpoint: `${ISSUER}/me` }, {});
    const { cli, seed } = session(fetchImpl);
    await seed({ refreshToken: 'rt-1' });
    const identity = await cli.whoami({ userInfo: false });
    expect(identity.userInfo).toEqual({ ok: false, reason: 'not requested' });
    expect(requests).toEqual([]);
  });

  it('reports an issuer without a userinfo endpoint', async () => {
    const { fetchImpl } = fakeIssuer({}, {});
    const { cli, seed } = session(fetchImpl);
    await seed({});
    expect((await cli.whoami()).userInfo).toEqual({
      ok: false,
      reason: 'the issuer has no userinfo endpoint',
    });
  });

  describe('fails', () => {
    it('with NOT_LOGGED_IN when nothing is cached', async () => {
      const { cli } = session(fakeIssuer({}, {}).fetchImpl);
      await expect(cli.whoami()).rejects.toMatchObject({ code: 'NOT_LOGGED_IN' });
    });

    it('with REAUTH_REQUIRED when the refresh token is rejected (expired or revoked)', async () => {
      const { fetchImpl } = fakeIssuer(
        {},
        { '/token': () => json(400, { error: 'invalid_grant', error_description: 'revoked' }) },
      );
      const { cli, seed } = session(fetchImpl);
      await seed({ expiresAt: NOW - 1, refreshToken: 'rt-revoked' });
      await expect(cli.whoami()).rejects.toMatchObject({ code: 'REAUTH_REQUIRED' });
    });
  });
});

describe('CliSession.rejectAccessToken', () => {
  it('makes the next accessToken() refresh instead of returning the refused token', async () => {
    const { fetchImpl, requests } = fakeIssuer(
      {},
      { '/token': () => tokenAnswer('at-new', { refresh_token: 'rt-2' }) },
    );
    const { cli, cache, seed } = session(fetchImpl);
    await seed({ refreshToken: 'rt-1' });
    expect(await cli.accessToken()).toBe('at-old');

    await cli.rejectAccessToken('at-old');

    expect(await cli.state()).toBe('refreshable');
    expect(await cli.accessToken()).toBe('at-new');
    expect(requests.map((request) => request.body.get('refresh_token'))).toEqual(['rt-1']);
    expect((await cache.get(cli.key))?.tokenSet.refreshToken).toBe('rt-2');
  });

  it("ignores a token that is no longer the session's", async () => {
    const { cli, seed } = session(fakeIssuer({}, {}).fetchImpl);
    await seed({ refreshToken: 'rt-1' });
    await cli.rejectAccessToken('at-older');
    expect(await cli.accessToken()).toBe('at-old');
  });

  it('ends the session when there is no refresh token to fall back on', async () => {
    const { cli, seed } = session(fakeIssuer({}, {}).fetchImpl);
    await seed({});
    await cli.rejectAccessToken('at-old');
    await expect(cli.accessToken()).rejects.toMatchObject({ code: 'NOT_LOGGED_IN' });
  });
});

describe('CliSession.logout', () => {
  it('revokes the refresh token (RFC 7009) and removes the session', async () => {
    const { fetchImpl, requests } = fakeIssuer(
      { revocation_endpoint: `${ISSUER}/revoke` },
      { '/revoke': () => new Response(null, { status: 200 }) },
    );
    const { cli, seed } = session(fetchImpl);
    await seed({ refreshToken: 'rt-1' });
    expect(await cli.logout()).toEqual({ wasLoggedIn: true, revocation: 'revoked' });
    expect(requests[0].body.get('token')).toBe('rt-1');
    expect(requests[0].body.get('token_type_hint')).toBe('refresh_token');
    expect(await cli.state()).toBe('none');
  });

  it('says unsupported when the issuer has no revocation endpoint, and still removes the session', async () => {
    const { cli, seed } = session(fakeIssuer({}, {}).fetchImpl);
    await seed({ refreshToken: 'rt-1' });
    expect(await cli.logout()).toEqual({ wasLoggedIn: true, revocation: 'unsupported' });
    expect(await cli.state()).toBe('none');
  });

  it('says failed (with the error) when revocation fails, and still removes the session', async () => {
    const { fetchImpl } = fakeIssuer(
      { revocation_endpoint: `${ISSUER}/revoke` },
      { '/revoke': () => json(503, { error: 'temporarily_unavailable' }) },
    );
    const { cli, seed } = session(fetchImpl);
    await seed({ refreshToken: 'rt-1' });
    const result = await cli.logout();
    expect(result).toMatchObject({ wasLoggedIn: true, revocation: 'failed' });
    expect(result.error?.code).toEqual(expect.any(String));
    expect(await cli.state()).toBe('none');
  });

  it('says none when the session holds no token, and not logged in when there is none', async () => {
    const { cli, seed } = session(fakeIssuer({}, {}).fetchImpl);
    expect(await cli.logout()).toEqual({ wasLoggedIn: false, revocation: 'none' });
    await seed({ accessToken: '', expiresAt: 0 });
    expect(await cli.logout()).toEqual({ wasLoggedIn: true, revocation: 'none' });
  });
});

describe('CliSession.login', () => {
  it('falls back to the device flow when the issuer has no authorization endpoint (device-only)', async () => {
    const events: LoginEvent[] = [];
    const { fetchImpl } = fakeIssuer(
      { device_authorization_endpoint: `${ISSUER}/device/auth` },
      {
        '/device/auth': () =>
          json(200, {
            device_code: 'dc',
            user_code: 'ABCD-EFGH',
            verification_uri: `${ISSUER}/device`,
            expires_in: 60,
          }),
        '/token': () => tokenAnswer('at-device', { refresh_token: 'rt-device' }),
      },
    );
    const { cli, cache } = session(fetchImpl, {
      scope: 'offline_access documents:read',
      env: { DISPLAY: ':0' },
      events,
    });
    const result = await cli.login();
    expect(result).toMatchObject({ method: 'device', fallback: 'no-authorization-endpoint' });
    expect(events[0]).toMatchObject({ type: 'fallback', reason: 'no-authorization-endpoint' });
    expect((await cache.get(cli.key))?.tokenSet.accessToken).toBe('at-device');
  });

  it.each([
    ['without a display', {}],
    ['over SSH', { DISPLAY: ':0', SSH_CONNECTION: '10.0.0.1 5 10.0.0.2 22' }],
  ])('with the issuer unreachable %s, fails before announcing any fallback', async (_name, env) => {
    const events: LoginEvent[] = [];
    const down = (async () => {
      throw new TypeError('fetch failed', { cause: { code: 'ECONNREFUSED' } });
    }) as typeof fetch;
    const { cli } = session(down, { env, events });
    await expect(cli.login()).rejects.toMatchObject({ code: 'TOKEN_ENDPOINT_UNAVAILABLE' });
    expect(events).toEqual([]);
  });

  it('does not fall back when the device endpoint is missing too', async () => {
    const { cli } = session(fakeIssuer({}, {}).fetchImpl, { env: { DISPLAY: ':0' } });
    await expect(cli.login()).rejects.toMatchObject({ code: 'UNSUPPORTED_BY_ISSUER' });
  });

  describe('step-up (acr_values, max_age)', () => {
    const deviceIssuer = () =>
      fakeIssuer(
        { device_authorization_endpoint: `${ISSUER}/device/auth` },
        {
          '/device/auth': () =>
            json(200, {
              device_code: 'dc',
              user_code: 'ABCD-EFGH',
              verification_uri: `${ISSUER}/device`,
              expires_in: 60,
            }),
          '/token': () => tokenAnswer('at-device', { refresh_token: 'rt-device' }),
        },
      );

    it('sends acr_values and max_age with the device authorization request', async () => {
      const { fetchImpl, requests } = deviceIssuer();
      const { cli } = session(fetchImpl);
      await cli.login({ device: true, acrValues: ['urn:acr:mfa', 'urn:acr:pwd'], maxAgeS: 0 });
      const device = requests.find((r) => r.path === '/device/auth')!;
      expect(device.body.get('acr_values')).toBe('urn:acr:mfa urn:acr:pwd');
      expect(device.body.get('max_age')).toBe('0');
    });

    it('sends neither without step-up options', async () => {
      const { fetchImpl, requests } = deviceIssuer();
      const { cli } = session(fetchImpl);
      await cli.login({ device: true });
      const device = requests.find((r) => r.path === '/device/auth')!;
      expect(device.body.has('acr_values')).toBe(false);
      expect(device.body.has('max_age')).toBe(false);
    });

    it.each([
      [{ acrValues: '' }, '"acrValues"'],
      [{ acrValues: [] }, '"acrValues"'],
      [{ maxAgeS: -1 }, '"maxAgeS"'],
      [{ maxAgeS: 1.5 }, '"maxAgeS"'],
    ])('refuses %j before any request', async (options, message) => {
      const { fetchImpl, requests } = deviceIssuer();
      const { cli } = session(fetchImpl);
      await expect(cli.login({ device: true, ...options })).rejects.toThrow(message);
      expect(requests).toEqual([]);
    });
  });
});
