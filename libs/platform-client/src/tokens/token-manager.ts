import type { TokenCacheEntry } from '../caches/token-cache-entry.js';
import type { TokenCache } from '../caches/token-cache.port.js';
import { InvalidTokenResponse } from '../errors/invalid-token-response.error.js';
import { PlatformClientError } from '../errors/platform-client.error.js';
import { ReauthRequired } from '../errors/reauth-required.error.js';
import { AccessTokenSource, type TokenSourceStatus } from './access-token-source.js';
import { type Clock, systemClock } from './clock.js';
import { serialiseCacheKey } from './token-cache-key.js';
import type { TokenProvider } from './token-provider.port.js';
import { abortable } from './abortable.js';
import { tokenFingerprint } from './token-fingerprint.js';

/** Where the token manager reports what happened (never with a token or secret). */
export interface TokenLogger {
  log(message: string): void;
  warn(message: string): void;
  error?(message: string): void;
}

/** Options of {@link TokenManager}. */
export interface TokenManagerOptions {
  /** @default systemClock */
  readonly clock?: Clock;
  /** Uniform in [0, 1); injected for tests. @default Math.random */
  readonly random?: () => number;
  /**
   * Refresh this long before expiry (callers keep getting the current token meanwhile).
   * @default 300_000 (5 minutes)
   */
  readonly refreshAheadMs?: number;
  /**
   * Caps the refresh-ahead lead at this fraction of the token's lifetime, so a 2-minute token is
   * refreshed 1 minute before expiry rather than immediately.
   * @default 0.5
   */
  readonly refreshAheadMaxFraction?: number;
  /**
   * Jitter: the lead is shortened by a random share of up to this ratio, so many processes that
   * received the same token do not all refresh at the same instant.
   * @default 0.2
   */
  readonly refreshJitterRatio?: number;
  readonly logger?: TokenLogger;
}

interface LocalEntry {
  readonly entry: TokenCacheEntry;
  readonly refreshAt: number;
}

const REMEMBERED_REJECTIONS = 4;

/** Longest pause between background refresh attempts after a failure. */
const BACKGROUND_RETRY_MAX_MS = 30_000;

/**
 * Manages one provider's tokens: cache, single-flight, refresh ahead of expiry with jitter, and
 * invalidation after a 401. Implements the {@link AccessTokenSource} contract.
 *
 * - A valid token is served from memory without touching the cache (the warm path is a clock
 *   read and a comparison).
 * - Concurrent callers share one in-flight acquisition per manager; across managers and
 *   processes, the cache's lock serialises them, and whoever gets the lock second re-reads the
 *   cache and uses the token the first one stored.
 * - In the refresh-ahead window callers get the current token and one background refresh runs;
 *   after a failed one the next waits a quarter of the remaining validity (at most 30 s).
 * - A failed acquisition is not cached: the next call tries again. `ReauthRequired` also purges
 *   the cached entry, refresh token included.
 */
export class TokenManager extends AccessTokenSource {
  /** Storage key of this provider's tokens in the cache. */
  readonly key: string;
  // ECMAScript private fields: no walker (a logger, redactSecrets) can reach the token state.
  readonly #clock: Clock;
  readonly #random: () => number;
  readonly #refreshAheadMs: number;
  readonly #maxFraction: number;
  readonly #jitterRatio: number;
  #local?: LocalEntry;
  #inflight?: Promise<TokenCacheEntry>;
  #lastErrorCode?: string;
  /** After a failed background refresh, the next one waits until then (no retry storm). */
  #backgroundRetryAt = 0;
  /** Fingerprints of access tokens a server rejected (401): never served again. */
  readonly #rejected: string[] = [];

  constructor(
    private readonly provider: TokenProvider,
    private readonly cache: TokenCache,
    private readonly options: TokenManagerOptions = {},
  ) {
    super();
    this.key = serialiseCacheKey(provider.cacheKey);
    this.#clock = options.clock ?? systemClock;
    this.#random = options.random ?? Math.random;
    this.#refreshAheadMs = nonNegative(options.refreshAheadMs ?? 300_000, 'refreshAheadMs');
    this.#maxFraction = ratio(options.refreshAheadMaxFraction ?? 0.5, 'refreshAheadMaxFraction');
    this.#jitterRatio = ratio(options.refreshJitterRatio ?? 0.2, 'refreshJitterRatio');
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
    const entry = await abortable(this.refresh(), options.signal);
    return entry.tokenSet.accessToken;
  }

