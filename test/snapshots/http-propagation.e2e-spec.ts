import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Body, Controller, Get, Module, Param, Post, Put } from '@nestjs/common';
import {
  type AuthContext,
  AuthSnapshotSigner,
  createAuthContext,
  CurrentAuth,
  PlatformAuthModule,
  RequireScope,
} from '@nest-platform/auth';
import {
  AcceptSnapshot,
  AuthSnapshotModule,
  httpSnapshotBinding,
  snapshotDigest,
} from '@nest-platform/auth/snapshots';
import {
  authenticatedContext,
  PlatformAuthTestingModule,
  TestIssuer,
} from '@nest-platform/auth/testing';
import { PlatformClient, PlatformClientModule } from '@nest-platform/client';
import { bearer, send } from '../fixtures/http-client.js';
import { PLATFORMS, startApp, type StartedApp } from '../fixtures/platforms.js';
import { domainJwks, serviceKey, type ServiceKey } from './snapshot-keys.js';

const DOMAIN = 'urn:test:shop';
const calls = { orders: 0, bearerOnly: 0, transfers: 0, updates: 0 };
const clockB = { offsetMs: 0 };

@Controller('orders')
class OrdersController {
  @Get(':id')
  @AcceptSnapshot()
  @RequireScope('orders:read')
  get(@Param('id') id: string, @CurrentAuth() auth: AuthContext) {
    calls.orders++;
    const { subject, issuer, tenant, scopes, delegation } = auth;
    return { id, subject, issuer, tenant, scopes, delegation };
  }

  @Put(':id')
  @AcceptSnapshot()
  @RequireScope('orders:write')
  update(@Param('id') id: string, @Body() body: unknown) {
    calls.updates++;
    return { id, body };
  }
}

@Controller('transfers')
class TransfersController {
  @Post()
  @AcceptSnapshot()
  @RequireScope('orders:write')
  create(@Body() body: unknown, @CurrentAuth() auth: AuthContext) {
    calls.transfers++;
    return { body, subject: auth.subject, tenant: auth.tenant };
  }
}

@Controller('bearer-only')
class BearerOnlyController {
  @Get()
  @RequireScope('orders:read')
  get() {
    calls.bearerOnly++;
    return {};
  }
}

@Controller('proxy')
class ProxyController {
  constructor(private readonly orders: PlatformClient) {}

  @Get(':id')
  @RequireScope('orders:read')
  get(@Param('id') id: string) {
    return this.orders.getJson(`/orders/${id}`);
  }

  @Post('transfers')
  @RequireScope('orders:write')
  transfer(@Body() body: unknown) {
    return this.orders.postJson('/transfers?source=proxy', body);
  }
}

function serviceB(issuer: TestIssuer, a: ServiceKey, b: ServiceKey) {
  @Module({
    imports: [
      PlatformAuthTestingModule.forRoot({ issuer, auth: { snapshots: { enabled: true } } }),
      AuthSnapshotModule.forRoot({
        trustDomain: DOMAIN,
        issuer: 'service-b',
        trustedIssuers: { 'service-a': [a.kid], 'service-b': [b.kid] },
        signingKey: { kid: b.kid, privateKey: b.privateKey },
        verificationKeys: domainJwks(a, b),
        now: () => Date.now() + clockB.offsetMs,
      }),
    ],
    controllers: [OrdersController, BearerOnlyController, TransfersController],
  })
  class ServiceBModule {}
  return ServiceBModule;
}

function serviceA(issuer: TestIssuer, a: ServiceKey, bUrl: string) {
  @Module({
    imports: [
      PlatformAuthTestingModule.forRoot({
        issuer,
        // The caller's tenant comes from the token's `tenant` claim.
        claims: { profile: 'generic', tenant: 'tenant' },
        auth: { snapshots: { enabled: true } },
      }),
      AuthSnapshotModule.forRoot({
        trustDomain: DOMAIN,
        issuer: 'service-a',
        signingKey: { kid: a.kid, privateKey: a.privateKey },
        verificationKeys: domainJwks(a),
      }),
      PlatformClientModule.forRoot({
        baseUrl: bUrl,
        allowHttp: true,
        forwardAuth: true,
        retries: 0,
      }),
    ],
    controllers: [ProxyController],
  })
  class ServiceAModule {}
  return ServiceAModule;
}

