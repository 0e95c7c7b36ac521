import { DpopKey, type DpopOption } from '../dpop/dpop-key.js';
import { withMaskedSerialization } from '../secrets/redact.js';
import { ACCESS_TOKEN_SOURCE_METHODS, isAccessTokenSource } from '../tokens/access-token-source.js';
import { hasAnyMethod, listMethods, missingMethods } from '../shared/port-shape.js';
import { isLoopbackHost } from '../tokens/providers/endpoint-policy.js';
import type { PlatformProxyOptions, PlatformTransportOptions } from './platform-transport.js';
import type { PlatformClientTokenOption } from './token-option.js';

/** Query parameters; `undefined` values are skipped, arrays repeat the key. */
export type PlatformQuery = Readonly<
  Record<string, string | number | boolean | undefined | readonly (string | number | boolean)[]>
>;

/** Options of one {@link PlatformClient.request} call. */
export interface PlatformRequestOptions {
  readonly query?: PlatformQuery;
  /** Extra headers (names are case-insensitive). `Authorization` is set by the client when it authenticates. */
  readonly headers?: Readonly<Record<string, string>>;
  /** A raw body. Exclusive with `json`. */
  readonly body?: string | Uint8Array;
  /** A body serialised with `JSON.stringify`, sent as `application/json`. */
  readonly json?: unknown;
  /** Aborts the call (attempts, token acquisition and back-off): `RequestAbortedError`. */
  readonly signal?: AbortSignal;
  /** Deadline of the whole call in ms (all attempts and back-off). @default the client's `timeoutMs` */
  readonly timeoutMs?: number;
  /** Timeout of each attempt in ms. @default the client's `attemptTimeoutMs` */
  readonly attemptTimeoutMs?: number;
  /** Retries after the first attempt (idempotent requests only). @default the client's `retries` */
  readonly retries?: number;
  /**
   * Treat the request as idempotent (retry it). Defaults to `true` for GET, HEAD, OPTIONS, PUT
   * and DELETE, `false` otherwise; set it on a POST/PATCH only when the API makes it safe (an
   * idempotency key).
   */
  readonly idempotent?: boolean;
  /** Send the bearer token. @default true when the client has a token, else false (and false when forwarding) */
  readonly authenticate?: boolean;
  /**
   * Forward the current request's `AuthContext` as a signed snapshot
   * (`x-platform-auth-snapshot`) instead of a bearer token, bound to this request (method,
   * path and query, body bytes). `true` requires a current context
   * (`AuthContextUnavailableError` otherwise); an `Authorization` header while forwarding is a
   * `TypeError`. @default the client's `forwardAuth`
   */
  readonly forwardAuth?: boolean;
}

/**
 * Options of a {@link PlatformClient} (`PlatformClientModule.forRoot()`, `createPlatformClient()`).
 * Validated when the module is built; every invalid value is a `TypeError` naming the option.
 */
