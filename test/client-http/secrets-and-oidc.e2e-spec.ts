import { inspect } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Test, type TestingModule } from '@nestjs/testing';
import {
  PlatformClient,
  PlatformClientModule,
  type PlatformClientOptions,
  resolvePlatformClientOptions,
} from '@nest-platform/client';
import { CapturingLogger } from '../fixtures/platforms.js';
import {
  AUDIENCE,
  SECRETS,
  startTokenIssuer,
  type TokenIssuer,
} from '../client-tokens/fixtures/token-issuer.js';
import { FakeApi } from './fixtures/fake-api.js';
import { LocalProxy } from './fixtures/local-proxy.js';

const PROXY_PASSWORD = 'proxy-pass-51c0ffee-do-not-log';

/**
 * The whole outbound path with real parts: oidc-provider issuing client-credentials tokens, a
 * forward proxy every call must cross, and an API that rejects the first token. Everything the
 * app logs, and every error and config it can print, is then searched for the secrets.
 */
describe('client credentials through a proxy, with secrets kept out of logs and errors', () => {
  let started: TokenIssuer;
  let api: FakeApi;
  let proxy: LocalProxy;
  let moduleRef: TestingModule;
  let client: PlatformClient;
  let options: PlatformClientOptions;
  const logger = new CapturingLogger();
  const printed: string[] = [];

  const host = (url: string) => new URL(url).host;
  const tokensSeenByApi = () =>
    [...new Set(api.requests.map((r) => r.authorization?.replace(/^Bearer /, '')))].filter(
      (t): t is string => !!t,
    );

  beforeAll(async () => {
    [started, api, proxy] = await Promise.all([
      startTokenIssuer(),
      FakeApi.start(),
      LocalProxy.start(),
    ]);
    const proxyUrl = new URL(proxy.url);
    proxyUrl.username = 'svc';
    proxyUrl.password = PROXY_PASSWORD;
    options = {
      baseUrl: api.url,
      allowHttp: true,
      retries: 1,
      backoffBaseMs: 1,
      proxy: { httpProxy: proxyUrl.toString() },
      token: {
        provider: {
          grant: 'client_credentials',
          issuer: started.issuer.url,
          clientId: 'cc-basic',
          clientSecret: SECRETS.basic,
          scope: 'orders:read',
          audience: AUDIENCE,
          allowHttp: true,
        },
      },
    };
    moduleRef = await Test.createTestingModule({
      imports: [PlatformClientModule.forRoot(options)],
    })
      .setLogger(logger)
      .compile();
    await moduleRef.init();
    client = moduleRef.get(PlatformClient);
  });
  afterAll(async () => {
    await moduleRef?.close();
    await Promise.all([started?.close(), api?.close(), proxy?.close()]);
  });

  it('acquires a token from the issuer through the proxy and sends it to the API through the proxy', async () => {
    api.script('GET /orders', { status: 200, body: '[]' });
    await expect(client.getJson('/orders')).resolves.toEqual([]);
    expect(started.issuer.count('POST /token')).toBe(1);
    expect(proxy.countFor(host(started.issuer.url))).toBeGreaterThanOrEqual(1);
    expect(proxy.countFor(host(api.url))).toBeGreaterThanOrEqual(1);
    const [token] = tokensSeenByApi();
    expect(token.split('.')).toHaveLength(3);
  });

  it('on a 401 invalidates the token and acquires exactly one new one from the issuer', async () => {
    const before = started.issuer.count('POST /token');
    const first = tokensSeenByApi()[0];
    api.script('GET /orders', (req) =>
      req.authorization === `Bearer ${first}` ? { status: 401 } : { status: 200, body: '[]' },
    );
    await expect(client.get('/orders')).resolves.toMatchObject({ status: 200 });
    expect(started.issuer.count('POST /token')).toBe(before + 1);
    expect(tokensSeenByApi()).toHaveLength(2);
  });

  it('on repeated 401s fails with HTTP_UNAUTHORIZED after one re-acquisition', async () => {
    const before = started.issuer.count('POST /token');
    api.script('GET /orders', { status: 401 });
    const error = await client
      .get('/orders', { query: { apiKey: 'query-secret' } })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'HTTP_UNAUTHORIZED', attempts: 2 });
    expect(started.issuer.count('POST /token')).toBe(before + 1);
    printed.push(String(error), inspect(error, { depth: 10 }), JSON.stringify(error));
  });

  it('retries a 503 and logs the retry', async () => {
    api.script('GET /flaky', { status: 503 }, { status: 200, body: '{}' });
    await expect(client.get('/flaky')).resolves.toMatchObject({ status: 200 });
    expect(logger.lines.some((line) => line.includes('GET /flaky: HTTP 503, retry 1/1'))).toBe(
      true,
    );
  });

  it('prints network errors (undici causes included) without secrets', async () => {
    api.script('GET /reset', 'reset');
    const error = await client.get('/reset').catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'NETWORK_ERROR' });
    printed.push(String(error), inspect(error, { depth: 10 }));
  });

  it('prints the client and its options with secrets masked', () => {
    const resolved = resolvePlatformClientOptions(options);
    printed.push(
      inspect(client, { depth: 10 }),
      JSON.stringify(client),
      inspect(resolved, { depth: 10 }),
      JSON.stringify(resolved),
    );
    expect(JSON.stringify(resolved)).toContain('cc-basic');
  });

  it('never logs or prints a token, the client secret, the proxy password or a query value', () => {
    const tokens = tokensSeenByApi();
    expect(tokens.length).toBeGreaterThanOrEqual(3);
    const haystack = [...logger.lines, ...printed].join('\n');
    expect(haystack.length).toBeGreaterThan(0);
    for (const secret of [SECRETS.basic, PROXY_PASSWORD, 'query-secret', ...tokens]) {
      expect(haystack).not.toContain(secret);
    }
  });
});
