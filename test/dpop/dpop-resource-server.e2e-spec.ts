import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { calculateJwkThumbprint } from 'jose';
import * as client from 'openid-client';
import { AuthRouteRegistry } from '@nest-platform/auth';
import { type RawResponse, send } from '../fixtures/http-client.js';
import { OidcIssuer } from '../fixtures/oidc-issuer.js';
import { bootError, PLATFORMS, startApp, type StartedApp } from '../fixtures/platforms.js';
import { DpopKey } from './dpop-proofs.js';
import { dpopScenario } from './dpop-scenario.module.js';
import { Controller, Get } from '@nestjs/common';
import { RequireDpop } from '@nest-platform/auth';
import { createPlatformClient } from '@nest-platform/client';

const AUDIENCE = 'urn:documents-api';
const RESOURCE = 'https://documents.example/api';
const METADATA = 'https://documents.example/.well-known/oauth-protected-resource/api';
const ALGS = 'ES256 ES384 ES512 PS256 PS384 PS512 RS256 EdDSA Ed25519';
const RM = `resource_metadata="${METADATA}"`;
const DPOP_BARE = `DPoP realm="api", algs="${ALGS}", ${RM}`;
const BEARER_BARE = `Bearer realm="api", ${RM}`;

const dpopError = (error: string, description: string) =>
  `DPoP realm="api", error="${error}", error_description="${description}", algs="${ALGS}", ${RM}`;
const bearerError = (error: string, description: string) =>
  `Bearer realm="api", error="${error}", error_description="${description}", ${RM}`;

const INVALID_PROOF = dpopError('invalid_dpop_proof', 'The DPoP proof is invalid');

function expectRefusal(response: RawResponse, status: number, challenge: string): void {
  expect({ status: response.status, challenge: response.headers['www-authenticate'] }).toEqual({
    status,
    challenge,
  });
}

/** Mutable claims the issuer adds to every token (step-up tests). */
const extra: { acr?: string; auth_time?: number } = {};

async function startIssuer(): Promise<OidcIssuer> {
  return OidcIssuer.start({
    clients: [
      {
        client_id: 'svc',
        client_secret: 'svc-secret',
        grant_types: ['client_credentials'],
        redirect_uris: [],
        response_types: [],
        token_endpoint_auth_method: 'client_secret_basic',
      },
    ],
    resources: [{ audience: AUDIENCE, scope: 'documents:read documents:write' }],
    configure: {
      features: { dPoP: { enabled: true } },
      extraTokenClaims: async () => ({ ...extra }),
    } as never,
  });
}

