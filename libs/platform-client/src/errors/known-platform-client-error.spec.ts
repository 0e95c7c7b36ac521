import { describe, expect, it } from '@jest/globals';
import {
  AuthorizationFailedError,
  AuthorizationDecision,
  PlatformAuthError,
} from '@nest-platform/auth';
import { ClientClosedError } from '../http/errors/client-closed.error.js';
import * as httpErrors from '../http/errors/index.js';
import { InvalidResponseBodyError } from '../http/errors/invalid-response-body.error.js';
import { PlatformHttpError } from '../http/errors/platform-http.error.js';
import { PlatformNetworkError } from '../http/errors/platform-network.error.js';
import { RequestAbortedError } from '../http/errors/request-aborted.error.js';
import { RequestTimeoutError } from '../http/errors/request-timeout.error.js';
import { ResponseTooLargeError } from '../http/errors/response-too-large.error.js';
import { AccessDeniedError } from './access-denied.error.js';
import { AuthorizationResponseError } from './authorization-response.error.js';
import { BrowserUnavailableError } from './browser-unavailable.error.js';
import { CacheLeaseLostError } from './cache-lease-lost.error.js';
import { CacheLockTimeoutError } from './cache-lock-timeout.error.js';
import { CacheUnavailableError } from './cache-unavailable.error.js';
import { CallbackTimeoutError } from './callback-timeout.error.js';
import { ClientAuthFailedError } from './client-auth-failed.error.js';
import * as deprecatedNames from './deprecated-names.js';
import { AuthorizationFailed, ReauthRequired, Throttled } from './deprecated-names.js';
import { DeviceCodeExpiredError } from './device-code-expired.error.js';
import { DpopRejectedError } from './dpop-rejected.error.js';
import { DpopTokenNotBoundError } from './dpop-token-not-bound.error.js';
import { InsecureCachePathError } from './insecure-cache-path.error.js';
import { InsecureEndpointError } from './insecure-endpoint.error.js';
import { InvalidTokenResponseError } from './invalid-token-response.error.js';
import { IssuerMismatchError } from './issuer-mismatch.error.js';
import {
  isPlatformClientError,
  type KnownPlatformClientError,
} from './known-platform-client-error.js';
import * as loginErrors from './login-errors.js';
import { LoopbackUnavailableError } from './loopback-unavailable.error.js';
import { NotLoggedInError } from './not-logged-in.error.js';
import { PlatformClientError, type PlatformClientErrorCode } from './platform-client.error.js';
import { ReauthRequiredError } from './reauth-required.error.js';
import { ThrottledError } from './throttled.error.js';
import { TokenEndpointUnavailableError } from './token-endpoint-unavailable.error.js';
import * as tokenErrors from './token-errors.js';
import { TokenRequestRejectedError } from './token-request-rejected.error.js';
import { UnsupportedByIssuerError } from './unsupported-by-issuer.error.js';

