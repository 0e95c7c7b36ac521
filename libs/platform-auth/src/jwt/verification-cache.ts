import type { AuthContext } from '../context/auth-context.interface.js';

interface Entry {
  /** The whole token: a lookup by its tail is a hit only when the token is this one. */
  readonly token: string;
  readonly context: AuthContext;
  /** The token's `exp` in epoch ms: the entry is never used at or after it. */
  readonly expiresAtMs: number;
  /** Its index in the insertion-order ring. */
  readonly slot: number;
}

/** Characters of a token's end that key the map: they lie in a compact JWS's signature. */
const KEY_LENGTH = 32;

/**
 * Successful verifications of the exact token string, so a token presented again skips the
 * signature check. Bounded (oldest entry evicted first), an entry is never used at or past
 * the token's `exp`, and {@link clear} is called whenever an issuer's key set changes. Failures
 * are never cached: a rejected token is checked in full every time.
 *
 * The map is keyed by the token's last {@link KEY_LENGTH} characters, not the whole token:
 * hashing a new 1 KiB string on every request cost more than the rest of a lookup. The tail
 * only finds the entry; the entry is used only when its whole token equals the one presented,
 * so a token that shares another's tail (a forged one, say) is a miss, never that token's
 * context. Two verified tokens whose signatures end alike are not expected to exist; if they
 * did, the second would simply not be cached.
 *
 * Insertion order is kept in a ring of keys rather than read back from the map: evicting the
 * oldest entry of a `Map` through `keys().next()` walks over every slot deleted since the
 * table's last rehash, which made each insertion into a full cache cost microseconds.
 */
export class VerificationCache {
  private readonly entries = new Map<string, Entry>();
  /**
   * Map keys in insertion order, oldest at {@link head}. Each entry names its slot, and removing
   * an entry early (expired) empties that slot, so the ring never holds a key the map dropped.
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
    const key = keyOf(token);
    const entry = this.entries.get(key);
    if (entry === undefined || entry.token !== token) return undefined;
    if (now >= entry.expiresAtMs) {
      this.entries.delete(key);
      this.chars -= token.length;
      this.order[entry.slot] = undefined;
      return undefined;
    }
    return entry.context;
  }

  set(token: string, context: AuthContext, expiresAtMs: number, now: number): void {
    const key = keyOf(token);
    if (this.maxEntries === 0 || !(expiresAtMs > now) || this.entries.has(key)) return;
    while (
      this.queued > 0 &&
      (this.queued >= this.maxEntries || this.chars + token.length > this.maxChars)
    ) {
      this.evictOldest();
    }
    const slot = (this.head + this.queued) % this.maxEntries;
    this.entries.set(key, { token, context, expiresAtMs, slot });
    this.chars += token.length;
    this.order[slot] = key;
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
    const key = this.order[this.head];
    this.order[this.head] = undefined;
    this.head = (this.head + 1) % this.maxEntries;
    this.queued -= 1;
    const entry = key === undefined ? undefined : this.entries.get(key);
    if (entry !== undefined) {
      this.entries.delete(key!);
      this.chars -= entry.token.length;
    }
  }
}

function keyOf(token: string): string {
  return token.length > KEY_LENGTH ? token.slice(-KEY_LENGTH) : token;
}
