import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { ServiceUnavailableException } from '@nestjs/common';
import { HealthCheckService, TerminusModule } from '@nestjs/terminus';
import { Test, type TestingModule } from '@nestjs/testing';
import {
  createAccessTokenSource,
  createPlatformClient,
  type PlatformClient,
  getPlatformClientToken,
  PlatformClientModule,
} from '@nest-platform/client';
import { PlatformClientHealthIndicator } from '@nest-platform/client/health';
import { CapturingLogger } from '../fixtures/platforms.js';
import { FakeApi, requireToken } from './fixtures/fake-api.js';
import { FakeTokenSource } from './fixtures/fake-token-source.js';

describe('health()', () => {
  let api: FakeApi;
  let client: PlatformClient;

  beforeAll(async () => {
    api = await FakeApi.start();
  });
  afterEach(async () => {
    api.reset();
    await client?.close();
  });
  afterAll(() => api.close());

  function build(tokens?: FakeTokenSource): PlatformClient {
    client = createPlatformClient({
      baseUrl: api.url,
      allowHttp: true,
      healthPath: '/health',
      authenticatedHealthPath: '/me',
      ...(tokens ? { token: tokens } : {}),
    });
    return client;
  }

  it('reports both probes ok, using the cached token for the authenticated one', async () => {
    const tokens = new FakeTokenSource();
    build(tokens);
    api.script('GET /health', { status: 200 }).script('GET /me', requireToken('token-1'));
    const report = await client.health();
    expect(report.public).toMatchObject({ reachable: true, ok: true, status: 200 });
    expect(report.authenticated).toMatchObject({ state: 'ok', status: 200 });
    expect(report.authenticated.token).toEqual({ state: 'valid' });
    expect(api.requests.find((r) => r.path === '/health')?.authorization).toBeUndefined();
    expect(api.requests.find((r) => r.path === '/me')?.authorization).toBe('Bearer token-1');
    expect(tokens.calls).not.toContain('getToken');
  });

  it('reports no-token without acquiring one when nothing is cached', async () => {
    const tokens = new FakeTokenSource('token', false);
    build(tokens);
    api.script('GET /health', { status: 200 });
    const report = await client.health();
    expect(report.authenticated).toEqual({ state: 'no-token', token: { state: 'empty' } });
    expect(tokens.calls).not.toContain('getToken');
    expect(tokens.issued).toBe(0);
    expect(api.requests.map((r) => r.path)).toEqual(['/health']);
  });

  describe('when token acquisition fails', () => {
    let attempts: number;
    const failingSource = () => {
      attempts = 0;
      return createAccessTokenSource({
        provider: () => {
          attempts++;
          throw new Error('the vault is sealed');
        },
      });
    };

    it('reports token-failed with the code, without fetching a token to report it', async () => {
      client = createPlatformClient({ baseUrl: api.url, allowHttp: true, token: failingSource() });
      api.script('GET /health', { status: 200 });
      await expect(client.get('/orders')).rejects.toMatchObject({
        code: 'TOKEN_ENDPOINT_UNAVAILABLE',
      });
      expect(attempts).toBe(1);
      const report = await client.health();
      expect(report.authenticated).toEqual({
        state: 'token-failed',
        errorCode: 'TOKEN_ENDPOINT_UNAVAILABLE',
        token: { state: 'failed', lastErrorCode: 'TOKEN_ENDPOINT_UNAVAILABLE' },
      });
      expect(attempts).toBe(1);
      expect(api.requests.map((r) => r.path)).toEqual(['/health']);
    });

    it('still reports no-token before any acquisition was tried', async () => {
      client = createPlatformClient({ baseUrl: api.url, allowHttp: true, token: failingSource() });
      api.script('GET /health', { status: 200 });
      expect((await client.health()).authenticated).toEqual({
        state: 'no-token',
        token: { state: 'empty' },
      });
      expect(attempts).toBe(0);
    });
  });

  it('reports rejected on a 401 and neither invalidates nor retries', async () => {
    const tokens = new FakeTokenSource();
    build(tokens);
    api.script('GET /health', { status: 200 }).script('GET /me', { status: 401 });
    const report = await client.health();
    expect(report.authenticated).toMatchObject({ state: 'rejected', status: 401 });
    expect(tokens.calls.filter((c) => c.startsWith('invalidate'))).toEqual([]);
    expect(api.count('GET /me')).toBe(1);
  });

  it('reports a public endpoint answering 503 as reachable but not ok, without retrying', async () => {
    build();
    api.script('GET /health', { status: 503 });
    const report = await client.health();
    expect(report.public).toMatchObject({ reachable: true, ok: false, status: 503 });
    expect(report.authenticated).toEqual({ state: 'not-configured' });
    expect(api.count('GET /health')).toBe(1);
  });

  it('reports an API that does not listen as unreachable', async () => {
    const gone = await FakeApi.start();
    await gone.close();
    client = createPlatformClient({
      baseUrl: gone.url,
      allowHttp: true,
      token: new FakeTokenSource(),
    });
    const report = await client.health();
    expect(report.public).toEqual({ reachable: false, ok: false, errorCode: 'NETWORK_ERROR' });
    expect(report.authenticated).toMatchObject({
      state: 'unreachable',
      errorCode: 'NETWORK_ERROR',
    });
  });
});