/** What a caller's `switch` reads; it compiles only because `code` narrows to one class. */
function describeError(error: KnownPlatformClientError): string {
  switch (error.code) {
    case 'HTTP_UNAUTHORIZED':
    case 'HTTP_FORBIDDEN':
    case 'HTTP_THROTTLED':
    case 'HTTP_SERVER_ERROR':
    case 'HTTP_STATUS':
      return `http ${error.status} ${error.method} ${error.path}`;
    case 'THROTTLED':
      return `throttled ${error.retryAfterMs ?? 'no Retry-After'}`;
    case 'CACHE_UNAVAILABLE':
      return `cache ${error.reason}`;
    case 'TOKEN_ENDPOINT_UNAVAILABLE':
      return `token endpoint ${error.status ?? 'no status'}`;
    case 'DPOP_REJECTED':
      return `dpop ${error.at} ${error.oauthError}`;
    case 'AUTHORIZATION_RESPONSE_REJECTED':
      return `authorization response ${error.reason}`;
    case 'NETWORK_ERROR':
      return `network ${error.causeCode ?? 'no code'}`;
    case 'REAUTH_REQUIRED':
    case 'CLIENT_AUTH_FAILED':
    case 'INVALID_TOKEN_RESPONSE':
    case 'INSECURE_ENDPOINT':
    case 'ISSUER_MISMATCH':
    case 'INSECURE_CACHE_PATH':
    case 'CACHE_LOCK_TIMEOUT':
    case 'CACHE_LEASE_LOST':
    case 'TOKEN_REQUEST_REJECTED':
    case 'DPOP_TOKEN_NOT_BOUND':
    case 'NOT_LOGGED_IN':
    case 'ACCESS_DENIED':
    case 'DEVICE_CODE_EXPIRED':
    case 'LOOPBACK_UNAVAILABLE':
    case 'BROWSER_UNAVAILABLE':
    case 'CALLBACK_TIMEOUT':
    case 'UNSUPPORTED_BY_ISSUER':
    case 'REQUEST_TIMEOUT':
    case 'REQUEST_ABORTED':
    case 'RESPONSE_TOO_LARGE':
    case 'INVALID_RESPONSE_BODY':
    case 'CLIENT_CLOSED':
      return error.name;
    default: {
      const unhandled: never = error; // a new class without a case fails the typecheck here
      return unhandled;
    }
  }
}

const http = (status: number) =>
  new PlatformHttpError({ status, method: 'GET', path: '/orders', attempts: 1 });

/** One instance per code: a code without an entry (so a class without one) fails the typecheck. */
const byCode: { readonly [C in PlatformClientErrorCode]: KnownPlatformClientError } = {
  REAUTH_REQUIRED: new ReauthRequiredError(),
  CLIENT_AUTH_FAILED: new ClientAuthFailedError('invalid_client'),
  INVALID_TOKEN_RESPONSE: new InvalidTokenResponseError('access_token is missing'),
  TOKEN_ENDPOINT_UNAVAILABLE: new TokenEndpointUnavailableError('the server failed', 503),
  THROTTLED: new ThrottledError(7_000),
  INSECURE_ENDPOINT: new InsecureEndpointError('issuer', 'http://issuer.example'),
  ISSUER_MISMATCH: new IssuerMismatchError('https://issuer.example'),
  INSECURE_CACHE_PATH: new InsecureCachePathError('/tmp/cache', 'it is a symbolic link'),
  CACHE_LOCK_TIMEOUT: new CacheLockTimeoutError(10),
  CACHE_LEASE_LOST: new CacheLeaseLostError(),
  CACHE_UNAVAILABLE: new CacheUnavailableError('timeout', undefined, 1_000),
  TOKEN_REQUEST_REJECTED: new TokenRequestRejectedError('invalid_scope'),
  DPOP_TOKEN_NOT_BOUND: new DpopTokenNotBoundError(),
  DPOP_REJECTED: new DpopRejectedError('token_endpoint', 'invalid_dpop_proof', 400),
  NOT_LOGGED_IN: new NotLoggedInError(),
  ACCESS_DENIED: new AccessDeniedError(),
  DEVICE_CODE_EXPIRED: new DeviceCodeExpiredError(),
  LOOPBACK_UNAVAILABLE: new LoopbackUnavailableError([8400, 8401]),
  BROWSER_UNAVAILABLE: new BrowserUnavailableError('no display'),
  CALLBACK_TIMEOUT: new CallbackTimeoutError(120_000),
  AUTHORIZATION_RESPONSE_REJECTED: new AuthorizationResponseError('server_error'),
  UNSUPPORTED_BY_ISSUER: new UnsupportedByIssuerError('device_authorization_endpoint'),
  HTTP_UNAUTHORIZED: http(401),
  HTTP_FORBIDDEN: http(403),
  HTTP_THROTTLED: http(429),
  HTTP_SERVER_ERROR: http(503),
  HTTP_STATUS: http(404),
  REQUEST_TIMEOUT: new RequestTimeoutError('GET', '/orders', 30_000),
  REQUEST_ABORTED: new RequestAbortedError('GET', '/orders'),
  NETWORK_ERROR: new PlatformNetworkError('GET', '/orders', 3, {
    cause: Object.assign(new Error('connect'), { code: 'ECONNREFUSED' }),
  }),
  RESPONSE_TOO_LARGE: new ResponseTooLargeError('GET', '/orders', 1024),
  INVALID_RESPONSE_BODY: new InvalidResponseBodyError(200),
  CLIENT_CLOSED: new ClientClosedError('GET', '/orders'),
};
const entries = Object.entries(byCode) as [PlatformClientErrorCode, KnownPlatformClientError][];

