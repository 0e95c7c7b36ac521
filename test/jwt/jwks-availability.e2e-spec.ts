import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { JwtAuthModuleOptions } from '@nest-platform/auth/jwt';
import { JwtAuthHealthIndicator } from '@nest-platform/auth/health';
import { TestIssuer } from '@nest-platform/auth/testing';
import { bearer, type RawResponse, send } from '../fixtures/http-client.js';
import { PLATFORMS, startApp, type StartedApp } from '../fixtures/platforms.js';
import { jwtScenario } from './jwt-scenario.module.js';

const ISSUER = 'https://issuer.test';
const AUDIENCE = 'urn:documents-api';

type Mode =
  | 'ok'
  | 'reset'
  | 'status-500'
  | 'garbage'
  | 'no-keys'
  | 'huge'
  | 'huge-chunked'
  | 'slow'
  | 'redirect';

/**
 * Serves the issuer's JWKS at `/<mode>/jwks` (and answers any other path under `/<mode>/`, such as
 * a discovery document, the same way), misbehaving as the mode says; counts hits.
 */
class KeyHost {
  readonly hits = new Map<string, number>();
  /** What `/switch/jwks` does. */
  switchMode: Mode = 'ok';
  url!: string;
  private readonly server: Server;

  constructor(private readonly issuer: TestIssuer) {
    this.server = createServer((req, res) => {
      const path = req.url ?? '/';
      this.hits.set(path, (this.hits.get(path) ?? 0) + 1);
      const mode = path.startsWith('/switch/') ? this.switchMode : (path.split('/')[1] as Mode);
      switch (mode) {
        case 'ok':
          res.writeHead(200, { 'content-type': 'application/json' });
          return res.end(JSON.stringify(this.issuer.jwks));
        case 'reset':
          return req.socket.destroy();
        case 'status-500':
          res.writeHead(500);
          return res.end();
        case 'garbage':
          res.writeHead(200, { 'content-type': 'application/json' });
          return res.end('<html>not json</html>');
        case 'no-keys':
          res.writeHead(200, { 'content-type': 'application/json' });
          return res.end('{"kys":[]}');
        case 'huge': {
          const body = JSON.stringify({ keys: [], padding: 'x'.repeat(300_000) });
          res.writeHead(200, {
            'content-type': 'application/json',
            'content-length': Buffer.byteLength(body),
          });
          return res.end(body);
        }
        case 'huge-chunked': // no content-length (chunked): the limit must hold while reading
          res.writeHead(200, { 'content-type': 'application/json' });
          res.write('{"keys":[],"padding":"');
          res.write('x'.repeat(300_000));
          return res.end('"}');
        case 'slow':
          return; // never answers
        case 'redirect':
          res.writeHead(302, { location: '/ok/jwks' });
          return res.end();
      }
    });
  }

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  count(path: string): number {
    return this.hits.get(path) ?? 0;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }
}

/** Retries `assertion` until it passes or `timeoutMs` elapses (for background work only). */
async function eventually(assertion: () => Promise<void>, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await assertion();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }
}

function expectUnavailable(response: RawResponse): void {
  expect(response.status).toBe(503);
  expect(response.headers['www-authenticate']).toBeUndefined();
  expect(response.json).toMatchObject({ reason: 'DEPENDENCY_UNAVAILABLE' });
}

