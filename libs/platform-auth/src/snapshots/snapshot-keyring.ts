import { createSecretKey, type KeyObject } from 'node:crypto';
import {
  createLocalJWKSet,
  errors,
  exportJWK,
  importJWK,
  type CryptoKey,
  type JWK,
  type JWSHeaderParameters,
} from 'jose';
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
  /** Picks the verification key by `kid` (jose key resolver). */
  readonly verificationKey: (header: JWSHeaderParameters) => Promise<CryptoKey | KeyObject>;
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
      verificationKey: async (header: JWSHeaderParameters) => {
        const key = header.kid === undefined ? undefined : secrets.get(header.kid);
        if (key === undefined) throw new errors.JWKSNoMatchingKey();
        return key;
      },
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
  const local = createLocalJWKSet(jwks as Parameters<typeof createLocalJWKSet>[0]);
  return Object.freeze({
    algorithm,
    kid: signingKey.kid,
    signingKey: privateKey,
    verificationKey: (header: JWSHeaderParameters) => local(header),
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