export interface PlatformClientOptions {
  /** The API's base URL; every request path is joined onto it and stays on its origin. */
  baseUrl: string;
  /**
   * Where bearer tokens come from: token-source options (a built-in grant or a `TokenProvider`),
   * an `AccessTokenSource`, or a plain `() => string | Promise<string>`. Without it, requests
   * are not authenticated.
   */
  token?: PlatformClientTokenOption;
  /** Deadline of one call in ms, all attempts, token acquisition and back-off included. @default 30000 */
  timeoutMs?: number;
  /** Timeout of each attempt in ms (a timed-out attempt is retried like a network error). @default none: only the call's deadline */
  attemptTimeoutMs?: number;
  /** Retries after the first attempt, for idempotent requests. @default 2 */
  retries?: number;
  /** Base of the full-jitter exponential back-off in ms. @default 3000 */
  backoffBaseMs?: number;
  /** Upper bound of one back-off sleep in ms. @default 30000 */
  backoffCapMs?: number;
  /** Upper bound applied to a server's `Retry-After` in ms. @default 60000 */
  retryAfterCapMs?: number;
  /** Largest response body read, in bytes. @default 10485760 (10 MiB) */
  maxResponseBytes?: number;
  /** Headers sent with every request. `Authorization` is refused when `token` is set. */
  headers?: Record<string, string>;
  /** Path of the API's public (unauthenticated) health endpoint, for `health()`. @default '/health' */
  healthPath?: string;
  /**
   * Path `health()` calls with the cached token to check authenticated reachability.
   * @default healthPath
   */
  authenticatedHealthPath?: string;
  /**
   * Allow an `http://` base URL on a loopback IP literal (127.0.0.0/8, `[::1]`; not
   * `localhost`), for local development and tests; other hosts always need https. (Built-in
   * grants have their own `allowHttp` for the issuer, with the same rule.) @default false
   */
  allowHttp?: boolean;
  /** Outbound proxy; applies to API, discovery and token calls. */
  proxy?: PlatformProxyOptions;
  /** PEM CA certificate(s) to trust instead of Node's bundle; applies to every call. */
  ca?: string | string[];
  /** TCP + TLS connect timeout in ms. @default 10000 */
  connectTimeoutMs?: number;
  /**
   * Forward the caller: when a request runs inside an authenticated call tree, sign its
   * `AuthContext` with the application's `AuthSnapshotSigner` and send it as
   * `x-platform-auth-snapshot` instead of the client's bearer token (outside one, the request
   * goes out as usual). Each snapshot is bound to its request (method, path and query, body
   * bytes); one per call for GET, HEAD and OPTIONS (a retry is a redelivery the receiver
   * accepts), a fresh one per attempt for every other method, PUT and DELETE included (their
   * snapshots are single-use at the receiver). The snapshot replaces the bearer token, so
   * `headers.authorization` is refused with it. Needs an `AuthSnapshotSigner`
   * (`AuthSnapshotModule`).
   * @default false
   */
  forwardAuth?: boolean;
  /**
   * Sender-constrained tokens (DPoP, RFC 9449): `true` generates a key pair for this client
   * (ES256, in memory), `{ alg }` picks the algorithm, `{ keyPair }` / `{ privateKey }` supplies
   * one (share it across replicas that share a token cache). Tokens are requested DPoP-bound
   * (a bearer `token_type` is refused), cached under the key's thumbprint, and sent as
   * `Authorization: DPoP …` with a fresh `DPoP` proof on every attempt; nonces of the token
   * endpoint and the API are handled. Needs `token` with a built-in `client_credentials` or
   * `refresh_token` grant. The key is never logged or cached.
   * @default off (bearer tokens)
   */
  dpop?: DpopOption;
}

/** The HTTP behaviour of a client after validation and defaults. */
export interface ResolvedPlatformHttpOptions {
  readonly baseUrl: URL;
  readonly timeoutMs: number;
  readonly attemptTimeoutMs?: number;
  readonly retries: number;
  readonly backoffBaseMs: number;
  readonly backoffCapMs: number;
  readonly retryAfterCapMs: number;
  readonly maxResponseBytes: number;
  /** Lower-cased names. */
  readonly headers: Readonly<Record<string, string>>;
  readonly healthPath: string;
  readonly authenticatedHealthPath: string;
}

/** Everything a client is built from, validated. Serialises (JSON, inspect) with secrets masked. */
export interface ResolvedPlatformClientOptions {
  readonly http: ResolvedPlatformHttpOptions;
  readonly token?: PlatformClientTokenOption;
  readonly transport: PlatformTransportOptions;
  readonly allowHttp: boolean;
  readonly forwardAuth: boolean;
  /** The client's DPoP key (serialises as `{ alg, jkt }`). */
  readonly dpop?: DpopKey;
}

const KNOWN_OPTIONS = new Set([
  'baseUrl',
  'token',
  'timeoutMs',
  'attemptTimeoutMs',
  'retries',
  'backoffBaseMs',
  'backoffCapMs',
  'retryAfterCapMs',
  'maxResponseBytes',
  'headers',
  'healthPath',
  'authenticatedHealthPath',
  'allowHttp',
  'proxy',
  'ca',
  'connectTimeoutMs',
  'forwardAuth',
  'dpop',
]);

const PREFIX = 'PlatformClient';

/**
 * Validates options and applies defaults. No I/O.
 * @throws TypeError naming the offending option (never quoting a secret value).
 */
