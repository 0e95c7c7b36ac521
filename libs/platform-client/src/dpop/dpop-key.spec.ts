import type { webcrypto } from 'node:crypto';
import { inspect } from 'node:util';
import { describe, expect, it } from '@jest/globals';
import {
  calculateJwkThumbprint,
  decodeProtectedHeader,
  EmbeddedJWK,
  exportJWK,
  generateKeyPair,
  jwtVerify,
} from 'jose';
import { InvalidTokenResponseError } from '../errors/invalid-token-response.error.js';
import { DpopTokenNotBoundError } from '../errors/dpop-token-not-bound.error.js';
import { createPlatformClient } from '../http/create-platform-client.js';
import { resolvePlatformClientOptions } from '../http/platform-client.options.js';
import { toTokenSet } from '../tokens/providers/token-response.js';
import { dpopChallengeError } from './dpop-challenge.js';
import { accessTokenHash, DpopKey } from './dpop-key.js';
import { DpopNonces } from './dpop-nonces.js';

const url = new URL('https://api.test/v1/orders?page=2#top');

describe('DpopKey', () => {
  it.each(['ES256', 'ES384', 'Ed25519'] as const)(
    'generates a %s key whose proofs verify with their jwk header, and whose jkt is the RFC 7638 thumbprint',
    async (alg) => {
      const key = DpopKey.from({ alg });
      const proof = await key.proof(
        { htm: 'post', url, accessToken: 'at-1', nonce: 'n-1' },
        1_700_000_000_000,
      );
      const { payload, protectedHeader } = await jwtVerify(proof, EmbeddedJWK, {
        typ: 'dpop+jwt',
        algorithms: [alg],
        currentDate: new Date(1_700_000_000_000),
      });
      expect(protectedHeader).toMatchObject({ typ: 'dpop+jwt', alg });
      expect(protectedHeader.jwk).not.toHaveProperty('d');
      expect(await calculateJwkThumbprint(protectedHeader.jwk!)).toBe(key.jkt);
      expect(payload).toMatchObject({
        htm: 'POST',
        htu: 'https://api.test/v1/orders',
        ath: accessTokenHash('at-1'),
        nonce: 'n-1',
        iat: 1_700_000_000,
      });
      expect(String(payload.jti)).toMatch(/^[\w-]{22}$/);
    },
  );

  it('uses a supplied private JWK (same thumbprint) and a supplied CryptoKeyPair', async () => {
    const pair = await generateKeyPair('ES256', { extractable: true });
    const jwk = await exportJWK(pair.privateKey);
    const thumbprint = await calculateJwkThumbprint(jwk);
    expect(DpopKey.from({ privateKey: jwk }).jkt).toBe(thumbprint);
    const fromPair = DpopKey.from({ keyPair: pair as webcrypto.CryptoKeyPair });
    expect(fromPair.jkt).toBe(thumbprint);
    const proof = await fromPair.proof({ htm: 'GET', url });
    expect(decodeProtectedHeader(proof).jwk).toEqual({
      kty: 'EC',
      crv: 'P-256',
      x: jwk.x,
      y: jwk.y,
    });
  });

  it('shows only alg and jkt through inspect and JSON', async () => {
    const jwk = await exportJWK((await generateKeyPair('ES256', { extractable: true })).privateKey);
    const key = DpopKey.from({ privateKey: jwk });
    expect(JSON.stringify(key)).toBe(JSON.stringify({ alg: 'ES256', jkt: key.jkt }));
    expect(inspect(key, { depth: 5, showHidden: true })).not.toContain(jwk.d);
  });

  describe('refuses unusable options', () => {
    it.each([
      [{ alg: 'HS256' }, 'alg must be one of'],
      [{ alg: 'RS256' }, 'alg must be one of'],
      [{ privateKey: { kty: 'oct', k: 'AAAA' } }, 'private JWK'],
      [{ privateKey: { kty: 'EC', crv: 'P-256', x: 'a', y: 'b' } }, 'private JWK'],
      [{ keyPair: {} }, 'CryptoKeyPair'],
      [{ surprise: true }, 'unknown option "surprise"'],
      ['yes', 'must be true or'],
    ])('%j', (option, message) => {
      expect(() => DpopKey.from(option as never)).toThrow(TypeError);
      expect(() => DpopKey.from(option as never)).toThrow(message);
    });

    it('a non-extractable public key', async () => {
      const pair = await generateKeyPair('ES256', { extractable: true });
      const { kty, crv, x, y } = await exportJWK(pair.privateKey);
      const publicJwk = { kty, crv, x, y };
      const publicKey = await crypto.subtle.importKey(
        'jwk',
        publicJwk,
        { name: 'ECDSA', namedCurve: 'P-256' },
        false,
        ['verify'],
      );
      expect(() =>
        DpopKey.from({
          keyPair: { privateKey: pair.privateKey, publicKey } as webcrypto.CryptoKeyPair,
        }),
      ).toThrow('must be extractable');
    });

    it('"dpop" without a token, or with a token the client cannot bind', () => {
      expect(() =>
        resolvePlatformClientOptions({ baseUrl: 'https://api.test', dpop: true }),
      ).toThrow('option "dpop" needs "token"');
      expect(() =>
        createPlatformClient({ baseUrl: 'https://api.test', dpop: true, token: () => 'static' }),
      ).toThrow('built-in client_credentials or refresh_token grant');
      expect(() =>
        createPlatformClient({
          baseUrl: 'https://api.test',
          dpop: true,
          token: { provider: { grant: 'external', getToken: () => 'x', id: 'vault' } },
        }),
      ).toThrow('built-in client_credentials or refresh_token grant');
    });
  });
});

