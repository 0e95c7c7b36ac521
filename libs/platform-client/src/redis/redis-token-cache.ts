import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { setTimeout as delay } from 'node:timers/promises';
import { KeyMutex } from '../caches/key-mutex.js';
import {
  decodeEntry,
  encodeEntry,
  MAX_SERIALISED_ENTRY_BYTES,
} from '../caches/token-cache-entry.codec.js';
import type { TokenCacheEntry } from '../caches/token-cache-entry.js';
import {
  type RedisTokenCacheSettings,
  resolveRedisTokenCacheSettings,
  type ResolvedRedisTokenCacheSettings,
} from '../caches/redis-token-cache.settings.js';
import {
  TokenCache,
  type TokenCacheLease,
  type TokenCacheLockOptions,
} from '../caches/token-cache.port.js';
import { CacheLockTimeoutError } from '../errors/cache-lock-timeout.error.js';
import { CacheUnavailableError } from '../errors/cache-unavailable.error.js';
import { type Clock, systemClock } from '../shared/clock.js';
import { type RedisTokenCacheClient, createRedisClient } from './redis-client.factory.js';
import { redisCommand, toCacheUnavailable } from './redis-command.js';
import { RedisEntryCipher } from './redis-entry.cipher.js';
import { type RedisKeyPair, RedisLease, type RedisLeaseBackend } from './redis-lease.js';
import {
  ACQUIRE_LEASE,
  LEASE_SCRIPTS,
  type LeaseScript,
  RELEASE_LEASE,
} from './redis-lease.scripts.js';

/** Options of {@link RedisTokenCache}: the plain settings, plus a client of your own instead of `url`. */
export interface RedisTokenCacheOptions extends RedisTokenCacheSettings {
  /**
   * A ready ioredis client (`Redis`, a Sentinel-backed `Redis`, or `Cluster`) that you own: the
   * cache never closes it. Pass exactly one of `client` and `url`. The cache defines its Lua
   * scripts on it as custom commands (`platformClient…`).
   */
  readonly client?: RedisTokenCacheClient;
  /** Receives warnings (connection trouble, undecryptable entries, a lost lease); never a token or key. */
  readonly logger?: { warn(message: string): void };
  /** The clock tokens' `expiresAt` is on, for entry lifetimes. @default systemClock */
  readonly clock?: Clock;
}

/** Storage keys as the token manager makes them (`serialiseCacheKey`): no braces, bounded. */
const KEY_PATTERN = /^[A-Za-z0-9_-][A-Za-z0-9._-]{0,199}$/;
/** Connection warnings at most this often. */
const WARN_INTERVAL_MS = 10_000;

type ScriptRunner = (...args: (string | number)[]) => Promise<unknown>;

/**
 * `TokenCache` on Redis, for many replicas of one client identity: they share one token, and one
 * of them refreshes it while the others wait and then read it.
 *
 * - **Keys**: `<keyPrefix>{<storage key>}:entry` and `…:lease`; the braces are a Cluster hash
 *   tag, so an entry and its lease share a slot and one Lua script can check one and write the
 *   other.
 * - **Entries expire with the token** (`PX` = the access token's remaining lifetime, or the
 *   throttle's); an entry holding a refresh token or retired refresh-token fingerprints is kept
 *   `refreshTokenRetentionMs` after its last write, since forgetting it would bring back a
 *   rotated-out refresh token. Values are the same JSON the file cache writes (never the client
 *   secret), optionally AES-256-GCM encrypted with `encryptionKey` (bound to the key name).
 * - **Lease**: `withLock` takes `SET <lease> <fence> NX PX leaseTtlMs` with a random fencing
 *   value, reading the entry in the same Lua script (the re-read after taking it). The holder
 *   renews it every third of its lifetime while it works; writes under it are compare-and-set on
 *   the fence (Lua), so a holder that lost it writes nothing; release deletes it only if it still
 *   holds the fence. A holder that dies is replaced when the lease lapses (≤ `leaseTtlMs`);
 *   waiting for a live holder is bounded by `lockTimeoutMs` (`CACHE_LOCK_TIMEOUT`). Within one
 *   process, callers queue on an in-process mutex first, so a replica has one contender per key.
 * - **Bounded**: every command has a deadline (`commandTimeoutMs`) and fails as
 *   `CACHE_UNAVAILABLE`; concurrent reads of one key share one `GET`. When Redis is back, the
 *   next command works (ioredis reconnects by itself).
 *
 * **Why ioredis** (rather than node-redis): one client for a single server, Sentinel and Cluster
 * with the same API (node-redis has Sentinel only in v5, with a separate API), `defineCommand`
 * for Lua with EVALSHA and automatic fallback, hash-slot routing of scripts in a Cluster, and it
 * is the client `@nestjs/microservices` already uses for its Redis transport.
 *
 * @example
 * new RedisTokenCache({ url: 'redis://cache.internal:6379', encryptionKey: key32Bytes })
 */
