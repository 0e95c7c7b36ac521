import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import {
  calculateJwkThumbprint,
  decodeJwt,
  EmbeddedJWK,
  exportJWK,
  generateKeyPair,
  type JWK,
  jwtVerify,
} from 'jose';
import type { ClientMetadata } from 'oidc-provider';
import { randomDPoPKeyPair } from 'openid-client';
import {
  createPlatformClient,
  type DpopOption,
  MemoryTokenCache,
  type PlatformClient,
  redactSecrets,
  resolvePlatformClientOptions,
} from '@nest-platform/client';
import { OidcIssuer } from '../fixtures/oidc-issuer.js';
import { type Answer, FakeApi, type RecordedRequest } from './fixtures/fake-api.js';

const API_SCOPES = 'orders:read orders:write';
const AUDIENCE = 'https://orders.api.test';
const SECRET = 'dpop-client-secret-0d1e2a3d4b5e6e7f8a9b';
const APP_SECRET = 'dpop-app-secret-9a8b7c6d5e4f3a2b1c0d';

/** What a proof says, after its signature was verified with its own `jwk` header. */
interface VerifiedProof {
  readonly header: { typ?: string; alg?: string; jwk?: JWK };
  readonly claims: Record<string, unknown>;
  readonly jkt: string;
}

/** Verifies a proof the way a resource server does (RFC 9449 §4.3), with jose. */
async function verifyProof(proof: string | string[] | undefined): Promise<VerifiedProof> {
  if (typeof proof !== 'string') throw new Error(`expected one DPoP header, got ${String(proof)}`);
  const { payload, protectedHeader } = await jwtVerify(proof, EmbeddedJWK, {
    typ: 'dpop+jwt',
    algorithms: ['ES256', 'ES384', 'Ed25519'],
    maxTokenAge: 60,
  });
  expect(protectedHeader.typ).toBe('dpop+jwt');
  expect(protectedHeader.jwk).toBeDefined();
  expect(protectedHeader.jwk).not.toHaveProperty('d');
  return {
    header: protectedHeader as VerifiedProof['header'],
    claims: payload,
    jkt: await calculateJwkThumbprint(protectedHeader.jwk!),
  };
}

const ath = (token: string) => createHash('sha256').update(token).digest('base64url');
const tokenOf = (request: RecordedRequest) => request.authorization?.replace(/^DPoP /, '') ?? '';
const ok: Answer = { status: 200, body: '{"ok":true}' };

