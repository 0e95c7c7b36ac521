import { createHash, generateKeyPairSync, KeyObject, randomBytes, webcrypto } from 'node:crypto';
import { type JWK, SignJWT } from 'jose';

/** Proof signing algorithms a client key may use (asymmetric; oidc-provider's defaults). */
export type DpopAlgorithm = 'ES256' | 'ES384' | 'Ed25519';

/** The `dpop` option of a client: `true` (a generated ES256 key) or {@link DpopKeyOptions}. */
export type DpopOption = true | DpopKeyOptions;

/**
 * Which key a client proves possession of. Without `keyPair` / `privateKey`, a new key pair is
 * generated for the client (in memory only: tokens bound to it die with the process). Supply a
 * key when replicas share a token cache (Redis, a shared file): a cached DPoP-bound token is only
 * usable with its key, so every replica needs the same one.
 */
export interface DpopKeyOptions {
  /** Algorithm of a generated key. @default 'ES256' */
  readonly alg?: DpopAlgorithm;
  /**
   * A WebCrypto key pair, e.g. from openid-client's `randomDPoPKeyPair()`; its public key must
   * be extractable (the private one need not be).
   */
  readonly keyPair?: CryptoKeyPair;
  /** A private JWK (EC P-256 / P-384 or OKP Ed25519, with `d`). */
  readonly privateKey?: JWK;
}

type CryptoKeyPair = webcrypto.CryptoKeyPair;
type CryptoKey = webcrypto.CryptoKey;

/** What a proof is for. @see RFC 9449 §4.2 */
export interface DpopProofInput {
  /** The request method. */
  readonly htm: string;
  /** The request URL; query and fragment are left out of `htu`. */
  readonly url: URL;
  /** The access token presented with the proof (`ath`). */
  readonly accessToken?: string;
  /** The server's latest `DPoP-Nonce`. */
  readonly nonce?: string;
}

const ALGORITHMS: Record<
  DpopAlgorithm,
  { curve: string; subtle: webcrypto.EcKeyImportParams | webcrypto.Algorithm }
> = {
  ES256: { curve: 'P-256', subtle: { name: 'ECDSA', namedCurve: 'P-256' } },
  ES384: { curve: 'P-384', subtle: { name: 'ECDSA', namedCurve: 'P-384' } },
  Ed25519: { curve: 'Ed25519', subtle: { name: 'Ed25519' } },
};

/**
 * A client's DPoP key (RFC 9449): signs a fresh proof for every request and hands the same key
 * pair to openid-client for token requests. The private key stays in an ECMAScript private
 * field: `util.inspect`, `JSON.stringify` and `redactSecrets` show only `{ alg, jkt }`.
 */
export class DpopKey {
  /** The signing algorithm of the proofs. */
  readonly alg: DpopAlgorithm;
  /** RFC 7638 SHA-256 thumbprint of the public key: the `cnf.jkt` of tokens bound to it. */
  readonly jkt: string;
  /** The public key, public members only (the proofs' `jwk` header). */
  readonly publicJwk: Readonly<JWK>;
  readonly #keyPair: Promise<CryptoKeyPair>;

  private constructor(alg: DpopAlgorithm, publicJwk: JWK, keyPair: () => Promise<CryptoKeyPair>) {
    this.alg = alg;
    this.publicJwk = Object.freeze(publicJwk);
    this.jkt = jwkThumbprint(publicJwk);
    const pair = keyPair();
    pair.catch(() => undefined);
    this.#keyPair = pair;
  }

