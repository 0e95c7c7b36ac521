import { describe, expect, it } from '@jest/globals';
import { BrowserUnavailableError } from '../errors/browser-unavailable.error.js';
import type { Clock } from '../shared/clock.js';
import { OpenIdConnection } from '../tokens/providers/openid-connection.js';
import { runLoopbackFlow } from './authorization-code.flow.js';
import type { LoginEvent } from './login-event.js';

const ISSUER = 'https://id.example.test';

/** Time that stands still: the callback wait ends only by abort (or `expired`: at once). */
function clock(expired = false): Clock {
  return {
    now: () => 1_000_000,
    sleep: (_ms, signal) =>
      expired
        ? Promise.resolve()
        : new Promise((_resolve, reject) =>
            signal?.addEventListener('abort', () => reject(signal.reason)),
          ),
  };
}

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

/** A scripted issuer (discovery + token endpoint); records token requests. */
function fakeIssuer(
  token: (body: URLSearchParams) => Response,
  metadata: Record<string, unknown> = { authorization_endpoint: `${ISSUER}/authorize` },
) {
  const tokenRequests: URLSearchParams[] = [];
  const fetchImpl = (async (input: string | URL | Request, init?: RequestInit) => {
    const url = new URL(String(input instanceof Request ? input.url : input));
    if (url.pathname === '/.well-known/openid-configuration') {
      return json(200, { issuer: ISSUER, token_endpoint: `${ISSUER}/token`, ...metadata });
    }
    if (url.pathname === '/token') {
      const body = new URLSearchParams(String(init?.body));
      tokenRequests.push(body);
      return token(body);
    }
    return json(404, {});
  }) as typeof fetch;
  return { fetchImpl, tokenRequests };
}

/**
 * A browser that follows the authorization URL straight back to the loopback redirect with
 * `answer` (the state is copied unless `answer` sets it); keeps the page it got.
 */
function browser(answer: (state: string) => Record<string, string>) {
  const opened: URL[] = [];
  let page: Promise<{ status: number; text: string }> | undefined;
  const open = async (url: string) => {
    const authorization = new URL(url);
    opened.push(authorization);
    const callback = new URL(authorization.searchParams.get('redirect_uri')!);
    callback.search = new URLSearchParams(
      answer(authorization.searchParams.get('state')!),
    ).toString();
    page = fetch(callback).then(async (res) => ({ status: res.status, text: await res.text() }));
  };
  return { open, opened, page: () => page! };
}

function flow(
  fetchImpl: typeof fetch,
  openBrowser: (url: string) => Promise<void>,
  options: { expired?: boolean; audience?: string; stepUp?: Record<string, string> } = {},
) {
  const time = clock(options.expired);
  const events: LoginEvent[] = [];
  const connection = new OpenIdConnection(
    { issuer: ISSUER, clientId: 'cli', clientAuth: 'none', allowHttp: false, timeoutMs: 5000 },
    { fetch: fetchImpl, clock: time },
  );
  const result = runLoopbackFlow({
    connection,
    clock: time,
    scope: 'documents:read offline_access',
    ...(options.audience ? { audience: options.audience } : {}),
    allowHttp: false,
    ports: [0],
    callbackTimeoutMs: 120_000,
    defaultExpiresInS: 300,
    openBrowser,
    onEvent: (event) => events.push(event),
    ...(options.stepUp ? { stepUp: options.stepUp } : {}),
  });
  return { result, events };
}

const granted = () =>
  json(200, { access_token: 'at-1', token_type: 'Bearer', expires_in: 600, refresh_token: 'rt-1' });