export class RedisTokenCache extends TokenCache {
  readonly #client: RedisTokenCacheClient;
  readonly #owned: boolean;
  readonly #settings: ResolvedRedisTokenCacheSettings;
  readonly #cipher: RedisEntryCipher;
  readonly #clock: Clock;
  readonly #logger?: { warn(message: string): void };
  readonly #mutex = new KeyMutex();
  readonly #reads = new Map<string, Promise<TokenCacheEntry | undefined>>();
  readonly #backend: RedisLeaseBackend;
  readonly #undecryptable = new Set<string>();
  #lastConnectionWarning = 0;
  #closed = false;

  constructor(options: RedisTokenCacheOptions) {
    super();
    if (typeof options !== 'object' || options === null) {
      throw new TypeError('RedisTokenCache: options must be an object.');
    }
    if ((options.client === undefined) === (options.url === undefined)) {
      throw new TypeError('RedisTokenCache: pass exactly one of client and url.');
    }
    this.#settings = resolveRedisTokenCacheSettings(options, 'RedisTokenCache');
    this.#cipher = new RedisEntryCipher(this.#settings.encryptionKeys);
    this.#clock = options.clock ?? systemClock;
    this.#logger = options.logger;
    this.#owned = options.client === undefined;
    this.#client = options.client ?? createRedisClient(options.url!, 'RedisTokenCache.url');
    if (this.#owned) {
      this.#client.on('error', (error: unknown) => this.warnConnection(error));
      this.#client.on('node error', (error: unknown) => this.warnConnection(error));
    }
    for (const { name, numberOfKeys, lua } of LEASE_SCRIPTS) {
      if (typeof (this.#client as unknown as Record<string, unknown>)[name] !== 'function') {
        this.#client.defineCommand(name, { numberOfKeys, lua });
      }
    }
    this.#backend = {
      leaseTtlMs: this.#settings.leaseTtlMs,
      script: (script, keys, args) => this.script(script, keys, args),
      read: (key) => this.read(key),
      encode: (key, entry) => this.encode(key, entry),
      warn: (message) => this.#logger?.warn(message),
    };
  }

  /** The ioredis client in use (yours, or the one built from `url`). */
  get client(): RedisTokenCacheClient {
    return this.#client;
  }

  /** The Redis keys of a storage key (for operators and tests). */
  redisKeys(key: string): RedisKeyPair {
    if (!KEY_PATTERN.test(key)) {
      throw new TypeError('RedisTokenCache: keys are 1-200 characters of [A-Za-z0-9._-].');
    }
    const base = `${this.#settings.keyPrefix}{${key}}`;
    return { entry: `${base}:entry`, lease: `${base}:lease` };
  }