describe('DPoP in PlatformClient against oidc-provider (RFC 9449)', () => {
  let issuer: OidcIssuer;
  let api: FakeApi;
  const clients: PlatformClient[] = [];
  const logged: string[] = [];
  const logger = {
    log: (message: string) => logged.push(message),
    warn: (message: string) => logged.push(message),
  };

  beforeAll(async () => {
    api = await FakeApi.start();
    issuer = await OidcIssuer.start({
      clients: [
        {
          client_id: 'svc',
          client_secret: SECRET,
          grant_types: ['client_credentials'],
          response_types: [],
          redirect_uris: [],
          token_endpoint_auth_method: 'client_secret_basic',
          scope: API_SCOPES,
          dpop_bound_access_tokens: true,
        } as ClientMetadata,
        {
          client_id: 'app',
          client_secret: APP_SECRET,
          grant_types: ['authorization_code', 'refresh_token'],
          response_types: ['code'],
          redirect_uris: ['http://127.0.0.1/callback'],
          token_endpoint_auth_method: 'client_secret_basic',
          scope: `openid offline_access ${API_SCOPES}`,
        },
      ],
      resources: [{ audience: AUDIENCE, scope: API_SCOPES }],
      configure: {
        findAccount: (_ctx, sub) => ({ accountId: sub, claims: () => ({ sub }) }),
        features: {
          // Nonces required at the token endpoint: every first token request gets
          // use_dpop_nonce and openid-client's DPoP handle retries with the nonce.
          dPoP: { enabled: true, nonceSecret: randomBytes(32), requireNonce: () => true },
        },
      },
    });
  });
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((client) => client.close()));
    api.reset();
    issuer.requests.clear();
    logged.length = 0;
  });
  afterAll(async () => {
    await Promise.all([api?.close(), issuer?.close()]);
  });

  const build = (dpop: DpopOption, cache = new MemoryTokenCache(), retries = 1) => {
    const client = createPlatformClient(
      {
        baseUrl: `${api.url}/v1`,
        allowHttp: true,
        retries,
        backoffBaseMs: 1,
        dpop,
        token: {
          cache,
          provider: {
            grant: 'client_credentials',
            issuer: issuer.url,
            clientId: 'svc',
            clientSecret: SECRET,
            scope: 'orders:read',
            audience: AUDIENCE,
            allowHttp: true,
          },
        },
      },
      { logger },
    );
    clients.push(client);
    return client;
  };

  describe('client credentials', () => {
    it('gets a DPoP-bound token (cnf.jkt = its key) through the token endpoint nonce, and sends it as DPoP with a verified proof', async () => {
      const keyPair = await randomDPoPKeyPair('ES256');
      const jkt = await calculateJwkThumbprint(await exportJWK(keyPair.publicKey));
      api.script('GET /v1/orders', ok);
      const client = build({ keyPair });

      await client.get('/orders', { query: { page: 2 } });

      // use_dpop_nonce, then the token with the nonce.
      expect(issuer.count('POST /token')).toBe(2);
      const [request] = api.requests;
      expect(request!.authorization).toMatch(/^DPoP [\w-]+\.[\w-]+\.[\w-]+$/);
      const token = tokenOf(request!);
      expect(decodeJwt(token)).toMatchObject({ aud: AUDIENCE, cnf: { jkt } });
      const proof = await verifyProof(request!.headers.dpop);
      expect(proof.jkt).toBe(jkt);
      expect(proof.header.alg).toBe('ES256');
      expect(proof.claims).toMatchObject({
        htm: 'GET',
        htu: `${api.url}/v1/orders`,
        ath: ath(token),
      });
      expect(proof.claims.jti).toEqual(expect.any(String));
      expect(proof.claims).not.toHaveProperty('nonce');
    });

    it('signs a fresh proof for every request and every retry (distinct jti, same key, right htm/htu)', async () => {
      api.script('GET /v1/orders', { status: 503 }, ok);
      api.script('POST /v1/orders', ok);
      const client = build(true);

      await client.get('/orders');
      await client.post('/orders', { json: { id: 1 } });

      expect(api.requests).toHaveLength(3);
      const proofs = await Promise.all(api.requests.map((r) => verifyProof(r.headers.dpop)));
      expect(new Set(proofs.map((p) => p.claims.jti)).size).toBe(3);
      expect(new Set(proofs.map((p) => p.jkt)).size).toBe(1);
      expect(proofs.map((p) => [p.claims.htm, p.claims.htu])).toEqual([
        ['GET', `${api.url}/v1/orders`],
        ['GET', `${api.url}/v1/orders`],
        ['POST', `${api.url}/v1/orders`],
      ]);
      const token = tokenOf(api.requests[0]!);
      expect(proofs.every((p) => p.claims.ath === ath(token))).toBe(true);
      // One token for all three: retries do not re-acquire.
      expect(issuer.count('POST /token')).toBe(2);
    });

    it('answers use_dpop_nonce from the API with one retry carrying the nonce, and sends the latest nonce from then on', async () => {
      let nonce = 'rs-nonce-1';
      api.script('GET /v1/orders', (request: RecordedRequest): Answer => {
        const proof = decodeJwt(String(request.headers.dpop));
        if (proof.nonce === nonce)
          return { status: 200, body: '{}', headers: { 'dpop-nonce': nonce } };
        return {
          status: 401,
          headers: {
            'www-authenticate':
              'DPoP error="use_dpop_nonce", error_description="nonce required", algs="ES256"',
            'dpop-nonce': nonce,
          },
        };
      });
      const client = build(true);

      await client.get('/orders');
      expect(api.requests).toHaveLength(2);
      expect(decodeJwt(String(api.requests[0]!.headers.dpop))).not.toHaveProperty('nonce');
      expect(decodeJwt(String(api.requests[1]!.headers.dpop))).toMatchObject({
        nonce: 'rs-nonce-1',
      });
      expect(logged.join('\n')).toContain('DPoP nonce');

      // The nonce is remembered: the next call needs no extra round trip.
      await client.get('/orders');
      expect(api.requests).toHaveLength(3);

      // Rotated by the server: one retry again, with the new one.
      nonce = 'rs-nonce-2';
      await client.get('/orders');
      expect(api.requests).toHaveLength(5);
      expect(decodeJwt(String(api.requests[4]!.headers.dpop))).toMatchObject({
        nonce: 'rs-nonce-2',
      });
    });

    it('fails with DPOP_REJECTED when the API keeps refusing the nonce (one nonce retry, never a loop)', async () => {
      let n = 0;
      api.script('GET /v1/orders', () => ({
        status: 401,
        headers: {
          'www-authenticate': 'DPoP error="use_dpop_nonce"',
          'dpop-nonce': `nonce-${++n}`,
        },
      }));
      const client = build(true);

      await expect(client.get('/orders')).rejects.toMatchObject({
        name: 'DpopRejectedError',
        code: 'DPOP_REJECTED',
        at: 'api',
        oauthError: 'use_dpop_nonce',
        status: 401,
        attempts: 2,
      });
      expect(api.requests).toHaveLength(2);
    });

    it('on a 401 invalid_token invalidates the token and retries once with a new token and a new proof', async () => {
      let first: string | undefined;
      api.script('GET /v1/orders', (request) => {
        first ??= tokenOf(request);
        return tokenOf(request) === first
          ? {
              status: 401,
              headers: { 'www-authenticate': 'DPoP error="invalid_token", algs="ES256"' },
            }
          : ok;
      });
      const client = build(true);

      await client.get('/orders');

      expect(api.requests).toHaveLength(2);
      const [one, two] = api.requests;
      expect(tokenOf(two!)).not.toBe(tokenOf(one!));
      const proofs = await Promise.all([
        verifyProof(one!.headers.dpop),
        verifyProof(two!.headers.dpop),
      ]);
      expect(proofs[0].claims.jti).not.toBe(proofs[1].claims.jti);
      expect(proofs[1].claims.ath).toBe(ath(tokenOf(two!)));
      expect(decodeJwt(tokenOf(two!))).toMatchObject({ cnf: { jkt: proofs[1].jkt } });
      // The nonce learnt at the first token request is reused: one more token request only.
      expect(issuer.count('POST /token')).toBe(3);
    });

    it('fails with DPOP_REJECTED on a final invalid_dpop_proof', async () => {
      api.script('GET /v1/orders', {
        status: 401,
        headers: { 'www-authenticate': 'DPoP error="invalid_dpop_proof", algs="ES256"' },
      });
      const client = build(true);
      await expect(client.get('/orders')).rejects.toMatchObject({
        code: 'DPOP_REJECTED',
        oauthError: 'invalid_dpop_proof',
        attempts: 2,
      });
    });
  });

  describe('health', () => {
    it('probes the authenticated health path with the cached token as DPoP and a fresh proof', async () => {
      api.script('GET /v1/orders', ok);
      api.script('GET /v1/health', ok);
      const client = build(true);
      await client.get('/orders');
      api.requests.length = 0;

      const health = await client.health();

      expect(health.authenticated).toMatchObject({ state: 'ok', status: 200 });
      const probe = api.requests.find((r) => r.authorization !== undefined)!;
      expect(probe.authorization).toMatch(/^DPoP /);
      const proof = await verifyProof(probe.headers.dpop);
      expect(proof.claims).toMatchObject({
        htm: 'GET',
        htu: `${api.url}/v1/health`,
        ath: ath(tokenOf(probe)),
      });
    });
  });

  describe('the token cache', () => {
    it('keys DPoP-bound tokens by the key thumbprint: another key never gets them, the same key shares them', async () => {
      api.script('GET /v1/orders', ok);
      const cache = new MemoryTokenCache();
      const keyPair = await randomDPoPKeyPair('ES256');

      await build({ keyPair }, cache).get('/orders');
      expect(issuer.count('POST /token')).toBe(2);
      await build(true, cache).get('/orders');
      expect(issuer.count('POST /token')).toBe(4);
      await build({ keyPair }, cache).get('/orders');
      expect(issuer.count('POST /token')).toBe(4);

      const [a, b, c] = api.requests.map((r) => decodeJwt(tokenOf(r)).cnf as { jkt: string });
      expect(a!.jkt).not.toBe(b!.jkt);
      expect(c!.jkt).toBe(a!.jkt);
    });
  });

  describe('refresh token grant', () => {
    it('gets a DPoP-bound access token on refresh and sends it with proofs of the same key', async () => {
      const refreshToken = await mintRefreshToken(issuer, 'alice');
      api.script('GET /v1/orders', ok);
      const client = createPlatformClient({
        baseUrl: `${api.url}/v1`,
        allowHttp: true,
        dpop: true,
        token: {
          provider: {
            grant: 'refresh_token',
            issuer: issuer.url,
            clientId: 'app',
            clientSecret: APP_SECRET,
            refreshToken,
            audience: AUDIENCE,
            allowHttp: true,
          },
        },
      });
      clients.push(client);

      await client.get('/orders');

      const [request] = api.requests;
      expect(request!.authorization).toMatch(/^DPoP /);
      const proof = await verifyProof(request!.headers.dpop);
      expect(decodeJwt(tokenOf(request!))).toMatchObject({ sub: 'alice', cnf: { jkt: proof.jkt } });
    });
  });

  describe('the private key', () => {
    it('never appears in logs, errors, inspect, serialised options or the cache file', async () => {
      const cacheDir = await mkdtemp(join(tmpdir(), 'dpop-cache-'));
      const { privateKey } = await generateKeyPair('ES256', { extractable: true });
      const jwk = await exportJWK(privateKey);
      const options = {
        baseUrl: `${api.url}/v1`,
        allowHttp: true,
        retries: 1,
        backoffBaseMs: 1,
        dpop: { privateKey: jwk },
        token: {
          cache: { kind: 'file' as const, directory: cacheDir },
          provider: {
            grant: 'client_credentials' as const,
            issuer: issuer.url,
            clientId: 'svc',
            clientSecret: SECRET,
            audience: AUDIENCE,
            allowHttp: true,
          },
        },
      };
      api.script(
        'GET /v1/orders',
        { status: 503 },
        {
          status: 401,
          headers: { 'www-authenticate': 'DPoP error="invalid_dpop_proof"' },
        },
      );
      const client = createPlatformClient(options, { logger });
      clients.push(client);
      const error = await client.get('/orders').catch((caught: unknown) => caught);
      expect(error).toMatchObject({ code: 'DPOP_REJECTED' });

      const resolved = resolvePlatformClientOptions(options);
      const printed = [
        ...logged,
        String(error),
        inspect(error, { depth: 5 }),
        JSON.stringify(error),
        inspect(client, { depth: 5 }),
        JSON.stringify(client),
        inspect(resolved, { depth: 5 }),
        JSON.stringify(resolved),
        JSON.stringify(redactSecrets(options)),
        inspect(resolved.dpop),
      ].join('\n');
      expect(logged.length).toBeGreaterThan(0);
      expect(printed).not.toContain(jwk.d);
      const files = (await readdir(cacheDir)).filter((name) => name.endsWith('.json'));
      expect(files).toHaveLength(1);
      const stored = await readFile(join(cacheDir, files[0]!), 'utf8');
      expect(JSON.parse(stored)).toMatchObject({ tokenSet: { tokenType: 'DPoP' } });
      expect(stored).not.toContain(jwk.d);
      expect(stored).not.toContain(jwk.x);
      await rm(cacheDir, { recursive: true, force: true });
      expect(JSON.stringify(resolved.dpop)).toBe(
        JSON.stringify({ alg: 'ES256', jkt: await calculateJwkThumbprint(jwk) }),
      );
    });
  });
});

/** A refresh token for `accountId` at the `app` client, through oidc-provider's models. */
async function mintRefreshToken(issuer: OidcIssuer, accountId: string): Promise<string> {
  const provider = issuer.provider;
  const client = await provider.Client.find('app');
  if (!client) throw new Error('the app client is not registered');
  const grant = new provider.Grant({ accountId, clientId: 'app' });
  grant.addOIDCScope('openid offline_access');
  grant.addResourceScope(AUDIENCE, API_SCOPES);
  const grantId = await grant.save();
  return new provider.RefreshToken({
    accountId,
    client,
    grantId,
    gty: 'authorization_code',
    scope: `openid offline_access ${API_SCOPES}`,
    resource: AUDIENCE,
    authTime: Math.floor(Date.now() / 1000),
  }).save();
}
