import { createHmac, randomBytes } from 'node:crypto';
import { describe, expect, it, beforeAll } from '@jest/globals';
import { Test } from '@nestjs/testing';
import {
  exportJWK,
  exportSPKI,
  FlattenedSign,
  generateKeyPair,
  SignJWT,
  type CryptoKey,
  type JWK,
} from 'jose';
import type { AuthContext } from '../context/auth-context.interface.js';
import { markAuthenticated } from '../context/authenticated-contexts.js';
import { createAuthContext } from '../context/create-auth-context.js';
import { AuthorizationDecision } from '../decisions/authorization-decision.js';
import { SnapshotMintError } from '../errors/snapshot-mint.error.js';
import { authenticatedContext } from '../testing/authenticated-context.js';
import { AuthSnapshotSigner } from '../ports/auth-snapshot-signer.port.js';
import { AuthSnapshotVerifier } from '../ports/auth-snapshot-verifier.port.js';
import { AUTH_SNAPSHOT_TYP } from './auth-snapshot.constants.js';
import { AuthSnapshotModule } from './auth-snapshot.module.js';
import type { AuthSnapshotModuleOptions } from './auth-snapshot.options.js';
import type { ReplayStore } from './replay-store.port.js';
import { messageSnapshotBinding, sha256 } from './snapshot-binding.js';

const T0 = 1_900_000_000_000;
const clock = { now: T0 };
const now = () => clock.now;

async function pair(services: Partial<AuthSnapshotModuleOptions>) {
  const moduleRef = await Test.createTestingModule({
    imports: [
      AuthSnapshotModule.forRoot({
        trustDomain: 'urn:test:domain',
        issuer: 'service-a',
        now,
        ...services,
      } as AuthSnapshotModuleOptions),
    ],
  }).compile();
  return {
    signer: moduleRef.get(AuthSnapshotSigner),
    verifier: moduleRef.get(AuthSnapshotVerifier),
  };
}

function alice(overrides: Partial<Parameters<typeof createAuthContext>[0]> = {}): AuthContext {
  return authenticatedContext({
    subject: 'alice',
    issuer: 'https://idp.test',
    principalType: 'user',
    clientId: 'web',
    tenant: 'acme',
    scopes: ['orders:read', 'orders:write'],
    roles: ['clerk'],
    claims: { email: 'alice@acme.test' },
    expiresAt: T0 / 1000 + 600,
    delegation: [{ subject: 'gateway', clientId: 'gw' }],
    ...overrides,
  });
}

function decisionOf(result: unknown): string {
  expect(result).toBeInstanceOf(AuthorizationDecision);
  return `${result as AuthorizationDecision}`;
}