describe.each(PLATFORMS)(
  'DPoP, step-up and metadata on the resource server ($name)',
  (platform) => {
    let issuer: OidcIssuer;
    let started: StartedApp;
    let config: client.Configuration;
    let key: DpopKey;
    let boundToken: string;
    let bearerToken: string;

    const url = (path: string) => `${started.url}${path}`;
    const withDpop = async (path: string, token = boundToken, proofKey = key, method = 'GET') =>
      send(started.url, method, path, [
        ['authorization', `DPoP ${token}`],
        ['dpop', await proofKey.proof(method, url(path.split('?')[0]), token)],
      ]);

    beforeAll(async () => {
      issuer = await startIssuer();
      started = await startApp(
        platform,
        dpopScenario(
          {
            dpop: {},
            resourceMetadata: { resource: RESOURCE, authorizationServers: [issuer.url] },
          },
          { issuers: [{ issuer: issuer.url, audience: AUDIENCE }], allowHttp: true },
        ),
      );
      config = await client.discovery(
        new URL(issuer.url),
        'svc',
        undefined,
        client.ClientSecretBasic('svc-secret'),
        { execute: [client.allowInsecureRequests] },
      );
      key = await DpopKey.generate();
      const handle = client.getDPoPHandle(config, {
        privateKey: key.privateKey,
        publicKey: key.publicKey,
      });
      const bound = await client.clientCredentialsGrant(
        config,
        { scope: 'documents:read documents:write', resource: AUDIENCE },
        { DPoP: handle },
      );
      expect(bound.token_type).toBe('dpop');
      boundToken = bound.access_token;
      bearerToken = (
        await client.clientCredentialsGrant(config, { scope: 'documents:read', resource: AUDIENCE })
      ).access_token;
    });

    afterAll(async () => {
      await started?.app.close();
      await issuer?.close();
    });

    describe('accepted', () => {
      it('a DPoP-bound token from oidc-provider with a fresh proof, every time (the cache spares only the token)', async () => {
        for (let i = 0; i < 3; i++) {
          const response = await withDpop('/documents/dpop');
          expect(response.status).toBe(200);
          expect(response.headers['www-authenticate']).toBeUndefined();
          expect(response.json).toMatchObject({ subject: 'svc', jkt: expect.any(String) });
        }
      });

      it('a proof whose htu has no query, for a request with one (RFC 9449 §4.3: query ignored)', async () => {
        expect((await withDpop('/documents/dpop?page=2')).status).toBe(200);
      });

      it('PlatformClient with dpop: true, end to end: a bound token from oidc-provider, a proof per request', async () => {
        const outbound = createPlatformClient({
          baseUrl: started.url,
          allowHttp: true,
          dpop: true,
          token: {
            provider: {
              grant: 'client_credentials',
              issuer: issuer.url,
              clientId: 'svc',
              clientSecret: 'svc-secret',
              scope: ['documents:read'],
              audience: AUDIENCE,
              allowHttp: true,
            },
          },
        });
        try {
          const first = await outbound.getJson<{ subject: string; jkt: string }>('/documents/dpop');
          const second = await outbound.getJson<{ subject: string; jkt: string }>(
            '/documents/dpop',
          );
          expect(first).toMatchObject({ subject: 'svc', jkt: expect.any(String) });
          expect(second.jkt).toBe(first.jkt); // one key per client, a fresh proof each time
          expect(first.jkt).not.toBe(await calculateJwkThumbprint(key.publicJwk)); // its own key
        } finally {
          await outbound.close();
        }
      });

      it('openid-client fetchProtectedResource with its DPoP handle', async () => {
        const handle = client.getDPoPHandle(config, {
          privateKey: key.privateKey,
          publicKey: key.publicKey,
        });
        const response = await client.fetchProtectedResource(
          config,
          boundToken,
          new URL(url('/documents/dpop')),
          'GET',
          undefined,
          undefined,
          { DPoP: handle },
        );
        expect(response.status).toBe(200);
      });

      it('a bearer (unbound) token where DPoP is not required, and DPoP on the same route', async () => {
        const asBearer = await send(started.url, 'GET', '/documents', [
          ['authorization', `Bearer ${bearerToken}`],
        ]);
        expect(asBearer.status).toBe(200);
        expect((await withDpop('/documents')).status).toBe(200);
      });
    });

    describe('challenges without credentials (RFC 9449 §7.1, RFC 9728 §5.1)', () => {
      it('offers Bearer and DPoP where both are accepted', async () => {
        expectRefusal(
          await send(started.url, 'GET', '/documents'),
          401,
          `${BEARER_BARE}, ${DPOP_BARE}`,
        );
      });

      it('offers DPoP alone where DPoP is required', async () => {
        expectRefusal(await send(started.url, 'GET', '/documents/dpop'), 401, DPOP_BARE);
      });
    });

    describe('attacks, each refused', () => {
      it('the stolen token replayed as Bearer (no key)', async () => {
        const bearer = [['authorization', `Bearer ${boundToken}`]] as const;
        const description = 'A DPoP-bound access token requires the DPoP scheme';
        expectRefusal(
          await send(started.url, 'GET', '/documents', bearer),
          401,
          `${bearerError('invalid_token', description)}, ${DPOP_BARE}`,
        );
        expectRefusal(
          await send(started.url, 'GET', '/documents/dpop', bearer),
          401,
          dpopError('invalid_token', description),
        );
      });

      it('the stolen token replayed as DPoP without a proof', async () => {
        expectRefusal(
          await send(started.url, 'GET', '/documents/dpop', [
            ['authorization', `DPoP ${boundToken}`],
          ]),
          400,
          dpopError('invalid_request', 'The DPoP scheme requires exactly one DPoP proof'),
        );
      });

      it('the stolen token with a proof by another key', async () => {
        const attacker = await DpopKey.generate();
        expectRefusal(
          await withDpop('/documents/dpop', boundToken, attacker),
          401,
          dpopError('invalid_token', 'Invalid DPoP key binding'),
        );
      });

      it('a reused proof (jti already seen)', async () => {
        const proof = await key.proof('GET', url('/documents/dpop'), boundToken);
        const headers = [
          ['authorization', `DPoP ${boundToken}`],
          ['dpop', proof],
        ] as const;
        expect((await send(started.url, 'GET', '/documents/dpop', headers)).status).toBe(200);
        expectRefusal(
          await send(started.url, 'GET', '/documents/dpop', headers),
          401,
          dpopError('invalid_dpop_proof', 'The DPoP proof was already used'),
        );
      });

      it('a proof for another method', async () => {
        const proof = await key.proof('POST', url('/documents/dpop'), boundToken);
        expectRefusal(
          await send(started.url, 'GET', '/documents/dpop', [
            ['authorization', `DPoP ${boundToken}`],
            ['dpop', proof],
          ]),
          401,
          INVALID_PROOF,
        );
      });

      it('a proof for another URL (path, and origin)', async () => {
        for (const htu of [url('/documents'), `https://elsewhere.example/documents/dpop`]) {
          const proof = await key.proof('GET', htu, boundToken);
          expectRefusal(
            await send(started.url, 'GET', '/documents/dpop', [
              ['authorization', `DPoP ${boundToken}`],
              ['dpop', proof],
            ]),
            401,
            INVALID_PROOF,
          );
        }
      });

      it('a stale iat, and one too far in the future', async () => {
        for (const iat of [
          Math.floor(Date.now() / 1000) - 120,
          Math.floor(Date.now() / 1000) + 60,
        ]) {
          const proof = await key.proof('GET', url('/documents/dpop'), boundToken, { iat });
          expectRefusal(
            await send(started.url, 'GET', '/documents/dpop', [
              ['authorization', `DPoP ${boundToken}`],
              ['dpop', proof],
            ]),
            401,
            INVALID_PROOF,
          );
        }
      });

      it('a wrong ath (a proof made for another token), and none', async () => {
        for (const claims of [{ ath: 'x'.repeat(43) }, { ath: undefined }]) {
          const proof = await key.proof('GET', url('/documents/dpop'), boundToken, { claims });
          expectRefusal(
            await send(started.url, 'GET', '/documents/dpop', [
              ['authorization', `DPoP ${boundToken}`],
              ['dpop', proof],
            ]),
            401,
            INVALID_PROOF,
          );
        }
      });

      it('a forged header: typ jwt, a private key in jwk, no jwk', async () => {
        const { exportJWK } = await import('jose');
        const privateJwk = await exportJWK(key.privateKey);
        for (const header of [
          { typ: 'jwt' },
          { typ: 'application/dpop+jwt' },
          { jwk: privateJwk },
        ]) {
          const proof = await key.proof('GET', url('/documents/dpop'), boundToken, { header });
          expectRefusal(
            await send(started.url, 'GET', '/documents/dpop', [
              ['authorization', `DPoP ${boundToken}`],
              ['dpop', proof],
            ]),
            401,
            INVALID_PROOF,
          );
        }
      });

      it('two DPoP headers, and a comma-joined pair', async () => {
        const a = await key.proof('GET', url('/documents/dpop'), boundToken);
        const b = await key.proof('GET', url('/documents/dpop'), boundToken);
        const ambiguous = dpopError('invalid_request', 'More than one DPoP proof was sent');
        expectRefusal(
          await send(started.url, 'GET', '/documents/dpop', [
            ['authorization', `DPoP ${boundToken}`],
            ['dpop', a],
            ['dpop', b],
          ]),
          400,
          ambiguous,
        );
        expectRefusal(
          await send(started.url, 'GET', '/documents/dpop', [
            ['authorization', `DPoP ${boundToken}`],
            ['dpop', `${a}, ${b}`],
          ]),
          400,
          ambiguous,
        );
      });

      it('a DPoP proof beside the Bearer scheme', async () => {
        expectRefusal(
          await send(started.url, 'GET', '/documents', [
            ['authorization', `Bearer ${boundToken}`],
            ['dpop', await key.proof('GET', url('/documents'), boundToken)],
          ]),
          400,
          `${bearerError('invalid_request', 'A DPoP proof requires the DPoP authorization scheme')}, ${dpopError('invalid_request', 'A DPoP proof requires the DPoP authorization scheme')}`,
        );
      });

      it('an unbound token under the DPoP scheme (with a valid proof)', async () => {
        expectRefusal(
          await withDpop('/documents/dpop', bearerToken),
          401,
          dpopError('invalid_token', 'The access token is not DPoP-bound'),
        );
      });

      it('an unbound bearer token on a route that requires DPoP', async () => {
        expectRefusal(
          await send(started.url, 'GET', '/documents/dpop', [
            ['authorization', `Bearer ${bearerToken}`],
          ]),
          401,
          dpopError('invalid_token', 'This resource requires a DPoP-bound access token'),
        );
      });

      it('a valid DPoP request without the scope: 403 in the DPoP challenge', async () => {
        const restricted = await client.clientCredentialsGrant(
          config,
          { scope: 'documents:read', resource: AUDIENCE },
          {
            DPoP: client.getDPoPHandle(config, {
              privateKey: key.privateKey,
              publicKey: key.publicKey,
            }),
          },
        );
        expectRefusal(
          await withDpop('/documents/dpop', restricted.access_token, key, 'POST'),
          403,
          `DPoP realm="api", error="insufficient_scope", error_description="The access token lacks a required scope", scope="documents:admin documents:write", algs="${ALGS}", ${RM}`,
        );
      });
    });

    describe('step-up (RFC 9470)', () => {
      const tokenWith = async (claims: typeof extra) => {
        extra.acr = claims.acr;
        extra.auth_time = claims.auth_time;
        try {
          return (
            await client.clientCredentialsGrant(config, {
              scope: 'documents:read',
              resource: AUDIENCE,
            })
          ).access_token;
        } finally {
          delete extra.acr;
          delete extra.auth_time;
        }
      };
      const STEP_UP = `Bearer realm="api", error="insufficient_user_authentication", error_description="A different or more recent user authentication is required", acr_values="mfa", max_age="300", ${RM}, ${DPOP_BARE}`;

      it('refuses a token without the acr, then accepts one with it and a recent auth_time', async () => {
        const now = Math.floor(Date.now() / 1000);
        const weak = await tokenWith({ acr: 'pwd', auth_time: now });
        expectRefusal(
          await send(started.url, 'GET', '/admin', [['authorization', `Bearer ${weak}`]]),
          401,
          STEP_UP,
        );
        const strong = await tokenWith({ acr: 'mfa', auth_time: now });
        const response = await send(started.url, 'GET', '/admin', [
          ['authorization', `Bearer ${strong}`],
        ]);
        expect(response.status).toBe(200);
        expect(response.json).toEqual({ acr: 'mfa' });
      });

      it('refuses the right acr with an old auth_time, or none', async () => {
        const old = await tokenWith({ acr: 'mfa', auth_time: Math.floor(Date.now() / 1000) - 301 });
        expectRefusal(
          await send(started.url, 'GET', '/admin', [['authorization', `Bearer ${old}`]]),
          401,
          STEP_UP,
        );
        const none = await tokenWith({ acr: 'mfa' });
        expectRefusal(
          await send(started.url, 'GET', '/admin', [['authorization', `Bearer ${none}`]]),
          401,
          STEP_UP,
        );
      });
    });

    describe('Protected Resource Metadata (RFC 9728)', () => {
      it('serves the path-inserted document without credentials, matching the route table', async () => {
        const response = await send(
          started.url,
          'GET',
          '/.well-known/oauth-protected-resource/api',
        );
        expect(response.status).toBe(200);
        expect(response.headers['content-type']).toMatch(/^application\/json/);
        expect(response.json).toEqual({
          resource: RESOURCE,
          authorization_servers: [issuer.url],
          scopes_supported: ['documents:admin', 'documents:read', 'documents:write'],
          bearer_methods_supported: ['header'],
          dpop_signing_alg_values_supported: ALGS.split(' '),
          dpop_bound_access_tokens_required: false,
        });
        const registry = started.app.get(AuthRouteRegistry);
        expect(registry.requiredScopes()).toEqual(
          (response.json as { scopes_supported: string[] }).scopes_supported,
        );
        const table = registry.format();
        expect(table).toMatch(
          /GET \/documents\/dpop\s+DpopScenarioController#dpopList\s+authenticated AND @RequireDpop\(\) AND @RequireScope\('documents:read'\)/,
        );
        expect(table).toMatch(
          /GET \/admin\s+DpopScenarioController#admin\s+authenticated AND @RequireAuthentication\(\{ acr: \['mfa'\], maxAgeS: 300 \}\)/,
        );
        expect(table).toMatch(
          /GET \/\.well-known\/oauth-protected-resource\/api\s+ProtectedResourceMetadataController#metadata\s+public/,
        );
      });

      it('answers 404 at the root and at any other path, even with a token', async () => {
        expect(
          (await send(started.url, 'GET', '/.well-known/oauth-protected-resource')).status,
        ).toBe(404);
        expect(
          (await send(started.url, 'GET', '/.well-known/oauth-protected-resource/other')).status,
        ).toBe(404);
      });
    });
  },
);

