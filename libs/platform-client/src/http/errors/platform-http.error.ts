import {
  PlatformClientError,
  type PlatformClientErrorCode,
} from '../../errors/platform-client.error.js';

/** The codes a {@link PlatformHttpError} can carry, derived from the final status. */
export type PlatformHttpErrorCode = Extract<
  PlatformClientErrorCode,
  'HTTP_UNAUTHORIZED' | 'HTTP_FORBIDDEN' | 'HTTP_THROTTLED' | 'HTTP_SERVER_ERROR' | 'HTTP_STATUS'
>;

/** What a {@link PlatformHttpError} says about the failed call (no body, no headers, no query). */
export interface PlatformHttpErrorDetails {
  readonly status: number;
  readonly method: string;
  /** The URL path only: query strings may carry secrets. */
  readonly path: string;
  /** HTTP attempts made, the 401 re-authentication included. */
  readonly attempts: number;
  /** The server's `Retry-After`, in ms, when it sent a valid one. */
  readonly retryAfterMs?: number;
}

/** Maps a non-2xx status to its stable code. */
export function httpErrorCode(status: number): PlatformHttpErrorCode {
  if (status === 401) return 'HTTP_UNAUTHORIZED';
  if (status === 403) return 'HTTP_FORBIDDEN';
  if (status === 429) return 'HTTP_THROTTLED';
  if (status >= 500) return 'HTTP_SERVER_ERROR';
  return 'HTTP_STATUS';
}

/**
 * The API answered with a non-2xx status (after the retries the request was allowed).
 * Codes: `HTTP_UNAUTHORIZED` (401, after one token re-acquisition), `HTTP_FORBIDDEN` (403, never
 * retried), `HTTP_THROTTLED` (429), `HTTP_SERVER_ERROR` (5xx), `HTTP_STATUS` (any other, 3xx
 * included: redirects are not followed, so a token never travels to a redirect target).
 * The message names method, path and status only: never the body, a header or the query.
 */
export class PlatformHttpError extends PlatformClientError<PlatformHttpErrorCode> {
  override readonly name: string = 'PlatformHttpError';
  readonly status: number;
  readonly method: string;
  readonly path: string;
  readonly attempts: number;
  declare readonly retryAfterMs?: number;

  constructor(details: PlatformHttpErrorDetails) {
    super(
      httpErrorCode(details.status),
      `${details.method} ${details.path} failed with HTTP ${details.status} after ${details.attempts} attempt(s).`,
    );
    this.status = details.status;
    this.method = details.method;
    this.path = details.path;
    this.attempts = details.attempts;
    if (details.retryAfterMs !== undefined) this.retryAfterMs = details.retryAfterMs;
  }
}
