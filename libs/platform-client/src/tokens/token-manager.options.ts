import type { TokenCacheEntry } from '../caches/token-cache-entry.js';
import { InvalidTokenResponseError } from '../errors/invalid-token-response.error.js';
import type { Clock } from '../shared/clock.js';

/** Where the token manager reports what happened (never with a token or secret). */
export interface TokenLogger {
  log(message: string): void;
  warn(message: string): void;
  error?(message: string): void;
}

/** Options of `TokenManager`. */
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
  /**
   * Longest wait honoured from a throttled token request's `Retry-After`: until it elapses,
   * acquisitions for the key fail fast with `ThrottledError` (no request) and background refreshes
   * wait. A longer `Retry-After` (an absurd one, a date years away) counts as this.
   * @default 300_000 (5 minutes)
   */
  readonly retryAfterCapMs?: number;
  /**
   * Deadline of one acquisition (the provider's work under the cache lock: discovery and token
   * request, or an external function), in wall-clock ms. Past it the provider's signal aborts,
   * the acquisition fails with `TOKEN_ENDPOINT_UNAVAILABLE`, the cache lock is released and the
   * next call starts afresh. Keep it below the file cache's `lockTimeoutMs`, so that processes
   * waiting for the lock outlast a stuck holder.
   * @default 30_000
   */
  readonly acquireTimeoutMs?: number;
  readonly logger?: TokenLogger;
  /**
   * Whether the manager owns the cache: `close()` then closes it too (its optional `close()`,
   * e.g. a Redis connection). `createAccessTokenSource` sets it for a cache it built from options.
   * @default false
   */
  readonly ownsCache?: boolean;
}

/** The validated refresh-ahead settings. */
export interface RefreshTiming {
  readonly refreshAheadMs: number;
  readonly maxFraction: number;
  readonly jitterRatio: number;
}

/** @throws TypeError naming the option */
export function resolveRefreshTiming(options: TokenManagerOptions): RefreshTiming {
  return {
    refreshAheadMs: nonNegative(options.refreshAheadMs ?? 300_000, 'refreshAheadMs'),
    maxFraction: ratioOption(options.refreshAheadMaxFraction ?? 0.5, 'refreshAheadMaxFraction'),
    jitterRatio: ratioOption(options.refreshJitterRatio ?? 0.2, 'refreshJitterRatio'),
  };
}

/**
 * When to start refreshing `entry`: the lead is capped by the lifetime and shortened by jitter
 * (`random` in [0, 1)).
 */
export function refreshAt(
  { tokenSet, receivedAt }: TokenCacheEntry,
  timing: RefreshTiming,
  random: number,
): number {
  const lifetime = Math.max(0, tokenSet.expiresAt - receivedAt);
  const lead = Math.min(timing.refreshAheadMs, lifetime * timing.maxFraction);
  return tokenSet.expiresAt - lead * (1 - timing.jitterRatio * random);
}

/** Refuses what a provider returned unless it is a token that has not expired yet. */
export function checkAcquired({ tokenSet, receivedAt }: TokenCacheEntry): void {
  if (typeof tokenSet?.accessToken !== 'string' || tokenSet.accessToken === '') {
    throw new InvalidTokenResponseError('the provider returned no access token');
  }
  if (!Number.isFinite(tokenSet.expiresAt) || tokenSet.expiresAt <= receivedAt) {
    throw new InvalidTokenResponseError('the provider returned a token that is already expired');
  }
}

/** `value` (or `fallback` when undefined), which must be a finite number > 0. */
export function positiveOption(value: number | undefined, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new TypeError(`TokenManager: ${name} must be a finite number > 0.`);
  }
  return value;
}

function nonNegative(value: number, name: string): number {
  if (!Number.isFinite(value) || value < 0) {
    throw new TypeError(`TokenManager: ${name} must be a finite number >= 0.`);
  }
  return value;
}

/** A number between 0 and 1. */
export function ratioOption(value: number, name: string): number {
  if (!Number.isFinite(value) || value < 0 || value > 1) {
    throw new TypeError(`TokenManager: ${name} must be between 0 and 1.`);
  }
  return value;
}