describe('the platform-client error model', () => {
  it.each(entries)(
    '%s: a PlatformClientError with that code and a name ending in Error',
    (code, error) => {
      expect(error).toBeInstanceOf(PlatformClientError);
      expect(error).toBeInstanceOf(Error);
      expect(error.code).toBe(code);
      expect(error.name).toMatch(/^[A-Z]\w+Error$/);
      expect(error.name).toBe(error.constructor.name);
    },
  );

  it('covers every error class the entries export', () => {
    const constructed = new Set(entries.map(([, error]) => error.constructor));
    const exported = Object.values({ ...tokenErrors, ...loginErrors, ...httpErrors }).filter(
      (value) => typeof value === 'function' && value.prototype instanceof PlatformClientError,
    );
    expect(exported.length).toBeGreaterThan(0);
    for (const errorClass of exported) expect(constructed).toContain(errorClass);
  });

  it('narrows a caught value by code and reads the fields of that class', () => {
    const described = (
      [
        byCode.HTTP_FORBIDDEN,
        byCode.THROTTLED,
        byCode.CACHE_UNAVAILABLE,
        byCode.TOKEN_ENDPOINT_UNAVAILABLE,
        byCode.DPOP_REJECTED,
        byCode.AUTHORIZATION_RESPONSE_REJECTED,
        byCode.NETWORK_ERROR,
        byCode.NOT_LOGGED_IN,
      ] as unknown[]
    ).map((caught) => (isPlatformClientError(caught) ? describeError(caught) : 'foreign'));
    expect(described).toEqual([
      'http 403 GET /orders',
      'throttled 7000',
      'cache timeout',
      'token endpoint 503',
      'dpop token_endpoint invalid_dpop_proof',
      'authorization response server_error',
      'network ECONNREFUSED',
      'NotLoggedInError',
    ]);
  });

  it('is false for anything platform-client did not throw, platform-auth errors included', () => {
    const foreign: unknown[] = [
      new Error('x'),
      new TypeError('x'),
      new PlatformAuthError('REMOTE_FETCH_FAILED', 'no response'),
      new AuthorizationFailedError(AuthorizationDecision.deny('PERMISSION_DENIED')),
      { name: 'ReauthRequiredError', code: 'REAUTH_REQUIRED', message: 'look-alike' },
      'REAUTH_REQUIRED',
      undefined,
      null,
      42,
    ];
    for (const value of foreign) expect(isPlatformClientError(value)).toBe(false);
  });

  it("shares no code with platform-auth's AuthorizationFailedError", () => {
    const authError = new AuthorizationFailedError(AuthorizationDecision.deny('PERMISSION_DENIED'));
    expect(Object.keys(byCode)).not.toContain(authError.code);
  });

  it('keeps the 0.1 names as deprecated aliases of the same classes', () => {
    expect(ReauthRequired).toBe(ReauthRequiredError);
    expect(Throttled).toBe(ThrottledError);
    expect(AuthorizationFailed).toBe(AuthorizationResponseError);
    expect(new ReauthRequiredError()).toBeInstanceOf(ReauthRequired);
    const constructed = new Set(entries.map(([, error]) => error.constructor));
    for (const [oldName, alias] of Object.entries(deprecatedNames)) {
      expect(constructed).toContain(alias);
      const newName =
        oldName === 'AuthorizationFailed' ? 'AuthorizationResponseError' : `${oldName}Error`;
      expect((alias as { name: string }).name).toBe(newName);
    }
    expect(Object.keys(deprecatedNames)).toHaveLength(20);
  });
});
