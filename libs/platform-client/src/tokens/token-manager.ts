import type { TokenCacheEntry } from '../caches/token-cache-entry.js';
import {
  type TokenCache,
  type TokenCacheLease,
  unfencedLease,
} from '../caches/token-cache.port.js';
import { PlatformClientError } from '../errors/platform-client.error.js';
import { ReauthRequiredError } from '../errors/reauth-required.error.js';
import { ThrottledError } from '../errors/throttled.error.js';
import { TokenEndpointUnavailableError } from '../errors/token-endpoint-unavailable.error.js';
import { abortable } from '../shared/abortable.js';
import { AccessTokenSource, type TokenSourceStatus } from './access-token-source.js';
import { AcquisitionFlight } from './acquisition-flight.js';
import { type Clock, systemClock } from '../shared/clock.js';
import { serialiseCacheKey } from './token-cache-key.js';
import { TokenKeyState } from './token-key-state.js';
import { tokenFingerprint } from '../shared/token-fingerprint.js';
import {
  checkAcquired,
  positiveOption,
  refreshAt,
  resolveRefreshTiming,
} from './token-manager.options.js';
import type { TokenLogger, TokenManagerOptions } from './token-manager.options.js';
import type { TokenProvider } from './token-provider.port.js';

export type { TokenLogger, TokenManagerOptions } from './token-manager.options.js';

interface LocalEntry {
  readonly entry: TokenCacheEntry;
  readonly refreshAt: number;
}

const REMEMBERED_REJECTIONS = 4;

/** Longest pause between background refresh attempts after a failure. */
const BACKGROUND_RETRY_MAX_MS = 30_000;

/** An entry that holds no access token (what remains of one, or only the shared state). */
const NO_TOKEN = { accessToken: '', tokenType: 'Bearer', expiresAt: 0 } as const;

/**
 * Manages one provider's tokens: cache, single-flight, refresh ahead of expiry with jitter, and
 * invalidation after a 401. Implements the {@link AccessTokenSource} contract.
 *
 * - A valid token is served from memory without touching the cache (the warm path is a clock
 *   read and a comparison).
 * - Concurrent callers share one in-flight acquisition per manager; across managers and
 *   processes, the cache's lock serialises them, and whoever gets the lock second re-reads the
 *   cache and uses the token the first one stored. Under the lock every read and write goes
 *   through the cache's fenced lease: a holder that lost the lock (a Redis lease expired while it
 *   stalled) has its acquisition aborted and its writes refused (`CACHE_LEASE_LOST`).
 * - A foreground acquisition (no usable token) reads the cache once before locking; a
 *   background refresh goes straight to the lock, whose holder reads the entry anyway, so a
 *   shared cache sees one read per key per token source and refresh window.
 * - Right before a refresh token is sent, the lock holder records that it is being presented
 *   (`TokenCacheEntry.refreshing`) and removes the record with the answer. A later holder that
 *   finds it knows the earlier one stopped with the outcome unknown, and retires that refresh
 *   token rather than risk presenting it twice (the server may have rotated it already).
 * - Every acquisition has a deadline (`acquireTimeoutMs`) and passes its signal to the
 *   provider: a provider that never settles fails the acquisition, frees the single flight and
 *   releases the cache lock.
 * - In the refresh-ahead window callers get the current token and one background refresh runs;
 *   after a failed one the next waits a quarter of the remaining validity (at most 30 s).
 * - `Retry-After` of a throttled token request is obeyed by every token source of the key: until
 *   it elapses (capped at `retryAfterCapMs`), acquisitions fail fast with `ThrottledError` and no
 *   request, and background refreshes wait.
 * - A failed acquisition is not cached: the next call tries again. `ReauthRequiredError` drops the
 *   cached refresh token and retires it; a still-valid access token keeps being served until it
 *   expires. Retired refresh tokens (rejected, or replaced by rotation) are kept by fingerprint
 *   in the cache entry, and never offered to a provider again.
 */
export class TokenManager extends AccessTokenSource {
  /** Storage key of this provider's tokens in the cache. */
  readonly key: string;
  // ECMAScript private fields: no walker (a logger, redactSecrets) can reach the token state.
  readonly #provider: TokenProvider;
  readonly #cache: TokenCache;
  readonly #logger?: TokenLogger;
  readonly #clock: Clock;
  readonly #random: () => number;
  readonly #timing: ReturnType<typeof resolveRefreshTiming>;
  readonly #acquireTimeoutMs: number;
  readonly #ownsCache: boolean;
  #local?: LocalEntry;
  #flight?: AcquisitionFlight<TokenCacheEntry>;
  #lastErrorCode?: string;
  /** After a failed background refresh, the next one waits until then (no retry storm). */
  #backgroundRetryAt = 0;
  #closed = false;
  /** Fingerprints of access tokens a server rejected (401): never served again. */
  readonly #rejected: string[] = [];
  /** Retired refresh tokens and the server's `Retry-After`, shared through the cache. */
  readonly #state: TokenKeyState;

