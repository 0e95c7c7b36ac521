import { TOKEN_FINGERPRINT, tokenFingerprint } from '../shared/token-fingerprint.js';

/** How many fingerprints are kept (the first one retired is always among them). */
export const MAX_RETIRED_REFRESH_TOKENS = 32;

/**
 * Refresh tokens that must never be presented again (the server rejected them, or rotation
 * replaced them), remembered by {@link tokenFingerprint}, never by value. Bounded: past
 * {@link MAX_RETIRED_REFRESH_TOKENS} the second oldest is forgotten, so the first one retired
 * (usually the configured refresh token, the one a restart would fall back to) stays.
 */
export class RetiredRefreshTokens {
  readonly #fingerprints: string[] = [];

  /** Whether `refreshToken` was retired. */
  has(refreshToken: string): boolean {
    return this.#fingerprints.includes(tokenFingerprint(refreshToken));
  }

  /** Retires `refreshToken`. */
  add(refreshToken: string): void {
    this.addFingerprints([tokenFingerprint(refreshToken)]);
  }

  /** Merges fingerprints read from a cache entry (malformed ones are ignored). */
  addFingerprints(fingerprints: readonly string[] | undefined): void {
    for (const fingerprint of fingerprints ?? []) {
      if (!TOKEN_FINGERPRINT.test(fingerprint) || this.#fingerprints.includes(fingerprint)) {
        continue;
      }
      this.#fingerprints.push(fingerprint);
      if (this.#fingerprints.length > MAX_RETIRED_REFRESH_TOKENS) this.#fingerprints.splice(1, 1);
    }
  }

  /** The fingerprints, oldest first, for a cache entry. */
  toArray(): string[] {
    return [...this.#fingerprints];
  }

  get size(): number {
    return this.#fingerprints.length;
  }
}