describe.each(PLATFORMS)('DPoP server nonces and app-wide DPoP ($name)', (platform) => {
  let issuer: OidcIssuer;
  let started: StartedApp;
  let token: string;
  let key: DpopKey;
  let clock = Date.now();
  const now = () => clock;

  beforeAll(async () => {
    issuer = await startIssuer();
    started = await startApp(
      platform,
      dpopScenario(
        { now, dpop: { required: true, nonce: { rotationS: 60 }, algorithms: ['ES256'] } },
        { issuers: [{ issuer: issuer.url, audience: AUDIENCE }], allowHttp: true, now },
      ),
    );
    const config = await client.discovery(
      new URL(issuer.url),
      'svc',
      undefined,
      client.ClientSecretBasic('svc-secret'),
      { execute: [client.allowInsecureRequests] },
    );
    key = await DpopKey.generate();
    token = (
      await client.clientCredentialsGrant(
        config,
        { scope: 'documents:read', resource: AUDIENCE },
        {
          DPoP: client.getDPoPHandle(config, {
            privateKey: key.privateKey,
            publicKey: key.publicKey,
          }),
        },
      )
    ).access_token;
    // Start at the beginning of a rotation step, so the steps below are exact.
    clock = Math.ceil(Date.now() / 60_000) * 60_000 + 1000;
  });

  afterAll(async () => {
    await started?.app.close();
    await issuer?.close();
  });

  const call = async (path: string, nonce?: string) =>
    send(started.url, 'GET', path, [
      ['authorization', `DPoP ${token}`],
      [
        'dpop',
        await key.proof('GET', `${started.url}${path}`, token, {
          iat: Math.floor(clock / 1000),
          claims: nonce === undefined ? {} : { nonce },
        }),
      ],
    ]);
  const NONCE_CHALLENGE = `DPoP realm="api", error="use_dpop_nonce", error_description="The resource server requires a nonce in the DPoP proof", algs="ES256"`;

  it('asks for a nonce, accepts it, rotates it, and refuses it two steps later', async () => {
    const first = await call('/documents');
    expectRefusal(first, 401, NONCE_CHALLENGE);
    expect(first.headers['cache-control']).toBe('no-store');
    const nonce = first.headers['dpop-nonce'] as string;
    expect(nonce).toMatch(/^[A-Za-z0-9_-]{43}$/);

    const ok = await call('/documents', nonce);
    expect(ok.status).toBe(200);
    expect(ok.headers['dpop-nonce']).toBe(nonce);

    expectRefusal(await call('/documents', 'not-the-nonce'), 401, NONCE_CHALLENGE);

    clock += 60_000; // next step: the old nonce still works, the answer carries the new one
    const rotated = await call('/documents', nonce);
    expect(rotated.status).toBe(200);
    const next = rotated.headers['dpop-nonce'] as string;
    expect(next).not.toBe(nonce);

    clock += 60_000; // two steps on: the first nonce is refused with the current one
    const stale = await call('/documents', nonce);
    expectRefusal(stale, 401, NONCE_CHALLENGE);
    expect(stale.headers['dpop-nonce']).not.toBe(nonce);
    expect((await call('/documents', stale.headers['dpop-nonce'] as string)).status).toBe(200);
  });

  it('requires DPoP app-wide: no Bearer challenge anywhere, and the route table says so', async () => {
    expectRefusal(
      await send(started.url, 'GET', '/documents'),
      401,
      'DPoP realm="api", algs="ES256"',
    );
    expect(started.app.get(AuthRouteRegistry).format()).toMatch(
      /GET \/documents\s+DpopScenarioController#list\s+authenticated AND @RequireDpop\(\) AND @RequireScope\('documents:read'\)/,
    );
  });
});

