import type { AuthContext } from '@nest-platform/auth';
import { authenticatedContext } from '@nest-platform/auth/testing';
import { exportJWK, generateKeyPair, type CryptoKey, type JWK } from 'jose';

/** One service's snapshot signing key and its public JWK. */
export interface ServiceKey {
  readonly kid: string;
  readonly privateKey: CryptoKey;
  readonly publicJwk: JWK;
}

/** A fresh ES256 key for a service of the trust domain. */
export async function serviceKey(kid: string): Promise<ServiceKey> {
  const { privateKey, publicKey } = await generateKeyPair('ES256');
  return { kid, privateKey, publicJwk: { ...(await exportJWK(publicKey)), kid, alg: 'ES256' } };
}

/** The trust domain's key set (what every verifier is configured with). */
export function domainJwks(...keys: ServiceKey[]): { keys: JWK[] } {
  return { keys: keys.map((key) => key.publicJwk) };
}

/** A signable context for alice (orders:read), as an authenticated request would have it. */
export function alice(): AuthContext {
  return authenticatedContext({
    subject: 'alice',
    issuer: 'https://issuer.test',
    principalType: 'user',
    scopes: ['orders:read'],
    expiresAt: Math.floor(Date.now() / 1000) + 300,
  });
}
