import type { DpopKey } from '../dpop/dpop-key.js';
import { type AccessTokenSource, isAccessTokenSource } from '../tokens/access-token-source.js';
import type { Clock } from '../shared/clock.js';
import type { ExternalTokenFunction } from '../tokens/providers/external-token.provider.js';
import type { TokenLogger } from '../tokens/token-manager.js';
import {
  createAccessTokenSource,
  type TokenSourceOptions,
} from '../tokens/token-source.factory.js';

/**
 * What the `token` option of a client accepts: token-source options (a built-in grant, your own
 * `TokenProvider`, a cache), a ready `AccessTokenSource` (shared between clients, or a fake in
 * tests), or a plain `() => string | Promise<string>` (an external provider, memory cache).
 */
export type PlatformClientTokenOption =
  TokenSourceOptions | AccessTokenSource | ExternalTokenFunction;

/** What token sources built for a client share with it. */
export interface TokenSourceBuildDeps {
  /** The client's proxy- and CA-aware fetch, for discovery and token calls. */
  readonly fetch: typeof fetch;
  readonly clock?: Clock;
  readonly random?: () => number;
  readonly logger?: TokenLogger;
  /** The client's DPoP key, when it has one: tokens must be bound to it. */
  readonly dpop?: DpopKey;
}

/**
 * Turns the `token` option into an {@link AccessTokenSource}: an instance is used as is, a
 * function becomes `{ provider: fn }`, options go to `createAccessTokenSource` with the client's
 * fetch (and DPoP key). No I/O.
 * @throws TypeError naming the option path (`client.token.…`) when it is not usable.
 */
export function resolveTokenSource(
  option: PlatformClientTokenOption,
  deps: TokenSourceBuildDeps,
): AccessTokenSource {
  if (deps.dpop !== undefined && (isAccessTokenSource(option) || typeof option === 'function')) {
    throw new TypeError(
      'PlatformClient: option "dpop" needs "token" to be token-source options with a built-in ' +
        'client_credentials or refresh_token grant (the client binds those tokens to its key).',
    );
  }
  if (isAccessTokenSource(option)) return option;
  const options: TokenSourceOptions = typeof option === 'function' ? { provider: option } : option;
  return createAccessTokenSource(options, deps);
}
