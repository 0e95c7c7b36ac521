import { dpopChallengeError } from '../dpop/dpop-challenge.js';
import { DpopRejectedError } from '../errors/dpop-rejected.error.js';
import { PlatformHttpError } from './errors/platform-http.error.js';
import { PlatformNetworkError } from './errors/platform-network.error.js';
import { RequestTimeoutError } from './errors/request-timeout.error.js';
import { ResponseTooLargeError } from './errors/response-too-large.error.js';
import type { PlatformResponse } from './platform-response.js';
import { parseRetryAfter } from '../wire/retry-after.js';
import { isRetryableStatus } from './retry-policy.js';
import type { RequestPlan } from './request-plan.js';

/** What one HTTP exchange gave: a buffered response, or the failure (never thrown). */
export type AttemptOutcome =
  | { readonly response: PlatformResponse; readonly error?: undefined }
  | { readonly response?: undefined; readonly error: unknown };

/** Where a call stands after an attempt, and what the client does next. */
export type AttemptVerdict =
  /** A 2xx: return it. */
  | { readonly kind: 'done'; readonly response: PlatformResponse }
  /** A 401 with a token that may be stale: invalidate it and try once more with a new one. */
  | { readonly kind: 'reauthenticate' }
  /** A 401 `use_dpop_nonce` with a new `DPoP-Nonce`: once more at once, the proof carrying it. */
  | { readonly kind: 'renonce' }
  /** Worth another attempt after `delayMs`; `error` is what the call fails with if it cannot wait. */
  | { readonly kind: 'retry'; readonly delayMs: number; readonly error: unknown }
  /** Final: throw `error`. */
  | { readonly kind: 'fail'; readonly error: unknown };

/** The facts of the call so far that decide an attempt's verdict. */
export interface CallProgress {
  /** HTTP attempts made, this one included. */
  readonly attempts: number;
  readonly retriesDone: number;
  /** The call sends a token (so a 401 may be cured by a new one). */
  readonly authenticated: boolean;
  readonly reauthenticated: boolean;
  /** The call sends DPoP proofs. */
  readonly dpop?: boolean;
  /** The call already made its one nonce retry. */
  readonly nonceRetried?: boolean;
  /** This response carried a new, well-formed `DPoP-Nonce`. */
  readonly nonceLearned?: boolean;
}

/** The client settings {@link classifyAttempt} applies. */
export interface RetrySettings {
  readonly retryAfterCapMs: number;
  readonly backoffDelay: (retry: number) => number;
  readonly now: () => number;
}

/**
 * Decides what an attempt means for the call: a 2xx is done; a 401 re-authenticates once; a
 * network failure, 429 or 5xx is retried (after `Retry-After`, capped, or the back-off) while
 * retries remain; anything else (403, other 4xx, an oversized body, a request undici refuses)
 * fails at once. With DPoP, a 401 `use_dpop_nonce` that brought a new nonce is retried once at
 * once (no token change), and a final 401 with a `DPoP` challenge error is a `DpopRejectedError`.
 * A transport failure the caller aborted is left to the caller's abort handling.
 */
export function classifyAttempt(
  plan: RequestPlan,
  outcome: AttemptOutcome,
  progress: CallProgress,
  settings: RetrySettings,
): AttemptVerdict {
  const { response } = outcome;
  if (response === undefined && !isRetryableFailure(outcome.error)) {
    return { kind: 'fail', error: toPermanentError(outcome.error) };
  }
  if (response?.ok) return { kind: 'done', response };
  const dpopError =
    progress.dpop && response?.status === 401
      ? dpopChallengeError(response.headers['www-authenticate'])
      : undefined;
  if (dpopError === 'use_dpop_nonce' && progress.nonceLearned && !progress.nonceRetried) {
    return { kind: 'renonce' };
  }
  if (dpopError === 'use_dpop_nonce') {
    // No new nonce to try, or the nonce retry was refused too: a new token would not help.
    return { kind: 'fail', error: dpopRejected(plan, dpopError, progress) };
  }
  if (response?.status === 401 && progress.authenticated && !progress.reauthenticated) {
    // Exactly one re-acquisition per call: a second 401 is final, never a loop.
    return { kind: 'reauthenticate' };
  }
  const retryAfterMs = response
    ? parseRetryAfter(response.headers['retry-after'], settings.now())
    : undefined;
  const error = dpopError
    ? dpopRejected(plan, dpopError, progress)
    : response
      ? new PlatformHttpError({
          status: response.status,
          method: plan.method,
          path: plan.safePath,
          attempts: progress.attempts,
          ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
        })
      : outcome.error instanceof RequestTimeoutError
        ? outcome.error
        : new PlatformNetworkError(plan.method, plan.safePath, progress.attempts, {
            cause: outcome.error,
          });
  if (
    progress.retriesDone >= plan.maxRetries ||
    (response && !isRetryableStatus(response.status))
  ) {
    return { kind: 'fail', error };
  }
  const delayMs =
    retryAfterMs !== undefined
      ? Math.min(retryAfterMs, settings.retryAfterCapMs)
      : settings.backoffDelay(progress.retriesDone);
  return { kind: 'retry', delayMs, error };
}

function dpopRejected(plan: RequestPlan, oauthError: string, progress: CallProgress) {
  const safe = /^[\w.-]{1,64}$/.test(oauthError) ? oauthError : 'invalid_dpop_proof';
  return new DpopRejectedError('api', safe, 401, plan.method, plan.safePath, progress.attempts);
}

/**
 * Whether a failed attempt may be retried: transport failures (refused, reset, TLS, proxy) and
 * an attempt timeout are; an oversized body or a request undici refuses to send are not.
 */
function isRetryableFailure(error: unknown): boolean {
  return !(error instanceof ResponseTooLargeError) && !isInvalidRequest(error);
}

function isInvalidRequest(error: unknown): boolean {
  return (
    error instanceof TypeError ||
    (error as { code?: unknown } | null)?.code === 'UND_ERR_INVALID_ARG'
  );
}

/** An invalid request (a bad header value, …) is the caller's bug: a TypeError. */
function toPermanentError(error: unknown): unknown {
  if (!isInvalidRequest(error) || error instanceof TypeError) return error;
  return new TypeError('PlatformClient: undici refused the request as invalid.', { cause: error });
}
