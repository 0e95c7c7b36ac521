import { describe, expect, it } from '@jest/globals';
import { createHash, randomUUID } from 'node:crypto';
import { calculateJwkThumbprint, exportJWK, generateKeyPair, type JWK, SignJWT } from 'jose';
import { resolvePlatformAuthOptions } from '../platform-auth.options.js';
import type { ReplayStore } from '../snapshots/replay-store.port.js';
import { DpopProofVerifier } from './dpop-proof.verifier.js';
import { normalisedTarget } from './dpop-presentation.js';

const URL_ = 'https://api.example/documents';
const TOKEN = 'header.payload.signature';
const ath = (token: string) => createHash('sha256').update(token).digest('base64url');
const NOW = 1_800_000_000_000;

async function keyPair(alg = 'ES256') {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  const jwk = await exportJWK(publicKey);
  return { privateKey, jwk, jkt: await calculateJwkThumbprint(jwk), alg };
}
type Key = Awaited<ReturnType<typeof keyPair>>;

function proof(
  key: Key,
  claims: Record<string, unknown> = {},
  header: Record<string, unknown> = {},
  iat = NOW / 1000,
) {
  return new SignJWT({ htm: 'GET', htu: URL_, jti: randomUUID(), ath: ath(TOKEN), ...claims })
    .setProtectedHeader({ alg: key.alg, typ: 'dpop+jwt', jwk: key.jwk as JWK, ...header } as never)
    .setIssuedAt(iat)
    .sign(key.privateKey);
}

function verifier(dpop: Record<string, unknown> = {}, now = () => NOW) {
  return new DpopProofVerifier(resolvePlatformAuthOptions({ dpop }).dpop!, now);
}

const check = (v: DpopProofVerifier, p: string, jkt: string, method = 'GET', url = URL_) =>
  v.verify({ proof: p, method, url }, TOKEN, jkt).then(String);

