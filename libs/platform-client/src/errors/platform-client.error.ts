/**
 * Stable codes of {@link PlatformClientError}, for `switch` statements and assertions.
 * Token acquisition codes come first, then HTTP-client codes. Extend this union (never reuse a
 * code for a different meaning).
 */
export type PlatformClientErrorCode =
  | 'REAUTH_REQUIRED'
  | 'CLIENT_AUTH_FAILED'
  | 'INVALID_TOKEN_RESPONSE'
  | 'TOKEN_ENDPOINT_UNAVAILABLE'
  | 'THROTTLED'
  | 'INSECURE_ENDPOINT'
  | 'ISSUER_MISMATCH'
  | 'INSECURE_CACHE_PATH'
  | 'CACHE_LOCK_TIMEOUT'
  | 'CACHE_LEASE_LOST'
  | 'CACHE_UNAVAILABLE'
  | 'TOKEN_REQUEST_REJECTED'
  // DPoP (RFC 9449)
  | 'DPOP_TOKEN_NOT_BOUND'
  | 'DPOP_REJECTED'
  // Interactive login (device flow, authorization code + PKCE)
  | 'NOT_LOGGED_IN'
  | 'ACCESS_DENIED'
  | 'DEVICE_CODE_EXPIRED'
  | 'LOOPBACK_UNAVAILABLE'
  | 'BROWSER_UNAVAILABLE'
  | 'CALLBACK_TIMEOUT'
  | 'AUTHORIZATION_RESPONSE_REJECTED'
  | 'UNSUPPORTED_BY_ISSUER'
  // HTTP client (PlatformClient)
  | 'HTTP_UNAUTHORIZED'
  | 'HTTP_FORBIDDEN'
  | 'HTTP_THROTTLED'
  | 'HTTP_SERVER_ERROR'
  | 'HTTP_STATUS'
  | 'REQUEST_TIMEOUT'
  | 'REQUEST_ABORTED'
  | 'NETWORK_ERROR'
  | 'RESPONSE_TOO_LARGE'
  | 'INVALID_RESPONSE_BODY'
  | 'CLIENT_CLOSED';

/**
 * Base class of every error platform-client throws (invalid arguments and options, and
 * `InvalidClientConfigurationError`, are `TypeError`s instead). Carries a stable
 * {@link PlatformClientErrorCode} and, where there is one, the `cause`. Each subclass fixes its
 * code (`C`), so {@link isPlatformClientError} narrows a caught value to the union of the
 * subclasses and a `switch (error.code)` narrows to the one class. Messages never contain a
 * token, secret, refresh token, code verifier or device code.
 */
export class PlatformClientError<
  C extends PlatformClientErrorCode = PlatformClientErrorCode,
> extends Error {
  override readonly name: string = 'PlatformClientError';

  constructor(
    readonly code: C,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
