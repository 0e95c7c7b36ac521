import { describe, expect, it } from '@jest/globals';
import type { Clock } from '../shared/clock.js';
import { OpenIdConnection } from '../tokens/providers/openid-connection.js';
import { runDeviceFlow } from './device-authorization.flow.js';
import type { LoginEvent } from './login-event.js';

const ISSUER = 'https://id.example.test';
const DEVICE_CODE = 'device-code-that-must-never-be-reported-0123456789';

/** Time that moves only when the flow sleeps; records every sleep. */
function manualClock(): Clock & { sleeps: number[] } {
  let now = 1_000_000;
  const sleeps: number[] = [];
  return {
    sleeps,
    now: () => now,
    sleep: async (ms) => {
      sleeps.push(ms);
      now += ms;
    },
  };
}

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

/** An issuer with discovery, a device authorization endpoint and scripted token answers. */
function fakeIssuer(tokenAnswers: Array<[number, unknown]>, device: Record<string, unknown> = {}) {
  const tokenRequests: URLSearchParams[] = [];
  const fetchImpl = (async (input: string | URL | Request, init?: RequestInit) => {
    const url = new URL(String(input instanceof Request ? input.url : input));
    switch (url.pathname) {
      case '/.well-known/openid-configuration':
        return json(200, {
          issuer: ISSUER,
          token_endpoint: `${ISSUER}/token`,
          device_authorization_endpoint: `${ISSUER}/device/auth`,
        });
      case '/device/auth':
        return json(200, {
          device_code: DEVICE_CODE,
          user_code: 'WDJB-MJHT',
          verification_uri: `${ISSUER}/device`,
          verification_uri_complete: `${ISSUER}/device?user_code=WDJB-MJHT`,
          expires_in: 60,
          ...device,
        });
      case '/token': {
        tokenRequests.push(new URLSearchParams(String(init?.body)));
        const [status, body] = tokenAnswers.shift() ?? [500, {}];
        return json(status, body);
      }
    }
    return json(404, {});
  }) as typeof fetch;
  return { fetchImpl, tokenRequests };
}

async function run(answers: Array<[number, unknown]>, device?: Record<string, unknown>) {
  const clock = manualClock();
  const { fetchImpl, tokenRequests } = fakeIssuer(answers, device);
  const events: LoginEvent[] = [];
  const connection = new OpenIdConnection(
    {
      issuer: ISSUER,
      clientId: 'cli',
      clientAuth: 'none',
      allowHttp: false,
      timeoutMs: 5000,
    },
    { fetch: fetchImpl, clock },
  );
  const result = runDeviceFlow({
    connection,
    clock,
    scope: 'openid offline_access',
    defaultIntervalMs: 5000,
    defaultExpiresInS: 300,
    onEvent: (event) => events.push(event),
  });
  return { result, clock, events, tokenRequests };
}

const pending = [400, { error: 'authorization_pending' }] as [number, unknown];
const slowDown = [400, { error: 'slow_down' }] as [number, unknown];
const granted = [
  200,
  { access_token: 'at-1', token_type: 'Bearer', expires_in: 600, refresh_token: 'rt-1' },
] as [number, unknown];

describe('runDeviceFlow', () => {
  it('reports the URIs and user code (never the device code), polls every 5 s until granted', async () => {
    const { result, clock, events, tokenRequests } = await run([pending, pending, granted]);
    await expect(result).resolves.toMatchObject({ accessToken: 'at-1', refreshToken: 'rt-1' });
    expect(clock.sleeps).toEqual([5000, 5000, 5000]);
    expect(tokenRequests.map((r) => r.get('device_code'))).toEqual([
      DEVICE_CODE,
      DEVICE_CODE,
      DEVICE_CODE,
    ]);
    expect(events[0]).toEqual({
      type: 'device-code',
      verificationUri: `${ISSUER}/device`,
      verificationUriComplete: `${ISSUER}/device?user_code=WDJB-MJHT`,
      userCode: 'WDJB-MJHT',
      expiresAt: 1_000_000 + 60_000,
      intervalMs: 5000,
    });
    expect(events.filter((e) => e.type === 'device-pending')).toHaveLength(2);
    expect(JSON.stringify(events)).not.toContain(DEVICE_CODE);
  });

  it('uses the interval the issuer sends, and adds 5 s for this and later polls on slow_down', async () => {
    const { result, clock, events } = await run([pending, slowDown, pending, granted], {
      interval: 2,
    });
    await result;
    expect(clock.sleeps).toEqual([2000, 2000, 7000, 7000]);
    expect(events).toContainEqual(
      expect.objectContaining({ type: 'device-pending', slowDown: true, intervalMs: 7000 }),
    );
  });

  describe('stops', () => {
    it('with DEVICE_CODE_EXPIRED on expired_token', async () => {
      const { result } = await run([pending, [400, { error: 'expired_token' }]]);
      await expect(result).rejects.toMatchObject({ code: 'DEVICE_CODE_EXPIRED' });
    });

    it('with ACCESS_DENIED on access_denied', async () => {
      const { result } = await run([[400, { error: 'access_denied' }]]);
      await expect(result).rejects.toMatchObject({ code: 'ACCESS_DENIED' });
    });

    it('with the device code it sent stripped from what the server said', async () => {
      const { result } = await run([
        [400, { error: 'access_denied', error_description: `device_code=${DEVICE_CODE} denied` }],
      ]);
      const error = await result.catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'ACCESS_DENIED' });
      expect(String(error)).toContain('device_code=*** denied');
      expect(String(error)).not.toContain(DEVICE_CODE);
    });

    it('with DEVICE_CODE_EXPIRED once expires_in has passed, without polling again', async () => {
      const { result, tokenRequests } = await run(Array(20).fill(pending), {
        expires_in: 12,
        interval: 5,
      });
      await expect(result).rejects.toMatchObject({ code: 'DEVICE_CODE_EXPIRED' });
      expect(tokenRequests).toHaveLength(2);
    });

    it('with AUTHORIZATION_RESPONSE_REJECTED when the verification URI is not http(s)', async () => {
      const { result, tokenRequests } = await run([granted], {
        verification_uri: 'javascript:alert(1)',
      });
      await expect(result).rejects.toMatchObject({ code: 'AUTHORIZATION_RESPONSE_REJECTED' });
      expect(tokenRequests).toHaveLength(0);
    });

    it('with UNSUPPORTED_BY_ISSUER when discovery names no device endpoint', async () => {
      const clock = manualClock();
      const connection = new OpenIdConnection(
        { issuer: ISSUER, clientId: 'cli', clientAuth: 'none', allowHttp: false, timeoutMs: 5000 },
        {
          clock,
          fetch: (async () =>
            json(200, { issuer: ISSUER, token_endpoint: `${ISSUER}/token` })) as typeof fetch,
        },
      );
      await expect(
        runDeviceFlow({
          connection,
          clock,
          scope: 'openid',
          defaultIntervalMs: 5000,
          defaultExpiresInS: 300,
          onEvent: () => undefined,
        }),
      ).rejects.toMatchObject({ code: 'UNSUPPORTED_BY_ISSUER' });
    });
  });
});
