import type { OnApplicationShutdown } from '@nestjs/common';
import {
  type AuthContext,
  AuthContextUnavailableError,
  type AuthSnapshotSigner,
  getCurrentAuthContext,
} from '@nest-platform/auth';
import {
  AUTH_SNAPSHOT_HEADER,
  httpSnapshotBinding,
  SNAPSHOT_REDELIVERABLE_METHODS,
  snapshotDigest,
} from '@nest-platform/auth/snapshots';
import { inspect } from 'node:util';
import type { Dispatcher } from 'undici';
import { checkPlatformClientHealth } from './check-platform-client-health.js';
import type {
  PlatformClientHealth,
  PlatformClientHealthOptions,
} from './platform-client-health.js';
import type { AccessTokenSource } from '../tokens/access-token-source.js';
import { type Clock, systemClock } from '../tokens/clock.js';
import { abortAfter } from './deadline-timer.js';
import { ClientClosedError } from './errors/client-closed.error.js';
import { PlatformHttpError } from './errors/platform-http.error.js';
import { PlatformNetworkError } from './errors/platform-network.error.js';
import { RequestAbortedError } from './errors/request-aborted.error.js';
import { RequestTimeoutError } from './errors/request-timeout.error.js';
import { ResponseTooLargeError } from './errors/response-too-large.error.js';
import { PlatformResponse } from './platform-response.js';
import type {
  PlatformQuery,
  PlatformRequestOptions,
  ResolvedPlatformHttpOptions,
} from './platform-client.options.js';
import { resolveRequestUrl } from './request-url.js';
import { parseRetryAfter } from '../wire/retry-after.js';
import { readCappedBody } from '../wire/capped-body.js';
import { fullJitterDelay, isIdempotentMethod, isRetryableStatus } from './retry-policy.js';

/** Where the client reports retries. Never receives a token, a header value or a query string. */
export interface PlatformClientLogger {
  log(message: string): void;
  warn(message: string): void;
}

/** What a {@link PlatformClient} is built from, besides its options. */
export interface PlatformClientDeps {
  /** The undici dispatcher (see `PlatformTransport`). */
  readonly dispatcher: Dispatcher;
  /** Where bearer tokens come from; without one, no request is authenticated. */
  readonly tokenSource?: AccessTokenSource;
  /** @default systemClock */
  readonly clock?: Clock;
  /** A source in [0, 1) for back-off jitter. @default Math.random */
  readonly random?: () => number;
  readonly logger?: PlatformClientLogger;
  /** Called once by {@link PlatformClient.close} (closes the transport it owns). */
  readonly onClose?: () => Promise<void>;
  /** Signs the forwarded `AuthContext` (see `forwardAuth`). */
  readonly snapshotSigner?: AuthSnapshotSigner;
  /** Forward the current `AuthContext` by default. @default false */
  readonly forwardAuth?: boolean;
}

type AttemptOutcome =
  | { readonly response: PlatformResponse; readonly error?: undefined }
  | { readonly response?: undefined; readonly error: unknown };

const NO_BODY_STATUSES = new Set([204, 205, 304]);

/**
 * The authenticated, resilient API client: joins paths onto one base URL (never another
 * origin), adds `Authorization: Bearer …` from an {@link AccessTokenSource}, retries idempotent
 * requests on network errors, 429 and 5xx with full-jitter exponential back-off honouring
 * `Retry-After`, enforces a deadline per call, and on a 401 invalidates the token, acquires one
 * new token and retries once. A 403 is never retried. Redirects are not followed.
 *
 * Inject it (`PlatformClientModule`) or build one with `createPlatformClient()`.
 *
 * @example
 * ```ts
 * const user = await client.getJson<User>(`/users/${id}`);
 * await client.post('/documents', { json: { title }, idempotent: true });
 * ```
 */
export class PlatformClient implements OnApplicationShutdown {
  private readonly clock: Clock;
  private readonly random: () => number;
  private closing?: Promise<void>;

  constructor(
    /** Validated options (see `resolvePlatformClientOptions`). */
    readonly options: ResolvedPlatformHttpOptions,
    private readonly deps: PlatformClientDeps,
  ) {
    this.clock = deps.clock ?? systemClock;
    this.random = deps.random ?? Math.random;
  }

