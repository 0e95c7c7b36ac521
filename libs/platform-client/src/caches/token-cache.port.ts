import { missingMethods } from '../tokens/port-shape.js';
import type { TokenCacheEntry } from './token-cache-entry.js';

/** Options of {@link TokenCache.withLock}. */
export interface TokenCacheLockOptions {
  /** Stops waiting for the lock (the function is then not run). */
  readonly signal?: AbortSignal;
}

/**
 * Port: where managed tokens live, by storage key (see `serialiseCacheKey`). Memory and file
 * implementations ship with the library; a shared cache (Redis, …) implements the same four
 * methods: `get`/`set`/`delete` on one key, and `withLock`, a mutual exclusion on one key that
 * spans every process sharing the cache (for Redis: `SET key NX PX` with a fencing value).
 *
 * Implementations treat an unreadable or malformed stored value as a miss, never as an error,
 * and never return a partial entry.
 */
export abstract class TokenCache {
  /** The stored entry, or `undefined` (also for a corrupt or foreign value). */
  abstract get(key: string): Promise<TokenCacheEntry | undefined>;
  /** Stores the entry atomically (readers see the old or the new entry, never a mix). */
  abstract set(key: string, entry: TokenCacheEntry): Promise<void>;
  /** Removes the entry; no error when there is none. */
  abstract delete(key: string): Promise<void>;
  /**
   * Runs `fn` while holding the key's exclusive lock, across every process sharing this cache,
   * and releases the lock afterwards (also when `fn` throws). The token manager uses it as
   * "lock → re-read → acquire only if still stale → write → unlock".
   */
  abstract withLock<T>(
    key: string,
    fn: () => Promise<T>,
    options?: TokenCacheLockOptions,
  ): Promise<T>;
}

/** The methods every {@link TokenCache} has. */
export const TOKEN_CACHE_METHODS = ['get', 'set', 'delete', 'withLock'] as const;

/**
 * Whether `value` implements {@link TokenCache}, by shape: a class that `implements TokenCache`
 * without extending it is one.
 */
export function isTokenCache(value: unknown): value is TokenCache {
  return (
    typeof value === 'object' &&
    value !== null &&
    missingMethods(value, TOKEN_CACHE_METHODS).length === 0
  );
}
