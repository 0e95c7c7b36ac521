/** Shortest HMAC secret accepted, in bytes (256 bits). */
export const MIN_HMAC_SECRET_BYTES = 32;

/**
 * Why an HMAC secret is too weak, or `undefined` when it passes. A heuristic against the usual
 * mistakes (a short password, a repeated character or pattern, a hand-typed phrase), not a
 * proof of randomness: generate secrets with `crypto.randomBytes(32)`.
 */
export function weakHmacSecret(secret: Uint8Array): string | undefined {
  if (secret.length < MIN_HMAC_SECRET_BYTES) {
    return `is ${secret.length * 8} bits; at least ${MIN_HMAC_SECRET_BYTES * 8} are required`;
  }
  const counts = new Map<number, number>();
  for (const byte of secret) counts.set(byte, (counts.get(byte) ?? 0) + 1);
  if (counts.size < 16) return `uses only ${counts.size} distinct byte values (low entropy)`;
  let entropy = 0;
  for (const count of counts.values()) {
    const p = count / secret.length;
    entropy -= p * Math.log2(p);
  }
  if (entropy < 3) return 'has low entropy (under 3 bits per byte)';
  for (let period = 1; period <= secret.length / 2; period++) {
    let repeats = true;
    for (let i = period; i < secret.length && repeats; i++) {
      repeats = secret[i] === secret[i - period];
    }
    if (repeats) return `repeats a ${period}-byte pattern (low entropy)`;
  }
  return undefined;
}
