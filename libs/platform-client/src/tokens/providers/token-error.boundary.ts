import { ClientError, ResponseBodyError, WWWAuthenticateChallengeError } from 'openid-client';
import { AccessDeniedError } from '../../errors/access-denied.error.js';
import { DpopRejectedError } from '../../errors/dpop-rejected.error.js';
import { DeviceCodeExpiredError } from '../../errors/device-code-expired.error.js';
import { ClientAuthFailedError } from '../../errors/client-auth-failed.error.js';
import { InsecureEndpointError } from '../../errors/insecure-endpoint.error.js';
import { InvalidTokenResponseError } from '../../errors/invalid-token-response.error.js';
import { IssuerMismatchError } from '../../errors/issuer-mismatch.error.js';
import {
  PlatformClientError,
  type PlatformClientErrorCode,
} from '../../errors/platform-client.error.js';
import { ReauthRequiredError } from '../../errors/reauth-required.error.js';
import { ThrottledError } from '../../errors/throttled.error.js';
import { TokenRequestRejectedError } from '../../errors/token-request-rejected.error.js';
import { TokenEndpointUnavailableError } from '../../errors/token-endpoint-unavailable.error.js';
import { scrubCredentials } from '../../secrets/scrub-credentials.js';
import { parseRetryAfter } from '../../wire/retry-after.js';

/** Where the failure happened: discovery (no credential sent yet) or the token request. */
export interface TokenErrorContext {
  readonly phase: 'discovery' | 'token';
  readonly issuer: string;
  /** The caller's signal: when it aborted, its reason is rethrown as is. */
  readonly signal?: AbortSignal;
  /** For `Retry-After` dates. */
  readonly now: number;
  /** Credentials the failed request sent: scrubbed from any text passed on. */
  readonly credentials?: readonly string[];
}

/** Longest OAuth error code passed on. */
const MAX_ERROR_CODE = 64;
/** Codes that already describe a token acquisition failure; others (from a custom fetch) are wrapped. */
const TOKEN_CODES = new Set<PlatformClientErrorCode>([
  'REAUTH_REQUIRED',
  'CLIENT_AUTH_FAILED',
  'INVALID_TOKEN_RESPONSE',
  'TOKEN_ENDPOINT_UNAVAILABLE',
  'THROTTLED',
  'INSECURE_ENDPOINT',
  'ISSUER_MISMATCH',
  'TOKEN_REQUEST_REJECTED',
  'ACCESS_DENIED',
  'DEVICE_CODE_EXPIRED',
  'AUTHORIZATION_RESPONSE_REJECTED',
  'UNSUPPORTED_BY_ISSUER',
  'DPOP_TOKEN_NOT_BOUND',
  'DPOP_REJECTED',
]);

/**
 * The one place where openid-client / oauth4webapi / fetch errors become typed
 * `PlatformClientError`s. The originals are not kept as `cause`: theirs hold the response body,
 * which may contain tokens.
 */
export function toTokenError(error: unknown, context: TokenErrorContext): unknown {
  if (context.signal?.aborted) return context.signal.reason;
  const own = findOwn(error);
  if (own && TOKEN_CODES.has(own.code)) return own;
  if (own) {
    return new TokenEndpointUnavailableError(`the transport failed (${own.code})`, undefined, {
      cause: own,
    });
  }
  if (error instanceof ResponseBodyError) {
    return fromOAuthError(
      error.error,
      error.error_description,
      error.status,
      headersOf(error),
      context,
    );
  }
  if (error instanceof WWWAuthenticateChallengeError) {
    const raw = error.cause.find((c) => c.parameters.error)?.parameters.error;
    const oauthError = scrubCredentials(raw, context.credentials ?? [], MAX_ERROR_CODE);
    if (error.status === 401) return new ClientAuthFailedError(oauthError ?? 'invalid_client');
    return fromOAuthError(oauthError ?? '', undefined, error.status, headersOf(error), context);
  }
  if (error instanceof ClientError) return fromClientError(error, context);
  if (isNetworkError(error)) {
    return new TokenEndpointUnavailableError(
      `could not reach the ${context.phase} endpoint`,
      undefined,
      {
        cause: error.cause,
      },
    );
  }
  if (error instanceof TypeError) return error;
  return new TokenEndpointUnavailableError(`unexpected failure during ${context.phase}`);
}