export function resolvePlatformClientOptions(
  options: PlatformClientOptions,
): ResolvedPlatformClientOptions {
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new TypeError(`${PREFIX}: options must be an object.`);
  }
  for (const key of Object.keys(options)) {
    if (!KNOWN_OPTIONS.has(key)) {
      throw new TypeError(
        `${PREFIX}: unknown option "${key}" (known: ${[...KNOWN_OPTIONS].join(', ')}).`,
      );
    }
  }
  const allowHttp = optionalBoolean(options.allowHttp, 'allowHttp') ?? false;
  const baseUrl = httpUrl(options.baseUrl, 'baseUrl', allowHttp);
  if (baseUrl.username || baseUrl.password || baseUrl.search || baseUrl.hash) {
    throw new TypeError(
      `${PREFIX}: option "baseUrl" must not contain credentials, a query or a fragment.`,
    );
  }
  const forwardAuth = optionalBoolean(options.forwardAuth, 'forwardAuth') ?? false;
  const headers = headerMap(options.headers, options.token !== undefined);
  if (forwardAuth && headers.authorization !== undefined) {
    throw new TypeError(
      `${PREFIX}: option "headers.authorization" conflicts with "forwardAuth": the forwarded snapshot replaces the bearer token.`,
    );
  }
  const token = tokenOption(options.token);
  let dpop: DpopKey | undefined;
  if (options.dpop !== undefined && (options.dpop as unknown) !== false) {
    if (token === undefined) {
      throw new TypeError(`${PREFIX}: option "dpop" needs "token" (the tokens it binds).`);
    }
    dpop = DpopKey.from(options.dpop, `${PREFIX}: option "dpop"`);
  }
  const healthPath = pathOption(options.healthPath, 'healthPath') ?? '/health';
  const authenticatedHealthPath =
    pathOption(options.authenticatedHealthPath, 'authenticatedHealthPath') ?? healthPath;
  const attemptTimeoutMs = positive(options.attemptTimeoutMs, 'attemptTimeoutMs');
  const http: ResolvedPlatformHttpOptions = {
    baseUrl,
    timeoutMs: positive(options.timeoutMs, 'timeoutMs') ?? 30_000,
    ...(attemptTimeoutMs !== undefined ? { attemptTimeoutMs } : {}),
    retries: integer(options.retries, 'retries', 0, 10) ?? 2,
    backoffBaseMs: positive(options.backoffBaseMs, 'backoffBaseMs') ?? 3_000,
    backoffCapMs: positive(options.backoffCapMs, 'backoffCapMs') ?? 30_000,
    retryAfterCapMs: positive(options.retryAfterCapMs, 'retryAfterCapMs') ?? 60_000,
    maxResponseBytes: integer(options.maxResponseBytes, 'maxResponseBytes', 1) ?? 10 * 1024 * 1024,
    headers,
    healthPath,
    authenticatedHealthPath,
  };
  const proxy = proxyOptions(options.proxy);
  const ca = caOption(options.ca);
  const connectTimeoutMs = positive(options.connectTimeoutMs, 'connectTimeoutMs');
  const transport: PlatformTransportOptions = {
    ...(proxy ? { proxy } : {}),
    ...(ca !== undefined ? { ca } : {}),
    ...(connectTimeoutMs !== undefined ? { connectTimeoutMs } : {}),
  };
  return withMaskedSerialization({
    http: withMaskedSerialization(http),
    ...(token !== undefined ? { token } : {}),
    transport: withMaskedSerialization(transport),
    allowHttp,
    forwardAuth,
    ...(dpop ? { dpop } : {}),
  });
}

function httpUrl(value: unknown, name: string, allowHttp: boolean): URL {
  let url: URL;
  try {
    url = new URL(String(value));
    if (typeof value !== 'string') throw new TypeError();
  } catch {
    throw new TypeError(`${PREFIX}: option "${name}" must be an absolute URL.`);
  }
  if (url.protocol === 'https:') return url;
  if (url.protocol === 'http:' && allowHttp && isLoopbackHost(url.hostname)) return url;
  throw new TypeError(
    url.protocol === 'http:'
      ? `${PREFIX}: option "${name}" is http://; bearer tokens need https:// (http:// only on a loopback IP literal, 127.0.0.1 or [::1], with "allowHttp": true, for local development and tests).`
      : `${PREFIX}: option "${name}" must be an http(s) URL.`,
  );
}

