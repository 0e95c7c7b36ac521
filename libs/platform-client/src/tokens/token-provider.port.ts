import type { TokenCacheKey } from './token-cache-key.js';
import type { TokenSet } from './token-set.js';

/** Options of one {@link TokenProvider.acquire} call. */
export interface AcquireOptions {
  /** Aborts the acquisition (the token request, or waiting for an external function). */
  readonly signal?: AbortSignal;
  /** The cached token set, if any: a refresh-token provider uses its (possibly rotated) refresh token. */
  readonly current?: TokenSet;
}

/**
 * Port: obtains a fresh token set, with no caching. Caching, single-flight, refresh-ahead and
 * 401 handling are the token manager's job. Implement it for a custom grant, or pass a plain
 * `() => string | Promise<string>` function as an external provider instead.
 *
 * Implementations must compute `expiresAt` from the local receive time (on the injected clock)
 * and throw `PlatformClientError`s with stable codes. They must not expose secrets through
 * `toString()`, `toJSON()` or `util.inspect`.
 *
 * @example
 * class VaultTokenProvider extends TokenProvider {
 *   readonly cacheKey = { kind: 'external', id: 'vault:payments' } as const;
 *   async acquire() {
 *     const { token, ttl } = await vault.read('auth/payments');
 *     return { accessToken: token, tokenType: 'bearer', expiresAt: Date.now() + ttl * 1000 };
 *   }
 * }
 */
export abstract class TokenProvider {
  /** Identity for cache keys: two providers with equal keys share tokens. */
  abstract readonly cacheKey: TokenCacheKey;
  /** Acquires a fresh token set (no caching here). */
  abstract acquire(options: AcquireOptions): Promise<TokenSet>;
}