function fromOAuthError(
  oauthError: string,
  description: string | undefined,
  status: number,
  headers: Headers | undefined,
  context: TokenErrorContext,
): PlatformClientError {
  const said = scrubCredentials(description, context.credentials ?? []);
  if (status === 429 || oauthError === 'slow_down') {
    return new ThrottledError(retryAfter(headers, context.now));
  }
  switch (oauthError) {
    case 'invalid_grant':
      return new ReauthRequiredError(said);
    case 'access_denied':
      return new AccessDeniedError(said);
    case 'expired_token':
      return new DeviceCodeExpiredError();
    case 'invalid_client':
    case 'unauthorized_client':
      return new ClientAuthFailedError(oauthError, said);
    case 'use_dpop_nonce':
    case 'invalid_dpop_proof':
      // openid-client already retried once with the server's nonce.
      return new DpopRejectedError('token_endpoint', oauthError, status);
    case 'temporarily_unavailable':
    case 'server_error':
      return new TokenEndpointUnavailableError(`the server reported ${oauthError}`, status);
  }
  if (status >= 500) return new TokenEndpointUnavailableError('the server failed', status);
  const code = scrubCredentials(oauthError, context.credentials ?? [], MAX_ERROR_CODE);
  return new TokenRequestRejectedError(code ?? 'unnamed_error', said);
}

function fromClientError(error: ClientError, context: TokenErrorContext): unknown {
  const cause: unknown = error.cause;
  // Whatever the body looked like, these statuses decide (a 429 or 5xx page is rarely JSON).
  const response = asResponse(cause);
  const status = response?.status;
  if (status === 429) return new ThrottledError(retryAfter(response?.headers, context.now));
  if (status !== undefined && status >= 500) {
    return new TokenEndpointUnavailableError(`the ${context.phase} endpoint failed`, status);
  }
  switch (error.code) {
    case 'OAUTH_RESPONSE_IS_NOT_CONFORM':
      return new TokenEndpointUnavailableError(
        `unexpected HTTP status from the ${context.phase} endpoint`,
        status,
      );
    case 'OAUTH_RESPONSE_IS_NOT_JSON':
    case 'OAUTH_PARSE_ERROR':
      return context.phase === 'token'
        ? new InvalidTokenResponseError('the body is not JSON')
        : new TokenEndpointUnavailableError('the discovery document is not JSON');
    case 'OAUTH_INVALID_RESPONSE':
      return context.phase === 'token'
        ? new InvalidTokenResponseError(safeMessage(cause, context) ?? 'malformed token response')
        : new TokenEndpointUnavailableError('the discovery document is invalid');
    case 'OAUTH_UNSUPPORTED_OPERATION':
      return new InvalidTokenResponseError('unsupported token_type');
    case 'OAUTH_JSON_ATTRIBUTE_COMPARISON_FAILED':
      return context.phase === 'discovery'
        ? new IssuerMismatchError(context.issuer)
        : new InvalidTokenResponseError('unexpected attribute value');
    case 'OAUTH_HTTP_REQUEST_FORBIDDEN':
    case 'OAUTH_REQUEST_PROTOCOL_FORBIDDEN':
      return new InsecureEndpointError(`${context.phase} endpoint`, context.issuer);
    case 'OAUTH_TIMEOUT':
      return new TokenEndpointUnavailableError(`the ${context.phase} request timed out`);
    case 'OAUTH_ABORT':
      return new TokenEndpointUnavailableError(`the ${context.phase} request was aborted`);
  }
  if (isNetworkError(cause)) {
    return new TokenEndpointUnavailableError(
      `could not reach the ${context.phase} endpoint`,
      undefined,
      {
        cause: cause.cause,
      },
    );
  }
  return new TokenEndpointUnavailableError(`unexpected failure during ${context.phase}`);
}

/** fetch's "fetch failed" (connection refused, reset, DNS, TLS): a TypeError with a cause. */
function isNetworkError(error: unknown): error is TypeError {
  return error instanceof TypeError && error.message === 'fetch failed';
}

/** Our own errors, thrown inside the guarded fetch and wrapped by openid-client. */
function findOwn(error: unknown): PlatformClientError | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current; depth++) {
    if (current instanceof PlatformClientError) return current;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

function headersOf(error: object): Headers | undefined {
  return asResponse((error as { response?: unknown }).response)?.headers;
}

/**
 * A fetch `Response`, by shape: undici's own `Response` (from a custom transport) is not an
 * instance of the global one.
 */
function asResponse(value: unknown): Pick<Response, 'status' | 'headers'> | undefined {
  const candidate = value as Partial<Response> | null | undefined;
  return typeof candidate?.status === 'number' && typeof candidate.headers?.get === 'function'
    ? (candidate as Response)
    : undefined;
}
/** The response's `Retry-After` in ms from `now` (see `parseRetryAfter`: at most a day). */
export function retryAfter(headers: Headers | undefined, now: number): number | undefined {
  return parseRetryAfter(headers?.get('retry-after'), now);
}

/** oauth4webapi's messages name the offending property, never its value; scrubbed anyway. */
function safeMessage(cause: unknown, context: TokenErrorContext): string | undefined {
  return cause instanceof Error
    ? scrubCredentials(cause.message, context.credentials ?? [])
    : undefined;
}
