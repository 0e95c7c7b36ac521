import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { Test } from '@nestjs/testing';
import {
  createAccessTokenSource,
  createPlatformClient,
  PlatformClient,
  PlatformClientModule,
} from '@nest-platform/client';
import { StallingServer } from './fixtures/stalling-server.js';

/**
 * Deadlines of token acquisition against a server that hangs. These are wall-clock bounds on
 * real waiting (the injected Clock drives expiry, not sockets), so the configured timeouts are
 * kept at 50 ms; every bound asserted is far below the 1 s granularity of openid-client's own
 * `timeout` option.
 */
describe('token request deadlines', () => {
  let server: StallingServer;

  beforeAll(async () => {
    server = await StallingServer.start();
  });
  afterAll(() => server.close());
  beforeEach(() => {
    server.token = 'answer';
    server.discovery = 'answer';
    server.received = 0;
  });

  const clientCredentials = (timeoutMs: number) =>
    createAccessTokenSource({
      provider: {
        grant: 'client_credentials',
        issuer: server.url,
        clientId: 'timeouts',
        clientSecret: 'timeouts-secret',
        allowHttp: true,
        timeoutMs,
      },
    });

  const elapsed = async (work: Promise<unknown>) => {
    const started = performance.now();
    const error = await work.catch((e: unknown) => e);
    return { error, ms: performance.now() - started };
  };

  describe('provider timeoutMs is enforced in milliseconds', () => {
    it('fails a token request that gets no answer after timeoutMs, not after a whole second', async () => {
      server.token = 'hang';
      const { error, ms } = await elapsed(clientCredentials(50).getToken());
      expect(error).toMatchObject({ code: 'TOKEN_ENDPOINT_UNAVAILABLE' });
      expect(ms).toBeLessThan(800);
      await server.settled();
    });

    it('fails a discovery that gets no answer after timeoutMs', async () => {
      server.discovery = 'hang';
      const { error, ms } = await elapsed(clientCredentials(50).getToken());
      expect(error).toMatchObject({ code: 'TOKEN_ENDPOINT_UNAVAILABLE' });
      expect(ms).toBeLessThan(800);
    });

    it('fails a token response whose body stalls after the headers', async () => {
      server.token = 'stall-body';
      const { error, ms } = await elapsed(clientCredentials(50).getToken());
      expect(error).toMatchObject({ code: 'TOKEN_ENDPOINT_UNAVAILABLE' });
      expect(ms).toBeLessThan(800);
    });

    it('still gets a token from a server that answers in time (control)', async () => {
      expect(await clientCredentials(50).getToken()).toMatch(/^stalled-/);
    });
  });

  describe('every acquisition has a deadline', () => {
    it('frees the single flight when a token function never settles, so the next call works', async () => {
      let calls = 0;
      const tokens = createAccessTokenSource({
        provider: () => (++calls === 1 ? new Promise<string>(() => undefined) : 'second-token'),
        acquireTimeoutMs: 50,
      });
      const { error, ms } = await elapsed(tokens.getToken());
      expect(error).toMatchObject({ code: 'TOKEN_ENDPOINT_UNAVAILABLE' });
      expect(ms).toBeLessThan(800);
      expect(await tokens.status()).toMatchObject({
        state: 'failed',
        lastErrorCode: 'TOKEN_ENDPOINT_UNAVAILABLE',
      });
      expect(await tokens.getToken()).toBe('second-token');
    });

    it('hands the provider a signal that aborts at the deadline', async () => {
      let signal: AbortSignal | undefined;
      const tokens = createAccessTokenSource({
        provider: {
          cacheKey: { kind: 'external', id: 'signal-check' },
          acquire: (options) => {
            signal = options.signal;
            return new Promise(() => undefined);
          },
        },
        acquireTimeoutMs: 50,
      });
      await elapsed(tokens.getToken());
      expect(signal?.aborted).toBe(true);
    });
  });

  describe('shutdown does not wait for token requests nobody waits for', () => {
    const tokenOptions = {
      provider: {
        grant: 'client_credentials' as const,
        clientId: 'shutdown',
        clientSecret: 'shutdown-secret',
        allowHttp: true,
      },
    };

    it('client.close() returns at once after the caller gave up on a hung token request', async () => {
      server.token = 'hang';
      const client = createPlatformClient({
        baseUrl: server.url,
        allowHttp: true,
        token: { provider: { ...tokenOptions.provider, issuer: server.url } },
      });
      const caller = new AbortController();
      const call = client.get('/orders', { signal: caller.signal });
      await server.tokenRequests(1);
      caller.abort();
      await expect(call).rejects.toMatchObject({ code: 'REQUEST_ABORTED' });
      const { ms } = await elapsed(client.close());
      expect(ms).toBeLessThan(1000);
      await server.settled();
    });

    it('Nest app.close() returns at once too', async () => {
      server.token = 'hang';
      const moduleRef = await Test.createTestingModule({
        imports: [
          PlatformClientModule.forRoot({
            baseUrl: server.url,
            allowHttp: true,
            token: { provider: { ...tokenOptions.provider, issuer: server.url } },
          }),
        ],
      }).compile();
      const app = moduleRef.createNestApplication();
      await app.init();
      const caller = new AbortController();
      const call = app.get(PlatformClient).get('/orders', { signal: caller.signal });
      await server.tokenRequests(1);
      caller.abort();
      await expect(call).rejects.toMatchObject({ code: 'REQUEST_ABORTED' });
      const { ms } = await elapsed(app.close());
      expect(ms).toBeLessThan(1000);
      await server.settled();
    });
  });
});
