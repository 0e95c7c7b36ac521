import type { AuthContext } from '../context/auth-context.interface.js';

interface Entry {
  readonly context: AuthContext;
  /** The token's `exp` in epoch ms: the entry is never used at or after it. */
  readonly expiresAtMs: number;
  /** Its index in the insertion-order ring. */
  readonly slot: number;
}

/**
 * Successful verifications keyed by the exact token string, so a token presented again skips
 * the signature check. Bounded (oldest entry evicted first), an entry is never used at or past
 * the token's `exp`, and {@link clear} is called whenever an issuer's key set changes. Failures
 * are never cached: a rejected token is checked in full every time.
 *
 * Insertion order is kept in a ring of keys rather than read back from the map: evicting the
 * oldest entry of a `Map` through `keys().next()` walks over every slot deleted since the
 * table's last rehash, which made each insertion into a full cache cost microseconds.
 */
export class VerificationCache {
  private readonly entries = new Map<string, Entry>();
  /**
   * Keys in insertion order, oldest at {@link head}. Each entry names its slot, and removing an
   * entry early (expired) empties that slot, so the ring never holds a token the map dropped.
   */
  private readonly order: (string | undefined)[];
  private head = 0;
  private queued = 0;
  private chars = 0;

  /**
   * @param maxEntries bound on the number of entries (0: the cache is off)
   * @param maxChars bound on the summed length of the cached tokens, so long tokens cannot make
   *   the cache grow past what `maxEntries` suggests
   */
  constructor(
    private readonly maxEntries: number,
    private readonly maxChars = 16 * 1024 * 1024,
  ) {
    this.order = new Array<string | undefined>(maxEntries);
  }

  get size(): number {
    return this.entries.size;
  }

  /** The context verified earlier for this exact token, if still before its `exp`. */
  get(token: string, now: number): AuthContext | undefined {
    if (this.maxEntries === 0) return undefined;
    const entry = this.entries.get(token);
    if (entry === undefined) return undefined;
    if (now >= entry.expiresAtMs) {
      this.entries.delete(token);
      this.chars -= token.length;
      this.order[entry.slot] = undefined;
      return undefined;
    }
    return entry.context;
  }

  set(token: string, context: AuthContext, expiresAtMs: number, now: number): void {
    if (this.maxEntries === 0 || !(expiresAtMs > now) || this.entries.has(token)) return;
    while (
      this.queued > 0 &&
      (this.queued >= this.maxEntries || this.chars + token.length > this.maxChars)
    ) {
      this.evictOldest();
    }
    const slot = (this.head + this.queued) % this.maxEntries;
    this.entries.set(token, { context, expiresAtMs, slot });
    this.chars += token.length;
    this.order[slot] = token;
    this.queued += 1;
  }

  clear(): void {
    this.entries.clear();
    this.order.fill(undefined);
    this.head = 0;
    this.queued = 0;
    this.chars = 0;
  }

  /** Frees the oldest ring slot and drops the entry it names (none if it expired earlier). */
  private evictOldest(): void {
    const token = this.order[this.head];
    this.order[this.head] = undefined;
    this.head = (this.head + 1) % this.maxEntries;
    this.queued -= 1;
    if (token !== undefined && this.entries.delete(token)) this.chars -= token.length;
  }
}
