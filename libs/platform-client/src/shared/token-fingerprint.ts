import { createHash } from 'node:crypto';

/** What {@link tokenFingerprint} returns: `sha256:` and 32 hex digits. */
export const TOKEN_FINGERPRINT = /^sha256:[0-9a-f]{32}$/;

/**
 * A fingerprint of a token (the first 128 bits of its SHA-256, in hex): what the library keeps
 * to recognise a token it must never use again (an access token a server rejected, a refresh
 * token the server rejected or replaced by rotation), without keeping the token itself.
 * Tokens are high-entropy, so the fingerprint cannot be turned back into one.
 */
export function tokenFingerprint(token: string): string {
  return `sha256:${createHash('sha256').update(token).digest('hex').slice(0, 32)}`;
}
