import type { TokenSet } from '../tokens/token-set.js';

/**
 * What a {@link TokenCache} stores under one key. Never holds client secrets, private keys,
 * code verifiers or device codes; it does hold the refresh token (needed to refresh), so
 * persistent caches must protect it (the file cache writes 0600 files).
 *
 * An entry whose `tokenSet.accessToken` is empty and `expiresAt` is 0 keeps only the refresh
 * token: that is what remains after the server rejected the access token.
 */
export interface TokenCacheEntry {
  readonly tokenSet: TokenSet;
  /** Epoch ms (local clock) when the token set was received; `expiresAt - receivedAt` is its lifetime. */
  readonly receivedAt: number;
}
