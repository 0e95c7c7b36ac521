import { LRUCache } from 'lru-cache';
import type { AuthContext } from '../context/auth-context.interface.js';

interface Entry {
  /** The whole token: a lookup by its tail is a hit only when the token is this one. */
  readonly token: string;
  readonly context: AuthContext;
  /** The token's `exp` in epoch ms: the entry is never used at or after it. */
  readonly expiresAtMs: number;
}

/** Characters of a token's end that key the map: they lie in a compact JWS's signature. */
const KEY_LENGTH = 32;

/**
 * Successful verifications of the exact token string, so a token presented again skips the
 * signature check. Bounded by entry count and by the summed length of the cached tokens (least
 * recently used entry evicted first, through `lru-cache`), an entry is never used at or past the
 * token's `exp`, and {@link clear} is called whenever an issuer's key set changes. Failures are
 * never cached: a rejected token is checked in full every time.
 *
 * Expiry is checked here against the caller's clock (the provider's injectable `now`) rather than
 * through `lru-cache`'s TTL, which reads its own monotonic clock: a test that moves the provider's
 * clock past `exp` must see the entry refused, exactly as a verification would refuse the token.
 *
 * The map is keyed by the token's last {@link KEY_LENGTH} characters, not the whole token:
 * hashing a new 1 KiB string on every request cost more than the rest of a lookup. The tail
 * only finds the entry; the entry is used only when its whole token equals the one presented,
 * so a token that shares another's tail (a forged one, say) is a miss, never that token's
 * context. Two verified tokens whose signatures end alike are not expected to exist; if they
 * did, the second would simply not be cached.
 */
export class VerificationCache {
  private readonly entries: LRUCache<string, Entry> | undefined;

  /**
   * @param maxEntries bound on the number of entries (0: the cache is off)
   * @param maxChars bound on the summed length of the cached tokens, so long tokens cannot make
   *   the cache grow past what `maxEntries` suggests
   */
  constructor(maxEntries: number, maxChars = 16 * 1024 * 1024) {
    this.entries =
      maxEntries === 0
        ? undefined
        : new LRUCache<string, Entry>({
            max: maxEntries,
            maxSize: maxChars,
            sizeCalculation: (entry) => entry.token.length,
          });
  }

  get size(): number {
    return this.entries?.size ?? 0;
  }

  /** The context verified earlier for this exact token, if still before its `exp`. */
  get(token: string, now: number): AuthContext | undefined {
    if (this.entries === undefined) return undefined;
    const key = keyOf(token);
    const entry = this.entries.get(key);
    if (entry === undefined || entry.token !== token) return undefined;
    if (now >= entry.expiresAtMs) {
      this.entries.delete(key);
      return undefined;
    }
    return entry.context;
  }

  set(token: string, context: AuthContext, expiresAtMs: number, now: number): void {
    if (this.entries === undefined || !(expiresAtMs > now)) return;
    const key = keyOf(token);
    // A live entry under this tail stays, whichever token holds it (see the class comment).
    const held = this.entries.peek(key);
    if (held !== undefined && now < held.expiresAtMs) return;
    this.entries.set(key, { token, context, expiresAtMs });
  }

  clear(): void {
    this.entries?.clear();
  }
}

function keyOf(token: string): string {
  return token.length > KEY_LENGTH ? token.slice(-KEY_LENGTH) : token;
}
