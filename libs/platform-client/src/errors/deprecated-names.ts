// The error class names of 0.1, from before every class name ended in `Error` (issue #19):
// each is the same class under its old name, so `instanceof Old` and `catch (e: Old)` keep
// working. Exported from the package root and from `/login` (the login errors' entry). Nothing
// inside the library uses them; they go in 0.2.
import { AccessDeniedError } from './access-denied.error.js';
import { AuthorizationResponseError } from './authorization-response.error.js';
import { BrowserUnavailableError } from './browser-unavailable.error.js';
import { CacheLeaseLostError } from './cache-lease-lost.error.js';
import { CacheLockTimeoutError } from './cache-lock-timeout.error.js';
import { CacheUnavailableError } from './cache-unavailable.error.js';
import { CallbackTimeoutError } from './callback-timeout.error.js';
import { ClientAuthFailedError } from './client-auth-failed.error.js';
import { DeviceCodeExpiredError } from './device-code-expired.error.js';
import { InsecureCachePathError } from './insecure-cache-path.error.js';
import { InsecureEndpointError } from './insecure-endpoint.error.js';
import { InvalidTokenResponseError } from './invalid-token-response.error.js';
import { IssuerMismatchError } from './issuer-mismatch.error.js';
import { LoopbackUnavailableError } from './loopback-unavailable.error.js';
import { NotLoggedInError } from './not-logged-in.error.js';
import { ReauthRequiredError } from './reauth-required.error.js';
import { ThrottledError } from './throttled.error.js';
import { TokenEndpointUnavailableError } from './token-endpoint-unavailable.error.js';
import { TokenRequestRejectedError } from './token-request-rejected.error.js';
import { UnsupportedByIssuerError } from './unsupported-by-issuer.error.js';

// Token acquisition and caches (`@nest-platform/client`).

/** @deprecated Use {@link ReauthRequiredError}; removed in 0.2. */
export const ReauthRequired = ReauthRequiredError;
/** @deprecated Use {@link ReauthRequiredError}; removed in 0.2. */
export type ReauthRequired = ReauthRequiredError;

/** @deprecated Use {@link ClientAuthFailedError}; removed in 0.2. */
export const ClientAuthFailed = ClientAuthFailedError;
/** @deprecated Use {@link ClientAuthFailedError}; removed in 0.2. */
export type ClientAuthFailed = ClientAuthFailedError;

/** @deprecated Use {@link InvalidTokenResponseError}; removed in 0.2. */
export const InvalidTokenResponse = InvalidTokenResponseError;
/** @deprecated Use {@link InvalidTokenResponseError}; removed in 0.2. */
export type InvalidTokenResponse = InvalidTokenResponseError;

/** @deprecated Use {@link TokenEndpointUnavailableError}; removed in 0.2. */
export const TokenEndpointUnavailable = TokenEndpointUnavailableError;
/** @deprecated Use {@link TokenEndpointUnavailableError}; removed in 0.2. */
export type TokenEndpointUnavailable = TokenEndpointUnavailableError;

/** @deprecated Use {@link ThrottledError}; removed in 0.2. */
export const Throttled = ThrottledError;
/** @deprecated Use {@link ThrottledError}; removed in 0.2. */
export type Throttled = ThrottledError;

/** @deprecated Use {@link InsecureEndpointError}; removed in 0.2. */
export const InsecureEndpoint = InsecureEndpointError;
/** @deprecated Use {@link InsecureEndpointError}; removed in 0.2. */
export type InsecureEndpoint = InsecureEndpointError;

/** @deprecated Use {@link IssuerMismatchError}; removed in 0.2. */
export const IssuerMismatch = IssuerMismatchError;
/** @deprecated Use {@link IssuerMismatchError}; removed in 0.2. */
export type IssuerMismatch = IssuerMismatchError;

/** @deprecated Use {@link InsecureCachePathError}; removed in 0.2. */
export const InsecureCachePath = InsecureCachePathError;
/** @deprecated Use {@link InsecureCachePathError}; removed in 0.2. */
export type InsecureCachePath = InsecureCachePathError;

/** @deprecated Use {@link CacheLockTimeoutError}; removed in 0.2. */
export const CacheLockTimeout = CacheLockTimeoutError;
/** @deprecated Use {@link CacheLockTimeoutError}; removed in 0.2. */
export type CacheLockTimeout = CacheLockTimeoutError;

/** @deprecated Use {@link CacheLeaseLostError}; removed in 0.2. */
export const CacheLeaseLost = CacheLeaseLostError;
/** @deprecated Use {@link CacheLeaseLostError}; removed in 0.2. */
export type CacheLeaseLost = CacheLeaseLostError;

/** @deprecated Use {@link CacheUnavailableError}; removed in 0.2. */
export const CacheUnavailable = CacheUnavailableError;
/** @deprecated Use {@link CacheUnavailableError}; removed in 0.2. */
export type CacheUnavailable = CacheUnavailableError;

/** @deprecated Use {@link TokenRequestRejectedError}; removed in 0.2. */
export const TokenRequestRejected = TokenRequestRejectedError;
/** @deprecated Use {@link TokenRequestRejectedError}; removed in 0.2. */
export type TokenRequestRejected = TokenRequestRejectedError;

// Interactive login (`@nest-platform/client/login`).

/** @deprecated Use {@link NotLoggedInError}; removed in 0.2. */
export const NotLoggedIn = NotLoggedInError;
/** @deprecated Use {@link NotLoggedInError}; removed in 0.2. */
export type NotLoggedIn = NotLoggedInError;

/** @deprecated Use {@link AccessDeniedError}; removed in 0.2. */
export const AccessDenied = AccessDeniedError;
/** @deprecated Use {@link AccessDeniedError}; removed in 0.2. */
export type AccessDenied = AccessDeniedError;

/** @deprecated Use {@link DeviceCodeExpiredError}; removed in 0.2. */
export const DeviceCodeExpired = DeviceCodeExpiredError;
/** @deprecated Use {@link DeviceCodeExpiredError}; removed in 0.2. */
export type DeviceCodeExpired = DeviceCodeExpiredError;

/** @deprecated Use {@link LoopbackUnavailableError}; removed in 0.2. */
export const LoopbackUnavailable = LoopbackUnavailableError;
/** @deprecated Use {@link LoopbackUnavailableError}; removed in 0.2. */
export type LoopbackUnavailable = LoopbackUnavailableError;

/** @deprecated Use {@link BrowserUnavailableError}; removed in 0.2. */
export const BrowserUnavailable = BrowserUnavailableError;
/** @deprecated Use {@link BrowserUnavailableError}; removed in 0.2. */
export type BrowserUnavailable = BrowserUnavailableError;

/** @deprecated Use {@link CallbackTimeoutError}; removed in 0.2. */
export const CallbackTimeout = CallbackTimeoutError;
/** @deprecated Use {@link CallbackTimeoutError}; removed in 0.2. */
export type CallbackTimeout = CallbackTimeoutError;

/** @deprecated Use {@link AuthorizationResponseError}; removed in 0.2. */
export const AuthorizationFailed = AuthorizationResponseError;
/** @deprecated Use {@link AuthorizationResponseError}; removed in 0.2. */
export type AuthorizationFailed = AuthorizationResponseError;

/** @deprecated Use {@link UnsupportedByIssuerError}; removed in 0.2. */
export const UnsupportedByIssuer = UnsupportedByIssuerError;
/** @deprecated Use {@link UnsupportedByIssuerError}; removed in 0.2. */
export type UnsupportedByIssuer = UnsupportedByIssuerError;