  /** Concurrent reads of one key share one `GET`. */
  get(key: string): Promise<TokenCacheEntry | undefined> {
    this.redisKeys(key);
    const pending = this.#reads.get(key);
    if (pending) return pending;
    const read = this.read(key).finally(() => {
      if (this.#reads.get(key) === read) this.#reads.delete(key);
    });
    this.#reads.set(key, read);
    return read;
  }

  /** Unfenced: for writers outside the lock (a CLI login storing a session). */
  async set(key: string, entry: TokenCacheEntry): Promise<void> {
    const keys = this.redisKeys(key);
    this.#reads.delete(key);
    const { value, ttlMs } = this.encode(key, entry);
    if (ttlMs > 0) await this.command(() => this.#client.set(keys.entry, value, 'PX', ttlMs));
    else await this.command(() => this.#client.del(keys.entry));
  }

  async delete(key: string): Promise<void> {
    const keys = this.redisKeys(key);
    this.#reads.delete(key);
    await this.command(() => this.#client.del(keys.entry));
  }

  withLock<T>(
    key: string,
    fn: (lease: TokenCacheLease) => Promise<T>,
    options?: TokenCacheLockOptions,
  ): Promise<T> {
    const keys = this.redisKeys(key);
    return this.#mutex.run(
      key,
      () => this.withLease(key, keys, fn, options?.signal),
      options?.signal,
    );
  }

  /** Closes the connection if this cache opened it (`url`); a client you passed stays open. */
  override async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    if (!this.#owned) return;
    try {
      await redisCommand(() => this.#client.quit(), this.#settings.commandTimeoutMs);
    } catch {
      this.#client.disconnect();
    }
  }

  /** Never shows tokens or keys. */
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return `RedisTokenCache ${JSON.stringify(this.toJSON())}`;
  }

  toJSON(): object {
    return { kind: 'redis', keyPrefix: this.#settings.keyPrefix, encrypted: this.#cipher.enabled };
  }

  private async withLease<T>(
    key: string,
    keys: RedisKeyPair,
    fn: (lease: TokenCacheLease) => Promise<T>,
    signal: AbortSignal | undefined,
  ): Promise<T> {
    const fence = randomBytes(18).toString('base64url');
    const { leaseTtlMs, lockTimeoutMs, lockRetryIntervalMs } = this.#settings;
    const started = performance.now();
    let lease: RedisLease | undefined;
    while (!lease) {
      signal?.throwIfAborted();
      const sentAt = performance.now();
      // A take that answers after the deadline is released at once: nobody uses that lease.
      const reply = (await this.script(
        ACQUIRE_LEASE,
        [keys.lease, keys.entry],
        [fence, leaseTtlMs],
        () => void this.release(keys, fence),
      )) as [number, string | number | null | undefined];
      if (reply[0] === 1) {
        lease = new RedisLease(this.#backend, key, keys, fence, sentAt, this.decode(key, reply[1]));
        break;
      }
      const remaining =
        typeof reply[1] === 'number' && reply[1] > 0 ? reply[1] : lockRetryIntervalMs;
      const pause = Math.max(
        1,
        Math.min(remaining, lockRetryIntervalMs) * (0.5 + Math.random() / 2),
      );
      if (performance.now() - started + pause > lockTimeoutMs)
        throw new CacheLockTimeoutError(lockTimeoutMs);
      await delay(pause, undefined, { signal });
    }
    try {
      return await fn(lease);
    } finally {
      lease.end();
      // Best effort: a release that fails leaves a lease that lapses within leaseTtlMs.
      await this.release(keys, fence);
    }
  }

  private async release(keys: RedisKeyPair, fence: string): Promise<void> {
    await this.script(RELEASE_LEASE, [keys.lease], [fence]).catch(() => undefined);
  }

  private async read(key: string): Promise<TokenCacheEntry | undefined> {
    const keys = this.redisKeys(key);
    const raw = await this.command(() => this.#client.get(keys.entry));
    return this.decode(key, raw);
  }

  private decode(key: string, raw: unknown): TokenCacheEntry | undefined {
    if (typeof raw !== 'string' || raw.length > 2 * MAX_SERIALISED_ENTRY_BYTES) return undefined;
    const text = this.#cipher.open(this.redisKeys(key).entry, raw);
    if (text === undefined) {
      if (!this.#undecryptable.has(key)) {
        this.#undecryptable.add(key);
        this.#logger?.warn(
          this.#cipher.enabled
            ? 'A token cache entry could not be decrypted with the configured keys (another key, ' +
                'tampered with, or written unencrypted); treated as a miss.'
            : 'A token cache entry is encrypted but no encryptionKey is configured; treated as a miss.',
        );
      }
      return undefined;
    }
    return decodeEntry(key, text);
  }

  private encode(key: string, entry: TokenCacheEntry): { value: string; ttlMs: number } {
    const keys = this.redisKeys(key);
    return {
      value: this.#cipher.seal(keys.entry, encodeEntry(key, entry)),
      ttlMs: this.entryTtlMs(entry),
    };
  }

  /** How long Redis keeps `entry`: until its access token (or throttle) ends, or the retention. */
  private entryTtlMs({
    tokenSet,
    throttledUntil,
    retiredRefreshTokens,
    refreshing,
  }: TokenCacheEntry) {
    const now = this.#clock.now();
    const accessLeft = tokenSet.accessToken ? tokenSet.expiresAt - now : 0;
    let ttl = Math.max(accessLeft, (throttledUntil ?? 0) - now);
    if (tokenSet.refreshToken || retiredRefreshTokens?.length || refreshing) {
      ttl = Math.max(ttl, this.#settings.refreshTokenRetentionMs);
    }
    return Math.ceil(ttl);
  }

  private script(
    script: LeaseScript,
    keys: readonly string[],
    args: readonly (string | number)[],
    onLate?: () => void,
  ): Promise<unknown> {
    const run = (this.#client as unknown as Record<string, ScriptRunner>)[script.name]!;
    return this.command(() => run.call(this.#client, ...keys, ...args), onLate);
  }

  private command<T>(run: () => Promise<T>, onLate?: () => void): Promise<T> {
    if (this.#closed) return Promise.reject(new CacheUnavailableError('closed'));
    return redisCommand(run, this.#settings.commandTimeoutMs, onLate);
  }

  private warnConnection(error: unknown): void {
    const now = Date.now();
    if (now - this.#lastConnectionWarning < WARN_INTERVAL_MS) return;
    this.#lastConnectionWarning = now;
    const { detail } = toCacheUnavailable(error);
    this.#logger?.warn(
      `Redis token cache connection failed${detail ? ` (${detail})` : ''}; reconnecting.`,
    );
  }
}
