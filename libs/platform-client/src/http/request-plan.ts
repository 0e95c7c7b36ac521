import type {
  PlatformRequestOptions,
  ResolvedPlatformHttpOptions,
} from './platform-client.options.js';
import { resolveRequestUrl } from './request-url.js';
import { isIdempotentMethod } from './retry-policy.js';

/** Request body as sent: a string or bytes, never a stream (it may be sent again). */
export type PlatformRequestBody = string | Uint8Array | undefined;

/**
 * One call's fixed part, validated before any I/O: the URL, headers and body, the deadlines and
 * how many retries it may make. The authentication of each attempt is added on top of it.
 */
export interface RequestPlan {
  readonly method: string;
  readonly url: URL;
  /** The URL path only, for logs and errors: query strings may carry secrets. */
  readonly safePath: string;
  /** Lower-cased names; the client adds the credentials of each attempt to it. */
  readonly headers: Record<string, string>;
  readonly body: PlatformRequestBody;
  readonly timeoutMs: number;
  readonly attemptTimeoutMs: number | undefined;
  readonly maxRetries: number;
}

/**
 * Validates one call's options against the client's and builds its {@link RequestPlan}.
 * @throws TypeError when `path` leaves the base origin or an option is invalid
 */
export function planRequest(
  defaults: ResolvedPlatformHttpOptions,
  method: string,
  path: string,
  options: PlatformRequestOptions,
): RequestPlan {
  const url = resolveRequestUrl(defaults.baseUrl, path, options.query);
  const timeoutMs = positiveOr(options.timeoutMs, defaults.timeoutMs, 'timeoutMs');
  const attemptTimeoutMs =
    options.attemptTimeoutMs === undefined
      ? defaults.attemptTimeoutMs
      : positiveOr(options.attemptTimeoutMs, undefined, 'attemptTimeoutMs');
  const retryable = options.idempotent ?? isIdempotentMethod(method);
  const maxRetries = retryable ? nonNegativeOr(options.retries, defaults.retries, 'retries') : 0;
  const { headers, body } = buildPayload(defaults.headers, options);
  return {
    method,
    url,
    safePath: url.pathname,
    headers,
    body,
    timeoutMs,
    attemptTimeoutMs,
    maxRetries,
  };
}

function buildPayload(
  defaults: Readonly<Record<string, string>>,
  options: PlatformRequestOptions,
): { headers: Record<string, string>; body: PlatformRequestBody } {
  const headers: Record<string, string> = { ...defaults };
  for (const [name, value] of Object.entries(options.headers ?? {})) {
    headers[name.toLowerCase()] = value;
  }
  if (options.json !== undefined && options.body !== undefined) {
    throw new TypeError('PlatformClient: pass either "json" or "body", not both.');
  }
  if (options.json !== undefined) {
    headers['content-type'] ??= 'application/json';
    return { headers, body: JSON.stringify(options.json) };
  }
  return { headers, body: options.body };
}

function positiveOr(value: number | undefined, fallback: number | undefined, name: string): number {
  if (value === undefined && fallback !== undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new TypeError(`PlatformClient: request option "${name}" must be a positive number.`);
  }
  return value;
}

function nonNegativeOr(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new TypeError(`PlatformClient: request option "${name}" must be an integer >= 0.`);
  }
  return value;
}

/**
 * Internal request option: present this token (one the source already holds) instead of
 * acquiring one, with the client's scheme (Bearer or DPoP with a proof); never re-acquired on a
 * 401. Used by `health()`; not part of the public options.
 */
export const PRESENT_TOKEN = Symbol('platform-client:present-token');

/** {@link PlatformRequestOptions} with the internal {@link PRESENT_TOKEN}. */
export type InternalRequestOptions = PlatformRequestOptions & { readonly [PRESENT_TOKEN]?: string };