describe('DpopNonces', () => {
  it('remembers the latest well-formed nonce per origin', () => {
    const nonces = new DpopNonces();
    expect(nonces.learn(url, 'n-1')).toBe(true);
    expect(nonces.learn(url, 'n-2')).toBe(true);
    expect(nonces.get(new URL('https://api.test/other'))).toBe('n-2');
    expect(nonces.get(new URL('https://other.test/'))).toBeUndefined();
    expect(nonces.learn(url, ['a', 'b'])).toBe(false);
    expect(nonces.learn(url, 'has space')).toBe(false);
    expect(nonces.learn(url, 'quote"')).toBe(false);
    expect(nonces.get(url)).toBe('n-2');
  });
});

describe('dpopChallengeError', () => {
  it.each([
    ['DPoP error="use_dpop_nonce", error_description="x"', 'use_dpop_nonce'],
    ['Bearer realm="api", DPoP algs="ES256", error="invalid_dpop_proof"', 'invalid_dpop_proof'],
    [['Bearer error="invalid_token"', 'DPoP error=use_dpop_nonce'], 'use_dpop_nonce'],
    ['Bearer error="use_dpop_nonce"', undefined],
    ['DPoP algs="ES256"', undefined],
    [undefined, undefined],
  ])('%j → %j', (header, expected) => {
    expect(dpopChallengeError(header)).toBe(expected);
  });
});

describe('toTokenSet with DPoP', () => {
  const response = (token_type: string) =>
    ({ access_token: 'at', token_type, expires_in: 60 }) as never;

  it('takes a dpop token_type (openid-client lower-cases it) and records DPoP', () => {
    expect(toTokenSet(response('dpop'), 0, 300, undefined, undefined, true)).toMatchObject({
      tokenType: 'DPoP',
    });
  });

  it('discards a bearer token when DPoP was asked for (RFC 9449 §5)', () => {
    expect(() => toTokenSet(response('bearer'), 0, 300, undefined, undefined, true)).toThrow(
      DpopTokenNotBoundError,
    );
  });

  it('refuses a DPoP token when no key was used', () => {
    expect(() => toTokenSet(response('dpop'), 0, 300)).toThrow(InvalidTokenResponseError);
  });
});