describe('runLoopbackFlow (authorization code + PKCE, loopback redirect)', () => {
  it('sends S256, state and resource, then exchanges the code with the verifier and the same redirect URI', async () => {
    const { fetchImpl, tokenRequests } = fakeIssuer(granted);
    const user = browser((state) => ({ code: 'the-code', state }));
    const { result, events } = flow(fetchImpl, user.open, { audience: 'urn:api' });

    await expect(result).resolves.toMatchObject({ accessToken: 'at-1', refreshToken: 'rt-1' });
    const authorization = user.opened[0];
    expect(authorization.origin + authorization.pathname).toBe(`${ISSUER}/authorize`);
    expect(authorization.searchParams.get('code_challenge_method')).toBe('S256');
    expect(authorization.searchParams.get('code_challenge')).toMatch(/^[\w-]{43}$/);
    expect(authorization.searchParams.get('resource')).toBe('urn:api');
    expect(authorization.searchParams.get('prompt')).toBe('consent');
    const redirectUri = authorization.searchParams.get('redirect_uri')!;
    expect(redirectUri).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/callback$/);

    const exchange = tokenRequests[0];
    expect(exchange.get('grant_type')).toBe('authorization_code');
    expect(exchange.get('code')).toBe('the-code');
    expect(exchange.get('redirect_uri')).toBe(redirectUri);
    expect(exchange.get('resource')).toBe('urn:api');
    const verifier = exchange.get('code_verifier')!;
    expect(verifier).toMatch(/^[\w-]{43,128}$/);

    expect((await user.page()).text).toContain('You can close this tab');
    expect(events.map((e) => e.type)).toEqual(['authorization-url', 'browser-opened']);
    expect(JSON.stringify(events)).not.toContain(verifier);
  });

  it('puts step-up parameters (acr_values, max_age) in the authorization request', async () => {
    const { fetchImpl } = fakeIssuer(granted);
    const user = browser((state) => ({ code: 'the-code', state }));
    const { result } = flow(fetchImpl, user.open, {
      stepUp: { acr_values: 'urn:acr:mfa', max_age: '300' },
    });
    await result;
    expect(user.opened[0].searchParams.get('acr_values')).toBe('urn:acr:mfa');
    expect(user.opened[0].searchParams.get('max_age')).toBe('300');
  });

  describe('fails', () => {
    it('with ACCESS_DENIED when the browser comes back with error=access_denied (no exchange)', async () => {
      const { fetchImpl, tokenRequests } = fakeIssuer(granted);
      const user = browser((state) => ({ error: 'access_denied', state }));
      const { result } = flow(fetchImpl, user.open);
      await expect(result).rejects.toMatchObject({ code: 'ACCESS_DENIED' });
      expect(tokenRequests).toHaveLength(0);
      expect((await user.page()).text).toContain('The login was denied');
    });

    it('with the token error when the exchange is refused, and tells the browser it failed', async () => {
      const { fetchImpl } = fakeIssuer(() => json(400, { error: 'invalid_grant' }));
      const user = browser((state) => ({ code: 'stale', state }));
      const { result } = flow(fetchImpl, user.open);
      await expect(result).rejects.toMatchObject({ code: 'REAUTH_REQUIRED' });
      expect((await user.page()).text).toContain('Login failed');
    });

    it('with the code and the code verifier it sent stripped from what the server said', async () => {
      const { fetchImpl, tokenRequests } = fakeIssuer((body) =>
        json(400, {
          error: 'invalid_grant',
          error_description: `code ${body.get('code')} with verifier ${body.get('code_verifier')} is stale`,
        }),
      );
      const code = 'authorization-code-0f1e2d3c4b5a69788796';
      const user = browser((state) => ({ code, state }));
      const { result } = flow(fetchImpl, user.open);
      const error = await result.catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'REAUTH_REQUIRED' });
      const verifier = tokenRequests[0]!.get('code_verifier')!;
      expect(verifier.length).toBeGreaterThan(40);
      const shown = `${String(error)}\n${JSON.stringify(error)}`;
      expect(shown).toContain('Server said: code *** with verifier *** is stale');
      expect(shown).not.toContain(code);
      expect(shown).not.toContain(verifier);
    });

    it('with BROWSER_UNAVAILABLE when the browser cannot be launched (the device flow takes over)', async () => {
      const { fetchImpl } = fakeIssuer(granted);
      const { result } = flow(fetchImpl, () =>
        Promise.reject(new BrowserUnavailableError('no xdg-open')),
      );
      await expect(result).rejects.toMatchObject({ code: 'BROWSER_UNAVAILABLE' });
    });

    it('with CALLBACK_TIMEOUT when the browser does not come back in time (injected clock)', async () => {
      const { fetchImpl } = fakeIssuer(granted);
      const { result } = flow(fetchImpl, async () => undefined, { expired: true });
      await expect(result).rejects.toMatchObject({ code: 'CALLBACK_TIMEOUT' });
    });

    it('with UNSUPPORTED_BY_ISSUER when discovery names no authorization endpoint', async () => {
      const { fetchImpl } = fakeIssuer(granted, {});
      const { result } = flow(fetchImpl, async () => undefined);
      await expect(result).rejects.toMatchObject({
        code: 'UNSUPPORTED_BY_ISSUER',
        endpoint: 'authorization_endpoint',
      });
    });

    it('with INSECURE_ENDPOINT when the authorization endpoint is plain http', async () => {
      const { fetchImpl } = fakeIssuer(granted, {
        authorization_endpoint: 'http://id.example.test/authorize',
      });
      const { result } = flow(fetchImpl, async () => undefined);
      await expect(result).rejects.toMatchObject({ code: 'INSECURE_ENDPOINT' });
    });
  });
});
