import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import {
  createPlatformClient,
  type PlatformClient,
  type PlatformClientOptions,
  PlatformHttpError,
} from '@nest-platform/client';
import { type Answer, FakeApi, requireToken } from './fixtures/fake-api.js';
import { FakeTokenSource } from './fixtures/fake-token-source.js';
import { ManualClock } from './fixtures/manual-clock.js';

const TIMEOUT_MS = 30_000;
const OK: Answer = { status: 200, body: '{"ok":true}' };

describe('PlatformClient against a real HTTP API on loopback', () => {
  let api: FakeApi;
  let clock: ManualClock;
  let tokens: FakeTokenSource;
  let client: PlatformClient;

  function build(options: Partial<PlatformClientOptions> = {}): PlatformClient {
    clock = new ManualClock();
    tokens = new FakeTokenSource();
    client = createPlatformClient(
      { baseUrl: `${api.url}/v1`, allowHttp: true, token: tokens, ...options },
      { clock, random: () => 0.5 },
    );
    return client;
  }

  /** Lets the client run, advancing virtual time through each back-off sleep it starts. */
  async function runThroughBackoffs<T>(promise: Promise<T>, backoffs: number): Promise<number[]> {
    const slept: number[] = [];
    for (let i = 0; i < backoffs; i++) {
      const sleep = await clock.waitForSleep((s) => s.ms !== TIMEOUT_MS);
      slept.push(sleep.ms);
      clock.advance(sleep.ms);
    }
    await promise.catch(() => undefined);
    return slept;
  }

  beforeAll(async () => {
    api = await FakeApi.start();
  });
  afterEach(async () => {
    api.reset();
    await client?.close();
  });
  afterAll(() => api.close());

  describe('requests', () => {
    it('joins the path onto the base path, adds query and bearer token, and parses JSON', async () => {
      build();
      api.script('GET /v1/items', { status: 200, body: '{"items":[1,2]}' });
      const body = await client.getJson<{ items: number[] }>('/items', {
        query: { page: 2, tag: ['a', 'b'], skip: undefined },
      });
      expect(body).toEqual({ items: [1, 2] });
      expect(api.requests).toHaveLength(1);
      expect(api.requests[0].authorization).toBe('Bearer token-1');
      expect(api.requests[0].headers.host).toBe(new URL(api.url).host);
    });

    it('sends JSON bodies with postJson and returns the parsed answer', async () => {
      build();
      api.script('POST /v1/documents', (req) => ({ status: 201, body: req.body }));
      const echoed = await client.postJson('/documents', { title: 'hello' });
      expect(echoed).toEqual({ title: 'hello' });
      expect(api.requests[0].headers['content-type']).toBe('application/json');
    });

    it('sends no Authorization header when authenticate is false, and asks no token', async () => {
      build();
      api.script('GET /v1/public', OK);
      await client.get('/public', { authenticate: false });
      expect(api.requests[0].authorization).toBeUndefined();
      expect(tokens.calls).toEqual([]);
    });

    it('refuses a path on another origin before asking for a token', async () => {
      build();
      for (const path of ['https://evil.test/x', '//evil.test/x', 'http://127.0.0.1:1/x']) {
        await expect(client.get(path)).rejects.toThrow(TypeError);
      }
      expect(tokens.calls).toEqual([]);
      expect(api.requests).toHaveLength(0);
    });

    it('accepts an absolute URL on the base origin', async () => {
      build();
      api.script('GET /other', OK);
      await expect(client.get(`${api.url}/other`)).resolves.toMatchObject({ status: 200 });
    });
  });

  describe('401: one token re-acquisition, one retry', () => {
    it('invalidates the rejected token, gets one new token and retries once', async () => {
      build();
      api.script('GET /v1/protected', requireToken('token-2'));
      const response = await client.get('/protected');
      expect(response.status).toBe(200);
      expect(api.requests.map((r) => r.authorization)).toEqual([
        'Bearer token-1',
        'Bearer token-2',
      ]);
      expect(tokens.calls).toEqual(['getToken', 'invalidate token-1', 'getToken']);
    });

    it('re-authenticates a POST too (a 401 request was not processed)', async () => {
      build();
      api.script('POST /v1/protected', requireToken('token-2'));
      await expect(client.post('/protected', { json: {} })).resolves.toMatchObject({
        status: 200,
      });
      expect(api.count('POST /v1/protected')).toBe(2);
    });

    it('fails with HTTP_UNAUTHORIZED on a second 401 and never loops', async () => {
      build();
      api.script('GET /v1/protected', requireToken('never-valid'));
      const error = await client.get('/protected').catch((e: unknown) => e);
      expect(error).toBeInstanceOf(PlatformHttpError);
      expect(error).toMatchObject({ code: 'HTTP_UNAUTHORIZED', status: 401, attempts: 2 });
      expect(api.requests).toHaveLength(2);
      expect(tokens.issued).toBe(2);
      expect(clock.sleeps.filter((ms) => ms !== TIMEOUT_MS)).toEqual([]);
    });

    it('does not re-authenticate when the request was sent without a token', async () => {
      build();
      api.script('GET /v1/protected', requireToken('token-1'));
      await expect(client.get('/protected', { authenticate: false })).rejects.toMatchObject({
        code: 'HTTP_UNAUTHORIZED',
      });
      expect(api.requests).toHaveLength(1);
      expect(tokens.calls).toEqual([]);
    });
  });

  describe('403: never retried', () => {
    it('fails with HTTP_FORBIDDEN after one request and keeps the token', async () => {
      build();
      api.script('GET /v1/admin', { status: 403 });
      await expect(client.get('/admin')).rejects.toMatchObject({
        code: 'HTTP_FORBIDDEN',
        status: 403,
        attempts: 1,
      });
      expect(api.requests).toHaveLength(1);
      expect(tokens.calls).toEqual(['getToken']);
      api.script('GET /v1/items', OK);
      await client.get('/items');
      expect(api.requests[1].authorization).toBe('Bearer token-1');
    });
  });

  describe('429 and Retry-After', () => {
    it('waits exactly the Retry-After seconds, then succeeds', async () => {
      build();
      api.script('GET /v1/items', { status: 429, headers: { 'retry-after': '2' } }, OK);
      const call = client.get('/items');
      expect(await runThroughBackoffs(call, 1)).toEqual([2000]);
      await expect(call).resolves.toMatchObject({ status: 200 });
      expect(api.requests).toHaveLength(2);
    });

    it('honours a Retry-After HTTP-date', async () => {
      build();
      const at = new Date(clock.now() + 5000).toUTCString();
      api.script('GET /v1/items', { status: 503, headers: { 'retry-after': at } }, OK);
      const call = client.get('/items');
      expect(await runThroughBackoffs(call, 1)).toEqual([5000]);
      await expect(call).resolves.toMatchObject({ status: 200 });
    });

    it('caps a long Retry-After at retryAfterCapMs', async () => {
      build({ retryAfterCapMs: 10_000 });
      api.script('GET /v1/items', { status: 429, headers: { 'retry-after': '25' } }, OK);
      const call = client.get('/items');
      expect(await runThroughBackoffs(call, 1)).toEqual([10_000]);
      await expect(call).resolves.toMatchObject({ status: 200 });
    });

    it('fails at once with HTTP_THROTTLED when Retry-After would pass the deadline', async () => {
      build({ timeoutMs: 5_000 });
      api.script('GET /v1/items', { status: 429, headers: { 'retry-after': '6' } }, OK);
      await expect(client.get('/items')).rejects.toMatchObject({
        code: 'HTTP_THROTTLED',
        status: 429,
        retryAfterMs: 6000,
        attempts: 1,
      });
      expect(api.requests).toHaveLength(1);
      expect(clock.sleeps).toEqual([5_000]);
    });

    it('does not retry a throttled POST unless it is marked idempotent', async () => {
      build();
      api.script('POST /v1/jobs', { status: 429, headers: { 'retry-after': '1' } }, OK);
      await expect(client.post('/jobs')).rejects.toMatchObject({ code: 'HTTP_THROTTLED' });
      expect(api.requests).toHaveLength(1);

      api.script('POST /v1/jobs', { status: 429, headers: { 'retry-after': '1' } }, OK);
      const call = client.post('/jobs', { idempotent: true });
      expect(await runThroughBackoffs(call, 1)).toEqual([1000]);
      await expect(call).resolves.toMatchObject({ status: 200 });
    });
  });

  describe('5xx and network errors', () => {
    it('retries 5xx with full-jitter exponential back-off (3 s base), then succeeds', async () => {
      build();
      api.script('GET /v1/items', { status: 503 }, { status: 500 }, OK);
      const call = client.get('/items');
      // random() = 0.5: half of min(cap, 3000 * 2^n)
      expect(await runThroughBackoffs(call, 2)).toEqual([1500, 3000]);
      await expect(call).resolves.toMatchObject({ status: 200 });
      expect(api.requests).toHaveLength(3);
    });

    it('gives up after `retries` retries with HTTP_SERVER_ERROR', async () => {
      build({ retries: 1 });
      api.script('GET /v1/items', { status: 502 });
      const call = client.get('/items');
      await runThroughBackoffs(call, 1);
      await expect(call).rejects.toMatchObject({
        code: 'HTTP_SERVER_ERROR',
        status: 502,
        attempts: 2,
      });
      expect(api.requests).toHaveLength(2);
    });

    it('never retries a POST on 5xx by default', async () => {
      build();
      api.script('POST /v1/jobs', { status: 503 }, OK);
      await expect(client.post('/jobs')).rejects.toMatchObject({ code: 'HTTP_SERVER_ERROR' });
      expect(api.requests).toHaveLength(1);
    });

    it('does not retry other 4xx: HTTP_STATUS', async () => {
      build();
      api.script('GET /v1/missing', { status: 404 });
      await expect(client.get('/missing')).rejects.toMatchObject({
        code: 'HTTP_STATUS',
        status: 404,
      });
      expect(api.requests).toHaveLength(1);
    });

    it('does not follow redirects (the token must not travel to the target)', async () => {
      build();
      api.script('GET /v1/moved', { status: 302, headers: { location: 'https://evil.test/' } });
      await expect(client.get('/moved')).rejects.toMatchObject({
        code: 'HTTP_STATUS',
        status: 302,
      });
    });

    it('retries a reset connection, then succeeds', async () => {
      build();
      api.script('GET /v1/items', 'reset', OK);
      const call = client.get('/items');
      expect(await runThroughBackoffs(call, 1)).toEqual([1500]);
      await expect(call).resolves.toMatchObject({ status: 200 });
    });

    it('fails with NETWORK_ERROR when every attempt is reset', async () => {
      build({ retries: 1 });
      api.script('GET /v1/items', 'reset');
      const call = client.get('/items');
      await runThroughBackoffs(call, 1);
      await expect(call).rejects.toMatchObject({ code: 'NETWORK_ERROR', attempts: 2 });
    });

    it('fails with NETWORK_ERROR (ECONNREFUSED) when nothing listens', async () => {
      const closed = await FakeApi.start();
      await closed.close();
      clock = new ManualClock();
      client = createPlatformClient(
        { baseUrl: closed.url, allowHttp: true, retries: 0 },
        { clock },
      );
      await expect(client.get('/')).rejects.toMatchObject({
        code: 'NETWORK_ERROR',
        causeCode: 'ECONNREFUSED',
      });
    });

    it('stops reading a body over maxResponseBytes: RESPONSE_TOO_LARGE, not retried', async () => {
      build({ maxResponseBytes: 1024 });
      api.script('GET /v1/big', { status: 200, body: 'x'.repeat(4096) });
      await expect(client.get('/big')).rejects.toMatchObject({ code: 'RESPONSE_TOO_LARGE' });
      expect(api.requests).toHaveLength(1);
    });
  });

  describe('deadlines on the system clock', () => {
    it('times out a call to a server that never answers (tiny real timeout)', async () => {
      client = createPlatformClient({
        baseUrl: api.url,
        allowHttp: true,
        token: new FakeTokenSource(),
      });
      api.script('GET /slow', 'hang');
      await expect(client.get('/slow', { timeoutMs: 50 })).rejects.toMatchObject({
        code: 'REQUEST_TIMEOUT',
        timeoutMs: 50,
      });
      expect(api.requests).toHaveLength(1);
    });
  });

  describe('deadlines and cancellation (injected clock)', () => {
    it('fails with REQUEST_TIMEOUT when the call deadline passes', async () => {
      build();
      api.script('GET /v1/slow', 'hang');
      const call = client.get('/slow');
      await api.waitForRequests(1);
      clock.advance(TIMEOUT_MS);
      await expect(call).rejects.toMatchObject({ code: 'REQUEST_TIMEOUT', timeoutMs: TIMEOUT_MS });
    });

    it('retries an attempt that exceeds attemptTimeoutMs, within the deadline', async () => {
      build({ attemptTimeoutMs: 1000 });
      api.script('GET /v1/slow', 'hang', OK);
      const call = client.get('/slow');
      await api.waitForRequests(1);
      await clock.waitForSleep((s) => s.ms === 1000);
      clock.advance(1000);
      const backoff = await clock.waitForSleep((s) => s.ms === 1500);
      clock.advance(backoff.ms);
      await expect(call).resolves.toMatchObject({ status: 200 });
      expect(api.requests).toHaveLength(2);
    });

    it('never sleeps past the deadline: fails with the last error instead', async () => {
      build({ timeoutMs: 1000, backoffBaseMs: 10_000 });
      api.script('GET /v1/items', { status: 503 }, OK);
      await expect(client.get('/items')).rejects.toMatchObject({
        code: 'HTTP_SERVER_ERROR',
        attempts: 1,
      });
      expect(clock.sleeps).toEqual([1000]);
    });

    it("fails with REQUEST_ABORTED when the caller's signal aborts during back-off", async () => {
      build();
      api.script('GET /v1/items', { status: 503 });
      const controller = new AbortController();
      const call = client.get('/items', { signal: controller.signal });
      await clock.waitForSleep((s) => s.ms === 1500);
      controller.abort(new Error('user cancelled'));
      await expect(call).rejects.toMatchObject({ code: 'REQUEST_ABORTED' });
      expect(api.requests).toHaveLength(1);
    });

    it("fails with REQUEST_ABORTED when the caller's signal aborts an attempt in flight", async () => {
      build();
      api.script('GET /v1/slow', 'hang');
      const controller = new AbortController();
      const call = client.get('/slow', { signal: controller.signal });
      await api.waitForRequests(1);
      controller.abort();
      await expect(call).rejects.toMatchObject({ code: 'REQUEST_ABORTED' });
    });
  });
});
