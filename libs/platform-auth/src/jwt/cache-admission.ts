/**
 * Admission to the verification cache: a token enters the cache on its second successful
 * verification, not its first (TinyLFU's "doorkeeper").
 *
 * A resource server's tokens are mostly either reused many times (a client's current access
 * token) or seen once. Caching the second kind buys nothing: each one would push a reusable
 * entry out of a cache that evicts its oldest entry first, and would stay alive (token string,
 * context, claims) until evicted. Admission on the second sighting keeps them out, for the price
 * of one more verification per reused token.
 *
 * Sightings are 32-bit fingerprints in a direct-mapped table of integers: no object per token,
 * nothing for the garbage collector to trace, and a newer token simply takes an older one's
 * slot. A fingerprint collision only moves a token's admission by one sighting; it never
 * decides whether a token is valid (only verified tokens are offered, and the cache's own rules
 * for `exp` and key-set changes apply to every entry).
 */
export class CacheAdmission {
  private readonly sightings: Int32Array;
  /** Right shift that turns a fingerprint's high bits into a slot index. */
  private readonly shift: number;

  /** @param expectedTokens how many distinct tokens to remember (rounded up to a power of two) */
  constructor(expectedTokens: number) {
    const bits = Math.min(24, Math.max(4, Math.ceil(Math.log2(Math.max(1, expectedTokens)))));
    this.sightings = new Int32Array(2 ** bits);
    this.shift = 32 - bits;
  }

  /**
   * Records a verified token; `true` when it was recorded before (the caller caches it now).
   */
  admit(token: string): boolean {
    const fingerprint = fingerprintOf(token);
    const slot = fingerprint >>> this.shift;
    if (this.sightings[slot] === fingerprint) return true;
    this.sightings[slot] = fingerprint;
    return false;
  }
}

/** Characters hashed from the end of a token: a compact JWS ends with its signature. */
const TAIL = 32;

/**
 * FNV-1a over the token's last {@link TAIL} characters, which lie in the signature of a compact
 * JWS (two different signed tokens have different signatures), then MurmurHash3's finaliser so
 * that every character reaches the high bits the slot is taken from; never 0, the empty slot's
 * value.
 */
function fingerprintOf(token: string): number {
  let hash = 0x811c9dc5 | 0;
  for (let index = Math.max(0, token.length - TAIL); index < token.length; index += 1) {
    hash = Math.imul(hash ^ token.charCodeAt(index), 0x01000193);
  }
  hash = Math.imul(hash ^ (hash >>> 16), 0x85ebca6b);
  hash = Math.imul(hash ^ (hash >>> 13), 0xc2b2ae35);
  hash ^= hash >>> 16;
  return hash === 0 ? 1 : hash;
}