  /**
   * The key the `dpop` option describes: generated, or the one supplied. No I/O; the thumbprint
   * is known at once (cache keys include it).
   * @throws TypeError naming `path` when the option is not usable
   */
  static from(option: DpopOption, path = 'dpop'): DpopKey {
    if (option === true) return DpopKey.generate('ES256');
    if (typeof option !== 'object' || option === null || Array.isArray(option)) {
      throw new TypeError(`${path} must be true or { alg?, keyPair?, privateKey? }.`);
    }
    for (const name of Object.keys(option)) {
      if (!['alg', 'keyPair', 'privateKey'].includes(name)) {
        throw new TypeError(`${path}: unknown option "${name}" (known: alg, keyPair, privateKey).`);
      }
    }
    if (option.keyPair !== undefined && option.privateKey !== undefined) {
      throw new TypeError(`${path}: pass either "keyPair" or "privateKey", not both.`);
    }
    if (option.alg !== undefined && !(option.alg in ALGORITHMS)) {
      throw new TypeError(`${path}.alg must be one of ${Object.keys(ALGORITHMS).join(', ')}.`);
    }
    if (option.keyPair !== undefined) return DpopKey.fromKeyPair(option.keyPair, option.alg, path);
    if (option.privateKey !== undefined)
      return DpopKey.fromJwk(option.privateKey, option.alg, path);
    return DpopKey.generate(option.alg ?? 'ES256');
  }

  private static generate(alg: DpopAlgorithm): DpopKey {
    const { curve } = ALGORITHMS[alg];
    const { privateKey } =
      alg === 'Ed25519'
        ? generateKeyPairSync('ed25519')
        : generateKeyPairSync('ec', { namedCurve: curve });
    const privateJwk = privateKey.export({ format: 'jwk' }) as JWK;
    return new DpopKey(alg, publicMembers(privateJwk), () => importPair(privateJwk, alg));
  }

  private static fromJwk(jwk: JWK, alg: DpopAlgorithm | undefined, path: string): DpopKey {
    if (typeof jwk !== 'object' || jwk === null || typeof jwk.d !== 'string') {
      throw new TypeError(`${path}.privateKey must be a private JWK (with "d").`);
    }
    const inferred = algorithmOf(jwk.kty, jwk.crv);
    if (inferred === undefined || (alg !== undefined && alg !== inferred)) {
      throw new TypeError(
        `${path}.privateKey must be an EC P-256 (ES256), EC P-384 (ES384) or OKP Ed25519 key${alg ? ` matching alg ${alg}` : ''}.`,
      );
    }
    if (
      jwk.alg !== undefined &&
      jwk.alg !== inferred &&
      !(inferred === 'Ed25519' && jwk.alg === 'EdDSA')
    ) {
      throw new TypeError(
        `${path}.privateKey has "alg" ${jwk.alg}, which its key type cannot sign.`,
      );
    }
    const privateJwk = { ...jwk };
    return new DpopKey(inferred, publicMembers(privateJwk), () => importPair(privateJwk, inferred));
  }

  private static fromKeyPair(
    pair: CryptoKeyPair,
    alg: DpopAlgorithm | undefined,
    path: string,
  ): DpopKey {
    const { privateKey, publicKey } = (pair ?? {}) as Partial<CryptoKeyPair>;
    if (!isCryptoKey(privateKey) || !isCryptoKey(publicKey) || privateKey.type !== 'private') {
      throw new TypeError(`${path}.keyPair must be a CryptoKeyPair ({ privateKey, publicKey }).`);
    }
    if (!publicKey.extractable) {
      throw new TypeError(
        `${path}.keyPair.publicKey must be extractable (it is sent in every proof).`,
      );
    }
    const publicJwk = KeyObject.from(publicKey).export({ format: 'jwk' }) as JWK;
    const inferred = algorithmOf(publicJwk.kty, publicJwk.crv);
    if (inferred === undefined || (alg !== undefined && alg !== inferred)) {
      throw new TypeError(
        `${path}.keyPair must be an ECDSA P-256 / P-384 or Ed25519 key pair${alg ? ` matching alg ${alg}` : ''}.`,
      );
    }
    return new DpopKey(inferred, publicMembers(publicJwk), () => Promise.resolve(pair));
  }

