import { describe, expect, it } from '@jest/globals';
import { ResponseBodyError } from 'openid-client';
import { PlatformClientError } from '../../errors/platform-client.error.js';
import { ReauthRequiredError } from '../../errors/reauth-required.error.js';
import { retryAfter, toTokenError } from './token-error.boundary.js';

const NOW = Date.parse('2030-01-01T00:00:00Z');
const context = { phase: 'token' as const, issuer: 'https://id.example.com', now: NOW };

describe('retryAfter', () => {
  it('reads delay-seconds and HTTP dates, bounded to [0, 1 day]', () => {
    const headers = (value: string) => new Headers({ 'retry-after': value });
    expect(retryAfter(headers('12'), NOW)).toBe(12_000);
    expect(retryAfter(headers('Tue, 01 Jan 2030 00:00:30 GMT'), NOW)).toBe(30_000);
    expect(retryAfter(headers('Mon, 31 Dec 2029 00:00:00 GMT'), NOW)).toBe(0);
    expect(retryAfter(headers('999999999'), NOW)).toBe(24 * 3600 * 1000);
    expect(retryAfter(headers('soon'), NOW)).toBeUndefined();
    expect(retryAfter(new Headers(), NOW)).toBeUndefined();
  });
});

describe('toTokenError', () => {
  it('passes our own token errors through, also when wrapped', () => {
    const own = new ReauthRequiredError();
    expect(toTokenError(own, context)).toBe(own);
    expect(toTokenError(new Error('wrapped', { cause: own }), context)).toBe(own);
  });

  it('wraps other platform errors (e.g. from a custom transport) as TOKEN_ENDPOINT_UNAVAILABLE', () => {
    const transport = new PlatformClientError('NETWORK_ERROR', 'socket hang up');
    expect(toTokenError(transport, context)).toMatchObject({
      code: 'TOKEN_ENDPOINT_UNAVAILABLE',
    });
  });

  it('maps fetch network failures and rethrows programming TypeErrors as they are', () => {
    const network = new TypeError('fetch failed', { cause: new Error('ECONNREFUSED') });
    expect(toTokenError(network, context)).toMatchObject({ code: 'TOKEN_ENDPOINT_UNAVAILABLE' });
    const bug = new TypeError('"clientId" must be a string');
    expect(toTokenError(bug, context)).toBe(bug);
  });

  it("returns the caller's abort reason when the caller aborted", () => {
    const controller = new AbortController();
    const reason = new Error('caller gave up');
    controller.abort(reason);
    expect(toTokenError(new Error('x'), { ...context, signal: controller.signal })).toBe(reason);
  });
});

describe('toTokenError with DPoP errors from the token endpoint', () => {
  const bodyError = (error: string, status = 400) =>
    new ResponseBodyError('server responded with an error in the response body', {
      cause: { error, error_description: 'nope' },
      response: new Response(null, { status }),
    } as never);

  it.each(['use_dpop_nonce', 'invalid_dpop_proof'])(
    "%s (after openid-client's one nonce retry) is DPOP_REJECTED at the token endpoint",
    (error) => {
      expect(toTokenError(bodyError(error), context)).toMatchObject({
        name: 'DpopRejectedError',
        code: 'DPOP_REJECTED',
        at: 'token_endpoint',
        oauthError: error,
        status: 400,
      });
    },
  );
});
