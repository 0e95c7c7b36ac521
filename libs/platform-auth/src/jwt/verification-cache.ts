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

  constructor(private readonly maxEntries: number) {}

  get size(): number {
    return this.entries.size;
  }

  /** The context verified earlier for this exact token, if still before its `exp`. */
  get(token: string, now: number): AuthContext | undefined {
    const entry = this.entries.get(token);
    if (entry === undefined) return undefined;
    if (now >= entry.expiresAtMs) {
      this.entries.delete(token);
      return undefined;
    }
    return entry.context;
  }

  set(token: string, context: AuthContext, expiresAtMs: number, now: number): void {
    if (this.maxEntries === 0 || !(expiresAtMs > now)) return;
    if (this.entries.size >= this.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
    this.entries.set(token, { context, expiresAtMs });
  }

  clear(): void {
    this.entries.clear();
  }
}
