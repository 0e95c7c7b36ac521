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
import { type Clock, systemClock } from '../shared/clock.js';
import { abortAfter } from './deadline-timer.js';
import { ClientClosedError } from './errors/client-closed.error.js';
import { RequestAbortedError } from './errors/request-aborted.error.js';
import { RequestTimeoutError } from './errors/request-timeout.error.js';
import { ResponseTooLargeError } from './errors/response-too-large.error.js';
import { PlatformResponse } from './platform-response.js';
import type {
  PlatformQuery,
  PlatformRequestOptions,
  ResolvedPlatformHttpOptions,
} from './platform-client.options.js';
import type { DpopKey } from '../dpop/dpop-key.js';
import { DpopNonces } from '../dpop/dpop-nonces.js';
import { readCappedBody } from '../wire/capped-body.js';
import { type AttemptOutcome, classifyAttempt, type RetrySettings } from './attempt-outcome.js';
import {
  type InternalRequestOptions,
  planRequest,
  PRESENT_TOKEN,
  type RequestPlan,
} from './request-plan.js';
import { fullJitterDelay } from './retry-policy.js';

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
  /**
   * The client's DPoP key: the token source's tokens are bound to it, so they are sent as
   * `Authorization: DPoP …` with a fresh proof per attempt.
   */
  readonly dpop?: DpopKey;
}

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
  private readonly retrySettings: RetrySettings;
  /** The API's latest DPoP nonces, by origin. */
  private readonly dpopNonces = new DpopNonces();
  private closing?: Promise<void>;

  constructor(
    /** Validated options (see `resolvePlatformClientOptions`). */
    readonly options: ResolvedPlatformHttpOptions,
    private readonly deps: PlatformClientDeps,
  ) {
    this.clock = deps.clock ?? systemClock;
    this.random = deps.random ?? Math.random;
    this.retrySettings = {
      retryAfterCapMs: options.retryAfterCapMs,
      backoffDelay: (retry) =>
        fullJitterDelay(retry, options.backoffBaseMs, options.backoffCapMs, this.random),
      now: () => this.clock.now(),
    };
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
   * The steps: {@link prepare} the call, then per attempt {@link authorize} it, send it
   * ({@link attempt}), {@link classifyAttempt classify} the outcome, and re-authenticate or
   * {@link pause} before the next one.
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
    const call = await this.prepare(method, path, options);
    // One deadline for the whole call: attempts, token acquisition and back-off included.
    const deadlineAt = this.clock.now() + call.plan.timeoutMs;
    const cancelDeadline = abortAfter(this.clock, call.plan.timeoutMs, call.deadline);
    let attempts = 0;
    let retriesDone = 0;
    let reauthenticated = false;
    let nonceRetried = false;
    try {
      for (;;) {
        const token = await this.authorize(call);
        attempts++;
        const outcome = await this.attempt(call.plan, call.signal);
        if (outcome.error !== undefined) {
          if (call.signal.aborted) call.fail(outcome.error);
          if (this.closing) throw new ClientClosedError(method, call.plan.safePath);
        }
        const nonceLearned =
          call.dpop !== undefined &&
          outcome.response !== undefined &&
          this.dpopNonces.learn(call.plan.url, outcome.response.headers['dpop-nonce']);
        const verdict = classifyAttempt(
          call.plan,
          outcome,
          {
            attempts,
            retriesDone,
            authenticated: call.authenticate || call.fixedToken !== undefined,
            reauthenticated: reauthenticated || call.fixedToken !== undefined,
            dpop: call.dpop !== undefined,
            nonceRetried,
            nonceLearned,
          },
          this.retrySettings,
        );
        switch (verdict.kind) {
          case 'done':
            return verdict.response;
          case 'fail':
            throw verdict.error;
          case 'renonce':
            // RFC 9449 §9: one more attempt at once, its proof carrying the nonce just learned.
            nonceRetried = true;
            this.deps.logger?.log(
              `${method} ${call.plan.safePath}: the API asked for a DPoP nonce, retrying once with it.`,
            );
            continue;
          case 'reauthenticate':
            reauthenticated = true;
            await this.deps.tokenSource!.invalidate(token!);
            this.deps.logger?.log(
              `${method} ${call.plan.safePath}: 401, retrying once with a new token.`,
            );
            continue;
          case 'retry':
            await this.pause(call, verdict, deadlineAt, outcome, retriesDone);
            retriesDone++;
        }
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
   * Step 1: validates the call and fixes what every attempt shares: the plan, how it
   * authenticates (a token, a forwarded snapshot, or nothing), its deadline and abort handling.
   * A safe method's snapshot is minted here, once.
   */
  private async prepare(
    method: string,
    path: string,
    options: PlatformRequestOptions,
  ): Promise<PreparedCall> {
    const plan = planRequest(this.options, method, path, options);
    const tokenSource = this.deps.tokenSource;
    const { headers, body, url } = plan;
    if (this.closing) throw new ClientClosedError(method, plan.safePath);
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
    const fixedToken = (options as InternalRequestOptions)[PRESENT_TOKEN];
    const authenticate =
      fixedToken === undefined &&
      mintSnapshot === undefined &&
      (options.authenticate ?? tokenSource !== undefined) &&
      !!tokenSource;
    if (options.authenticate === true && !tokenSource) {
      throw new TypeError('PlatformClient: "authenticate" is true but the client has no token.');
    }
    const deadline = new AbortController();
    const signal = options.signal
      ? AbortSignal.any([options.signal, deadline.signal])
      : deadline.signal;
    const fail = (error: unknown): never => {
      if (options.signal?.aborted) {
        throw new RequestAbortedError(method, plan.safePath, { cause: options.signal.reason });
      }
      if (deadline.signal.aborted) {
        throw new RequestTimeoutError(method, plan.safePath, plan.timeoutMs);
      }
      throw error;
    };
    return {
      plan,
      authenticate,
      ...(fixedToken !== undefined ? { fixedToken } : {}),
      ...(this.deps.dpop && (authenticate || fixedToken !== undefined)
        ? { dpop: this.deps.dpop }
        : {}),
      ...(mintSnapshot && snapshotPerAttempt ? { mintSnapshot } : {}),
      deadline,
      signal,
      fail,
    };
  }

  /**
   * Step 2, before each attempt: sets the attempt's credentials on the plan's headers (the
   * current token, or a fresh snapshot for a method whose snapshots are single-use) and returns
   * the token sent, if any.
   */
  private async authorize(call: PreparedCall): Promise<string | undefined> {
    const { headers } = call.plan;
    let token: string | undefined = call.fixedToken;
    if (call.authenticate) {
      try {
        token = await this.deps.tokenSource!.getToken({ signal: call.signal });
      } catch (error) {
        call.fail(error);
      }
    }
    if (token !== undefined && call.dpop !== undefined) {
      // RFC 9449 §7.1: the DPoP scheme and a new proof for this very attempt (§7.3: unique
      // even when retrying), bound to the token (`ath`) and carrying the API's latest nonce.
      const { url, method } = call.plan;
      const nonce = this.dpopNonces.get(url);
      try {
        headers.dpop = await call.dpop.proof(
          { htm: method, url, accessToken: token, ...(nonce !== undefined ? { nonce } : {}) },
          this.clock.now(),
        );
      } catch (error) {
        call.fail(error);
      }
      headers.authorization = `DPoP ${token}`;
    } else if (token !== undefined) {
      headers.authorization = `Bearer ${token}`;
    }
    if (call.mintSnapshot !== undefined) {
      try {
        headers[AUTH_SNAPSHOT_HEADER] = await call.mintSnapshot();
      } catch (error) {
        call.fail(error);
      }
    }
    return token;
  }

  /**
   * Step 4, between attempts: waits the verdict's delay, or fails now with what is known when
   * the wait would pass the call's deadline.
   */
  private async pause(
    call: PreparedCall,
    verdict: { readonly delayMs: number; readonly error: unknown },
    deadlineAt: number,
    outcome: AttemptOutcome,
    retriesDone: number,
  ): Promise<void> {
    const { method, safePath, maxRetries } = call.plan;
    // Never sleep past the caller's deadline: fail now with what we know.
    if (this.clock.now() + verdict.delayMs >= deadlineAt) throw verdict.error;
    const what = outcome.response ? `HTTP ${outcome.response.status}` : 'network error';
    this.deps.logger?.warn(
      `${method} ${safePath}: ${what}, retry ${retriesDone + 1}/${maxRetries} in ${verdict.delayMs} ms.`,
    );
    try {
      await this.clock.sleep(verdict.delayMs, call.signal);
    } catch (error) {
      call.fail(error);
    }
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

  /** Step 3: one HTTP exchange, body buffered within the limits. Never throws. */
  private async attempt(plan: RequestPlan, callSignal: AbortSignal): Promise<AttemptOutcome> {
    const { method, url, headers, body, attemptTimeoutMs } = plan;
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

/** A call after {@link PlatformClient.prepare}: what every attempt of it shares. */
interface PreparedCall {
  readonly plan: RequestPlan;
  /** Each attempt sends the token source's token. */
  readonly authenticate: boolean;
  /** A token given by the caller (health's probe): sent as is, never re-acquired. */
  readonly fixedToken?: string;
  /** The DPoP key proofs are signed with (the call sends a token and the client has a key). */
  readonly dpop?: DpopKey;
  /** Mints the forwarded snapshot of each attempt (methods whose snapshots are single-use). */
  readonly mintSnapshot?: () => Promise<string>;
  /** Aborted when the call's deadline passes. */
  readonly deadline: AbortController;
  /** The caller's signal and the deadline. */
  readonly signal: AbortSignal;
  /** Rethrows `error` as `RequestAbortedError` / `RequestTimeoutError` when the call was stopped. */
  readonly fail: (error: unknown) => never;
}

export type { PlatformQuery };
