import { constants, KeyObject, verify } from 'node:crypto';
import type { CryptoKey } from 'jose';

/**
 * How each JWS algorithm is checked with `node:crypto`, and what the jose-imported key must be
 * for it: the WebCrypto algorithm jose imports the key as (RFC 7518 §3, RFC 8037 §3.1).
 */
interface FastAlgorithm {
  /** `CryptoKey.algorithm.name` jose imports the key with for this `alg`. */
  readonly name: 'RSASSA-PKCS1-v1_5' | 'RSA-PSS' | 'ECDSA' | 'Ed25519';
  /** `CryptoKey.algorithm.hash.name` (RSA) or the digest of the ECDSA signature. */
  readonly hash?: 'SHA-256' | 'SHA-384' | 'SHA-512';
  /** `CryptoKey.algorithm.namedCurve` (ECDSA). */
  readonly namedCurve?: 'P-256' | 'P-384' | 'P-521';
  /** The digest `node:crypto.verify` hashes the signing input with (`null`: Ed25519). */
  readonly digest: 'sha256' | 'sha384' | 'sha512' | null;
  /** RSA-PSS: salt length = digest length (RFC 7518 §3.5), exactly as WebCrypto checks it. */
  readonly pssSaltLength?: number;
  /** ECDSA: the signature is R || S, each the curve's size in bytes (RFC 7518 §3.4). */
  readonly signatureLength?: number;
}

const rsa = (bits: 256 | 384 | 512): FastAlgorithm => ({
  name: 'RSASSA-PKCS1-v1_5',
  hash: `SHA-${bits}`,
  digest: `sha${bits}`,
});
const pss = (bits: 256 | 384 | 512): FastAlgorithm => ({
  name: 'RSA-PSS',
  hash: `SHA-${bits}`,
  digest: `sha${bits}`,
  pssSaltLength: bits / 8,
});
const ecdsa = (
  bits: 256 | 384 | 512,
  namedCurve: 'P-256' | 'P-384' | 'P-521',
  coordinate: number,
): FastAlgorithm => ({
  name: 'ECDSA',
  hash: `SHA-${bits}`,
  namedCurve,
  digest: `sha${bits}`,
  signatureLength: 2 * coordinate,
});
const ed25519: FastAlgorithm = { name: 'Ed25519', digest: null };

/** The algorithms with a fast path; any other (HMAC, ML-DSA, unknown) stays on jose. */
const FAST_ALGORITHMS: ReadonlyMap<string, FastAlgorithm> = new Map(
  Object.entries({
    RS256: rsa(256),
    RS384: rsa(384),
    RS512: rsa(512),
    PS256: pss(256),
    PS384: pss(384),
    PS512: pss(512),
    ES256: ecdsa(256, 'P-256', 32),
    ES384: ecdsa(384, 'P-384', 48),
    ES512: ecdsa(512, 'P-521', 66),
    EdDSA: ed25519,
    Ed25519: ed25519,
  }),
);

/** jose's minimum RSA modulus for every RS* and PS* algorithm. */
const MIN_RSA_BITS = 2048;

const keyObjects = new WeakMap<CryptoKey, KeyObject>();

/**
 * Verifies a JWS signature synchronously with `node:crypto.verify`, for a key jose has already
 * selected and imported for `alg` (a `createLocalJWKSet` key function), after the caller ran
 * the header rules (allow-list, no `crit`/`b64`). Answers `true` (good signature), `false`
 * (refused, as jose's `compactVerify` would refuse it) or `undefined` when this path does not
 * cover the case (another algorithm, a key jose imported differently): the caller then uses
 * `compactVerify`, whose verdict is authoritative.
 *
 * Why beside jose: jose verifies through WebCrypto, which Node dispatches to its thread pool.
 * `npm run bench:signature` (one process on one core, 32 in flight, never-seen RS256 tokens,
 * median of 9 rounds; 2026-12-02) measured WebCrypto's `subtle.verify` at 1.21 × the time of
 * `node:crypto.verify` with a `KeyObject` on Node 20 (41.1 against 31.9 µs), 1.32 × on 22,
 * 1.16 × on 24 and 1.11 × on 26 (31.4 against 28.2 µs); the signature is about half of a
 * never-seen token's cost. Over HTTP (`bench:jwt`) the saving is a few µs in a request of
 * 100–150 µs, within that bench's run-to-run noise on a 2-core VM (docs/benchmarks.md).
 * `signature-fast-path.spec.ts` runs a corpus of valid, tampered, confused-algorithm and
 * malformed signatures through both and requires the same verdict; whatever it cannot show to
 * agree is answered `undefined` here and stays on jose.
 *
 * @param signingInput the compact JWS's `header.payload` text
 * @param signature the decoded signature bytes (`undefined` when not canonical base64url)
 */
export function verifySignatureFast(
  alg: string,
  key: CryptoKey,
  signingInput: string,
  signature: Buffer,
): boolean | undefined {
  const expected = FAST_ALGORITHMS.get(alg);
  if (expected === undefined || !matches(key, expected)) return undefined;
  if (expected.signatureLength !== undefined && signature.length !== expected.signatureLength) {
    return false;
  }
  const keyObject = keyObjectOf(key);
  const data = Buffer.from(signingInput, 'latin1');
  try {
    switch (expected.name) {
      case 'RSASSA-PKCS1-v1_5':
        return verify(expected.digest, data, keyObject, signature);
      case 'RSA-PSS':
        return verify(
          expected.digest,
          data,
          {
            key: keyObject,
            padding: constants.RSA_PKCS1_PSS_PADDING,
            saltLength: expected.pssSaltLength,
          },
          signature,
        );
      case 'ECDSA':
        return verify(
          expected.digest,
          data,
          { key: keyObject, dsaEncoding: 'ieee-p1363' },
          signature,
        );
      case 'Ed25519':
        return verify(null, data, keyObject, signature);
    }
  } catch {
    // A signature node:crypto cannot even parse is one WebCrypto refuses too.
    return false;
  }
}

/** The key is a public verification key jose imported as exactly what `alg` requires. */
function matches(key: CryptoKey, expected: FastAlgorithm): boolean {
  if (key.type !== 'public' || !key.usages.includes('verify')) return false;
  const algorithm = key.algorithm as {
    name: string;
    hash?: { name: string };
    namedCurve?: string;
    modulusLength?: number;
  };
  if (algorithm.name !== expected.name) return false;
  switch (expected.name) {
    case 'RSASSA-PKCS1-v1_5':
    case 'RSA-PSS':
      return (
        algorithm.hash?.name === expected.hash &&
        typeof algorithm.modulusLength === 'number' &&
        algorithm.modulusLength >= MIN_RSA_BITS
      );
    case 'ECDSA':
      return algorithm.namedCurve === expected.namedCurve;
    case 'Ed25519':
      return true;
  }
}

/** The `KeyObject` of a jose-imported key, made once per key. */
function keyObjectOf(key: CryptoKey): KeyObject {
  let keyObject = keyObjects.get(key);
  if (keyObject === undefined) {
    keyObject = KeyObject.from(key as unknown as Parameters<typeof KeyObject.from>[0]);
    keyObjects.set(key, keyObject);
  }
  return keyObject;
}