describe('PlatformClientHealthIndicator (@nestjs/terminus)', () => {
  let api: FakeApi;
  let moduleRef: TestingModule;
  let health: HealthCheckService;
  let indicator: PlatformClientHealthIndicator;
  /** Terminus logs a failed check as an error: the negative test asserts on it here. */
  const logs = new CapturingLogger();

  beforeAll(async () => {
    api = await FakeApi.start();
    moduleRef = await Test.createTestingModule({
      imports: [
        TerminusModule,
        PlatformClientModule.forRoot({
          baseUrl: api.url,
          allowHttp: true,
          token: new FakeTokenSource(),
        }),
        PlatformClientModule.forRoot({
          name: 'down',
          baseUrl: api.url,
          allowHttp: true,
          healthPath: '/down',
        }),
        PlatformClientModule.forRoot({
          name: 'no-tokens',
          baseUrl: api.url,
          allowHttp: true,
          token: () => Promise.reject(new Error('the vault is sealed')),
        }),
      ],
      providers: [PlatformClientHealthIndicator],
    })
      .setLogger(logs)
      .compile();
    await moduleRef.init();
    health = moduleRef.get(HealthCheckService);
    indicator = moduleRef.get(PlatformClientHealthIndicator);
  });
  afterAll(async () => {
    await moduleRef.close();
    await api.close();
  });

  it('is up when the public and authenticated probes pass', async () => {
    // The authenticated probe uses the same path here: 204 tells the two probes apart.
    api.script('GET /health', (req) =>
      req.authorization === 'Bearer token-1' ? { status: 204 } : { status: 200 },
    );
    const result = await health.check([() => indicator.isHealthy('orders-api')]);
    expect(result.status).toBe('ok');
    expect(result.info?.['orders-api']).toMatchObject({
      status: 'up',
      public: { ok: true, status: 200 },
      authenticated: { state: 'ok', status: 204 },
    });
  });

  it('is down, with the code, while every token acquisition fails', async () => {
    api.script('GET /health', { status: 200 });
    const failing = moduleRef.get<PlatformClient>(getPlatformClientToken('no-tokens'));
    await expect(failing.get('/orders')).rejects.toMatchObject({
      code: 'TOKEN_ENDPOINT_UNAVAILABLE',
    });
    const error = await health
      .check([() => indicator.isHealthy('vault-api', { client: 'no-tokens' })])
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ServiceUnavailableException);
    const body = (error as ServiceUnavailableException).getResponse() as {
      error: Record<string, unknown>;
    };
    expect(body.error['vault-api']).toMatchObject({
      status: 'down',
      public: { ok: true },
      authenticated: { state: 'token-failed', errorCode: 'TOKEN_ENDPOINT_UNAVAILABLE' },
    });
  });

  it('is down (503 from terminus) when a named client cannot reach its health path', async () => {
    api.script('GET /down', { status: 500 });
    const error = await health
      .check([() => indicator.isHealthy('billing', { client: 'down' })])
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ServiceUnavailableException);
    const body = (error as ServiceUnavailableException).getResponse() as {
      error: Record<string, { status: string; public: { status: number } }>;
    };
    expect(body.error.billing).toMatchObject({ status: 'down', public: { status: 500 } });
    expect(logs.lines).toContainEqual(
      expect.stringMatching(/^Health Check has failed! .*"billing"/),
    );
  });
});