const alice = () =>
  authenticatedContext({
    subject: 'alice',
    issuer: 'https://issuer.test',
    principalType: 'user',
    scopes: ['orders:read', 'orders:write'],
    expiresAt: Math.floor(Date.now() / 1000) + 300,
  });

/** The binding service A's client computes for a JSON request (and B recomputes). */
const bindingOf = (method: string, target: string, body?: unknown, contentType?: string) =>
  httpSnapshotBinding(
    method,
    target,
    body === undefined ? undefined : snapshotDigest(JSON.stringify(body)),
    contentType ?? (body === undefined ? undefined : 'application/json'),
  );

describe.each(PLATFORMS)('snapshot propagation over HTTP on $name', (platform) => {
  let issuer: TestIssuer;
  let a: StartedApp;
  let b: StartedApp;
  let signerA: AuthSnapshotSigner;
  let keyA: ServiceKey;

  beforeAll(async () => {
    issuer = await TestIssuer.create();
    keyA = await serviceKey('a-1');
    const keyB = await serviceKey('b-1');
    b = await startApp(platform, serviceB(issuer, keyA, keyB), false, { rawBody: true });
    a = await startApp(platform, serviceA(issuer, keyA, b.url), false, { rawBody: true });
    signerA = a.app.get(AuthSnapshotSigner);
  });

  afterAll(async () => {
    await a?.app.close();
    await b?.app.close();
  });

  it("service B's handler sees service A's caller, without A's bearer token", async () => {
    const token = await issuer.token({
      subject: 'alice',
      scopes: ['orders:read', 'orders:write'],
      claims: { tenant: 'acme' },
    });
    const before = calls.orders;
    const response = await send(a.url, 'GET', '/proxy/7', bearer(token));
    expect(response.status).toBe(200);
    expect(response.json).toEqual({
      id: '7',
      subject: 'alice',
      issuer: issuer.issuer,
      tenant: 'acme',
      scopes: ['orders:read', 'orders:write'],
      delegation: [],
    });
    expect(calls.orders).toBe(before + 1);
  });

  it('a POST with a body goes through A to B, bound to its body, and B sees the caller', async () => {
    const token = await issuer.token({
      subject: 'alice',
      scopes: ['orders:write'],
      claims: { tenant: 'acme' },
    });
    const before = calls.transfers;
    const response = await send(a.url, 'POST', '/proxy/transfers', bearer(token), {
      to: 'bob',
      amount: 5,
    });
    expect(response.status).toBe(201);
    expect(response.json).toEqual({
      body: { to: 'bob', amount: 5 },
      subject: 'alice',
      tenant: 'acme',
    });
    expect(calls.transfers).toBe(before + 1);
  });

  it('refuses the proxy call itself without a token, and B is never called', async () => {
    const before = calls.orders;
    expect((await send(a.url, 'GET', '/proxy/7')).status).toBe(401);
    expect(calls.orders).toBe(before);
  });

  describe('B refuses, with the handler not invoked', () => {
    async function refused(
      headers: Array<[string, string]>,
      status: number,
      reason?: string,
      path = '/orders/1',
    ) {
      const before = { ...calls };
      const response = await send(b.url, 'GET', path, headers);
      expect(response.status).toBe(status);
      if (reason) expect((response.json as { reason: string }).reason).toBe(reason);
      expect(calls).toEqual(before);
      return response;
    }

    it('a missing snapshot (bare challenge)', async () => {
      const response = await refused([], 401, 'CREDENTIALS_MISSING');
      expect(response.headers['www-authenticate']).toBe('Bearer realm="api"');
    });

    it('a tampered snapshot', async () => {
      const [h, p, s] = (await signerA.sign(alice())).split('.');
      const claims = JSON.parse(Buffer.from(p, 'base64url').toString());
      const forged = Buffer.from(JSON.stringify({ ...claims, scopes: ['orders:read', 'admin'] }));
      await refused(
        [['x-platform-auth-snapshot', `${h}.${forged.toString('base64url')}.${s}`]],
        401,
        'SNAPSHOT_INVALID',
      );
    });

    it('an expired snapshot (B clock moved past expiry and tolerance)', async () => {
      const snapshot = await signerA.sign(alice(), { binding: bindingOf('GET', '/orders/1') });
      clockB.offsetMs = 70_000;
      try {
        await refused([['x-platform-auth-snapshot', snapshot]], 401, 'SNAPSHOT_EXPIRED');
      } finally {
        clockB.offsetMs = 0;
      }
    });

    it('a GET snapshot for another path; the same GET again is a redelivery (accepted)', async () => {
      const snapshot = await signerA.sign(alice(), { binding: bindingOf('GET', '/orders/1') });
      const header: Array<[string, string]> = [['x-platform-auth-snapshot', snapshot]];
      expect((await send(b.url, 'GET', '/orders/1', header)).status).toBe(200);
      expect((await send(b.url, 'GET', '/orders/1', header)).status).toBe(200);
      await refused(header, 401, 'SNAPSHOT_INVALID', '/orders/2');
      await refused(header, 401, 'SNAPSHOT_INVALID', '/orders/1?x=1');
    });

    it('a captured POST snapshot with another body, another path, or a second time', async () => {
      const body = { to: 'bob', amount: 5 };
      const snapshot = await signerA.sign(alice(), {
        binding: bindingOf('POST', '/transfers', body),
      });
      const header: Array<[string, string]> = [['x-platform-auth-snapshot', snapshot]];
      const post = async (path: string, sent: unknown) => {
        const before = { ...calls };
        const response = await send(b.url, 'POST', path, header, sent);
        if (response.status !== 201) expect(calls).toEqual(before);
        return response;
      };
      // Used by an interceptor first, with its own body: refused, and the snapshot not used up.
      const forged = await post('/transfers', { to: 'mallory', amount: 5000 });
      expect([forged.status, (forged.json as { reason: string }).reason]).toEqual([
        401,
        'SNAPSHOT_INVALID',
      ]);
      const elsewhere = await post('/transfers?to=mallory', body);
      expect((elsewhere.json as { reason: string }).reason).toBe('SNAPSHOT_INVALID');
      expect((await post('/transfers', body)).status).toBe(201);
      const again = await post('/transfers', body);
      expect([again.status, (again.json as { reason: string }).reason]).toEqual([
        401,
        'SNAPSHOT_REPLAYED',
      ]);
    });

    it('an unbound snapshot (B requires one bound to the request)', async () => {
      const header: Array<[string, string]> = [
        ['x-platform-auth-snapshot', await signerA.sign(alice())],
      ];
      await refused(header, 401, 'SNAPSHOT_INVALID');
      await refused(header, 401, 'SNAPSHOT_INVALID');
    });

    it('a captured PUT snapshot a second time (only GET, HEAD and OPTIONS are redeliverable)', async () => {
      const body = { status: 'shipped' };
      const header: Array<[string, string]> = [
        [
          'x-platform-auth-snapshot',
          await signerA.sign(alice(), { binding: bindingOf('PUT', '/orders/1', body) }),
        ],
      ];
      expect((await send(b.url, 'PUT', '/orders/1', header, body)).status).toBe(200);
      const before = { ...calls };
      const again = await send(b.url, 'PUT', '/orders/1', header, body);
      expect([again.status, (again.json as { reason: string }).reason]).toEqual([
        401,
        'SNAPSHOT_REPLAYED',
      ]);
      expect(calls).toEqual(before);
    });

    it('a POST snapshot minted for another content type', async () => {
      const body = { to: 'bob', amount: 5 };
      const header: Array<[string, string]> = [
        [
          'x-platform-auth-snapshot',
          await signerA.sign(alice(), {
            binding: bindingOf('POST', '/transfers', body, 'text/plain'),
          }),
        ],
      ];
      const before = { ...calls };
      const response = await send(b.url, 'POST', '/transfers', header, body);
      expect([response.status, (response.json as { reason: string }).reason]).toEqual([
        401,
        'SNAPSHOT_INVALID',
      ]);
      expect(calls).toEqual(before);
    });

    it('a snapshot for another trust domain', async () => {
      const other = await startApp(
        platform,
        (() => {
          @Module({
            imports: [
              AuthSnapshotModule.forRoot({
                trustDomain: 'urn:test:elsewhere',
                issuer: 'service-a',
                signingKey: { kid: keyA.kid, privateKey: keyA.privateKey },
                verificationKeys: domainJwks(keyA),
              }),
              PlatformAuthModule.forRoot(),
            ],
          })
          class ElsewhereModule {}
          return ElsewhereModule;
        })(),
      );
      try {
        const snapshot = await other.app
          .get(AuthSnapshotSigner)
          .sign(alice(), { binding: bindingOf('GET', '/orders/1') });
        await refused([['x-platform-auth-snapshot', snapshot]], 401, 'SNAPSHOT_INVALID');
      } finally {
        await other.app.close();
      }
    });

    it('an IdP access token presented as a snapshot', async () => {
      const token = await issuer.token({ scopes: ['orders:read'] });
      await refused([['x-platform-auth-snapshot', token]], 401, 'SNAPSHOT_INVALID');
    });

    it('a snapshot presented as a bearer token', async () => {
      await refused(bearer(await signerA.sign(alice())), 401, 'TOKEN_INVALID');
    });

    it('a snapshot on a route that does not accept snapshots', async () => {
      await refused(
        [['x-platform-auth-snapshot', await signerA.sign(alice())]],
        401,
        'CREDENTIALS_MISSING',
        '/bearer-only',
      );
    });

    it('a bearer token and a snapshot together (400), and two snapshots (400)', async () => {
      const token = await issuer.token({ scopes: ['orders:read'] });
      const snapshot = await signerA.sign(alice());
      await refused(
        [...bearer(token), ['x-platform-auth-snapshot', snapshot]],
        400,
        'CREDENTIALS_AMBIGUOUS',
      );
      await refused(
        [
          ['x-platform-auth-snapshot', snapshot],
          ['x-platform-auth-snapshot', snapshot],
        ],
        400,
        'CREDENTIALS_AMBIGUOUS',
      );
    });

    // The same syntax rule as a bearer token: not a b64token is a malformed request (400
    // invalid_request); a well-formed value that fails verification stays a 401.
    it.each([
      ['two snapshots in one header', (jws: string) => `${jws} ${jws}`],
      ['a comma list (two headers joined by a proxy)', (jws: string) => `${jws}, ${jws}`],
      ['a tab inside', (jws: string) => `${jws.slice(0, 10)}\t${jws.slice(10)}`],
      ['a quoted snapshot', (jws: string) => `"${jws}"`],
    ])('a snapshot header that is not a b64token: %s (400)', async (_name, mangle) => {
      const snapshot = await signerA.sign(alice());
      const response = await refused(
        [['x-platform-auth-snapshot', mangle(snapshot)]],
        400,
        'CREDENTIALS_MALFORMED',
      );
      expect(response.headers['www-authenticate']).toContain('error="invalid_request"');
      await refused([['x-platform-auth-snapshot', 'well.formed.garbage']], 401, 'SNAPSHOT_INVALID');
    });

    it('a snapshot without the route scope (403, the caller is known)', async () => {
      const snapshot = await signerA.sign(
        authenticatedContext({
          subject: 'bob',
          issuer: 'https://issuer.test',
          principalType: 'user',
        }),
        { binding: bindingOf('GET', '/orders/1') },
      );
      await refused([['x-platform-auth-snapshot', snapshot]], 403, 'INSUFFICIENT_SCOPE');
    });
  });

  describe('minting side', () => {
    it('A refuses to sign a context nobody authenticated', async () => {
      const handMade = createAuthContext({
        subject: 'root',
        issuer: 'https://issuer.test',
        principalType: 'user',
        scopes: ['orders:write'],
      });
      await expect(signerA.sign(handMade)).rejects.toMatchObject({
        code: 'SNAPSHOT_MINT_REFUSED',
        refusal: 'CONTEXT_UNVERIFIED',
      });
    });
  });
});
