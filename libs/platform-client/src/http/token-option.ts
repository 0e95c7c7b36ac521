import { AccessTokenSource } from '../tokens/access-token-source.js';
import type { Clock } from '../tokens/clock.js';

/** A plain token function: the token is used as given (an external provider). */
export type ExternalTokenFunction = () => string | Promise<string>;

/** Token-source options (see `createAccessTokenSource`). */
export interface PlatformTokenSourceOptions {
  readonly provider: unknown;
}

/**
 * What the `token` option of a client accepts: token-source options (a built-in grant or a
 * `TokenProvider`), a ready `AccessTokenSource`, or a plain function.
 */
export type PlatformClientTokenOption =
  PlatformTokenSourceOptions | AccessTokenSource | ExternalTokenFunction;

/** What token sources built for a client share with it. */
export interface TokenSourceBuildDeps {
  /** The client's proxy- and CA-aware fetch, for discovery and token calls. */
  readonly fetch: typeof fetch;
  readonly clock?: Clock;
  readonly logger?: { log(message: string): void; warn(message: string): void };
}

/**
 * Turns the `token` option into an {@link AccessTokenSource}. No I/O.
 * @throws TypeError naming the option when it is not usable.
 */
export function resolveTokenSource(
  option: PlatformClientTokenOption,
  _deps: TokenSourceBuildDeps,
): AccessTokenSource {
  if (option instanceof AccessTokenSource) return option;
  throw new TypeError(
    'PlatformClient: option "token" as options or a function needs the token-source factory.',
  );
}
