import type { AuthContext } from '../context/auth-context.interface.js';

interface Entry {
  readonly context: AuthContext;
  /** The token's `exp` in epoch ms: the entry is never used at or after it. */
  readonly expiresAtMs: number;
}

/**
 * Successful verifications keyed by the exact token string, so a token presented again skips
 * the signature check. Bounded (oldest entry evicted first), an entry is never used at or past
 * the token's `exp`, and {@link clear} is called whenever an issuer's key set changes. Failures
 * are never cached: a rejected token is checked in full every time.
 */
export class VerificationCache {
  private readonly entries = new Map<string, Entry>();
  private chars = 0;

  /**
   * @param maxEntries bound on the number of entries (0: the cache is off)
   * @param maxChars bound on the summed length of the cached tokens, so long tokens cannot make
   *   the cache grow past what `maxEntries` suggests
   */
  constructor(
    private readonly maxEntries: number,
    private readonly maxChars = 16 * 1024 * 1024,
  ) {}

  get size(): number {
    return this.entries.size;
  }

  /** The context verified earlier for this exact token, if still before its `exp`. */
  get(token: string, now: number): AuthContext | undefined {
    const entry = this.entries.get(token);
    if (entry === undefined) return undefined;
    if (now >= entry.expiresAtMs) {
      this.remove(token);
      return undefined;
    }
    return entry.context;
  }

  set(token: string, context: AuthContext, expiresAtMs: number, now: number): void {
    if (this.maxEntries === 0 || !(expiresAtMs > now) || this.entries.has(token)) return;
    while (
      this.entries.size > 0 &&
      (this.entries.size >= this.maxEntries || this.chars + token.length > this.maxChars)
    ) {
      this.remove(this.entries.keys().next().value as string);
    }
    this.entries.set(token, { context, expiresAtMs });
    this.chars += token.length;
  }

  clear(): void {
    this.entries.clear();
    this.chars = 0;
  }

  private remove(token: string): void {
    if (this.entries.delete(token)) this.chars -= token.length;
  }
}