describe.each(PLATFORMS)('DPoP boot validation ($name)', (platform) => {
  @Controller()
  class OnlyDpop {
    @Get('x')
    @RequireDpop()
    x() {
      return {};
    }
  }

  it('fails boot for @RequireDpop() without the dpop option', async () => {
    const error = await bootError(
      platform,
      dpopScenario({}, { issuers: [{ issuer: 'https://issuer.test', audience: AUDIENCE }] }, [
        OnlyDpop,
      ]),
    );
    expect(error).toMatchObject({
      name: 'UnsupportedRequirementError',
      code: 'UNSUPPORTED_REQUIREMENT',
    });
    expect((error as Error).message).toContain(
      'OnlyDpop#x: @RequireDpop() needs the PlatformAuthModule option "dpop"',
    );
  });
});

describe.each(PLATFORMS)('DPoP behind a proxy, and a replay store outage ($name)', (platform) => {
  let issuer: OidcIssuer;
  let token: string;
  let key: DpopKey;
  const apps: StartedApp[] = [];

  beforeAll(async () => {
    issuer = await startIssuer();
    const config = await client.discovery(
      new URL(issuer.url),
      'svc',
      undefined,
      client.ClientSecretBasic('svc-secret'),
      { execute: [client.allowInsecureRequests] },
    );
    key = await DpopKey.generate();
    token = (
      await client.clientCredentialsGrant(
        config,
        { scope: 'documents:read', resource: AUDIENCE },
        {
          DPoP: client.getDPoPHandle(config, {
            privateKey: key.privateKey,
            publicKey: key.publicKey,
          }),
        },
      )
    ).access_token;
  });

  afterAll(async () => {
    for (const started of apps) await started.app.close();
    await issuer?.close();
  });

  const start = async (dpop: Record<string, unknown>) => {
    const started = await startApp(
      platform,
      dpopScenario(
        { dpop },
        { issuers: [{ issuer: issuer.url, audience: AUDIENCE }], allowHttp: true },
      ),
    );
    apps.push(started);
    return started;
  };
  const call = async (
    started: StartedApp,
    htu: string,
    extra: ReadonlyArray<readonly [string, string]> = [],
  ) =>
    send(started.url, 'GET', '/documents/dpop', [
      ['authorization', `DPoP ${token}`],
      ['dpop', await key.proof('GET', htu, token)],
      ...extra,
    ]);

  it('compares htu with publicBaseUrl (path prefix included), not with the Host the proxy sent', async () => {
    const started = await start({ publicBaseUrl: 'https://api.example.com/gw/' });
    expect((await call(started, 'https://api.example.com/gw/documents/dpop')).status).toBe(200);
    expect((await call(started, `${started.url}/documents/dpop`)).status).toBe(401);
  });

  it('reads X-Forwarded-Proto/-Host only with trustProxy', async () => {
    const forwarded = [
      ['x-forwarded-proto', 'https'],
      ['x-forwarded-host', 'public.example'],
    ] as const;
    const trusting = await start({ trustProxy: true });
    expect((await call(trusting, 'https://public.example/documents/dpop', forwarded)).status).toBe(
      200,
    );
    const plain = await start({});
    expect((await call(plain, 'https://public.example/documents/dpop', forwarded)).status).toBe(
      401,
    );
  });

  it('answers 503 without a challenge when the replay store fails, and after its timeout', async () => {
    for (const replayStore of [
      { record: () => Promise.reject(new Error('store down')) },
      { record: () => new Promise(() => undefined) },
    ]) {
      const started = await start({ replayStore, replayTimeoutMs: 100 });
      const response = await call(started, `${started.url}/documents/dpop`);
      expect(response.status).toBe(503);
      expect(response.headers['www-authenticate']).toBeUndefined();
      expect(response.json).toMatchObject({ reason: 'DEPENDENCY_UNAVAILABLE' });
    }
  });
});