  /** The WebCrypto key pair (for openid-client's `getDPoPHandle`). */
  keyPair(): Promise<CryptoKeyPair> {
    return this.#keyPair;
  }

  /**
   * A new proof JWT: `typ: dpop+jwt`, `jwk` header, a random `jti`, `iat` now, `htm`, `htu`
   * without query and fragment, `ath` of the access token, and the server's `nonce`.
   * @see RFC 9449 §4.2
   */
  async proof(input: DpopProofInput, nowMs = Date.now()): Promise<string> {
    const { privateKey } = await this.#keyPair;
    return new SignJWT({
      htm: input.htm.toUpperCase(),
      htu: `${input.url.origin}${input.url.pathname}`,
      jti: randomBytes(16).toString('base64url'),
      ...(input.accessToken !== undefined ? { ath: accessTokenHash(input.accessToken) } : {}),
      ...(input.nonce !== undefined ? { nonce: input.nonce } : {}),
    })
      .setProtectedHeader({ typ: 'dpop+jwt', alg: this.alg, jwk: { ...this.publicJwk } })
      .setIssuedAt(Math.floor(nowMs / 1000))
      .sign(privateKey);
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return `DpopKey { alg: '${this.alg}', jkt: '${this.jkt}' }`;
  }

  /** What serialisation shows: the algorithm and the thumbprint, never a key member. */
  toJSON(): { alg: DpopAlgorithm; jkt: string } {
    return { alg: this.alg, jkt: this.jkt };
  }
}

/** `ath`: base64url SHA-256 of the access token's ASCII. @see RFC 9449 §4.2 */
export function accessTokenHash(accessToken: string): string {
  return createHash('sha256').update(accessToken, 'ascii').digest('base64url');
}

/** RFC 7638 SHA-256 thumbprint (the required members, lexicographic order). */
export function jwkThumbprint(jwk: JWK): string {
  const members =
    jwk.kty === 'EC'
      ? { crv: jwk.crv, kty: jwk.kty, x: jwk.x, y: jwk.y }
      : { crv: jwk.crv, kty: jwk.kty, x: jwk.x };
  return createHash('sha256').update(JSON.stringify(members)).digest('base64url');
}

function algorithmOf(kty: unknown, crv: unknown): DpopAlgorithm | undefined {
  if (kty === 'EC' && crv === 'P-256') return 'ES256';
  if (kty === 'EC' && crv === 'P-384') return 'ES384';
  if (kty === 'OKP' && crv === 'Ed25519') return 'Ed25519';
  return undefined;
}

function publicMembers(jwk: JWK): JWK {
  return jwk.kty === 'EC'
    ? { kty: jwk.kty, crv: jwk.crv, x: jwk.x, y: jwk.y }
    : { kty: jwk.kty, crv: jwk.crv, x: jwk.x };
}

/** The private key non-extractable, the public one extractable (oauth4webapi requires it). */
async function importPair(privateJwk: JWK, alg: DpopAlgorithm): Promise<CryptoKeyPair> {
  const params = ALGORITHMS[alg].subtle;
  // WebCrypto checks `alg`, `use` and `key_ops` against the import; only the key members matter.
  const bare: JWK = { ...privateJwk };
  delete bare.alg;
  delete bare.use;
  delete bare.key_ops;
  const [privateKey, publicKey] = await Promise.all([
    webcrypto.subtle.importKey('jwk', bare as webcrypto.JsonWebKey, params, false, ['sign']),
    webcrypto.subtle.importKey('jwk', publicMembers(bare) as webcrypto.JsonWebKey, params, true, [
      'verify',
    ]),
  ]);
  return { privateKey, publicKey };
}

function isCryptoKey(value: unknown): value is CryptoKey {
  // Tag check rather than instanceof: keys may come from another realm (vm contexts, jest).
  return Object.prototype.toString.call(value) === '[object CryptoKey]';
}
