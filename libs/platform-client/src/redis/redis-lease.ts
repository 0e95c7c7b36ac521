import { performance } from 'node:perf_hooks';
import type { TokenCacheEntry } from '../caches/token-cache-entry.js';
import type { TokenCacheLease } from '../caches/token-cache.port.js';
import { CacheLeaseLostError } from '../errors/cache-lease-lost.error.js';
import { FENCED_DELETE, FENCED_SET, type LeaseScript, RENEW_LEASE } from './redis-lease.scripts.js';

/** The Redis keys of one cache key: its entry and its lease, in one hash slot. */
export interface RedisKeyPair {
  readonly entry: string;
  readonly lease: string;
}

/** What a {@link RedisLease} needs from its cache. */
export interface RedisLeaseBackend {
  readonly leaseTtlMs: number;
  script(
    script: LeaseScript,
    keys: readonly string[],
    args: readonly (string | number)[],
  ): Promise<unknown>;
  /** Reads and decodes the entry (a miss for anything unreadable). */
  read(key: string): Promise<TokenCacheEntry | undefined>;
  /** The stored value of `entry` and how long Redis keeps it (≤ 0: nothing to keep). */
  encode(key: string, entry: TokenCacheEntry): { readonly value: string; readonly ttlMs: number };
  warn(message: string): void;
}

/**
 * A held Redis lease (`SET lease <fence> NX PX ttl`). While held it is renewed every third of
 * its lifetime (only while it still holds our fence); writes are compare-and-set on the fence in
 * Lua. It counts as lost, its signal aborting with `CacheLeaseLostError`, when a renewal finds
 * another fence, when Redis refuses a fenced write, or when no renewal got through for a whole
 * lifetime (Redis may have expired it meanwhile: from then on nothing is written).
 */
export class RedisLease implements TokenCacheLease {
  readonly #controller = new AbortController();
  readonly #timer: NodeJS.Timeout;
  /** `performance.now()` when the last successful take or renewal was *sent* (conservative). */
  #confirmedAt: number;
  /** The entry read atomically with taking the lease: the first `get()` costs no round trip. */
  #first: { entry: TokenCacheEntry | undefined } | undefined;
  #renewing = false;
  #ended = false;

  constructor(
    private readonly backend: RedisLeaseBackend,
    private readonly key: string,
    private readonly keys: RedisKeyPair,
    private readonly fence: string,
    confirmedAt: number,
    first: TokenCacheEntry | undefined,
  ) {
    this.#confirmedAt = confirmedAt;
    this.#first = { entry: first };
    this.#timer = setInterval(() => void this.renew(), Math.max(50, backend.leaseTtlMs / 3));
    this.#timer.unref();
  }

  get signal(): AbortSignal {
    return this.#controller.signal;
  }

  async get(): Promise<TokenCacheEntry | undefined> {
    this.check();
    const first = this.#first;
    this.#first = undefined;
    return first ? first.entry : this.backend.read(this.key);
  }

  async set(entry: TokenCacheEntry): Promise<void> {
    this.check();
    this.#first = undefined;
    const { value, ttlMs } = this.backend.encode(this.key, entry);
    const written =
      ttlMs > 0
        ? await this.backend.script(
            FENCED_SET,
            [this.keys.lease, this.keys.entry],
            [this.fence, value, ttlMs],
          )
        : await this.backend.script(
            FENCED_DELETE,
            [this.keys.lease, this.keys.entry],
            [this.fence],
          );
    if (written !== 1) this.lose();
    this.check();
  }

  async delete(): Promise<void> {
    this.check();
    this.#first = undefined;
    const deleted = await this.backend.script(
      FENCED_DELETE,
      [this.keys.lease, this.keys.entry],
      [this.fence],
    );
    if (deleted !== 1) this.lose();
    this.check();
  }

  /** Stops renewing (the cache releases the lease next). */
  end(): void {
    this.#ended = true;
    clearInterval(this.#timer);
  }

  private async renew(): Promise<void> {
    if (this.#ended || this.#renewing || this.signal.aborted) return;
    this.#renewing = true;
    const sentAt = performance.now();
    try {
      const renewed = await this.backend.script(
        RENEW_LEASE,
        [this.keys.lease],
        [this.fence, this.backend.leaseTtlMs],
      );
      if (renewed === 1) this.#confirmedAt = sentAt;
      else this.lose();
    } catch {
      // Redis is slow or away: the lease holds until its lifetime since the last renewal ends.
      this.expireIfLapsed();
    } finally {
      this.#renewing = false;
    }
  }

  private check(): void {
    if (!this.#ended) this.expireIfLapsed();
    if (this.#ended && !this.signal.aborted) throw new CacheLeaseLostError();
    this.signal.throwIfAborted();
  }

  private expireIfLapsed(): void {
    if (performance.now() - this.#confirmedAt >= this.backend.leaseTtlMs) this.lose();
  }

  private lose(): void {
    if (this.signal.aborted) return;
    clearInterval(this.#timer);
    this.backend.warn(
      'A token cache lease was lost (it lapsed or another holder took it); this holder writes ' +
        'nothing more under it.',
    );
    this.#controller.abort(new CacheLeaseLostError());
  }
}