describe('AuthSnapshotModule (jose signer and verifier)', () => {
  let privateKey: CryptoKey;
  let publicKey: CryptoKey;
  let signer: AuthSnapshotSigner;
  let verifier: AuthSnapshotVerifier;

  beforeAll(async () => {
    ({ privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true }));
    ({ signer, verifier } = await pair({ signingKey: { kid: 'k1', privateKey } }));
  });

  /** Signs arbitrary claims with the module's own key: what a bug or a forger would produce. */
  function forge(claims: Record<string, unknown>, header: Record<string, unknown> = {}) {
    const iat = Math.floor(clock.now / 1000);
    return new SignJWT({
      iss: 'service-a',
      aud: 'urn:test:domain',
      sub: 'alice',
      sub_iss: 'https://idp.test',
      ptype: 'user',
      scopes: [],
      roles: [],
      iat,
      exp: iat + 60,
      jti: 'id-1',
      ver: 1,
      ...claims,
    })
      .setProtectedHeader({ alg: 'ES256', kid: 'k1', typ: AUTH_SNAPSHOT_TYP, ...header })
      .sign(privateKey);
  }

  describe('round trip', () => {
    it('carries the caller, tenant, grants, correlation id and delegation chain, nothing else', async () => {
      const snapshot = await signer.sign(alice(), { correlationId: 'req-42' });
      const [header, payload] = snapshot
        .split('.')
        .slice(0, 2)
        .map((part) => JSON.parse(Buffer.from(part, 'base64url').toString()));
      expect(header).toEqual({ alg: 'ES256', kid: 'k1', typ: 'auth-snapshot+jwt' });
      expect(payload).toEqual({
        iss: 'service-a',
        aud: 'urn:test:domain',
        sub: 'alice',
        sub_iss: 'https://idp.test',
        ptype: 'user',
        client_id: 'web',
        tenant: 'acme',
        scopes: ['orders:read', 'orders:write'],
        roles: ['clerk'],
        iat: T0 / 1000,
        exp: T0 / 1000 + 60,
        jti: expect.any(String),
        txn: 'req-42',
        act: { sub: 'gateway', client_id: 'gw' },
        ver: 1,
      });

      const context = (await verifier.verify(snapshot)) as AuthContext;
      expect(context).toMatchObject({
        subject: 'alice',
        issuer: 'https://idp.test',
        principalType: 'user',
        clientId: 'web',
        tenant: 'acme',
        scopes: ['orders:read', 'orders:write'],
        roles: ['clerk'],
        expiresAt: T0 / 1000 + 60,
        delegation: [{ subject: 'gateway', clientId: 'gw' }],
      });
      expect(context.claims.email).toBeUndefined();
    });

    it('keeps the correlation id along the chain and never outlives the context', async () => {
      const first = (await verifier.verify(
        await signer.sign(alice(), { correlationId: 'req-7' }),
      )) as AuthContext;
      const next = await signer.sign(alice({ expiresAt: T0 / 1000 + 10 }));
      // What RouteAuthorizer does for the context of an invocation it authenticated.
      markAuthenticated(first);
      const second = await signer.sign(first);
      const claims = (jws: string) =>
        JSON.parse(Buffer.from(jws.split('.')[1], 'base64url').toString());
      expect(claims(second).txn).toBe('req-7');
      expect(claims(next).exp).toBe(T0 / 1000 + 10);
    });

    it('narrows scopes and roles on request', async () => {
      const context = (await verifier.verify(
        await signer.sign(alice(), { scopes: ['orders:read'], roles: [] }),
      )) as AuthContext;
      expect(context.scopes).toEqual(['orders:read']);
      expect(context.roles).toEqual([]);
    });
  });

  describe('minting refusals', () => {
    it.each([
      ['a scope the context lacks', { scopes: ['orders:read', 'admin'] }, 'ESCALATION'],
      ['a role the context lacks', { roles: ['admin'] }, 'ESCALATION'],
      ['a correlation id with spaces', { correlationId: 'a b' }, 'INVALID_ARGUMENT'],
    ])('refuses %s', async (_name, options, refusal) => {
      await expect(signer.sign(alice(), options)).rejects.toMatchObject({
        code: 'SNAPSHOT_MINT_REFUSED',
        refusal,
      });
    });

    it('refuses an expired context', async () => {
      await expect(signer.sign(alice({ expiresAt: T0 / 1000 }))).rejects.toMatchObject({
        code: 'SNAPSHOT_MINT_REFUSED',
        refusal: 'CONTEXT_EXPIRED',
      });
    });

    it('refuses a context no authentication produced, even one built by createAuthContext()', async () => {
      const handMade = createAuthContext({
        subject: 'root',
        issuer: 'https://idp.test',
        principalType: 'user',
        roles: ['admin'],
      });
      for (const context of [handMade, { ...alice() }]) {
        const refusal = signer.sign(context);
        await expect(refusal).rejects.toBeInstanceOf(SnapshotMintError);
        await expect(refusal).rejects.toMatchObject({
          code: 'SNAPSHOT_MINT_REFUSED',
          refusal: 'CONTEXT_UNVERIFIED',
        });
      }
    });

    it('refuses the context a verifier returns when called directly (only the guard marks one)', async () => {
      const context = await verifier.verify(await signer.sign(alice()));
      expect(context).toHaveProperty('subject', 'alice');
      await expect(signer.sign(context as AuthContext)).rejects.toMatchObject({
        refusal: 'CONTEXT_UNVERIFIED',
      });
    });

    it('refuses a binding that is not a string', async () => {
      await expect(
        signer.sign(alice(), { binding: 42 as unknown as string }),
      ).rejects.toMatchObject({ refusal: 'INVALID_ARGUMENT' });
    });
  });

  describe('verification refusals', () => {
    it('refuses a tampered payload and a tampered signature', async () => {
      const [h, p, s] = (await signer.sign(alice())).split('.');
      const payload = JSON.parse(Buffer.from(p, 'base64url').toString());
      const escalated = Buffer.from(JSON.stringify({ ...payload, roles: ['admin'] })).toString(
        'base64url',
      );
      expect(decisionOf(await verifier.verify(`${h}.${escalated}.${s}`))).toBe(
        'CHALLENGE(SNAPSHOT_INVALID)',
      );
      const flipped = `${s.slice(0, 10)}${s[10] === 'A' ? 'B' : 'A'}${s.slice(11)}`;
      expect(decisionOf(await verifier.verify(`${h}.${p}.${flipped}`))).toBe(
        'CHALLENGE(SNAPSHOT_INVALID)',
      );
    });

    it('refuses an expired snapshot (frozen clock, past the tolerance)', async () => {
      const snapshot = await signer.sign(alice());
      clock.now = T0 + 66_000;
      try {
        expect(decisionOf(await verifier.verify(snapshot))).toBe('CHALLENGE(SNAPSHOT_EXPIRED)');
      } finally {
        clock.now = T0;
      }
    });

    it.each([
      ['an access token (typ at+jwt) signed with the same key', {}, { typ: 'at+jwt' }],
      ['no typ', {}, { typ: undefined }],
      ['another audience', { aud: 'urn:other' }, {}],
      ['an audience array', { aud: ['urn:test:domain', 'urn:other'] }, {}],
      ['an untrusted issuer', { iss: 'service-x' }, {}],
      ['a lifetime over 300 s', { exp: T0 / 1000 + 301 }, {}],
      [
        'an iat in the future beyond the tolerance',
        { iat: T0 / 1000 + 30, exp: T0 / 1000 + 60 },
        {},
      ],
      ['a missing sub_iss', { sub_iss: undefined }, {}],
      ['scopes as a string', { scopes: 'orders:read' }, {}],
      ['an unknown claim', { refresh_token: 'x' }, {}],
      ['another schema version', { ver: 2 }, {}],
      ['an unknown kid', {}, { kid: 'k9' }],
      ['a malformed act', { act: { iss: 'x' } }, {}],
      ['a malformed binding digest', { bnd: 'short' }, {}],
    ])('refuses %s', async (_name, claims, header) => {
      const jws = await forge(
        Object.fromEntries(Object.entries(claims)),
        Object.fromEntries(Object.entries(header)),
      );
      expect(decisionOf(await verifier.verify(jws))).toBe('CHALLENGE(SNAPSHOT_INVALID)');
    });

    it('refuses an oversize envelope and a delegation chain over 8 actors', async () => {
      let act: Record<string, unknown> | undefined;
      for (let i = 0; i < 9; i++) act = { sub: `svc-${i}`, ...(act && { act }) };
      expect(decisionOf(await verifier.verify(await forge({ act })))).toBe(
        'CHALLENGE(SNAPSHOT_INVALID)',
      );
      const big = await forge({
        roles: Array.from({ length: 200 }, (_, i) => `role-${i}-${'x'.repeat(40)}`),
      });
      expect(big.length).toBeGreaterThan(8192);
      expect(decisionOf(await verifier.verify(big))).toBe('CHALLENGE(SNAPSHOT_INVALID)');
    });

    it('refuses a snapshot of another key with the same kid', async () => {
      const other = await generateKeyPair('ES256');
      const { signer: stranger } = await pair({
        signingKey: { kid: 'k1', privateKey: other.privateKey },
        verificationKeys: { keys: [{ ...(await exportJWK(other.publicKey)), kid: 'k1' }] },
      });
      expect(decisionOf(await verifier.verify(await stranger.sign(alice())))).toBe(
        'CHALLENGE(SNAPSHOT_INVALID)',
      );
    });
  });

  describe('bindings and replay protection', () => {
    const binding = messageSnapshotBinding('orders.get', { id: '1' }, 'request');

    it('signs the binding digest into bnd', async () => {
      const snapshot = await signer.sign(alice(), { binding });
      const claims = JSON.parse(Buffer.from(snapshot.split('.')[1], 'base64url').toString());
      expect(claims.bnd).toBe(sha256(binding));
    });

    it('accepts a redelivery of a bound snapshot for its own binding', async () => {
      const snapshot = await signer.sign(alice(), { binding });
      expect(await verifier.verify(snapshot, { binding })).toHaveProperty('subject', 'alice');
      expect(await verifier.verify(snapshot, { binding })).toHaveProperty('subject', 'alice');
    });

    it('refuses a bound snapshot for another binding or without one (before using it up)', async () => {
      const snapshot = await signer.sign(alice(), { binding });
      const other = messageSnapshotBinding('orders.get', { id: '2' }, 'request');
      const event = messageSnapshotBinding('orders.get', { id: '1' }, 'event');
      for (const presented of [other, event]) {
        expect(decisionOf(await verifier.verify(snapshot, { binding: presented }))).toBe(
          'CHALLENGE(SNAPSHOT_INVALID)',
        );
      }
      expect(decisionOf(await verifier.verify(snapshot))).toBe('CHALLENGE(SNAPSHOT_INVALID)');
      // Single-use for the genuine binding: accepted only if nothing above recorded the jti.
      expect(await verifier.verify(snapshot, { binding, singleUse: true })).toHaveProperty(
        'subject',
        'alice',
      );
    });

    it('refuses a second single-use presentation, even for the same binding', async () => {
      const post = 'http POST /transfers x';
      const snapshot = await signer.sign(alice(), { binding: post });
      expect(await verifier.verify(snapshot, { binding: post, singleUse: true })).toHaveProperty(
        'subject',
      );
      expect(decisionOf(await verifier.verify(snapshot, { binding: post, singleUse: true }))).toBe(
        'CHALLENGE(SNAPSHOT_REPLAYED)',
      );
    });

    it('accepts an unbound snapshot once when no binding is given', async () => {
      const snapshot = await signer.sign(alice());
      expect(await verifier.verify(snapshot)).toHaveProperty('subject', 'alice');
      expect(decisionOf(await verifier.verify(snapshot))).toBe('CHALLENGE(SNAPSHOT_REPLAYED)');
      expect(decisionOf(await verifier.verify(snapshot))).toBe('CHALLENGE(SNAPSHOT_REPLAYED)');
    });

    it('refuses an unbound snapshot where a binding is given, without using it up', async () => {
      const snapshot = await signer.sign(alice());
      for (const singleUse of [false, true]) {
        expect(decisionOf(await verifier.verify(snapshot, { binding, singleUse }))).toBe(
          'CHALLENGE(SNAPSHOT_INVALID)',
        );
      }
      expect(await verifier.verify(snapshot)).toHaveProperty('subject', 'alice');
    });

    it('refuses as ERROR when the replay store fails, and accepts reuse when turned off', async () => {
      const failing: ReplayStore = { record: () => Promise.reject(new Error('down')) };
      const down = await pair({
        signingKey: { kid: 'k1', privateKey },
        replay: { store: failing },
      });
      const snapshot = await down.signer.sign(alice());
      expect(decisionOf(await down.verifier.verify(snapshot))).toBe(
        'ERROR(DEPENDENCY_UNAVAILABLE)',
      );

      const off = await pair({ signingKey: { kid: 'k1', privateKey }, replay: false });
      const reused = await off.signer.sign(alice());
      expect(await off.verifier.verify(reused)).toHaveProperty('subject');
      expect(await off.verifier.verify(reused)).toHaveProperty('subject');
    });

    it('refuses as ERROR when the replay store never answers, after replay.timeoutMs (default 1 s)', async () => {
      const silent: ReplayStore = { record: () => new Promise(() => undefined) };
      for (const [replay, waitMs] of [
        [{ store: silent }, 1000],
        [{ store: silent, timeoutMs: 50 }, 50],
      ] as const) {
        const hanging = await pair({ signingKey: { kid: 'k1', privateKey }, replay });
        const snapshot = await hanging.signer.sign(alice());
        const started = performance.now();
        expect(decisionOf(await hanging.verifier.verify(snapshot))).toBe(
          'ERROR(DEPENDENCY_UNAVAILABLE)',
        );
        const waited = performance.now() - started;
        expect(waited).toBeGreaterThanOrEqual(waitMs - 5);
        expect(waited).toBeLessThan(waitMs + 500);
      }
    });

    it.each([0, 30_001, 1.5])('refuses replay.timeoutMs %p', async (timeoutMs) => {
      await expect(
        pair({
          signingKey: { kid: 'k1', privateKey },
          replay: { store: { record: async () => 'first' }, timeoutMs },
        }),
      ).rejects.toThrow('replay.timeoutMs');
    });

    it('refuses as ERROR when the memory store is full of live entries', async () => {
      const small = await pair({
        signingKey: { kid: 'k1', privateKey },
        replay: { maxEntries: 2 },
      });
      expect(await small.verifier.verify(await small.signer.sign(alice()))).toHaveProperty(
        'subject',
      );
      expect(await small.verifier.verify(await small.signer.sign(alice()))).toHaveProperty(
        'subject',
      );
      expect(decisionOf(await small.verifier.verify(await small.signer.sign(alice())))).toBe(
        'ERROR(DEPENDENCY_UNAVAILABLE)',
      );
    });

    it.each([
      ['{ maxEntries: 0 }', { maxEntries: 0 }, 'replay.maxEntries'],
      [
        '{ store, maxEntries }',
        { store: { record: () => Promise.resolve('first') }, maxEntries: 5 },
        '"replay"',
      ],
    ])('refuses replay %s at boot', (_name, replay, message) => {
      expect(() =>
        AuthSnapshotModule.forRoot({
          trustDomain: 'd',
          issuer: 'a',
          signingKey: { kid: 'k', privateKey },
          replay: replay as AuthSnapshotModuleOptions['replay'],
        }),
      ).toThrow(message);
    });
  });

  describe('issuers and their keys', () => {
    it("refuses a snapshot signed with another issuer's key (iss/kid mismatch)", async () => {
      const b = await generateKeyPair('ES256', { extractable: true });
      const jwks = {
        keys: [
          { ...(await exportJWK(publicKey)), kid: 'k1' },
          { ...(await exportJWK(b.publicKey)), kid: 'k2' },
        ],
      };
      const trustedIssuers = { 'service-a': ['k1'], 'service-b': ['k2'] };
      const receiver = await pair({
        issuer: 'service-c',
        signingKey: { kid: 'k1', privateKey },
        verificationKeys: jwks,
        trustedIssuers,
      });
      // service-b's key, claiming to be service-a:
      const impostor = await pair({
        issuer: 'service-a',
        signingKey: { kid: 'k2', privateKey: b.privateKey },
        verificationKeys: jwks,
        trustedIssuers,
      });
      const honestB = await pair({
        issuer: 'service-b',
        signingKey: { kid: 'k2', privateKey: b.privateKey },
        verificationKeys: jwks,
        trustedIssuers,
      });
      expect(decisionOf(await receiver.verifier.verify(await impostor.signer.sign(alice())))).toBe(
        'CHALLENGE(SNAPSHOT_INVALID)',
      );
      expect(await receiver.verifier.verify(await honestB.signer.sign(alice()))).toHaveProperty(
        'subject',
      );
      expect(await receiver.verifier.verify(await signer.sign(alice()))).toHaveProperty('subject');
    });

    it.each([
      [
        'a kid missing from the verification keys',
        { 'service-a': ['k9'] },
        'trustedIssuers["service-a"]',
      ],
      ['an empty kid list', { 'service-a': [] }, 'trustedIssuers["service-a"]'],
      ['a list of issuers (the old form)', ['service-a'], 'trustedIssuers'],
      ['an empty map', {}, 'trustedIssuers'],
      [
        'a kid listed under two issuers',
        { 'service-a': ['k1'], 'service-b': ['k1'] },
        'trustedIssuers["service-b"]" names kid "k1", which is already listed under "service-a"',
      ],
    ])('refuses %s at boot', (_name, trustedIssuers, message) => {
      expect(() =>
        AuthSnapshotModule.forRoot({
          trustDomain: 'd',
          issuer: 'service-a',
          signingKey: { kid: 'k1', privateKey },
          trustedIssuers: trustedIssuers as unknown as Record<string, string[]>,
        }),
      ).toThrow(message);
    });

    it('requires trustedIssuers when the verification keys name a kid other than the signing kid', async () => {
      const b = await generateKeyPair('ES256', { extractable: true });
      const jwks = {
        keys: [
          { ...(await exportJWK(publicKey)), kid: 'k1' },
          { ...(await exportJWK(b.publicKey)), kid: 'k2' },
        ],
      };
      expect(() =>
        AuthSnapshotModule.forRoot({
          trustDomain: 'd',
          issuer: 'service-a',
          signingKey: { kid: 'k1', privateKey },
          verificationKeys: jwks,
        }),
      ).toThrow(/option "trustedIssuers" is required .*"k2".*map each kid to its issuer/);
      const hmac = { kid: 'h1', secret: randomBytes(32) };
      expect(() =>
        AuthSnapshotModule.forRoot({
          trustDomain: 'd',
          issuer: 'service-a',
          signingKey: hmac,
          verificationKeys: [hmac, { kid: 'h2', secret: randomBytes(32) }],
        }),
      ).toThrow('"trustedIssuers" is required');
    });

    it('trusts only its own signing kid by default, whoever else shares the key set', async () => {
      const b = await generateKeyPair('ES256', { extractable: true });
      const jwks = {
        keys: [
          { ...(await exportJWK(publicKey)), kid: 'k1' },
          { ...(await exportJWK(b.publicKey)), kid: 'k2' },
        ],
      };
      // With only its own key, the default trusts it (and the boot passes).
      const own = await pair({
        signingKey: { kid: 'k1', privateKey },
        verificationKeys: { keys: [jwks.keys[0]!] },
      });
      expect(await own.verifier.verify(await signer.sign(alice()))).toHaveProperty('subject');
      // Service B's key, claiming to be service-a, against a receiver that trusts k2 for B only.
      const impostor = await pair({
        signingKey: { kid: 'k2', privateKey: b.privateKey },
        verificationKeys: jwks,
        trustedIssuers: { 'service-b': ['k2'], 'service-a': ['k1'] },
      });
      expect(decisionOf(await own.verifier.verify(await impostor.signer.sign(alice())))).toBe(
        'CHALLENGE(SNAPSHOT_INVALID)',
      );
    });
  });

  describe('forgeries against the asymmetric verifier', () => {
    const segment = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const claims = () => {
      const iat = Math.floor(clock.now / 1000);
      return {
        iss: 'service-a',
        aud: 'urn:test:domain',
        sub: 'mallory',
        sub_iss: 'https://idp.test',
        ptype: 'user',
        scopes: ['orders:write'],
        roles: ['admin'],
        iat,
        exp: iat + 60,
        jti: `forged-${Math.random()}`,
        ver: 1,
      };
    };

    it('refuses alg "none" (with an empty and with a made-up signature)', async () => {
      const unsigned = `${segment({ alg: 'none', kid: 'k1', typ: AUTH_SNAPSHOT_TYP })}.${segment(claims())}`;
      expect(decisionOf(await verifier.verify(`${unsigned}.`))).toBe('CHALLENGE(SNAPSHOT_INVALID)');
      expect(decisionOf(await verifier.verify(`${unsigned}.AAAA`))).toBe(
        'CHALLENGE(SNAPSHOT_INVALID)',
      );
    });

    // RFC 7797: jose verifies an unencoded payload over the segment's raw bytes. Signed by the
    // verifier's own trusted key, with the raw bytes chosen to be the base64url of the claims,
    // so that only the header check can refuse it.
    it.each([
      ['an RFC 7797 unencoded payload (crit b64, b64 false)', { b64: false, crit: ['b64'] }],
      ['crit b64 with b64 true', { b64: true, crit: ['b64'] }],
      ['b64 false without crit', { b64: false }],
    ])('refuses %s signed with the trusted key', async (_name, extension) => {
      const header = { alg: 'ES256', kid: 'k1', typ: AUTH_SNAPSHOT_TYP, ...extension };
      const encodedClaims = segment(claims());
      const unencoded = header.b64 === false && 'crit' in header;
      const signed = await new FlattenedSign(
        unencoded ? Buffer.from(encodedClaims) : Buffer.from(encodedClaims, 'base64url'),
      )
        .setProtectedHeader(header)
        .sign(privateKey);
      // Unencoded, the payload segment is the signed bytes themselves (RFC 7797 §5.2); either
      // way, read as base64url it is those claims.
      if (!unencoded) expect(signed.payload).toBe(encodedClaims);
      const jws = `${signed.protected}.${encodedClaims}.${signed.signature}`;
      expect(decisionOf(await verifier.verify(jws))).toBe('CHALLENGE(SNAPSHOT_INVALID)');
    });

    it('refuses HS256 signed with the public key as the secret (PEM and JWK forms)', async () => {
      const signingInput = `${segment({ alg: 'HS256', kid: 'k1', typ: AUTH_SNAPSHOT_TYP })}.${segment(claims())}`;
      for (const secret of [
        await exportSPKI(publicKey),
        JSON.stringify(await exportJWK(publicKey)),
      ]) {
        const mac = createHmac('sha256', secret).update(signingInput).digest('base64url');
        expect(decisionOf(await verifier.verify(`${signingInput}.${mac}`))).toBe(
          'CHALLENGE(SNAPSHOT_INVALID)',
        );
      }
    });
  });

  describe('keys', () => {
    it('verifies snapshots of the previous key during a rotation, by kid', async () => {
      const next = await generateKeyPair('ES256', { extractable: true });
      const previousJwk = { ...(await exportJWK(privateKey)), kid: 'k1', alg: 'ES256' };
      delete previousJwk.d;
      const rotated = await pair({
        signingKey: { kid: 'k2', privateKey: next.privateKey },
        verificationKeys: {
          keys: [{ ...(await exportJWK(next.publicKey)), kid: 'k2', alg: 'ES256' }, previousJwk],
        },
        // Rotation is explicit: both kids are this issuer's.
        trustedIssuers: { 'service-a': ['k2', 'k1'] },
      });
      expect(await rotated.verifier.verify(await signer.sign(alice()))).toHaveProperty('subject');
      expect(await rotated.verifier.verify(await rotated.signer.sign(alice()))).toHaveProperty(
        'subject',
      );
      expect(decisionOf(await verifier.verify(await rotated.signer.sign(alice())))).toBe(
        'CHALLENGE(SNAPSHOT_INVALID)',
      );
    });

    it('signs and verifies with a strong HMAC secret, and refuses asymmetric snapshots then', async () => {
      const hmac = await pair({ signingKey: { kid: 'h1', secret: randomBytes(32) } });
      expect(await hmac.verifier.verify(await hmac.signer.sign(alice()))).toHaveProperty('subject');
      expect(decisionOf(await hmac.verifier.verify(await signer.sign(alice())))).toBe(
        'CHALLENGE(SNAPSHOT_INVALID)',
      );
    });

    it.each([
      ['shorter than 256 bits', randomBytes(31), 'is 248 bits'],
      ['one repeated byte', Buffer.alloc(64, 7), 'distinct byte values'],
      ['a repeated pattern', Buffer.from('0123456789abcdefghij'.repeat(3)), 'repeats a 20-byte'],
    ])('refuses an HMAC secret %s at boot', (_name, secret, message) => {
      expect(() =>
        AuthSnapshotModule.forRoot({
          trustDomain: 'd',
          issuer: 'a',
          signingKey: { kid: 'h', secret },
        }),
      ).toThrow(message);
    });

    it('refuses a private key in the verification key set', async () => {
      const jwk = await exportJWK(privateKey);
      expect(() =>
        AuthSnapshotModule.forRoot({
          trustDomain: 'd',
          issuer: 'a',
          signingKey: { kid: 'k', privateKey },
          verificationKeys: { keys: [jwk] },
        }),
      ).toThrow('must be a public asymmetric JWK');
    });

    it.each([
      ['without a kid', (jwk: JWK) => [{ ...jwk, kid: undefined }], 'keys[0].kid'],
      ['with a duplicate kid', (jwk: JWK) => [jwk, { ...jwk }], 'keys[1].kid'],
      ['for another algorithm', (jwk: JWK) => [{ ...jwk, alg: 'RS256' }], 'signing key for ES256'],
      ['for encryption', (jwk: JWK) => [{ ...jwk, use: 'enc' }], 'signing key for ES256'],
    ])('refuses a verification key %s at boot', async (_case, keys, message) => {
      const publicJwk = { ...(await exportJWK(publicKey)), kid: 'k' };
      await expect(
        pair({
          signingKey: { kid: 'k', privateKey },
          verificationKeys: { keys: keys(publicJwk) },
        }),
      ).rejects.toThrow(message);
    });
  });
});
