import type { JWSHeaderParameters, JWTPayload } from 'jose';

/** A compact JWT's protected header and claims, decoded but not verified: for routing only. */
export interface UnverifiedJwt {
  readonly header: JWSHeaderParameters;
  readonly payload: JWTPayload;
}

const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

/**
 * Splits and decodes a compact JWS whose header and payload are JSON objects; `undefined` for
 * anything else. Unverified: the JWT provider uses it only to select the issuer and key (jose
 * verifies the token itself); the snapshot verifier runs its pre-crypto checks on it and reads
 * the claims only after jose's `compactVerify` has checked the signature over these segments.
 *
 * The signature must be in its one canonical encoding (no padding, no spare bits set): a token
 * has exactly one accepted spelling, so the verification cache holds one entry per token and
 * nothing keyed by token strings can be sidestepped by re-spelling the signature.
 */
export function decodeUnverifiedJwt(token: string): UnverifiedJwt | undefined {
  if (!COMPACT_JWS.test(token)) return undefined;
  const headerEnd = token.indexOf('.');
  const payloadEnd = token.indexOf('.', headerEnd + 1);
  const signature = token.slice(payloadEnd + 1);
  if (Buffer.from(signature, 'base64url').toString('base64url') !== signature) return undefined;
  const header = jsonObject(token.slice(0, headerEnd));
  const payload = header && jsonObject(token.slice(headerEnd + 1, payloadEnd));
  return payload ? { header: header as JWSHeaderParameters, payload } : undefined;
}

function jsonObject(segment: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}
