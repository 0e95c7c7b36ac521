import { readFileSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import {
  createPlatformClient,
  type PlatformClient,
  PlatformTransport,
} from '@nest-platform/client';
import { FakeApi } from './fixtures/fake-api.js';
import { FakeTokenSource } from './fixtures/fake-token-source.js';
import { LocalProxy } from './fixtures/local-proxy.js';

const tlsFile = (name: string) =>
  readFileSync(new URL(`./fixtures/tls/${name}`, import.meta.url), 'utf8');
const CA = tlsFile('ca.pem');
const TLS = { key: tlsFile('server.key'), cert: tlsFile('server.pem') };
const OK = { status: 200, body: '{"ok":true}' } as const;

const hostPort = (url: string) => new URL(url).host;

describe('Transport: proxy and custom CA', () => {
  let proxy: LocalProxy;
  let api: FakeApi;
  let tlsApi: FakeApi;
  const clients: PlatformClient[] = [];
  const transports: PlatformTransport[] = [];

  beforeAll(async () => {
    [proxy, api, tlsApi] = await Promise.all([
      LocalProxy.start(),
      FakeApi.start(),
      FakeApi.start(TLS),
    ]);
  });
  afterEach(async () => {
    await Promise.all([...clients, ...transports].map((c) => c.close()));
    clients.length = 0;
    transports.length = 0;
    proxy.forwarded.length = 0;
    api.reset();
    tlsApi.reset();
  });
  afterAll(() => Promise.all([proxy.close(), api.close(), tlsApi.close()]));

  function client(options: Parameters<typeof createPlatformClient>[0]): PlatformClient {
    const built = createPlatformClient(options);
    clients.push(built);
    return built;
  }

  describe('proxy', () => {
    it('routes authenticated API calls through the proxy', async () => {
      api.script('GET /items', OK);
      const c = client({
        baseUrl: api.url,
        allowHttp: true,
        token: new FakeTokenSource(),
        proxy: { httpProxy: proxy.url, httpsProxy: proxy.url },
      });
      await expect(c.get('/items')).resolves.toMatchObject({ status: 200 });
      expect(proxy.countFor(hostPort(api.url))).toBe(1);
      expect(api.requests[0].authorization).toBe('Bearer token-1');
    });

    it('routes HTTPS calls through a CONNECT tunnel, verifying the target with the CA', async () => {
      tlsApi.script('GET /items', OK);
      const c = client({ baseUrl: tlsApi.url, ca: CA, proxy: { httpsProxy: proxy.url } });
      await expect(c.get('/items')).resolves.toMatchObject({ status: 200 });
      expect(proxy.forwarded).toEqual([`CONNECT ${hostPort(tlsApi.url)}`]);
    });

    it('routes the fetch handed to token providers through the same proxy', async () => {
      api.script('POST /token', { status: 200, body: '{"access_token":"x"}' });
      const transport = new PlatformTransport({ proxy: { httpProxy: proxy.url } });
      transports.push(transport);
      const response = await transport.fetch(`${api.url}/token`, { method: 'POST', body: 'a=b' });
      expect(response.status).toBe(200);
      await response.text();
      expect(proxy.countFor(hostPort(api.url))).toBe(1);
      expect(api.count('POST /token')).toBe(1);
    });

    it('bypasses the proxy for a noProxy host', async () => {
      api.script('GET /items', OK);
      const c = client({
        baseUrl: api.url,
        allowHttp: true,
        proxy: { httpProxy: proxy.url, noProxy: `example.test, ${hostPort(api.url)}` },
      });
      await expect(c.get('/items')).resolves.toMatchObject({ status: 200 });
      expect(proxy.forwarded).toEqual([]);
      expect(api.requests).toHaveLength(1);
    });

    it('does not use a proxy unless one is configured (never reads process.env)', async () => {
      const saved = process.env.HTTP_PROXY;
      process.env.HTTP_PROXY = proxy.url;
      try {
        api.script('GET /items', OK);
        const c = client({ baseUrl: api.url, allowHttp: true });
        await c.get('/items');
        const d = client({ baseUrl: api.url, allowHttp: true, proxy: { httpsProxy: proxy.url } });
        await d.get('/items');
        expect(proxy.forwarded).toEqual([]);
        expect(api.requests).toHaveLength(2);
      } finally {
        if (saved === undefined) delete process.env.HTTP_PROXY;
        else process.env.HTTP_PROXY = saved;
      }
    });
  });

  describe('custom CA', () => {
    it('fails with NETWORK_ERROR against a server whose CA is not trusted', async () => {
      tlsApi.script('GET /items', OK);
      const c = client({ baseUrl: tlsApi.url, retries: 0 });
      const error = await c.get('/items').catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'NETWORK_ERROR' });
      expect((error as { causeCode?: string }).causeCode).toMatch(/CERT|SIGNATURE|ISSUER/);
      expect(tlsApi.requests).toHaveLength(0);
    });

    it('succeeds when the CA is given', async () => {
      tlsApi.script('GET /items', OK);
      const c = client({ baseUrl: tlsApi.url, ca: CA });
      await expect(c.getJson('/items')).resolves.toEqual({ ok: true });
    });

    it('applies the CA to the fetch handed to token providers', async () => {
      tlsApi.script('GET /.well-known/openid-configuration', { status: 200, body: '{}' });
      const untrusted = new PlatformTransport();
      const trusted = new PlatformTransport({ ca: CA });
      transports.push(untrusted, trusted);
      const url = `${tlsApi.url}/.well-known/openid-configuration`;
      await expect(untrusted.fetch(url)).rejects.toThrow();
      const response = await trusted.fetch(url);
      expect(response.status).toBe(200);
      await response.text();
    });
  });
});
