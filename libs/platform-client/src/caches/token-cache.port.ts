import { missingMethods } from '../shared/port-shape.js';
import type { TokenCacheEntry } from './token-cache-entry.js';

/** Options of {@link TokenCache.withLock}. */
export interface TokenCacheLockOptions {
  /** Stops waiting for the lock (the function is then not run). */
  readonly signal?: AbortSignal;
}

/**
 * The key's lock as its holder sees it, passed to the function that {@link TokenCache.withLock}
 * runs. Reads and writes through the lease are *fenced*: they succeed only while the lock is
 * still this holder's. For a shared cache the lock can be lost while the holder works (a Redis
 * lease that expired because the holder stalled, a file lock taken over as stale); a write after
 * that would overwrite what the new holder stored, so it fails with `CACHE_LEASE_LOST` instead.
 */
export interface TokenCacheLease {
  /** Aborted (with a `CacheLeaseLostError` reason) once the lock is no longer this holder's. */
  readonly signal: AbortSignal;
  /** The key's entry, read while holding the lock. */
  get(): Promise<TokenCacheEntry | undefined>;
  /**
   * Stores the entry if the lock is still held (compare-and-set on the lock's fencing value).
   * @throws CacheLeaseLostError when it is not (nothing is written)
   */
  set(entry: TokenCacheEntry): Promise<void>;
  /**
   * Removes the entry if the lock is still held.
   * @throws CacheLeaseLostError when it is not (nothing is removed)
   */
  delete(): Promise<void>;
}

/**
 * Port: where managed tokens live, by storage key (see `serialiseCacheKey`). Memory, file and
 * Redis (`@nest-platform/client/redis`) implementations ship with the library. Methods:
 * `get`/`set`/`delete` on one key, and `withLock`, a mutual exclusion on one key that spans every
 * process sharing the cache, which hands the function a fenced {@link TokenCacheLease}.
 *
 * Implementations treat an unreadable or malformed stored value as a miss, never as an error,
 * and never return a partial entry.
 *
 * Compatibility: caches written before the lease existed call `fn()` without an argument; the
 * token manager then reads and writes through `get`/`set`/`delete` (unfenced), as it did.
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
   * "lock → re-read → acquire only if still stale → fenced write → unlock".
   */
  abstract withLock<T>(
    key: string,
    fn: (lease?: TokenCacheLease) => Promise<T>,
    options?: TokenCacheLockOptions,
  ): Promise<T>;
  /**
   * Releases what the cache holds open (connections). Optional; a token source closes a cache
   * it built from options, never one it was given.
   */
  close?(): Promise<void>;
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

/**
 * A lease over a cache's plain `get`/`set`/`delete` for `key`, for a lock that cannot be lost
 * (an in-process mutex) or a cache that passes no lease; `lost()` makes its writes fail.
 */
export function unfencedLease(
  cache: Pick<TokenCache, 'get' | 'set' | 'delete'>,
  key: string,
  lost: () => Error | undefined = () => undefined,
  signal: AbortSignal = new AbortController().signal,
): TokenCacheLease {
  const check = () => {
    const error = lost();
    if (error) throw error;
  };
  return {
    signal,
    get: () => cache.get(key),
    set: async (entry) => {
      check();
      await cache.set(key, entry);
    },
    delete: async () => {
      check();
      await cache.delete(key);
    },
  };
}