describe('DpopProofVerifier (RFC 9449 §4.3)', () => {
  it('accepts a proof for this request, token and key, once', async () => {
    const key = await keyPair();
    const v = verifier();
    const p = await proof(key);
    expect(await check(v, p, key.jkt)).toBe('ALLOW(ALLOWED)');
    expect(await check(v, p, key.jkt)).toBe('CHALLENGE(DPOP_PROOF_REPLAYED)');
  });

  it('accepts Ed25519 and RSA-PSS keys', async () => {
    for (const alg of ['Ed25519', 'PS256']) {
      const key = await keyPair(alg);
      expect(await check(verifier(), await proof(key), key.jkt)).toBe('ALLOW(ALLOWED)');
    }
  });

  it.each([
    ['htm of another method', { htm: 'POST' }],
    ['htm in lower case', { htm: 'get' }],
    ['htu of another path', { htu: 'https://api.example/other' }],
    ['htu of another origin', { htu: 'https://evil.example/documents' }],
    ['htu not a URL', { htu: 'documents' }],
    ['no ath', { ath: undefined }],
    ['a wrong ath', { ath: ath('another.token.value') }],
    ['no jti', { jti: undefined }],
    ['an empty jti', { jti: '' }],
    ['an oversized jti', { jti: 'x'.repeat(257) }],
    ['no htm', { htm: undefined }],
  ])('refuses %s as invalid_dpop_proof', async (_name, claims) => {
    const key = await keyPair();
    expect(await check(verifier(), await proof(key, claims), key.jkt)).toBe(
      'CHALLENGE(DPOP_PROOF_INVALID)',
    );
  });

  it('normalises htu (case, default port, dot segments) and ignores its query and fragment', async () => {
    const key = await keyPair();
    for (const htu of [
      'HTTPS://API.EXAMPLE:443/documents',
      'https://api.example/x/../documents',
      'https://api.example/documents?a=1#f',
    ]) {
      expect(await check(verifier(), await proof(key, { htu }), key.jkt)).toBe('ALLOW(ALLOWED)');
    }
    expect(normalisedTarget('ftp://api.example/x')).toBeUndefined();
  });

  it('keeps iat within [now - maxAge - tolerance, now + tolerance]', async () => {
    const key = await keyPair();
    const at = (offsetS: number) => proof(key, {}, {}, NOW / 1000 + offsetS);
    const v = verifier({ proofMaxAgeS: 60, clockToleranceS: 5 });
    expect(await check(v, await at(-65), key.jkt)).toBe('ALLOW(ALLOWED)');
    expect(await check(v, await at(5), key.jkt)).toBe('ALLOW(ALLOWED)');
    expect(await check(v, await at(-66), key.jkt)).toBe('CHALLENGE(DPOP_PROOF_INVALID)');
    expect(await check(v, await at(6), key.jkt)).toBe('CHALLENGE(DPOP_PROOF_INVALID)');
  });

  it('refuses a forged header: typ, alg, a private or symmetric jwk, no jwk', async () => {
    const key = await keyPair();
    const privateJwk = await exportJWK(key.privateKey);
    for (const header of [
      { typ: 'jwt' },
      { typ: 'application/dpop+jwt' },
      { typ: undefined },
      { jwk: privateJwk },
      { jwk: undefined },
      { jwk: { ...key.jwk, use: 'enc' } },
    ]) {
      expect(await check(verifier(), await proof(key, {}, header), key.jkt)).toBe(
        'CHALLENGE(DPOP_PROOF_INVALID)',
      );
    }
    const hmac = await new SignJWT({ htm: 'GET', htu: URL_, jti: 'j', ath: ath(TOKEN) })
      .setProtectedHeader({
        alg: 'HS256',
        typ: 'dpop+jwt',
        jwk: { kty: 'oct', k: 'c2VjcmV0' },
      } as never)
      .setIssuedAt(NOW / 1000)
      .sign(new TextEncoder().encode('secret-secret-secret-secret-secret'));
    expect(await check(verifier(), hmac, key.jkt)).toBe('CHALLENGE(DPOP_PROOF_INVALID)');
  });

  it('refuses an alg off the allow-list, a bad signature, garbage and an oversized proof', async () => {
    const key = await keyPair('PS256');
    expect(await check(verifier({ algorithms: ['ES256'] }), await proof(key), key.jkt)).toBe(
      'CHALLENGE(DPOP_PROOF_INVALID)',
    );
    const ec = await keyPair();
    const [h, p] = (await proof(ec)).split('.');
    const other = (await proof(ec)).split('.')[2];
    expect(await check(verifier(), `${h}.${p}.${other}`, ec.jkt)).toBe(
      'CHALLENGE(DPOP_PROOF_INVALID)',
    );
    expect(await check(verifier(), 'not-a-jwt', ec.jkt)).toBe('CHALLENGE(DPOP_PROOF_INVALID)');
    expect(await check(verifier(), 'a'.repeat(8193), ec.jkt)).toBe('CHALLENGE(DPOP_PROOF_INVALID)');
  });

  it('refuses a proof by a key other than the token is bound to', async () => {
    const key = await keyPair();
    const other = await keyPair();
    expect(await check(verifier(), await proof(key), other.jkt)).toBe(
      'CHALLENGE(DPOP_KEY_MISMATCH)',
    );
  });

  it('does not spend a jti on a proof that fails another check', async () => {
    const key = await keyPair();
    const v = verifier();
    const jti = randomUUID();
    expect(await check(v, await proof(key, { jti }), key.jkt, 'POST')).toBe(
      'CHALLENGE(DPOP_PROOF_INVALID)',
    );
    expect(await check(v, await proof(key, { jti }), key.jkt)).toBe('ALLOW(ALLOWED)');
  });

  it('keys jtis per proof key: the same jti under two keys is two proofs', async () => {
    const a = await keyPair();
    const b = await keyPair();
    const v = verifier();
    expect(await check(v, await proof(a, { jti: 'same' }), a.jkt)).toBe('ALLOW(ALLOWED)');
    expect(await check(v, await proof(b, { jti: 'same' }), b.jkt)).toBe('ALLOW(ALLOWED)');
  });

  it('fails closed (ERROR, 503) when the replay store throws or does not answer in time', async () => {
    const key = await keyPair();
    const failing: ReplayStore = { record: () => Promise.reject(new Error('down')) };
    const hanging: ReplayStore = { record: () => new Promise(() => undefined) };
    expect(await check(verifier({ replayStore: failing }), await proof(key), key.jkt)).toBe(
      'ERROR(DEPENDENCY_UNAVAILABLE)',
    );
    const started = Date.now();
    expect(
      await check(
        verifier({ replayStore: hanging, replayTimeoutMs: 50 }),
        await proof(key),
        key.jkt,
      ),
    ).toBe('ERROR(DEPENDENCY_UNAVAILABLE)');
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('with nonces: refuses none or a wrong one (use_dpop_nonce), accepts the current and the previous step', async () => {
    const key = await keyPair();
    let now = NOW;
    const v = verifier({ nonce: { secret: 'x'.repeat(32), rotationS: 60 } }, () => now);
    const nonce = v.nonces!.current();
    expect(await check(v, await proof(key, {}, {}, now / 1000), key.jkt)).toBe(
      'CHALLENGE(DPOP_NONCE_REQUIRED)',
    );
    expect(
      await check(v, await proof(key, { nonce: 'x'.repeat(43) }, {}, now / 1000), key.jkt),
    ).toBe('CHALLENGE(DPOP_NONCE_REQUIRED)');
    expect(await check(v, await proof(key, { nonce }, {}, now / 1000), key.jkt)).toBe(
      'ALLOW(ALLOWED)',
    );
    now += 60_000;
    expect(v.nonces!.current()).not.toBe(nonce);
    expect(await check(v, await proof(key, { nonce }, {}, now / 1000), key.jkt)).toBe(
      'ALLOW(ALLOWED)',
    );
    now += 60_000;
    expect(await check(v, await proof(key, { nonce }, {}, now / 1000), key.jkt)).toBe(
      'CHALLENGE(DPOP_NONCE_REQUIRED)',
    );
  });

  it('refuses a request whose URL cannot be known', async () => {
    const key = await keyPair();
    expect(
      String(
        await verifier().verify(
          { proof: await proof(key), method: 'GET', url: undefined },
          TOKEN,
          key.jkt,
        ),
      ),
    ).toBe('CHALLENGE(DPOP_PROOF_INVALID)');
  });
});

describe('dpop options', () => {
  it.each([
    [{ algorithms: ['HS256'] }, 'dpop.algorithms'],
    [{ algorithms: [] }, 'dpop.algorithms'],
    [{ nonce: { secret: 'short' } }, 'dpop.nonce.secret'],
    [{ publicBaseUrl: 'https://api.example/?q=1' }, 'dpop.publicBaseUrl'],
    [{ unknown: 1 }, 'dpop.unknown'],
    [{ proofMaxAgeS: -1 }, 'dpop.proofMaxAgeS'],
  ])('refuses %j', (dpop, name) => {
    expect(() => resolvePlatformAuthOptions({ dpop } as never)).toThrow(name);
  });

  it('is off without the option or with enabled: false', () => {
    expect(resolvePlatformAuthOptions({}).dpop).toBeUndefined();
    expect(resolvePlatformAuthOptions({ dpop: { enabled: false } }).dpop).toBeUndefined();
  });

  it('computes the RFC 9728 metadata URL, path inserted', () => {
    expect(
      resolvePlatformAuthOptions({ resourceMetadata: { resource: 'https://r.example/api/v1/' } })
        .resourceMetadata,
    ).toMatchObject({
      metadataUrl: 'https://r.example/.well-known/oauth-protected-resource/api/v1',
      path: '/.well-known/oauth-protected-resource/api/v1',
    });
    expect(
      resolvePlatformAuthOptions({ resourceMetadata: { resource: 'https://r.example' } })
        .resourceMetadata?.path,
    ).toBe('/.well-known/oauth-protected-resource');
    expect(() =>
      resolvePlatformAuthOptions({ resourceMetadata: { resource: 'https://r.example/?q' } }),
    ).toThrow('resourceMetadata.resource');
  });
});