  /** What logs and `console.log` show: no token source internals, no headers. */
  [inspect.custom](): string {
    return `PlatformClient { baseUrl: '${this.options.baseUrl.href}', authenticated: ${!!this.deps.tokenSource} }`;
  }

  /** `JSON.stringify(client)`: the same safe summary. */
  toJSON(): { baseUrl: string; authenticated: boolean } {
    return { baseUrl: this.options.baseUrl.href, authenticated: !!this.deps.tokenSource };
  }

  /** The token source requests are authenticated with, if any (health uses it). */
  get tokenSource(): AccessTokenSource | undefined {
    return this.deps.tokenSource;
  }

  /**
   * Sends one logical request (several HTTP attempts at most) and returns the 2xx response.
   *
   * @param method an HTTP method, upper case
   * @param path a path joined onto the base URL's path; an absolute URL is accepted only on the
   *   base URL's origin
   * @throws TypeError when `path` leaves the base origin or an option is invalid
   * @throws PlatformHttpError on a non-2xx final status (`HTTP_UNAUTHORIZED`, `HTTP_FORBIDDEN`,
   *   `HTTP_THROTTLED`, `HTTP_SERVER_ERROR`, `HTTP_STATUS`)
   * @throws RequestTimeoutError, RequestAbortedError, PlatformNetworkError, ResponseTooLargeError;
   *   token errors from the token source as they are
   */
  async request(
    method: string,
    path: string,
    options: PlatformRequestOptions = {},
  ): Promise<PlatformResponse> {
    const opts = this.options;
    const url = resolveRequestUrl(opts.baseUrl, path, options.query);
    const safePath = url.pathname;
    const timeoutMs = positiveOr(options.timeoutMs, opts.timeoutMs, 'timeoutMs');
    const attemptTimeoutMs =
      options.attemptTimeoutMs === undefined
        ? opts.attemptTimeoutMs
        : positiveOr(options.attemptTimeoutMs, undefined, 'attemptTimeoutMs');
    const retryable = options.idempotent ?? isIdempotentMethod(method);
    const maxRetries = retryable ? nonNegativeOr(options.retries, opts.retries, 'retries') : 0;
    const tokenSource = this.deps.tokenSource;
    const { headers, body } = buildPayload(opts.headers, options);
    if (this.closing) throw new ClientClosedError(method, safePath);
    const forwarded = this.forwardedContext(options.forwardAuth);
    let mintSnapshot: (() => Promise<string>) | undefined;
    if (forwarded !== undefined) {
      if (options.authenticate === true) {
        throw new TypeError(
          'PlatformClient: "authenticate" and a forwarded snapshot are exclusive.',
        );
      }
      if (headers.authorization !== undefined) {
        throw new TypeError(
          'PlatformClient: request option "headers.authorization" conflicts with "forwardAuth": the forwarded snapshot replaces the bearer token.',
        );
      }
      // Bound to this request: method, target, content type and body bytes (the receiver
      // recomputes it from what arrives).
      const binding = httpSnapshotBinding(
        method,
        url.pathname + url.search,
        body === undefined ? undefined : snapshotDigest(body),
        headers['content-type'],
      );
      const signer = this.deps.snapshotSigner!;
      mintSnapshot = () => signer.sign(forwarded, { binding });
    }
    // A safe method's snapshot (GET, HEAD, OPTIONS) may be presented again for the same
    // request (the receiver accepts a redelivery), so one per call; any other method's, PUT and
    // DELETE included, is single-use at the receiver, so every attempt gets a fresh one.
    const snapshotPerAttempt = !SNAPSHOT_REDELIVERABLE_METHODS.has(method.toUpperCase());
    if (mintSnapshot !== undefined && !snapshotPerAttempt) {
      headers[AUTH_SNAPSHOT_HEADER] = await mintSnapshot();
    }
    const authenticate =
      mintSnapshot === undefined &&
      (options.authenticate ?? tokenSource !== undefined) &&
      !!tokenSource;
    if (options.authenticate === true && !tokenSource) {
      throw new TypeError('PlatformClient: "authenticate" is true but the client has no token.');
    }

    // One deadline for the whole call: attempts, token acquisition and back-off included.
    const startedAt = this.clock.now();
    const deadlineAt = startedAt + timeoutMs;
    const deadline = new AbortController();
    const cancelDeadline = abortAfter(this.clock, timeoutMs, deadline);
    const callSignal = options.signal
      ? AbortSignal.any([options.signal, deadline.signal])
      : deadline.signal;

    const fail = (error: unknown): never => {
      if (options.signal?.aborted) {
        throw new RequestAbortedError(method, safePath, { cause: options.signal.reason });
      }
      if (deadline.signal.aborted) throw new RequestTimeoutError(method, safePath, timeoutMs);
      throw error;
    };

    let attempts = 0;
    let retriesDone = 0;
    let reauthenticated = false;
    try {
      for (;;) {
        let token: string | undefined;
        if (authenticate) {
          try {
            token = await tokenSource!.getToken({ signal: callSignal });
          } catch (error) {
            fail(error);
          }
          headers.authorization = `Bearer ${token}`;
        }
        if (mintSnapshot !== undefined && snapshotPerAttempt) {
          try {
            headers[AUTH_SNAPSHOT_HEADER] = await mintSnapshot();
          } catch (error) {
            fail(error);
          }
        }
        attempts++;
        const outcome = await this.attempt(
          method,
          url,
          headers,
          body,
          callSignal,
          attemptTimeoutMs,
        );
        if (outcome.error !== undefined) {
          if (callSignal.aborted) fail(outcome.error);
          if (this.closing) throw new ClientClosedError(method, safePath);
          if (!isRetryableFailure(outcome.error)) throw toPermanentError(outcome.error);
        }
        const response = outcome.response;
        if (response?.ok) return response;

        if (response?.status === 401 && authenticate && !reauthenticated) {
          // Exactly one re-acquisition per call: a second 401 is final, never a loop.
          reauthenticated = true;
          await tokenSource!.invalidate(token!);
          this.deps.logger?.log(`${method} ${safePath}: 401, retrying once with a new token.`);
          continue;
        }

        const retryAfterMs = response
          ? parseRetryAfter(response.headers['retry-after'], this.clock.now())
          : undefined;
        const finalError = response
          ? new PlatformHttpError({
              status: response.status,
              method,
              path: safePath,
              attempts,
              ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
            })
          : outcome.error instanceof RequestTimeoutError
            ? outcome.error
            : new PlatformNetworkError(method, safePath, attempts, { cause: outcome.error });
        if (retriesDone >= maxRetries || (response && !isRetryableStatus(response.status))) {
          throw finalError;
        }
        const delay =
          retryAfterMs !== undefined
            ? Math.min(retryAfterMs, opts.retryAfterCapMs)
            : fullJitterDelay(retriesDone, opts.backoffBaseMs, opts.backoffCapMs, this.random);
        // Never sleep past the caller's deadline: fail now with what we know.
        if (this.clock.now() + delay >= deadlineAt) throw finalError;
        this.deps.logger?.warn(
          `${method} ${safePath}: ${response ? `HTTP ${response.status}` : 'network error'}, retry ${retriesDone + 1}/${maxRetries} in ${delay} ms.`,
        );
        try {
          await this.clock.sleep(delay, callSignal);
        } catch (error) {
          fail(error);
        }
        retriesDone++;
      }
    } finally {
      cancelDeadline();
    }
  }

