import type { ClientClosedError } from '../http/errors/client-closed.error.js';
import type { InvalidResponseBodyError } from '../http/errors/invalid-response-body.error.js';
import type { PlatformHttpError } from '../http/errors/platform-http.error.js';
import type { PlatformNetworkError } from '../http/errors/platform-network.error.js';
import type { RequestAbortedError } from '../http/errors/request-aborted.error.js';
import type { RequestTimeoutError } from '../http/errors/request-timeout.error.js';
import type { ResponseTooLargeError } from '../http/errors/response-too-large.error.js';
import type { AccessDeniedError } from './access-denied.error.js';
import type { AuthorizationResponseError } from './authorization-response.error.js';
import type { BrowserUnavailableError } from './browser-unavailable.error.js';
import type { CacheLeaseLostError } from './cache-lease-lost.error.js';
import type { CacheLockTimeoutError } from './cache-lock-timeout.error.js';
import type { CacheUnavailableError } from './cache-unavailable.error.js';
import type { CallbackTimeoutError } from './callback-timeout.error.js';
import type { ClientAuthFailedError } from './client-auth-failed.error.js';
import type { DeviceCodeExpiredError } from './device-code-expired.error.js';
import type { DpopRejectedError } from './dpop-rejected.error.js';
import type { DpopTokenNotBoundError } from './dpop-token-not-bound.error.js';
import type { InsecureCachePathError } from './insecure-cache-path.error.js';
import type { InsecureEndpointError } from './insecure-endpoint.error.js';
import type { InvalidTokenResponseError } from './invalid-token-response.error.js';
import type { IssuerMismatchError } from './issuer-mismatch.error.js';
import type { LoopbackUnavailableError } from './loopback-unavailable.error.js';
import type { NotLoggedInError } from './not-logged-in.error.js';
import { PlatformClientError } from './platform-client.error.js';
import type { ReauthRequiredError } from './reauth-required.error.js';
import type { ThrottledError } from './throttled.error.js';
import type { TokenEndpointUnavailableError } from './token-endpoint-unavailable.error.js';
import type { TokenRequestRejectedError } from './token-request-rejected.error.js';
import type { UnsupportedByIssuerError } from './unsupported-by-issuer.error.js';

/**
 * Every error class platform-client throws (token acquisition and caches, DPoP, interactive
 * login, the HTTP client), as a union discriminated by `code`: after
 * {@link isPlatformClientError}, `switch (error.code)` narrows to the class with that code.
 * Not in it: `InvalidClientConfigurationError` (`/config`), a `TypeError` like every invalid
 * option.
 */
export type KnownPlatformClientError =
  // Token acquisition and caches
  | ReauthRequiredError
  | ClientAuthFailedError
  | InvalidTokenResponseError
  | TokenEndpointUnavailableError
  | ThrottledError
  | InsecureEndpointError
  | IssuerMismatchError
  | InsecureCachePathError
  | CacheLockTimeoutError
  | CacheLeaseLostError
  | CacheUnavailableError
  | TokenRequestRejectedError
  // DPoP
  | DpopTokenNotBoundError
  | DpopRejectedError
  // Interactive login
  | NotLoggedInError
  | AccessDeniedError
  | DeviceCodeExpiredError
  | LoopbackUnavailableError
  | BrowserUnavailableError
  | CallbackTimeoutError
  | AuthorizationResponseError
  | UnsupportedByIssuerError
  // HTTP client
  | PlatformHttpError
  | PlatformNetworkError
  | RequestTimeoutError
  | RequestAbortedError
  | ResponseTooLargeError
  | InvalidResponseBodyError
  | ClientClosedError;

/** Whether a caught value is one of platform-client's errors, typed so that its `code` narrows. */
export function isPlatformClientError(error: unknown): error is KnownPlatformClientError {
  return error instanceof PlatformClientError;
}
