import { randomUUID } from 'node:crypto';
import { InvalidTokenResponseError } from '../../errors/invalid-token-response.error.js';
import { PlatformClientError } from '../../errors/platform-client.error.js';
import { TokenEndpointUnavailableError } from '../../errors/token-endpoint-unavailable.error.js';
import { abortable } from '../../shared/abortable.js';
import { type Clock, systemClock } from '../../shared/clock.js';
import type { TokenCacheKey } from '../token-cache-key.js';
import { type AcquireOptions, TokenProvider } from '../token-provider.port.js';
import type { TokenSet } from '../../shared/token-set.js';
import type { TokenProviderDeps } from './client-credentials.provider.js';
import { optionalPositive, optionalString } from './option-checks.js';

/**
 * A user function that returns an access token; it owns the token's whole lifecycle. It may use
 * the `signal` it receives to stop its work when the acquisition's deadline passes or the
 * source is closed (the token manager stops waiting for it either way).
 */
export type ExternalTokenFunction = (options?: {
  readonly signal?: AbortSignal;
}) => string | Promise<string>;

/** Options of {@link ExternalTokenProvider}. */
export interface ExternalTokenOptions {
  readonly getToken: ExternalTokenFunction;
  /**
   * The provider's identity in cache keys. Required with a shared (file) cache, so processes
   * agree on it.
   * @default a random id per provider instance
   */
  readonly id?: string;
  /** How long a returned token is cached. @default 300 */
  readonly expiresInS?: number;
}

const TOKEN_CHARS = /^[\x21-\x7e]+$/;

/**
 * Wraps a plain `() => string | Promise<string>` (service-account tokens, a sidecar, a secrets
 * manager): no OAuth flow, but the token manager still adds caching, single-flight, 401
 * invalidation and health. A thrown error becomes `TOKEN_ENDPOINT_UNAVAILABLE` (without the
 * original as cause, which might hold a secret), unless it already is a `PlatformClientError`.
 */
export class ExternalTokenProvider extends TokenProvider {
  readonly cacheKey: TokenCacheKey;
  readonly #getToken: ExternalTokenFunction;
  readonly #expiresInS: number;
  readonly #clock: Clock;

  constructor(
    options: ExternalTokenOptions,
    deps: Pick<TokenProviderDeps, 'clock' | 'optionPath'> = {},
  ) {
    super();
    const path = deps.optionPath ?? 'provider';
    if (typeof options?.getToken !== 'function') {
      throw new TypeError(`${path}.getToken must be a function returning a token.`);
    }
    this.#getToken = options.getToken;
    this.#expiresInS = optionalPositive(options.expiresInS, `${path}.expiresInS`) ?? 300;
    this.#clock = deps.clock ?? systemClock;
    const id = optionalString(options.id, `${path}.id`);
    this.cacheKey = { kind: 'external', id: id ?? `anonymous:${randomUUID()}` };
  }

  async acquire({ signal }: AcquireOptions): Promise<TokenSet> {
    signal?.throwIfAborted();
    let token: unknown;
    try {
      token = await abortable(Promise.resolve(this.#getToken({ signal })), signal);
    } catch (error) {
      if (signal?.aborted) throw signal.reason;
      if (error instanceof PlatformClientError) throw error;
      const name = error instanceof Error ? error.name : typeof error;
      throw new TokenEndpointUnavailableError(`the external token function threw (${name})`);
    }
    signal?.throwIfAborted();
    if (typeof token !== 'string' || !TOKEN_CHARS.test(token)) {
      throw new InvalidTokenResponseError(
        'the external token function did not return a bearer token string',
      );
    }
    return {
      accessToken: token,
      tokenType: 'Bearer',
      expiresAt: this.#clock.now() + this.#expiresInS * 1000,
    };
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return `ExternalTokenProvider ${JSON.stringify(this.toJSON())}`;
  }

  toJSON(): object {
    return {
      grant: 'external',
      id: this.cacheKey.kind === 'external' ? this.cacheKey.id : undefined,
    };
  }
}

/**
 * Builds an {@link ExternalTokenProvider}.
 * @example
 * externalToken(() => readFile('/var/run/secrets/token', 'utf8').then((t) => t.trim()), { id: 'k8s-sa' })
 */
export function externalToken(
  getToken: ExternalTokenFunction,
  options: Omit<ExternalTokenOptions, 'getToken'> = {},
  deps?: Pick<TokenProviderDeps, 'clock' | 'optionPath'>,
): ExternalTokenProvider {
  return new ExternalTokenProvider({ ...options, getToken }, deps);
}
