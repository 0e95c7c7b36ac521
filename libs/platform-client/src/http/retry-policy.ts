/** Methods retried without an explicit opt-in (RFC 9110 §9.2.2). */
const IDEMPOTENT_METHODS: ReadonlySet<string> = new Set([
  'GET',
  'HEAD',
  'OPTIONS',
  'PUT',
  'DELETE',
]);

/** Whether `method` is idempotent by definition; POST and PATCH need `idempotent: true`. */
export function isIdempotentMethod(method: string): boolean {
  return IDEMPOTENT_METHODS.has(method);
}

/** Statuses worth another attempt: throttling and server-side failures. */
export function isRetryableStatus(status: number): boolean {
  return status === 429 || (status >= 500 && status <= 599);
}

/**
 * Full-jitter exponential back-off: `random(0, min(capMs, baseMs * 2^retry))`.
 *
 * @param retry 0 for the first retry
 * @param random a source in [0, 1) (injected in tests)
 * @see https://aws.amazon.com/blogs/architecture/exponential-backoff-and-jitter/
 */
export function fullJitterDelay(
  retry: number,
  baseMs: number,
  capMs: number,
  random: () => number,
): number {
  const ceiling = Math.min(capMs, baseMs * 2 ** retry);
  return Math.floor(random() * ceiling);
}