  constructor(provider: TokenProvider, cache: TokenCache, options: TokenManagerOptions = {}) {
    super();
    this.#provider = provider;
    this.#cache = cache;
    this.#logger = options.logger;
    this.key = serialiseCacheKey(provider.cacheKey);
    this.#clock = options.clock ?? systemClock;
    this.#random = options.random ?? Math.random;
    this.#timing = resolveRefreshTiming(options);
    this.#state = new TokenKeyState(
      positiveOption(options.retryAfterCapMs, 'retryAfterCapMs', 300_000),
    );
    this.#acquireTimeoutMs = positiveOption(options.acquireTimeoutMs, 'acquireTimeoutMs', 30_000);
    this.#ownsCache = options.ownsCache === true;
  }

  async getToken(options: { signal?: AbortSignal } = {}): Promise<string> {
    const local = this.#local;
    if (local) {
      const now = this.#clock.now();
      if (now < local.refreshAt) return local.entry.tokenSet.accessToken;
      if (now < local.entry.tokenSet.expiresAt) {
        this.refreshInBackground();
        return local.entry.tokenSet.accessToken;
      }
    }
    options.signal?.throwIfAborted();
    if (!this.#flight) this.failFastWhileThrottled();
    const flight = this.refresh('foreground');
    const waiting = flight.wait(options.signal);
    // Closed: the acquisition runs only while a caller waits for it.
    if (this.#closed) void flight.close();
    return (await waiting).tokenSet.accessToken;
  }

  async invalidate(rejectedToken: string): Promise<void> {
    if (!rejectedToken) return;
    this.#rejected.push(tokenFingerprint(rejectedToken));
    if (this.#rejected.length > REMEMBERED_REJECTIONS) this.#rejected.shift();
    if (this.#local?.entry.tokenSet.accessToken === rejectedToken) this.#local = undefined;
    // Best effort: the rejected token is remembered above, so even if the cache keeps it, it is
    // never served again.
    await this.dropFromCache(rejectedToken).catch((error: unknown) => {
      this.#logger?.warn(`Could not drop a rejected token from the cache (${codeOf(error)}).`);
    });
  }

  async peekToken(): Promise<string | undefined> {
    if (this.#local && this.isValid(this.#local.entry))
      return this.#local.entry.tokenSet.accessToken;
    const cached = await this.#cache.get(this.key).catch(() => undefined);
    return cached && this.isValid(cached) ? this.adopt(cached).tokenSet.accessToken : undefined;
  }

  async status(): Promise<TokenSourceStatus> {
    const entry = this.#local?.entry ?? (await this.#cache.get(this.key).catch(() => undefined));
    const lastErrorCode = this.#lastErrorCode;
    const expiresAt = entry?.tokenSet.accessToken ? entry.tokenSet.expiresAt : undefined;
    if (entry && this.isValid(entry)) {
      return { state: 'valid', expiresAt, ...(lastErrorCode ? { lastErrorCode } : {}) };
    }
    if (lastErrorCode) return { state: 'failed', lastErrorCode, expiresAt };
    const holdsSomething = entry && (entry.tokenSet.accessToken || entry.tokenSet.refreshToken);
    return holdsSomething ? { state: 'expired', expiresAt } : { state: 'empty' };
  }

  /**
   * Stops background refreshes and aborts an acquisition that no caller waits for (a caller
   * still waiting gets its token; the acquisition is aborted when the last one gives up), so
   * shutdown never waits for an abandoned token request. Cached tokens stay usable.
   */
  override async close(): Promise<void> {
    this.#closed = true;
    const flight = this.#flight;
    await flight?.close();
    if (!this.#ownsCache || typeof this.#cache.close !== 'function') return;
    // A caller still waiting gets its token first; the cache closes when that flight ends.
    if (this.#flight === flight && flight !== undefined) {
      void flight.done
        .catch(() => undefined)
        .finally(() => this.#cache.close?.())
        .catch(() => undefined);
    } else {
      await this.#cache.close().catch(() => undefined);
    }
  }

  /** Masks everything: a manager holds tokens. */
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return `TokenManager { key: ${this.key} }`;
  }

  toJSON(): object {
    return { key: this.key };
  }

  private dropFromCache(rejectedToken: string): Promise<void> {
    return this.#cache.withLock(this.key, async (lease) => {
      const io = this.leaseOf(lease);
      const current = await io.get();
      if (current?.tokenSet.accessToken !== rejectedToken) return;
      const { refreshToken, tokenType, scope, idToken } = current.tokenSet;
      if (
        refreshToken === undefined &&
        !current.retiredRefreshTokens?.length &&
        current.refreshing === undefined
      ) {
        return io.delete();
      }
      await io.set({
        ...current,
        tokenSet: { ...NO_TOKEN, tokenType, refreshToken, scope, idToken },
      });
    });
  }

  /** The cache's lease, or (a cache written before leases existed) its plain methods. */
  private leaseOf(lease: TokenCacheLease | undefined): TokenCacheLease {
    return lease ?? unfencedLease(this.#cache, this.key);
  }

  private refreshInBackground(): void {
    const now = this.#clock.now();
    if (this.#closed || this.#flight) return;
    if (now < this.#backgroundRetryAt || this.#state.throttledFor(now) > 0) return;
    this.refresh('background')
      .done.catch((error: unknown) => {
        // Retry after a quarter of the remaining validity, at most 30 s: closer to expiry, sooner.
        const expiresAt = this.#local?.entry.tokenSet.expiresAt ?? now;
        this.#backgroundRetryAt =
          this.#clock.now() + Math.min(BACKGROUND_RETRY_MAX_MS, Math.max(0, expiresAt - now) / 4);
        this.#logger?.warn(
          `Background token refresh failed (${codeOf(error)}); the current token stays in use ` +
            'until it expires.',
        );
      })
      .catch(() => undefined);
  }

  /**
   * The single flight: at most one acquisition per manager at a time. A foreground one (the
   * caller has no usable token) takes a still-valid cached token as it is; a background one
   * replaces it.
   */
  private refresh(mode: 'foreground' | 'background'): AcquisitionFlight<TokenCacheEntry> {
    if (this.#flight) return this.#flight;
    const flight = new AcquisitionFlight((signal) => this.load(signal, mode));
    this.#flight = flight;
    flight.done
      .catch((error: unknown) => {
        if (!flight.abandoned) this.#lastErrorCode = codeOf(error);
      })
      .finally(() => {
        if (this.#flight === flight) this.#flight = undefined;
      });
    return flight;
  }

  private async load(
    signal: AbortSignal,
    mode: 'foreground' | 'background',
  ): Promise<TokenCacheEntry> {
    const usable = (entry: TokenCacheEntry | undefined): entry is TokenCacheEntry =>
      !!entry && (mode === 'foreground' ? this.isValid(entry) : this.isFresh(entry));
    if (mode === 'foreground') {
      const cached = await this.#cache.get(this.key);
      if (usable(cached)) return this.adopt(cached);
    }
    return this.#cache.withLock(
      this.key,
      async (lease) => {
        const io = this.leaseOf(lease);
        // Read under the lock: another holder may have stored a new token meanwhile.
        const current = await io.get();
        return usable(current) ? this.adopt(current) : this.acquireLocked(current, signal, io);
      },
      { signal },
    );
  }

  /** Under the cache lock, the token still stale: asks the provider, within the deadline. */
  private async acquireLocked(
    current: TokenCacheEntry | undefined,
    flightSignal: AbortSignal,
    io: TokenCacheLease,
  ): Promise<TokenCacheEntry> {
    if (this.#state.learn(current)) {
      this.#logger?.warn(
        'A refresh token was being presented by a token source that stopped before the answer ' +
          '(it died or lost the cache lock); it is retired, never presented again.',
      );
    }
    this.failFastWhileThrottled();
    const deadline = AbortSignal.timeout(this.#acquireTimeoutMs);
    const signal = AbortSignal.any([flightSignal, deadline, io.signal]);
    let presented = false;
    let tokenSet;
    try {
      const acquiring = this.#provider.acquire({
        signal,
        current: current?.tokenSet,
        isRetired: (refreshToken) => this.#state.retired.has(refreshToken),
        retire: (refreshToken) => this.#state.retired.add(refreshToken),
        presenting: async (refreshToken) => {
          signal.throwIfAborted();
          const now = this.#clock.now();
          await io.set({
            ...(current ?? { tokenSet: NO_TOKEN, receivedAt: now }),
            ...this.#state.shared(now),
            refreshing: tokenFingerprint(refreshToken),
          });
          presented = true;
        },
      });
      tokenSet = await abortable(acquiring, signal);
    } catch (caught) {
      let error = caught;
      if (!flightSignal.aborted && io.signal.aborted) error = io.signal.reason;
      else if (!flightSignal.aborted && deadline.aborted) {
        error = new TokenEndpointUnavailableError(
          `the token acquisition did not finish within ${this.#acquireTimeoutMs} ms`,
        );
      }
      await this.afterFailure(error, current, io, presented);
      throw error;
    }
    const previous = current?.tokenSet.refreshToken;
    if (previous !== undefined && tokenSet?.refreshToken !== previous) {
      this.#state.retired.add(previous);
    }
    const now = this.#clock.now();
    const entry: TokenCacheEntry = { tokenSet, receivedAt: now, ...this.#state.shared(now) };
    try {
      checkAcquired(entry);
    } catch (error) {
      await this.afterFailure(error, current, io, presented);
      throw error;
    }
    // Fenced: a holder that lost the lock never overwrites what the new holder stored.
    await io.set(entry).catch((error: unknown) => {
      // The token is good: use it from memory rather than acquire again on every call.
      this.#logger?.warn(
        `Could not store the new token in the cache (${codeOf(error)}); using it from memory.`,
      );
    });
    this.#lastErrorCode = undefined;
    return this.adopt(entry);
  }

  /**
   * Records a throttle or a rejected grant, for this manager and in the shared cache entry; after
   * any other failure of a request this holder saw answered (or fail), it removes its record of
   * presenting a refresh token (it knows the outcome, and follows the usual rules).
   */
  private async afterFailure(
    error: unknown,
    current: TokenCacheEntry | undefined,
    io: TokenCacheLease,
    presented: boolean,
  ): Promise<void> {
    if (error instanceof ThrottledError && error.retryAfterMs !== undefined) {
      this.#state.throttle(error.retryAfterMs, this.#clock.now());
      await this.store(io, current ?? { tokenSet: NO_TOKEN, receivedAt: this.#clock.now() });
    } else if (error instanceof ReauthRequiredError) {
      const rejected = current?.tokenSet.refreshToken;
      if (rejected !== undefined) this.#state.retired.add(rejected);
      // The access token is still good until it expires (a failed background refresh): keep
      // it, without the refresh token the server rejected.
      const still = [current, this.#local?.entry].find((entry) => entry && this.isValid(entry));
      const kept = still && { ...still.tokenSet, refreshToken: undefined };
      const entry = kept
        ? { tokenSet: kept, receivedAt: still.receivedAt }
        : { tokenSet: NO_TOKEN, receivedAt: this.#clock.now() };
      this.#local = kept ? { entry, refreshAt: this.refreshAt(entry) } : undefined;
      await this.store(io, entry);
    } else if (presented) {
      await this.store(io, current ?? { tokenSet: NO_TOKEN, receivedAt: this.#clock.now() });
    }
  }

  /**
   * Stores `entry` with the shared state (retired refresh tokens, throttle) and without a
   * `refreshing` record, through the lease; best effort.
   */
  private async store(io: TokenCacheLease, { tokenSet, receivedAt }: TokenCacheEntry) {
    const shared = this.#state.shared(this.#clock.now());
    const nothingLeft =
      !tokenSet.accessToken && !tokenSet.refreshToken && Object.keys(shared).length === 0;
    const write = nothingLeft ? io.delete() : io.set({ tokenSet, receivedAt, ...shared });
    await write.catch(() => undefined);
  }

  /** Throws `ThrottledError` (no request) while the server's `Retry-After` has not elapsed. */
  private failFastWhileThrottled(): void {
    const waitMs = this.#state.throttledFor(this.#clock.now());
    if (waitMs === 0) return;
    this.#lastErrorCode = 'THROTTLED';
    throw new ThrottledError(waitMs);
  }

  private adopt(entry: TokenCacheEntry): TokenCacheEntry {
    this.#local = { entry, refreshAt: this.refreshAt(entry) };
    return entry;
  }

  /**
   * When to refresh `entry`, jittered. Drawn once per token: the entry this manager holds keeps
   * its time (a fresh draw for the same token could fall earlier, and send this manager back to
   * a shared cache for a token it already has).
   */
  private refreshAt(entry: TokenCacheEntry): number {
    const local = this.#local;
    if (
      local !== undefined &&
      local.entry.receivedAt === entry.receivedAt &&
      local.entry.tokenSet.accessToken === entry.tokenSet.accessToken
    ) {
      return local.refreshAt;
    }
    return refreshAt(entry, this.#timing, this.#random());
  }

  /** Usable without refreshing. */
  private isFresh(entry: TokenCacheEntry): boolean {
    return this.isValid(entry) && this.#clock.now() < this.refreshAt(entry);
  }

  /** Usable at all (possibly in the refresh-ahead window). */
  private isValid({ tokenSet }: TokenCacheEntry): boolean {
    return (
      tokenSet.accessToken !== '' &&
      this.#clock.now() < tokenSet.expiresAt &&
      !(
        this.#rejected.length > 0 && this.#rejected.includes(tokenFingerprint(tokenSet.accessToken))
      )
    );
  }
}

function codeOf(error: unknown): string {
  return error instanceof PlatformClientError ? error.code : 'UNKNOWN';
}
