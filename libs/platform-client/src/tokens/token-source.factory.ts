import type { DpopKey } from '../dpop/dpop-key.js';
import { FileTokenCache, type FileTokenCacheOptions } from '../caches/file-token-cache.js';
import { MemoryTokenCache } from '../caches/memory-token-cache.js';
import type { RedisTokenCacheSettings } from '../caches/redis-token-cache.settings.js';
import { TOKEN_CACHE_METHODS, type TokenCache } from '../caches/token-cache.port.js';
import { LazyRedisTokenCache } from '../redis/lazy-redis-token-cache.js';
import type { AccessTokenSource } from './access-token-source.js';
import type { Clock } from '../shared/clock.js';
import {
  type ClientCredentialsOptions,
  ClientCredentialsProvider,
} from './providers/client-credentials.provider.js';
import {
  type ExternalTokenFunction,
  type ExternalTokenOptions,
  ExternalTokenProvider,
} from './providers/external-token.provider.js';
import { oneOf, optionalPositive } from './providers/option-checks.js';
import {
  type RefreshTokenOptions,
  RefreshTokenProvider,
} from './providers/refresh-token.provider.js';
import { TokenManager, type TokenLogger } from './token-manager.js';
import { hasAnyMethod, listMethods, missingMethods } from '../shared/port-shape.js';
import { type TokenProvider, tokenProviderProblem } from './token-provider.port.js';

/** A built-in provider, described by options. */
export type TokenProviderOptions =
  | ({ readonly grant: 'client_credentials' } & ClientCredentialsOptions)
  | ({ readonly grant: 'refresh_token' } & RefreshTokenOptions)
  | ({ readonly grant: 'external' } & ExternalTokenOptions);

/**
 * A built-in cache, described by options. `redis` needs the optional peer `ioredis` and loads
 * `@nest-platform/client/redis` on first use (see {@link RedisTokenCacheSettings}; `url` is
 * required there). @default { kind: 'memory' }
 */
export type TokenCacheOptions =
  | { readonly kind: 'memory' }
  | ({ readonly kind: 'file' } & Omit<FileTokenCacheOptions, 'logger'>)
  | ({ readonly kind: 'redis'; readonly url: string } & Omit<RedisTokenCacheSettings, 'url'>);

/** What {@link createAccessTokenSource} builds a token source from. */
export interface TokenSourceOptions {
  /**
   * Built-in provider options, your own {@link TokenProvider}, or a plain
   * `() => string | Promise<string>` (an external provider; give it an `id` through
   * `{ grant: 'external', getToken, id }` to use a file cache).
   */
  readonly provider: TokenProviderOptions | TokenProvider | ExternalTokenFunction;
  /** @default { kind: 'memory' } */
  readonly cache?: TokenCacheOptions | TokenCache;
  /** @default 300_000 */
  readonly refreshAheadMs?: number;
  /** @default 0.5 */
  readonly refreshAheadMaxFraction?: number;
  /** @default 0.2 */
  readonly refreshJitterRatio?: number;
  /**
   * Longest `Retry-After` of a throttled token request that is honoured (no request for the key
   * until it elapses; `ThrottledError` meanwhile).
   * @default 300_000 (5 minutes)
   */
  readonly retryAfterCapMs?: number;
  /**
   * Deadline of one acquisition, in wall-clock ms (see `TokenManagerOptions.acquireTimeoutMs`).
   * @default 30_000
   */
  readonly acquireTimeoutMs?: number;
  /**
   * Lifetime assumed when a token response has no `expires_in` (and the cache time of an
   * external provider's tokens), unless the provider options set their own.
   * @default 300
   */
  readonly defaultExpiresInS?: number;
}

/** Collaborators of {@link createAccessTokenSource}. */
export interface TokenSourceDeps {
  /**
   * Transport for discovery and token requests (e.g. an undici-backed fetch with proxy and CA).
   * It must honour `redirect: 'manual'`. @default globalThis.fetch
   */
  readonly fetch?: typeof fetch;
  /** @default systemClock */
  readonly clock?: Clock;
  /** @default Math.random */
  readonly random?: () => number;
  readonly logger?: TokenLogger;
  /** Prefix of option paths in `TypeError` messages. @default 'client.token' */
  readonly optionPath?: string;
  /**
   * Bind the tokens to this DPoP key (the client's `dpop` option). Only the built-in
   * `client_credentials` and `refresh_token` grants can: any other provider is a `TypeError`.
   */
  readonly dpop?: DpopKey;
}

/**
 * Validates the options and builds the {@link AccessTokenSource} (a {@link TokenManager}) that
 * the HTTP client and health use. Does no network or file I/O: discovery happens on the first
 * token request.
 * @throws TypeError naming the option path, e.g. `client.token.provider.clientId must be a
 *   non-empty string.`
 * @example
 * const tokens = createAccessTokenSource({
 *   provider: { grant: 'client_credentials', issuer, clientId, clientSecret, scope: 'orders:read' },
 *   cache: { kind: 'file', directory: '/var/cache/my-app/tokens' },
 * });
 * const token = await tokens.getToken();
 */
