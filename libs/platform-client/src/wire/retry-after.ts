/** Longest delay a `Retry-After` is read as: a larger one (a date years away) counts as this. */
export const MAX_RETRY_AFTER_MS = 24 * 3600 * 1000;

/**
 * Parses a `Retry-After` header value into a delay in milliseconds: the one rule set of the
 * library, used for the API (`PlatformClient`) and the token endpoint alike.
 *
 * - delta-seconds (`120`, any number of digits);
 * - an HTTP-date (IMF-fixdate `Wed, 21 Oct 2015 07:28:00 GMT`, or one of the two obsolete
 *   formats, all starting with a day name), measured from `now`; a date in the past gives 0;
 * - anything else (negative, fractional, an ISO date, garbage, several values, whether as an
 *   array or comma-joined by fetch) gives `undefined`, and the caller uses its own back-off.
 *
 * The result is at most `capMs`.
 *
 * @param value the header value (an array when the header was repeated)
 * @param now epoch ms (injected clock) an HTTP-date is measured from
 * @param capMs upper bound of the result @default MAX_RETRY_AFTER_MS (one day)
 * @see RFC 9110 §10.2.3, §5.6.7
 */
export function parseRetryAfter(
  value: string | readonly string[] | null | undefined,
  now: number,
  capMs: number = MAX_RETRY_AFTER_MS,
): number | undefined {
  if (typeof value !== 'string') return undefined;
  const trimmed = value.trim();
  let ms: number;
  if (/^\d+$/.test(trimmed)) {
    ms = Number(trimmed) * 1000;
  } else {
    if (!/^[A-Za-z]{3,9}, /.test(trimmed)) return undefined;
    const at = Date.parse(trimmed);
    if (Number.isNaN(at)) return undefined;
    ms = Math.max(0, at - now);
  }
  return Math.min(ms, capMs);
}
