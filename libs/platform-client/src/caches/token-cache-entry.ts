import type { TokenSet } from '../shared/token-set.js';

/**
 * What a {@link TokenCache} stores under one key. Never holds client secrets, private keys,
 * code verifiers or device codes; it does hold the refresh token (needed to refresh), so
 * persistent caches must protect it (the file cache writes 0600 files). Caches store the whole
 * entry, these optional fields included: they are how token sources sharing a cache agree.
 *
 * An entry whose `tokenSet.accessToken` is empty and `expiresAt` is 0 holds no access token:
 * what remains after the server rejected the access token (the refresh token is kept), after it
 * rejected the refresh token (only `retiredRefreshTokens` are kept), while it throttles
 * (`throttledUntil`), or while a first refresh token is being presented (`refreshing`).
 */
export interface TokenCacheEntry {
  readonly tokenSet: TokenSet;
  /** Epoch ms (local clock) when the token set was received; `expiresAt - receivedAt` is its lifetime. */
  readonly receivedAt: number;
  /**
   * Fingerprints (`sha256:` + 32 hex digits) of refresh tokens the server rejected or rotation
   * replaced: never presented again, by any token source of this key. Never the tokens.
   */
  readonly retiredRefreshTokens?: readonly string[];
  /** Epoch ms before which no token request is sent for this key (the server's `Retry-After`). */
  readonly throttledUntil?: number;
  /**
   * Fingerprint of the refresh token a lock holder is presenting right now, written (fenced)
   * just before the request is sent and removed with the answer. A later holder that still finds
   * it knows the earlier one stopped (killed, or its lock lost) with the outcome unknown: the
   * server may have rotated that refresh token, so it is retired, never presented again.
   */
  readonly refreshing?: string;
}