  async invalidate(rejectedToken: string): Promise<void> {
    if (!rejectedToken) return;
    this.#rejected.push(tokenFingerprint(rejectedToken));
    if (this.#rejected.length > REMEMBERED_REJECTIONS) this.#rejected.shift();
    if (this.#local?.entry.tokenSet.accessToken === rejectedToken) this.#local = undefined;
    // Best effort: the rejected token is remembered above, so even if the cache keeps it, it is
    // never served again.
    await this.dropFromCache(rejectedToken).catch((error: unknown) => {
      this.options.logger?.warn(
        `Could not drop a rejected token from the cache (${codeOf(error)}).`,
      );
    });
  }

  private dropFromCache(rejectedToken: string): Promise<void> {
    return this.cache.withLock(this.key, async () => {
      const current = await this.cache.get(this.key);
      if (current?.tokenSet.accessToken !== rejectedToken) return;
      const { refreshToken, tokenType, scope, idToken } = current.tokenSet;
      if (refreshToken === undefined) return this.cache.delete(this.key);
      await this.cache.set(this.key, {
        receivedAt: current.receivedAt,
        tokenSet: { accessToken: '', tokenType, expiresAt: 0, refreshToken, scope, idToken },
      });
    });
  }

  async peekToken(): Promise<string | undefined> {
    if (this.#local && this.isValid(this.#local.entry))
      return this.#local.entry.tokenSet.accessToken;
    const cached = await this.cache.get(this.key).catch(() => undefined);
    return cached && this.isValid(cached) ? this.adopt(cached).tokenSet.accessToken : undefined;
  }

  async status(): Promise<TokenSourceStatus> {
    const entry = this.#local?.entry ?? (await this.cache.get(this.key).catch(() => undefined));
    const lastErrorCode = this.#lastErrorCode;
    const expiresAt = entry?.tokenSet.accessToken ? entry.tokenSet.expiresAt : undefined;
    if (entry && this.isValid(entry)) {
      return { state: 'valid', expiresAt, ...(lastErrorCode ? { lastErrorCode } : {}) };
    }
    if (lastErrorCode) return { state: 'failed', lastErrorCode, expiresAt };
    return entry ? { state: 'expired', expiresAt } : { state: 'empty' };
  }

  /** Masks everything: a manager holds tokens. */
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return `TokenManager { key: ${this.key} }`;
  }

  toJSON(): object {
    return { key: this.key };
  }

  private refreshInBackground(): void {
    const now = this.#clock.now();
    if (this.#inflight || now < this.#backgroundRetryAt) return;
    this.refresh().catch((error: unknown) => {
      // Retry after a quarter of the remaining validity, at most 30 s: closer to expiry, sooner.
      const expiresAt = this.#local?.entry.tokenSet.expiresAt ?? now;
      this.#backgroundRetryAt =
        this.#clock.now() + Math.min(BACKGROUND_RETRY_MAX_MS, Math.max(0, expiresAt - now) / 4);
      this.options.logger?.warn(
        `Background token refresh failed (${codeOf(error)}); the current token stays in use ` +
          'until it expires.',
      );
    });
  }

  /** The single flight: at most one load per manager at a time. */
  private refresh(): Promise<TokenCacheEntry> {
    this.#inflight ??= this.load()
      .catch((error: unknown) => {
        this.#lastErrorCode = codeOf(error);
        throw error;
      })
      .finally(() => (this.#inflight = undefined));
    return this.#inflight;
  }

  private async load(): Promise<TokenCacheEntry> {
    const cached = await this.cache.get(this.key);
    if (cached && this.isFresh(cached)) return this.adopt(cached);
    return this.cache.withLock(this.key, async () => {
      const current = await this.cache.get(this.key);
      if (current && this.isFresh(current)) return this.adopt(current);
      try {
        const tokenSet = await this.provider.acquire({ current: current?.tokenSet });
        const entry: TokenCacheEntry = { tokenSet, receivedAt: this.#clock.now() };
        this.check(entry);
        await this.cache.set(this.key, entry).catch((error: unknown) => {
          // The token is good: use it from memory rather than acquire again on every call.
          this.options.logger?.warn(
            `Could not store the new token in the cache (${codeOf(error)}); using it from memory.`,
          );
        });
        this.#lastErrorCode = undefined;
        return this.adopt(entry);
      } catch (error) {
        if (error instanceof ReauthRequired) {
          this.#local = undefined;
          await this.cache.delete(this.key).catch(() => undefined);
        }
        throw error;
      }
    });
  }

  private check({ tokenSet, receivedAt }: TokenCacheEntry): void {
    if (typeof tokenSet?.accessToken !== 'string' || tokenSet.accessToken === '') {
      throw new InvalidTokenResponse('the provider returned no access token');
    }
    if (!Number.isFinite(tokenSet.expiresAt) || tokenSet.expiresAt <= receivedAt) {
      throw new InvalidTokenResponse('the provider returned a token that is already expired');
    }
  }

  private adopt(entry: TokenCacheEntry): TokenCacheEntry {
    this.#local = { entry, refreshAt: this.refreshAt(entry) };
    return entry;
  }

  /** When to start refreshing: the lead is capped by the lifetime and shortened by jitter. */
  private refreshAt({ tokenSet, receivedAt }: TokenCacheEntry): number {
    const lifetime = Math.max(0, tokenSet.expiresAt - receivedAt);
    const lead = Math.min(this.#refreshAheadMs, lifetime * this.#maxFraction);
    return tokenSet.expiresAt - lead * (1 - this.#jitterRatio * this.#random());
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

function nonNegative(value: number, name: string): number {
  if (!Number.isFinite(value) || value < 0) {
    throw new TypeError(`TokenManager: ${name} must be a finite number >= 0.`);
  }
  return value;
}

function ratio(value: number, name: string): number {
  if (!Number.isFinite(value) || value < 0 || value > 1) {
    throw new TypeError(`TokenManager: ${name} must be between 0 and 1.`);
  }
  return value;
}