  /** `request('GET', …)`. */
  get(path: string, options?: PlatformRequestOptions): Promise<PlatformResponse> {
    return this.request('GET', path, options);
  }

  /** `request('POST', …)`; not retried unless `idempotent: true`. */
  post(path: string, options?: PlatformRequestOptions): Promise<PlatformResponse> {
    return this.request('POST', path, options);
  }

  /** `request('PUT', …)`. */
  put(path: string, options?: PlatformRequestOptions): Promise<PlatformResponse> {
    return this.request('PUT', path, options);
  }

  /** `request('PATCH', …)`; not retried unless `idempotent: true`. */
  patch(path: string, options?: PlatformRequestOptions): Promise<PlatformResponse> {
    return this.request('PATCH', path, options);
  }

  /** `request('DELETE', …)`. */
  delete(path: string, options?: PlatformRequestOptions): Promise<PlatformResponse> {
    return this.request('DELETE', path, options);
  }

  /** GET and parse the JSON body. */
  async getJson<T = unknown>(
    path: string,
    options?: Omit<PlatformRequestOptions, 'body' | 'json'>,
  ): Promise<T> {
    return (await this.request('GET', path, options)).json<T>();
  }

  /** POST `json` and parse the JSON body of the answer. */
  async postJson<T = unknown>(
    path: string,
    json: unknown,
    options?: Omit<PlatformRequestOptions, 'body' | 'json'>,
  ): Promise<T> {
    return (await this.request('POST', path, { ...options, json })).json<T>();
  }

