import { createHmac, KeyObject, randomUUID, sign } from 'node:crypto';
import type { CryptoKey } from 'jose';

/** Hand-built compact JWS pieces for attacks jose refuses to produce (alg none, HMAC confusion). */
export const b64url = (value: unknown) =>
  (Buffer.isBuffer(value)
    ? value
    : Buffer.from(typeof value === 'string' ? value : JSON.stringify(value))
  ).toString('base64url');

/** RFC 9068 claims for `issuer`/`audience`, valid for five minutes. */
export function validClaims(issuer: string, audience: string): Record<string, unknown> {
  const now = Math.floor(Date.now() / 1000);
  return {
    iss: issuer,
    aud: audience,
    sub: 'alice',
    client_id: 'web-app',
    iat: now,
    exp: now + 300,
    jti: randomUUID(),
    scope: 'documents:read',
  };
}

/** `header.payload.` with an empty signature. */
export function unsigned(
  header: Record<string, unknown>,
  payload: Record<string, unknown>,
): string {
  return `${b64url(header)}.${b64url(payload)}.`;
}

/** An HS256 JWS keyed with `secret` (e.g. the issuer's public key, the classic confusion). */
export function hmacSigned(
  header: Record<string, unknown>,
  payload: Record<string, unknown>,
  secret: string | Buffer,
): string {
  const input = `${b64url(header)}.${b64url(payload)}`;
  return `${input}.${createHmac('sha256', secret).update(input).digest('base64url')}`;
}

/**
 * An RS256 JWS over exactly this header and payload (an object, or raw bytes), with no
 * validation at all.
 */
export function rs256Signed(
  header: Record<string, unknown>,
  payload: Record<string, unknown> | Buffer,
  privateKey: CryptoKey,
): string {
  const input = `${b64url(header)}.${b64url(payload)}`;
  const signature = sign('sha256', Buffer.from(input), KeyObject.from(privateKey));
  return `${input}.${signature.toString('base64url')}`;
}
