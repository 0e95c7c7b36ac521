import type { TokenCacheEntry } from '../caches/token-cache-entry.js';
import { RetiredRefreshTokens } from './retired-refresh-tokens.js';

/** The part of a cache entry that every token source of the key must honour. */
export type SharedTokenState = Pick<TokenCacheEntry, 'retiredRefreshTokens' | 'throttledUntil'>;

/**
 * What one token manager knows about its cache key beyond the token itself, and shares with the
 * other token sources of the key through the cache entry: the refresh tokens never to present
 * again, and until when the server asked not to be called (`Retry-After`).
 */
export class TokenKeyState {
  readonly retired = new RetiredRefreshTokens();
  #throttledUntil = 0;

  constructor(private readonly retryAfterCapMs: number) {}

  /**
   * Adopts what another token source stored (both only ever grow). Read under the cache lock, a
   * refresh token still marked as being presented (`refreshing`) was left by a holder that
   * stopped before the answer: it is retired too. Returns whether such a marker was found.
   */
  learn(entry: TokenCacheEntry | undefined): boolean {
    this.retired.addFingerprints(entry?.retiredRefreshTokens);
    this.#throttledUntil = Math.max(this.#throttledUntil, entry?.throttledUntil ?? 0);
    if (entry?.refreshing === undefined) return false;
    this.retired.addFingerprints([entry.refreshing]);
    return true;
  }

  /** The server asked for `retryAfterMs` of quiet (capped at `retryAfterCapMs`). */
  throttle(retryAfterMs: number, now: number): void {
    const until = now + Math.min(retryAfterMs, this.retryAfterCapMs);
    this.#throttledUntil = Math.max(this.#throttledUntil, until);
  }

  /** How long no token request may be sent, from `now` (0: it may). */
  throttledFor(now: number): number {
    return Math.max(0, this.#throttledUntil - now);
  }

  /** The fields to store with an entry. */
  shared(now: number): SharedTokenState {
    return {
      ...(this.retired.size > 0 ? { retiredRefreshTokens: this.retired.toArray() } : {}),
      ...(this.#throttledUntil > now ? { throttledUntil: this.#throttledUntil } : {}),
    };
  }
}
