import { createRequire } from 'node:module';
import type { Clock } from '../shared/clock.js';
import type { TokenCacheEntry } from '../caches/token-cache-entry.js';
import {
  type RedisTokenCacheSettings,
  resolveRedisTokenCacheSettings,
} from '../caches/redis-token-cache.settings.js';
import { parseRedisUrl } from '../caches/redis-url.js';
import { CacheUnavailableError } from '../errors/cache-unavailable.error.js';
import {
  TokenCache,
  type TokenCacheLease,
  type TokenCacheLockOptions,
} from '../caches/token-cache.port.js';

/** What `{ kind: 'redis', … }` cache options build. */
export interface LazyRedisTokenCacheOptions extends RedisTokenCacheSettings {
  readonly url: string;
  readonly logger?: { warn(message: string): void };
  readonly clock?: Clock;
}

/**
 * The Redis token cache behind `{ kind: 'redis', url }` cache options, loaded on first use so
 * that the core entry never imports `ioredis` (an optional peer): the options are validated and
 * ioredis is looked up when this is built (boot), the module is imported and the connection
 * opened on the first call.
 * @throws TypeError naming the option for a bad URL or setting, or when ioredis is not installed
 */
export class LazyRedisTokenCache extends TokenCache {
  #cache?: Promise<TokenCache>;
  #closed = false;

  constructor(
    private readonly options: LazyRedisTokenCacheOptions,
    path: string,
  ) {
    super();
    parseRedisUrl(options.url, `${path}.url`);
    resolveRedisTokenCacheSettings(options, path);
    try {
      createRequire(import.meta.url).resolve('ioredis');
    } catch {
      throw new TypeError(
        `${path}.kind 'redis' needs the optional peer dependency ioredis: npm install ioredis.`,
      );
    }
  }

  get(key: string): Promise<TokenCacheEntry | undefined> {
    return this.load().then((cache) => cache.get(key));
  }

  set(key: string, entry: TokenCacheEntry): Promise<void> {
    return this.load().then((cache) => cache.set(key, entry));
  }

  delete(key: string): Promise<void> {
    return this.load().then((cache) => cache.delete(key));
  }

  withLock<T>(
    key: string,
    fn: (lease?: TokenCacheLease) => Promise<T>,
    options?: TokenCacheLockOptions,
  ): Promise<T> {
    return this.load().then((cache) => cache.withLock(key, fn, options));
  }

  override async close(): Promise<void> {
    this.#closed = true;
    const cache = await this.#cache?.catch(() => undefined);
    await cache?.close?.();
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return 'RedisTokenCache { lazy: true }';
  }

  toJSON(): object {
    return { kind: 'redis', keyPrefix: this.options.keyPrefix };
  }

  private load(): Promise<TokenCache> {
    if (this.#closed) return Promise.reject(new CacheUnavailableError('closed'));
    this.#cache ??= import('./redis-token-cache.js').then(
      ({ RedisTokenCache }) => new RedisTokenCache(this.options),
    );
    return this.#cache;
  }
}