describe.each(PLATFORMS)('JWT provider: key set and discovery availability ($name)', (platform) => {
  let issuer: TestIssuer;
  let host: KeyHost;
  const apps: StartedApp[] = [];
  let clock = Date.now();
  let outbound: string[] = [];

  const countingFetch: typeof fetch = (input, init) => {
    outbound.push(String(input instanceof Request ? input.url : input));
    return fetch(input, init);
  };

  const start = async (overrides: Partial<JwtAuthModuleOptions> & { jwksPath?: string }) => {
    const { jwksPath, ...options } = overrides;
    const app = await startApp(
      platform,
      jwtScenario({
        issuers: [{ issuer: ISSUER, audience: AUDIENCE, jwksUri: `${host.url}${jwksPath}` }],
        allowHttp: true,
        fetch: countingFetch,
        now: () => clock,
        jwks: { timeoutMs: 300 },
        ...options,
      }),
    );
    apps.push(app);
    return app;
  };

  /** An app trusting a fresh issuer of its own, whose keys are served at `<host>/<jwksPath>`. */
  async function withRotatingIssuer(
    jwksPath: string,
    test: (rotating: TestIssuer, rotatingHost: KeyHost, url: string) => Promise<void>,
  ): Promise<void> {
    const rotating = await TestIssuer.create({ issuer: ISSUER, audience: AUDIENCE });
    const rotatingHost = await new KeyHost(rotating).start();
    try {
      const app = await startApp(
        platform,
        jwtScenario({
          issuers: [
            { issuer: ISSUER, audience: AUDIENCE, jwksUri: `${rotatingHost.url}${jwksPath}` },
          ],
          allowHttp: true,
          now: () => clock,
        }),
      );
      apps.push(app);
      await test(rotating, rotatingHost, app.url);
    } finally {
      await rotatingHost.close();
    }
  }

  beforeAll(async () => {
    issuer = await TestIssuer.create({ issuer: ISSUER, audience: AUDIENCE });
    host = await new KeyHost(issuer).start();
  });

  beforeEach(() => {
    clock = Date.now();
    outbound = [];
  });

  afterAll(async () => {
    await Promise.all(apps.map(({ app }) => app.close()));
    await host.close();
  });

  describe('an unusable key set is 503, never 401', () => {
    it.each<[string, Mode]>([
      ['the connection is reset', 'reset'],
      ['it answers 500', 'status-500'],
      ['it answers with something that is not JSON', 'garbage'],
      ['its JSON has no keys array', 'no-keys'],
      ['it is larger than the size limit', 'huge'],
      ['it is larger than the size limit and declares no length', 'huge-chunked'],
      ['it does not answer within the timeout', 'slow'],
    ])('when %s', async (_label, mode) => {
      const { url } = await start({ jwksPath: `/${mode}/jwks` });
      expectUnavailable(await send(url, 'GET', '/me', bearer(await issuer.sign())));
    });

    it('when the key set URL redirects (the redirect is not followed)', async () => {
      const { url } = await start({ jwksPath: '/redirect/jwks' });
      const okBefore = host.count('/ok/jwks');
      expectUnavailable(await send(url, 'GET', '/me', bearer(await issuer.sign())));
      expect(host.count('/ok/jwks')).toBe(okBefore);
    });

    it('when OIDC discovery cannot reach the issuer', async () => {
      const closed = createServer();
      await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
      const deadIssuer = `http://127.0.0.1:${(closed.address() as AddressInfo).port}`;
      await new Promise((resolve) => closed.close(resolve));
      const dead = await TestIssuer.create({ issuer: deadIssuer, audience: AUDIENCE });
      const { url } = await start({ issuers: [{ issuer: deadIssuer, audience: AUDIENCE }] });
      expectUnavailable(await send(url, 'GET', '/me', bearer(await dead.sign())));
    });

    it.each<[string, Mode]>([
      ['answers 500', 'status-500'],
      ['answers with something that is not JSON', 'garbage'],
      ['answers with JSON that is not a discovery document', 'no-keys'],
      ['redirects', 'redirect'],
    ])('when OIDC discovery %s', async (_label, mode) => {
      const discovered = `${host.url}/${mode}`;
      const client = await TestIssuer.create({ issuer: discovered, audience: AUDIENCE });
      const okBefore = host.count('/ok/jwks');
      const { url } = await start({ issuers: [{ issuer: discovered, audience: AUDIENCE }] });
      expectUnavailable(await send(url, 'GET', '/me', bearer(await client.sign())));
      // Discovery was tried, and nothing else: no key set, no redirect target.
      expect(new Set(outbound)).toEqual(
        new Set([`${discovered}/.well-known/openid-configuration`]),
      );
      expect(host.count('/ok/jwks')).toBe(okBefore);
    });

    it('boots while the key set is down, and serves once it is back', async () => {
      host.switchMode = 'status-500';
      const { url, app } = await start({ jwksPath: '/switch/jwks', jwks: { cooldownMs: 1000 } });
      expectUnavailable(await send(url, 'GET', '/me', bearer(await issuer.sign())));
      const health = await app.get(JwtAuthHealthIndicator).isHealthy('auth');
      expect(health).toMatchObject({ auth: { status: 'down' } });

      host.switchMode = 'ok';
      clock += 1001;
      expect((await send(url, 'GET', '/me', bearer(await issuer.sign()))).status).toBe(200);
      expect(await app.get(JwtAuthHealthIndicator).isHealthy('auth')).toMatchObject({
        auth: { status: 'up', issuers: [{ issuer: ISSUER, state: 'ready', keys: 1 }] },
      });
    });
  });

  it('keeps a good key set when a background refresh fails', async () => {
    host.switchMode = 'ok';
    const { url, app } = await start({ jwksPath: '/switch/jwks', jwks: { maxAgeMs: 60_000 } });
    expect((await send(url, 'GET', '/me', bearer(await issuer.sign()))).status).toBe(200);

    host.switchMode = 'status-500';
    clock += 61_000;
    const before = host.count('/switch/jwks');
    expect((await send(url, 'GET', '/me', bearer(await issuer.sign()))).status).toBe(200);
    // The refresh runs in the background: wait (bounded) until it has failed.
    const indicator = app.get(JwtAuthHealthIndicator);
    await eventually(async () =>
      expect(await indicator.isHealthy('auth')).toMatchObject({
        auth: { status: 'up', issuers: [{ state: 'ready', lastFailure: 'HTTP_STATUS' }] },
      }),
    );
    expect((await send(url, 'GET', '/me', bearer(await issuer.sign()))).status).toBe(200);
    expect(host.count('/switch/jwks')).toBe(before + 1);
    host.switchMode = 'ok';
  });

  it('answers 503, not 401, for a new kid while the key set cannot be refetched', async () => {
    await withRotatingIssuer('/switch/jwks', async (rotating, rotatingHost, url) => {
      expect((await send(url, 'GET', '/me', bearer(await rotating.sign()))).status).toBe(200);

      await rotating.rotate();
      rotatingHost.switchMode = 'status-500';
      clock += 31_000;
      expectUnavailable(await send(url, 'GET', '/me', bearer(await rotating.sign())));
      // Within the cooldown nothing is fetched, and the answer is still "unavailable".
      const fetched = rotatingHost.count('/switch/jwks');
      expectUnavailable(await send(url, 'GET', '/me', bearer(await rotating.sign())));
      expect(rotatingHost.count('/switch/jwks')).toBe(fetched);

      rotatingHost.switchMode = 'ok';
      clock += 31_000;
      expect((await send(url, 'GET', '/me', bearer(await rotating.sign()))).status).toBe(200);
    });
  });

  it('refetches once for a storm of unknown kids, and not at all within the cooldown', async () => {
    const { url } = await start({ jwksPath: '/ok/jwks' });
    expect((await send(url, 'GET', '/me', bearer(await issuer.sign()))).status).toBe(200);
    const attacker = await TestIssuer.create({ issuer: ISSUER, audience: AUDIENCE });
    const storm = () =>
      Promise.all(
        Array.from({ length: 25 }, async (_, index) =>
          send(
            url,
            'GET',
            '/me',
            bearer(await attacker.sign({}, { header: { kid: `random-${index}` } })),
          ),
        ),
      );

    const base = host.count('/ok/jwks');
    expect((await storm()).every((response) => response.status === 401)).toBe(true);
    expect(host.count('/ok/jwks')).toBe(base);

    clock += 31_000;
    expect((await storm()).every((response) => response.status === 401)).toBe(true);
    expect(host.count('/ok/jwks')).toBe(base + 1);
  });

  it('makes no outbound request for a token from an unknown issuer', async () => {
    const { url } = await start({ jwksPath: '/ok/jwks' });
    await send(url, 'GET', '/me', bearer(await issuer.sign()));
    outbound = [];
    const stranger = await TestIssuer.create({
      issuer: 'https://stranger.test',
      audience: AUDIENCE,
    });
    const response = await send(url, 'GET', '/me', bearer(await stranger.sign()));
    expect(response.status).toBe(401);
    expect(outbound).toEqual([]);
  });

  describe('verification cache', () => {
    it('never serves a cached verification at or after the token’s exp', async () => {
      const { url } = await start({ jwksPath: '/ok/jwks', clockToleranceS: 0 });
      // Issued at the app's clock: with no tolerance, a real clock ahead of it is an iat in the future.
      const token = await issuer.sign({}, { issuedAt: Math.floor(clock / 1000), expiresInS: 60 });
      expect((await send(url, 'GET', '/me', bearer(token))).status).toBe(200);
      expect((await send(url, 'GET', '/me', bearer(token))).status).toBe(200);
      clock += 60_000;
      const response = await send(url, 'GET', '/me', bearer(token));
      expect(response.status).toBe(401);
      expect(response.json).toMatchObject({ reason: 'TOKEN_EXPIRED' });
    });

    it('is emptied when the key set changes, so a token of a removed key is refused', async () => {
      await withRotatingIssuer('/ok/jwks', async (rotating, rotatingHost, url) => {
        const old = await rotating.sign();
        expect((await send(url, 'GET', '/me', bearer(old))).status).toBe(200);
        expect((await send(url, 'GET', '/me', bearer(old))).status).toBe(200);

        await rotating.rotate(); // the old key leaves the published set
        clock += 31_000;
        expect((await send(url, 'GET', '/me', bearer(await rotating.sign()))).status).toBe(200);
        expect((await send(url, 'GET', '/me', bearer(old))).status).toBe(401);
      });
    });
  });
});
