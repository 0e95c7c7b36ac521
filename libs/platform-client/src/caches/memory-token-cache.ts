import { KeyMutex } from './key-mutex.js';
import type { TokenCacheEntry } from './token-cache-entry.js';
import {
  TokenCache,
  type TokenCacheLease,
  type TokenCacheLockOptions,
  unfencedLease,
} from './token-cache.port.js';

/**
 * The default cache: a `Map` in this process, with an in-process lock per key. Tokens are lost
 * on restart; use the file cache to share them between processes (CLIs, workers on one host).
 */
export class MemoryTokenCache extends TokenCache {
  private readonly entries = new Map<string, TokenCacheEntry>();
  private readonly mutex = new KeyMutex();

  async get(key: string): Promise<TokenCacheEntry | undefined> {
    return this.entries.get(key);
  }

  async set(key: string, entry: TokenCacheEntry): Promise<void> {
    this.entries.set(key, entry);
  }

  async delete(key: string): Promise<void> {
    this.entries.delete(key);
  }

  /** An in-process lock cannot be lost: the lease's writes always go through. */
  withLock<T>(
    key: string,
    fn: (lease: TokenCacheLease) => Promise<T>,
    options?: TokenCacheLockOptions,
  ): Promise<T> {
    return this.mutex.run(key, () => fn(unfencedLease(this, key)), options?.signal);
  }

  /** Never shows the cached tokens. */
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return `MemoryTokenCache { entries: ${this.entries.size} }`;
  }

  toJSON(): object {
    return { kind: 'memory', entries: this.entries.size };
  }
}
