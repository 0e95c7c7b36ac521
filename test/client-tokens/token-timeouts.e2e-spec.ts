import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { createAccessTokenSource } from '@platform/client';
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
      expect(ms).toBeLessThan(600);
      await server.settled();
    });

    it('fails a discovery that gets no answer after timeoutMs', async () => {
      server.discovery = 'hang';
      const { error, ms } = await elapsed(clientCredentials(50).getToken());
      expect(error).toMatchObject({ code: 'TOKEN_ENDPOINT_UNAVAILABLE' });
      expect(ms).toBeLessThan(600);
    });

    it('fails a token response whose body stalls after the headers', async () => {
      server.token = 'stall-body';
      const { error, ms } = await elapsed(clientCredentials(50).getToken());
      expect(error).toMatchObject({ code: 'TOKEN_ENDPOINT_UNAVAILABLE' });
      expect(ms).toBeLessThan(600);
    });

    it('still gets a token from a server that answers in time (control)', async () => {
      expect(await clientCredentials(50).getToken()).toMatch(/^stalled-/);
    });
  });
});