export function createAccessTokenSource(
  options: TokenSourceOptions,
  deps: TokenSourceDeps = {},
): AccessTokenSource {
  const path = deps.optionPath ?? 'client.token';
  if (typeof options !== 'object' || options === null) {
    throw new TypeError(`${path} must be an object.`);
  }
  const defaultExpiresInS = optionalPositive(
    options.defaultExpiresInS,
    `${path}.defaultExpiresInS`,
  );
  const cache = buildCache(options.cache, `${path}.cache`, deps.logger, deps.clock);
  const provider = buildProvider(options.provider, `${path}.provider`, deps, defaultExpiresInS);
  if (
    (cache instanceof FileTokenCache || cache instanceof LazyRedisTokenCache) &&
    provider.cacheKey.kind === 'external' &&
    provider.cacheKey.id.startsWith('anonymous:')
  ) {
    throw new TypeError(
      `${path}.provider.id is required with a file or Redis cache, so that processes share one identity ` +
        "(use { grant: 'external', getToken, id: 'my-token-source' }).",
    );
  }
  return new TokenManager(provider, cache, {
    // A cache built from options (a Redis connection) is closed with the token source.
    ownsCache: cache !== options.cache,
    clock: deps.clock,
    random: deps.random,
    logger: deps.logger,
    refreshAheadMs: optionalPositive(options.refreshAheadMs, `${path}.refreshAheadMs`),
    refreshAheadMaxFraction: options.refreshAheadMaxFraction,
    refreshJitterRatio: options.refreshJitterRatio,
    retryAfterCapMs: optionalPositive(options.retryAfterCapMs, `${path}.retryAfterCapMs`),
    acquireTimeoutMs: optionalPositive(options.acquireTimeoutMs, `${path}.acquireTimeoutMs`),
  });
}

function buildProvider(
  options: TokenSourceOptions['provider'],
  path: string,
  deps: TokenSourceDeps,
  defaultExpiresInS: number | undefined,
): TokenProvider {
  const providerDeps = { fetch: deps.fetch, clock: deps.clock, optionPath: path, dpop: deps.dpop };
  const grant = (options as { grant?: unknown } | null)?.grant;
  if (deps.dpop !== undefined && grant !== 'client_credentials' && grant !== 'refresh_token') {
    throw new TypeError(
      `${path} must be a built-in client_credentials or refresh_token grant with "dpop": ` +
        'only those request DPoP-bound tokens.',
    );
  }
  if (typeof options === 'function') {
    return new ExternalTokenProvider(
      { getToken: options, expiresInS: defaultExpiresInS },
      providerDeps,
    );
  }
  if (typeof options !== 'object' || options === null) {
    throw new TypeError(`${path} must be provider options, a TokenProvider or a function.`);
  }
  if (!('grant' in options)) {
    // Recognised by shape: a class that `implements TokenProvider` is one.
    const problem = tokenProviderProblem(options);
    if (problem !== undefined) {
      throw new TypeError(
        `${path} is neither provider options ({ grant: ... }) nor a TokenProvider: ${problem}.`,
      );
    }
    return options as TokenProvider;
  }
  const known = oneOf(
    options.grant,
    ['client_credentials', 'refresh_token', 'external'],
    `${path}.grant`,
  );
  switch (known) {
    case 'client_credentials':
      return new ClientCredentialsProvider(
        { defaultExpiresInS, ...(options as ClientCredentialsOptions) },
        providerDeps,
      );
    case 'refresh_token':
      return new RefreshTokenProvider(
        { defaultExpiresInS, ...(options as RefreshTokenOptions) },
        providerDeps,
      );
    case 'external':
      return new ExternalTokenProvider(
        { expiresInS: defaultExpiresInS, ...(options as ExternalTokenOptions) },
        providerDeps,
      );
  }
}

function buildCache(
  options: TokenSourceOptions['cache'],
  path: string,
  logger: TokenLogger | undefined,
  clock: Clock | undefined,
): TokenCache {
  if (options === undefined) return new MemoryTokenCache();
  if (typeof options !== 'object' || options === null) {
    throw new TypeError(`${path} must be cache options or a TokenCache.`);
  }
  if (!('kind' in options) || hasAnyMethod(options, TOKEN_CACHE_METHODS)) {
    // Recognised by shape: a class that `implements TokenCache` is one.
    const missing = missingMethods(options, TOKEN_CACHE_METHODS);
    if (missing.length > 0) {
      throw new TypeError(
        `${path} is neither cache options ({ kind: ... }) nor a TokenCache: it lacks ${listMethods(missing)}.`,
      );
    }
    return options as TokenCache;
  }
  const kind = oneOf(options.kind, ['memory', 'file', 'redis'], `${path}.kind`);
  if (kind === 'memory') return new MemoryTokenCache();
  if (kind === 'redis') {
    const redisOptions = { ...(options as { kind?: 'redis'; url: string }) };
    delete redisOptions.kind;
    return new LazyRedisTokenCache({ ...redisOptions, logger, clock }, path);
  }
  const fileOptions = options as FileTokenCacheOptions;
  if (typeof fileOptions.directory !== 'string' || fileOptions.directory === '') {
    throw new TypeError(`${path}.directory must be a non-empty string.`);
  }
  optionalPositive(fileOptions.lockStaleMs, `${path}.lockStaleMs`);
  optionalPositive(fileOptions.lockTimeoutMs, `${path}.lockTimeoutMs`);
  optionalPositive(fileOptions.lockRetryIntervalMs, `${path}.lockRetryIntervalMs`);
  return new FileTokenCache({ ...fileOptions, logger });
}
