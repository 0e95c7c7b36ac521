import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type CryptoKey, exportJWK, exportSPKI, importJWK } from 'jose';
import { TestIssuer } from '@nest-platform/auth/testing';
import { bearer, type RawResponse, send } from '../fixtures/http-client.js';
import { CapturingLogger, PLATFORMS, startApp, type StartedApp } from '../fixtures/platforms.js';
import { b64url, hmacSigned, rs256Signed, unsigned, validClaims } from './forge.js';
import { jwtScenario } from './jwt-scenario.module.js';

const ISSUER = 'https://issuer.test';
const OTHER_ISSUER = 'https://other-issuer.test';
const AUDIENCE = 'urn:documents-api';
const REQUIRED_CLAIMS = ['iss', 'exp', 'aud', 'sub', 'client_id', 'iat', 'jti'] as const;

const INVALID_TOKEN =
  'Bearer realm="api", error="invalid_token", error_description="The access token is invalid"';
const EXPIRED_TOKEN =
  'Bearer realm="api", error="invalid_token", error_description="The access token has expired"';

function expectInvalid(response: RawResponse, challenge = INVALID_TOKEN): void {
  expect(response.status).toBe(401);
  expect(response.headers['www-authenticate']).toBe(challenge);
}

describe.each(PLATFORMS)('JWT provider: what it refuses ($name)', (platform) => {
  let issuer: TestIssuer;
  let attacker: TestIssuer;
  let otherIssuer: TestIssuer;
  let started: StartedApp;
  const logger = new CapturingLogger();
  const presented: string[] = [];

  const call = (token: string, path = '/me') => {
    presented.push(token);
    return send(started.url, 'GET', path, bearer(token));
  };
  const now = () => Math.floor(Date.now() / 1000);

  beforeAll(async () => {
    issuer = await TestIssuer.create({ issuer: ISSUER, audience: AUDIENCE });
    attacker = await TestIssuer.create({ issuer: ISSUER, audience: AUDIENCE });
    otherIssuer = await TestIssuer.create({ issuer: OTHER_ISSUER, audience: AUDIENCE });
    started = await startApp(
      platform,
      jwtScenario({ issuers: [issuer.issuerOptions(), otherIssuer.issuerOptions()] }),
      logger,
    );
  });

  afterAll(async () => {
    await started?.app.close();
  });

  afterAll(() => {
    const logs = logger.lines.join('\n');
    for (const token of presented) {
      for (const part of token.split('.').filter((segment) => segment.length > 16)) {
        expect(logs).not.toContain(part);
      }
    }
  });

  it('accepts a well-formed token (the baseline every case below departs from)', async () => {
    const response = await call(await issuer.sign());
    expect(response.status).toBe(200);
  });

  describe('signature', () => {
    it('refuses a token signed by another key under the issuer’s kid', async () => {
      expectInvalid(await call(await attacker.sign({}, { header: { kid: issuer.kid } })));
    });

    it('refuses a token whose payload was changed after signing', async () => {
      const [header, , signature] = (await issuer.sign()).split('.');
      const tampered = b64url({ ...validClaims(ISSUER, AUDIENCE), sub: 'mallory' });
      expectInvalid(await call(`${header}.${tampered}.${signature}`));
    });

    it('never lets one issuer’s keys verify another issuer’s tokens', async () => {
      const token = await otherIssuer.sign({ iss: ISSUER }, { header: { kid: otherIssuer.kid } });
      expectInvalid(await call(token));
      expect((await call(await otherIssuer.sign())).status).toBe(200);
    });
  });

  describe('typ header (RFC 9068 §4)', () => {
    it.each([
      ['absent', undefined],
      ['JWT', 'JWT'],
      ['jwt', 'jwt'],
      ['application/jwt', 'application/jwt'],
      ['at+jwt+extra', 'at+jwt+extra'],
    ])('refuses typ %s', async (_label, typ) => {
      expectInvalid(await call(await issuer.sign({}, { header: { typ } })));
    });

    it.each(['at+jwt', 'AT+JWT', 'application/at+jwt', 'Application/AT+JWT'])(
      'accepts typ %s',
      async (typ) => {
        expect((await call(await issuer.sign({}, { header: { typ } }))).status).toBe(200);
      },
    );
  });

  describe('required claims', () => {
    it.each(REQUIRED_CLAIMS)('refuses a token without %s', async (claim) => {
      expectInvalid(await call(await issuer.sign({ [claim]: undefined })));
    });

    it.each([
      ['sub is a number', { sub: 42 }],
      ['sub is empty', { sub: '' }],
      ['exp is a string', { exp: String(now() + 300) }],
      ['aud is an object', { aud: { value: AUDIENCE } }],
      ['act is malformed', { act: { sub: 7 } }],
      ['client_id is null', { client_id: null }],
      ['client_id is a number', { client_id: 42 }],
      ['jti is null', { jti: null }],
      ['jti is an object', { jti: {} }],
    ])('refuses a token where %s', async (_label, claims) => {
      expectInvalid(await call(await issuer.sign(claims)));
    });
  });

  describe('time', () => {
    it('accepts a token expired less than the clock tolerance ago', async () => {
      const token = await issuer.sign({}, { issuedAt: now() - 310, expiresInS: 300 });
      expect((await call(token)).status).toBe(200);
    });

    it('refuses a token expired beyond the tolerance with the expired-token message', async () => {
      const token = await issuer.sign({}, { issuedAt: now() - 400, expiresInS: 300 });
      const response = await call(token);
      expectInvalid(response, EXPIRED_TOKEN);
      expect(response.json).toMatchObject({ reason: 'TOKEN_EXPIRED' });
    });

    it('accepts a token not yet valid by less than the tolerance', async () => {
      expect((await call(await issuer.sign({ nbf: now() + 10 }))).status).toBe(200);
    });

    it('refuses a token not yet valid beyond the tolerance', async () => {
      expectInvalid(await call(await issuer.sign({ nbf: now() + 120 })));
    });

    it('accepts a token issued in the future by less than the tolerance', async () => {
      expect((await call(await issuer.sign({}, { issuedAt: now() + 10 }))).status).toBe(200);
    });

    it('refuses a token issued in the future beyond the tolerance', async () => {
      expectInvalid(await call(await issuer.sign({}, { issuedAt: now() + 120 })));
    });

    it('applies a configured clockToleranceS instead of the default 30 s', async () => {
      const tolerant = await startApp(
        platform,
        jwtScenario({ issuers: [issuer.issuerOptions()], clockToleranceS: 120 }),
      );
      const strict = await startApp(
        platform,
        jwtScenario({ issuers: [issuer.issuerOptions()], clockToleranceS: 0 }),
      );
      try {
        const expiredBy = async (seconds: number) =>
          bearer(await issuer.sign({}, { issuedAt: now() - 300 - seconds, expiresInS: 300 }));
        const at = (app: StartedApp, headers: ReturnType<typeof bearer>) =>
          send(app.url, 'GET', '/me', headers);
        // Expired 90 s ago: beyond the default, within 120 s.
        expect((await at(tolerant, await expiredBy(90))).status).toBe(200);
        expectInvalid(await at(tolerant, await expiredBy(150)), EXPIRED_TOKEN);
        expectInvalid(await at(started, await expiredBy(90)), EXPIRED_TOKEN);
        // No tolerance: 5 s past exp is expired, 5 s before nbf is not yet valid.
        expectInvalid(await at(strict, await expiredBy(5)), EXPIRED_TOKEN);
        expectInvalid(await at(strict, bearer(await issuer.sign({ nbf: now() + 5 }))));
        expect((await at(started, bearer(await issuer.sign({ nbf: now() + 5 })))).status).toBe(200);
      } finally {
        await Promise.all([tolerant.app.close(), strict.app.close()]);
      }
    });
  });

  describe('issuer and audience', () => {
    it('refuses an unknown issuer', async () => {
      expectInvalid(await call(await issuer.sign({ iss: 'https://evil.test' })));
    });

    it('refuses an issuer that differs only by a trailing slash', async () => {
      expectInvalid(await call(await issuer.sign({ iss: `${ISSUER}/` })));
    });

    it.each([
      ['another audience', 'urn:billing-api'],
      ['a case variant', 'URN:DOCUMENTS-API'],
      ['a list without ours', ['urn:billing-api', 'urn:other']],
    ])('refuses %s', async (_label, aud) => {
      expectInvalid(await call(await issuer.sign({ aud })));
    });

    it('accepts an audience list that contains ours', async () => {
      const token = await issuer.sign({ aud: ['urn:billing-api', AUDIENCE] });
      expect((await call(token)).status).toBe(200);
    });
  });

  describe('algorithm confusion', () => {
    it('refuses HS256 signed with the issuer’s RSA public key (PEM)', async () => {
      const publicKey = (await exportSPKI(await publicKeyOf(issuer))) as string;
      const token = hmacSigned(
        { alg: 'HS256', typ: 'at+jwt', kid: issuer.kid },
        validClaims(ISSUER, AUDIENCE),
        publicKey,
      );
      expectInvalid(await call(token));
    });

    it('refuses HS256 signed with the issuer’s public JWK as the secret', async () => {
      const token = hmacSigned(
        { alg: 'HS256', typ: 'at+jwt', kid: issuer.kid },
        validClaims(ISSUER, AUDIENCE),
        JSON.stringify(issuer.jwks.keys[0]),
      );
      expectInvalid(await call(token));
    });

    it.each(['none', 'None', 'NONE', 'nOnE'])('refuses alg %s', async (alg) => {
      const header = { alg, typ: 'at+jwt', kid: issuer.kid };
      const claims = validClaims(ISSUER, AUDIENCE);
      expectInvalid(await call(unsigned(header, claims)));
      // With a signature present (here the issuer's own RS256 signature over this very header
      // and payload), the token has a valid compact shape and reaches the algorithm check.
      expectInvalid(await call(rs256Signed(header, claims, issuer.signingKey)));
    });

    it('refuses an algorithm outside the issuer’s allow-list even with its key published', async () => {
      const es256 = await TestIssuer.create({
        issuer: ISSUER,
        audience: AUDIENCE,
        algorithm: 'ES256',
      });
      const jwks = { keys: [...issuer.jwks.keys, ...es256.jwks.keys] };
      const token = await es256.sign();
      for (const [algorithms, status] of [
        [['RS256'], 401],
        [['RS256', 'ES256'], 200],
      ] as const) {
        const app = await startApp(
          platform,
          jwtScenario({
            issuers: [{ issuer: ISSUER, audience: AUDIENCE, jwks, algorithms: [...algorithms] }],
          }),
        );
        try {
          expect((await send(app.url, 'GET', '/me', bearer(token))).status).toBe(status);
        } finally {
          await app.app.close();
        }
      }
    });
  });

  describe('header-supplied keys are never used', () => {
    it('ignores an embedded jwk', async () => {
      const jwk = await exportJWK(await publicKeyOf(attacker));
      expectInvalid(await call(await attacker.sign({}, { header: { jwk, kid: undefined } })));
      expectInvalid(await call(await attacker.sign({}, { header: { jwk } })));
    });

    it('never fetches jku or x5u, and ignores x5c', async () => {
      let hits = 0;
      const keyServer = createServer((_req, res) => {
        hits += 1;
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify(attacker.jwks));
      });
      await new Promise<void>((resolve) => keyServer.listen(0, '127.0.0.1', resolve));
      const base = `http://127.0.0.1:${(keyServer.address() as AddressInfo).port}`;
      try {
        const header = {
          x5c: ['MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA'],
          jku: `${base}/jwks`,
          x5u: `${base}/cert.pem`,
        };
        expectInvalid(await call(await attacker.sign({}, { header })));
        expectInvalid(
          await call(await attacker.sign({}, { header: { ...header, kid: issuer.kid } })),
        );
        expect(hits).toBe(0);
      } finally {
        await new Promise((resolve) => keyServer.close(resolve));
      }
    });
  });

  describe('crit', () => {
    it('refuses a critical header parameter it does not understand', async () => {
      const header = { alg: 'RS256', typ: 'at+jwt', kid: issuer.kid };
      const claims = validClaims(ISSUER, AUDIENCE);
      // The same forging path without crit is accepted, so the refusal below is crit's doing.
      expect((await call(rs256Signed(header, claims, issuer.signingKey))).status).toBe(200);
      const critical = { ...header, crit: ['urn:example:policy'], 'urn:example:policy': 1 };
      expectInvalid(await call(rs256Signed(critical, claims, issuer.signingKey)));
    });

    // RFC 7797: with b64 critical, the payload segment would be the signed bytes themselves,
    // not the base64url of the claims. Signed by the issuer's own key, so only the rule refuses.
    it.each([false, true])(
      'refuses an unencoded-payload header (crit b64, b64: %s)',
      async (b64) => {
        const header = { alg: 'RS256', typ: 'at+jwt', kid: issuer.kid, b64, crit: ['b64'] };
        const claims = validClaims(ISSUER, AUDIENCE);
        expectInvalid(await call(rs256Signed(header, claims, issuer.signingKey)));
      },
    );

    it('refuses crit and b64 before any key is looked up: no key-set fetch for an unknown kid', async () => {
      const served = await TestIssuer.serve({ audience: AUDIENCE });
      const clock = { offsetMs: 0 };
      const app = await startApp(
        platform,
        jwtScenario({
          issuers: [served.issuerOptions()],
          allowHttp: true,
          now: () => Date.now() + clock.offsetMs,
        }),
      );
      try {
        const fetches = () => served.count('/jwks');
        expect((await send(app.url, 'GET', '/me', bearer(await served.sign()))).status).toBe(200);
        const before = fetches();
        clock.offsetMs = 60_000; // past the refetch cooldown
        const claims = validClaims(served.issuer, AUDIENCE);
        const base = { alg: 'RS256', typ: 'at+jwt', kid: 'not-in-the-key-set' };
        for (const extension of [
          { b64: false, crit: ['b64'] },
          { b64: true, crit: ['b64'] },
        ]) {
          const token = rs256Signed({ ...base, ...extension }, claims, served.signingKey);
          expectInvalid(await send(app.url, 'GET', '/me', bearer(token)));
        }
        expect(fetches()).toBe(before);
        // Without crit the same unknown kid is looked up: the cooldown had passed.
        const plain = rs256Signed(base, claims, served.signingKey);
        expectInvalid(await send(app.url, 'GET', '/me', bearer(plain)));
        expect(fetches()).toBe(before + 1);
      } finally {
        await app.app.close();
        await served.close();
      }
    });
  });

  describe('size and shape', () => {
    it('refuses a token over 8 KiB even when correctly signed', async () => {
      const token = await issuer.sign({ padding: 'x'.repeat(8192) });
      expect(token.length).toBeGreaterThan(8192);
      expectInvalid(await call(token));
    });

    it('accepts a token in exactly one spelling: no padding, no spare signature bits', async () => {
      const token = await issuer.sign();
      expect((await call(token)).status).toBe(200);
      expectInvalid(await call(`${token}==`));
      const signature = token.slice(token.lastIndexOf('.') + 1);
      const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
      const last = alphabet.indexOf(signature.at(-1)!);
      // A 256-byte RS256 signature leaves 4 unused bits in its last base64url character.
      const sibling = alphabet[last ^ 1]!;
      const respelled = `${token.slice(0, -1)}${sibling}`;
      expect(Buffer.from(respelled.split('.')[2]!, 'base64url')).toEqual(
        Buffer.from(signature, 'base64url'),
      );
      expectInvalid(await call(respelled));
    });

    it('refuses a correctly signed claims set that is not well-formed UTF-8', async () => {
      const header = { alg: 'RS256', typ: 'at+jwt', kid: issuer.kid };
      const payload = Buffer.from(JSON.stringify(validClaims(ISSUER, AUDIENCE)));
      // The same forging path with well-formed bytes is accepted, so the refusal is the byte's.
      expect((await call(rs256Signed(header, payload, issuer.signingKey))).status).toBe(200);
      payload[payload.indexOf('alice') + 2] = 0xff; // "al\xffce": no UTF-8 sequence starts with 0xff
      expectInvalid(await call(rs256Signed(header, payload, issuer.signingKey)));
    });

    it.each([
      ['two segments', 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0'],
      ['four segments', 'a.b.c.d'],
      ['five segments (a JWE)', 'eyJhbGciOiJSU0EtT0FFUCJ9.a.b.c.d'],
      [
        'a header that is not JSON',
        `${b64url('not json')}.${b64url(validClaims(ISSUER, AUDIENCE))}.c2ln`,
      ],
      ['a payload that is not JSON', `${b64url({ alg: 'RS256' })}.${b64url('not json')}.c2ln`],
      ['a payload that is a JSON array', `${b64url({ alg: 'RS256' })}.${b64url([1, 2])}.c2ln`],
      [
        'an empty signature',
        `${b64url({ alg: 'RS256', typ: 'at+jwt' })}.${b64url(validClaims(ISSUER, AUDIENCE))}.`,
      ],
    ])('refuses %s', async (_label, token) => {
      expectInvalid(await call(token));
    });
  });

  describe('401 versus 403', () => {
    it('answers a valid token lacking the scope with 403 insufficient_scope naming the scope', async () => {
      const response = await call(
        await issuer.token({ scopes: ['documents:write'] }),
        '/documents',
      );
      expect(response.status).toBe(403);
      expect(response.headers['www-authenticate']).toBe(
        'Bearer realm="api", error="insufficient_scope", error_description="The access token lacks a required scope", scope="documents:read"',
      );
    });

    it('answers a valid token lacking the role with 403', async () => {
      const response = await send(
        started.url,
        'DELETE',
        '/documents/7',
        bearer(await issuer.token({ roles: ['editor'] })),
      );
      expect(response.status).toBe(403);
      expect(response.headers['www-authenticate']).toContain('error="insufficient_scope"');
    });

    it('answers an invalid token on a scoped route with 401, not 403', async () => {
      const forged = await attacker.sign(
        { scope: 'documents:read' },
        { header: { kid: issuer.kid } },
      );
      expectInvalid(await call(forged, '/documents'));
    });
  });

  describe('scope and role matching is exact', () => {
    it.each([
      ['a longer scope', { scope: 'documents:reader' }],
      ['a prefix', { scope: 'documents' }],
      ['another case', { scope: 'DOCUMENTS:READ' }],
      ['a scope number', { scope: 42 }],
      ['a scope object', { scope: { 'documents:read': true } }],
      ['a scope array with a non-string', { scope: ['documents:read', 1] }],
      ['comma-separated scopes', { scope: 'documents:read,documents:write' }],
    ])('grants nothing for %s', async (_label, claims) => {
      expect((await call(await issuer.sign(claims), '/documents')).status).toBe(403);
    });

    it.each([
      ['a scope array', { scope: ['documents:read'] }],
      ['an scp string', { scope: undefined, scp: 'openid documents:read' }],
      ['an scp array', { scope: undefined, scp: ['documents:read'] }],
    ])('accepts %s', async (_label, claims) => {
      expect((await call(await issuer.sign(claims), '/documents')).status).toBe(200);
    });

    it('grants no role from a roles claim of the wrong type', async () => {
      const response = await send(
        started.url,
        'DELETE',
        '/documents/7',
        bearer(await issuer.sign({ roles: 'admin' })),
      );
      expect(response.status).toBe(403);
    });

    it('keeps __proto__ and constructor claims as data without polluting anything', async () => {
      const payload = `{"iss":"${ISSUER}","aud":"${AUDIENCE}","sub":"alice","client_id":"web-app","iat":${now()},"exp":${now() + 300},"jti":"p1","scope":"documents:read","__proto__":{"roles":["admin"],"polluted":true},"constructor":{"prototype":{"polluted":true}}}`;
      const token = await issuer.signRaw(payload);
      const response = await call(token, '/me');
      expect(response.status).toBe(200);
      expect(response.json).toMatchObject({ roles: [], scopes: ['documents:read'] });
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      const admin = await send(started.url, 'DELETE', '/documents/1', bearer(token));
      expect(admin.status).toBe(403);
      // The claims are own data on a null-prototype object: the two claims are found as the
      // objects the token carries, and a name the token lacks finds nothing inherited.
      const typeOf = async (name: string) =>
        (await call(token, `/claims/${name}`)).json as { type: string };
      expect(await typeOf('__proto__')).toEqual({ type: 'object' });
      expect(await typeOf('constructor')).toEqual({ type: 'object' });
      expect(await typeOf('toString')).toEqual({ type: 'undefined' });
      expect(await typeOf('hasOwnProperty')).toEqual({ type: 'undefined' });
    });
  });

  describe('principal type', () => {
    it('treats a client-credentials token (sub = client_id) as a client', async () => {
      const response = await call(
        await issuer.sign({ sub: 'batch-job', client_id: 'batch-job' }),
        '/me',
      );
      expect(response.json).toMatchObject({ principalType: 'client', clientId: 'batch-job' });
    });

    it('treats a token issued to a client for a user as the user', async () => {
      const response = await call(await issuer.sign({ sub: 'alice', client_id: 'web-app' }), '/me');
      expect(response.json).toMatchObject({
        principalType: 'user',
        subject: 'alice',
        clientId: 'web-app',
      });
    });

    it('exposes an RFC 8693 delegation chain, most recent actor first', async () => {
      const token = await issuer.sign({ act: { sub: 'gateway', act: { sub: 'batch-job' } } });
      const response = await call(token, '/me');
      expect(response.json).toMatchObject({
        delegation: [{ subject: 'gateway' }, { subject: 'batch-job' }],
      });
    });
  });
});

async function publicKeyOf(issuer: TestIssuer): Promise<CryptoKey> {
  return (await importJWK(issuer.jwks.keys[0]!, issuer.algorithm, {
    extractable: true,
  })) as CryptoKey;
}