function headerMap(value: unknown, hasToken: boolean): Record<string, string> {
  if (value === undefined) return {};
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new TypeError(`${PREFIX}: option "headers" must be an object of strings.`);
  }
  const headers: Record<string, string> = {};
  for (const [name, item] of Object.entries(value)) {
    if (typeof item !== 'string') {
      throw new TypeError(`${PREFIX}: option "headers.${name}" must be a string.`);
    }
    const lower = name.toLowerCase();
    if (lower === 'authorization' && hasToken) {
      throw new TypeError(
        `${PREFIX}: option "headers.authorization" conflicts with "token"; the client sets it.`,
      );
    }
    headers[lower] = item;
  }
  return headers;
}

function tokenOption(value: unknown): PlatformClientTokenOption | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'function' || isAccessTokenSource(value)) {
    return value as PlatformClientTokenOption;
  }
  const what =
    'is neither token-source options ({ provider, cache? }), an AccessTokenSource nor a () => string | Promise<string> function';
  if (typeof value === 'object' && value !== null) {
    // Recognised by shape: a class that `implements AccessTokenSource` is one.
    if (hasAnyMethod(value, ACCESS_TOKEN_SOURCE_METHODS)) {
      const missing = missingMethods(value, ACCESS_TOKEN_SOURCE_METHODS);
      throw new TypeError(`${PREFIX}: option "token" ${what}: it lacks ${listMethods(missing)}.`);
    }
    if ('provider' in value) return value as PlatformClientTokenOption;
  }
  throw new TypeError(`${PREFIX}: option "token" ${what}.`);
}

function proxyOptions(value: unknown): PlatformProxyOptions | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'object' || value === null) {
    throw new TypeError(`${PREFIX}: option "proxy" must be an object.`);
  }
  const proxy = value as Record<string, unknown>;
  const out: { httpsProxy?: string; httpProxy?: string; noProxy?: string } = {};
  for (const key of Object.keys(proxy)) {
    const item = proxy[key];
    if (item === undefined || item === '') continue;
    if (key === 'noProxy') {
      if (typeof item !== 'string') {
        throw new TypeError(`${PREFIX}: option "proxy.noProxy" must be a string.`);
      }
      out.noProxy = item;
    } else if (key === 'httpsProxy' || key === 'httpProxy') {
      let url: URL | undefined;
      try {
        url = typeof item === 'string' ? new URL(item) : undefined;
      } catch {
        url = undefined;
      }
      if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
        throw new TypeError(`${PREFIX}: option "proxy.${key}" must be an http(s) URL.`);
      }
      out[key] = item as string;
    } else {
      throw new TypeError(`${PREFIX}: unknown option "proxy.${key}".`);
    }
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

function caOption(value: unknown): string | string[] | undefined {
  if (value === undefined) return undefined;
  const items = Array.isArray(value) ? value : [value];
  if (
    items.length === 0 ||
    !items.every((item) => typeof item === 'string' && item.includes('-----BEGIN CERTIFICATE-----'))
  ) {
    throw new TypeError(`${PREFIX}: option "ca" must be PEM certificate text (or a list of them).`);
  }
  return value as string | string[];
}

function pathOption(value: unknown, name: string): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !value.startsWith('/') || value.startsWith('//')) {
    throw new TypeError(`${PREFIX}: option "${name}" must be a path starting with a single "/".`);
  }
  return value;
}

function optionalBoolean(value: unknown, name: string): boolean | undefined {
  if (value === undefined || typeof value === 'boolean') return value;
  throw new TypeError(`${PREFIX}: option "${name}" must be a boolean.`);
}

function positive(value: unknown, name: string): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new TypeError(`${PREFIX}: option "${name}" must be a positive number (ms).`);
  }
  return value;
}

function integer(value: unknown, name: string, min: number, max?: number): number | undefined {
  if (value === undefined) return undefined;
  if (
    typeof value !== 'number' ||
    !Number.isSafeInteger(value) ||
    value < min ||
    (max !== undefined && value > max)
  ) {
    throw new TypeError(
      `${PREFIX}: option "${name}" must be an integer between ${min} and ${max ?? 'any'}.`,
    );
  }
  return value;
}
