/**
 * Parses a `Retry-After` header value into a delay in milliseconds.
 * Accepts delta-seconds (`120`) and an HTTP-date (`Wed, 21 Oct 2015 07:28:00 GMT`); a date in
 * the past gives 0. Anything else (negative, fractional, garbage, several values) gives
 * `undefined`, and the caller falls back to its own back-off.
 *
 * @param value the header value
 * @param now epoch ms (injected clock) an HTTP-date is measured from
 * @see RFC 9110 §10.2.3
 */
export function parseRetryAfter(
  value: string | string[] | undefined,
  now: number,
): number | undefined {
  if (typeof value !== 'string') return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) {
    const seconds = Number(trimmed);
    return Number.isSafeInteger(seconds) ? seconds * 1000 : undefined;
  }
  // IMF-fixdate and the two obsolete formats all start with a day name (RFC 9110 §5.6.7).
  if (!/^[A-Za-z]{3,9}, /.test(trimmed)) return undefined;
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}