  /**
   * Public reachability (`GET healthPath` without a token) and authenticated reachability
   * (`GET authenticatedHealthPath` with the token the source already holds). Never acquires,
   * refreshes or invalidates a token; never retries; never throws.
   */
  health(options?: PlatformClientHealthOptions): Promise<PlatformClientHealth> {
    return checkPlatformClientHealth(this, this.clock, options);
  }

  /** Closes the transport this client owns; idempotent. */
  close(): Promise<void> {
    this.closing ??= this.deps.onClose?.() ?? Promise.resolve();
    return this.closing;
  }

  /** Nest calls it on `app.close()`: closes the client's connections. */
  onApplicationShutdown(): Promise<void> {
    return this.close();
  }

  /**
   * The current `AuthContext` when forwarding applies: requested per call, or on by default for
   * the client and inside an authenticated call tree.
   */
  private forwardedContext(requested: boolean | undefined): AuthContext | undefined {
    if (requested !== undefined && typeof requested !== 'boolean') {
      throw new TypeError('PlatformClient: request option "forwardAuth" must be a boolean.');
    }
    if (!(requested ?? this.deps.forwardAuth ?? false)) return undefined;
    const context = getCurrentAuthContext();
    if (context === undefined) {
      if (requested === true) throw new AuthContextUnavailableError();
      return undefined;
    }
    if (this.deps.snapshotSigner === undefined) {
      throw new TypeError(
        'PlatformClient: "forwardAuth" needs an AuthSnapshotSigner (import AuthSnapshotModule).',
      );
    }
    return context;
  }

  /** One HTTP exchange, body buffered within the limits. Never throws. */
  private async attempt(
    method: string,
    url: URL,
    headers: Record<string, string>,
    body: string | Uint8Array | undefined,
    callSignal: AbortSignal,
    attemptTimeoutMs: number | undefined,
  ): Promise<AttemptOutcome> {
    let signal = callSignal;
    let cancelAttemptDeadline: (() => void) | undefined;
    let attemptDeadline: AbortController | undefined;
    if (attemptTimeoutMs !== undefined) {
      attemptDeadline = new AbortController();
      cancelAttemptDeadline = abortAfter(this.clock, attemptTimeoutMs, attemptDeadline);
      signal = AbortSignal.any([callSignal, attemptDeadline.signal]);
    }
    try {
      const {
        statusCode,
        headers: responseHeaders,
        body: stream,
      } = await this.deps.dispatcher.request({
        origin: url.origin,
        path: url.pathname + url.search,
        method: method as Dispatcher.HttpMethod,
        headers,
        body,
        signal,
      });
      const limitBytes =
        method === 'HEAD' || NO_BODY_STATUSES.has(statusCode) ? 0 : this.options.maxResponseBytes;
      const bytes = await readCappedBody(stream, {
        limitBytes,
        declaredLength: responseHeaders['content-length'],
        tooLarge: () =>
          new ResponseTooLargeError(method, url.pathname, this.options.maxResponseBytes),
        discard: () => stream.destroy(),
        readAll: () => stream.arrayBuffer(),
      });
      return { response: new PlatformResponse(statusCode, responseHeaders, bytes) };
    } catch (error) {
      if (attemptDeadline?.signal.aborted && !callSignal.aborted) {
        return {
          error: new RequestTimeoutError(method, url.pathname, attemptTimeoutMs!, {
            cause: error,
          }),
        };
      }
      return { error };
    } finally {
      cancelAttemptDeadline?.();
    }
  }
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

function buildPayload(
  defaults: Readonly<Record<string, string>>,
  options: PlatformRequestOptions,
): { headers: Record<string, string>; body: string | Uint8Array | undefined } {
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

export type { PlatformQuery };
