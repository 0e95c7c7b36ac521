import { createSecretKey, type KeyObject } from 'node:crypto';
import { exportJWK, importJWK, type CryptoKey, type JWK } from 'jose';
import {
  isSnapshotSecret,
  type ResolvedAuthSnapshotOptions,
  type SnapshotPrivateKey,
  type SnapshotSecret,
} from './auth-snapshot.options.js';

/** The key material of the snapshot signer and verifier, imported once at boot. */
export interface SnapshotKeyring {
  readonly algorithm: string;
  readonly kid: string;
  readonly signingKey: CryptoKey | KeyObject;
  /**
   * The verification key a snapshot's `kid` names, or `undefined` for an unknown (or absent)
   * `kid`. Keys are imported once at boot, so the lookup is a map read: no key import or JWK
   * matching per verification.
   */
  verificationKeyFor(kid: unknown): CryptoKey | KeyObject | undefined;
}

const PRIVATE_JWK_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k'] as const;

/**
 * Imports the signing key and builds the verification key lookup. Without `verificationKeys`,
 * the public half of the signing key (or the secret itself) is the only verification key.
 * @throws TypeError when a key cannot be imported or its public half cannot be derived.
 */
export async function createSnapshotKeyring(
  options: ResolvedAuthSnapshotOptions,
): Promise<SnapshotKeyring> {
  const { signingKey, algorithm } = options;
  if (isSnapshotSecret(signingKey)) {
    const secrets = new Map<string, KeyObject>();
    const verificationKeys = (options.verificationKeys as
      readonly SnapshotSecret[] | undefined) ?? [signingKey];
    for (const key of verificationKeys) secrets.set(key.kid, createSecretKey(key.secret));
    return Object.freeze({
      algorithm,
      kid: signingKey.kid,
      signingKey: createSecretKey(signingKey.secret),
      verificationKeyFor: (kid: unknown) =>
        typeof kid === 'string' ? secrets.get(kid) : undefined,
    });
  }

  let privateKey: CryptoKey | KeyObject;
  let publicJwk: JWK;
  try {
    const given = (signingKey as SnapshotPrivateKey).privateKey;
    privateKey = isJwk(given) ? ((await importJWK(given, algorithm)) as CryptoKey) : given;
    publicJwk = isJwk(given)
      ? { ...given }
      : options.verificationKeys
        ? {}
        : await exportJWK(given);
  } catch (error) {
    throw new TypeError(
      'AuthSnapshotModule: option "signingKey.privateKey" cannot be used (import it as extractable, or pass "verificationKeys").',
      { cause: error },
    );
  }
  for (const member of PRIVATE_JWK_MEMBERS) delete publicJwk[member];
  const jwks = options.verificationKeys ?? {
    keys: [{ ...publicJwk, kid: signingKey.kid, alg: algorithm, use: 'sig' }],
  };
  const keys = new Map<string, CryptoKey | KeyObject>();
  for (const [index, jwk] of (jwks.keys as JWK[]).entries()) {
    const option = `verificationKeys.keys[${index}]`;
    if (typeof jwk.kid !== 'string' || jwk.kid === '' || keys.has(jwk.kid)) {
      throw new TypeError(
        `AuthSnapshotModule: option "${option}.kid" must be a unique non-empty string.`,
      );
    }
    if (
      (jwk.alg !== undefined && jwk.alg !== algorithm) ||
      (jwk.use !== undefined && jwk.use !== 'sig')
    ) {
      throw new TypeError(
        `AuthSnapshotModule: option "${option}" must be a signing key for ${algorithm} ("alg" and "use" may be omitted).`,
      );
    }
    try {
      keys.set(jwk.kid, (await importJWK(jwk, algorithm)) as CryptoKey);
    } catch (error) {
      throw new TypeError(
        `AuthSnapshotModule: option "${option}" cannot be imported for ${algorithm}.`,
        {
          cause: error,
        },
      );
    }
  }
  return Object.freeze({
    algorithm,
    kid: signingKey.kid,
    signingKey: privateKey,
    verificationKeyFor: (kid: unknown) => (typeof kid === 'string' ? keys.get(kid) : undefined),
  });
}

function isJwk(key: unknown): key is JWK {
  return (
    typeof key === 'object' &&
    key !== null &&
    typeof (key as JWK).kty === 'string' &&
    !('type' in key && 'algorithm' in key)
  );
}
