// RFC 6750 §2.1: b64token = 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"="
const B64TOKEN = /^[A-Za-z0-9\-._~+/]+=*$/;

/**
 * Whether a value is an RFC 6750 `b64token`: the syntax of a bearer token, in the
 * `Authorization` header and the `access_token` parameter alike, and of an auth-context
 * snapshot (a compact JWS is one).
 * @see https://www.rfc-editor.org/rfc/rfc6750#section-2.1
 */
export function isB64token(value: string): boolean {
  return B64TOKEN.test(value);
}
