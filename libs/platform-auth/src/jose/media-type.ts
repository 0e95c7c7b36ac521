/**
 * A `typ` value as the media type it names (RFC 7515 §4.1.9, RFC 8725 §3.11): lower case, with
 * `application/` added when it has no top-level type (`AT+JWT` → `application/at+jwt`).
 */
export function mediaType(value: string): string {
  const lower = value.toLowerCase();
  return lower.includes('/') ? lower : `application/${lower}`;
}

/**
 * Whether a `typ` header names `expected`, a {@link mediaType} computed once: so `at+jwt`,
 * `AT+JWT` and `application/at+jwt` all name `application/at+jwt`, and any other top-level type
 * does not. Non-strings never match.
 */
export function isMediaType(typ: unknown, expected: string): boolean {
  return typeof typ === 'string' && mediaType(typ) === expected;
}
