import type { AuthSnapshotSigner } from '@nest-platform/auth';
import type { Clock } from '../shared/clock.js';
import { PlatformClient, type PlatformClientLogger } from './platform-client.js';
import {
  type PlatformClientOptions,
  type ResolvedPlatformClientOptions,
  resolvePlatformClientOptions,
} from './platform-client.options.js';
import { PlatformTransport } from './platform-transport.js';
import { resolveTokenSource } from './token-option.js';

/** Collaborators of {@link createPlatformClient}; tests inject time and randomness. */
export interface CreatePlatformClientDeps {
  /** @default systemClock */
  readonly clock?: Clock;
  /** @default Math.random */
  readonly random?: () => number;
  /** Receives retry and token-lifecycle messages (never a secret). */
  readonly logger?: PlatformClientLogger;
  /** Signs forwarded auth contexts; required when the options say `forwardAuth: true`. */
  readonly snapshotSigner?: AuthSnapshotSigner;
}

/**
 * Builds a {@link PlatformClient} outside Nest: validates the options, creates the transport
 * (proxy, CA) and the token source, and wires the transport's `fetch` into built-in token
 * providers so discovery and token calls use the same proxy and CA. No I/O until the first call.
 * Call `client.close()` when done.
 *
 * @throws TypeError naming the offending option
 * @example
 * ```ts
 * const client = createPlatformClient({ baseUrl: 'https://api.example.com', token: () => getKey() });
 * ```
 */
export function createPlatformClient(
  options: PlatformClientOptions | ResolvedPlatformClientOptions,
  deps: CreatePlatformClientDeps = {},
): PlatformClient {
  const resolved = isResolved(options) ? options : resolvePlatformClientOptions(options);
  if (resolved.forwardAuth && deps.snapshotSigner === undefined) {
    throw new TypeError(
      'PlatformClient: option "forwardAuth" needs an AuthSnapshotSigner (import AuthSnapshotModule, or pass deps.snapshotSigner).',
    );
  }
  if (resolved.allowHttp && resolved.http.baseUrl.protocol === 'http:') {
    deps.logger?.warn(
      `allowHttp: sending bearer tokens and auth-context snapshots to ${resolved.http.baseUrl.origin} over plain HTTP; development only.`,
    );
  }
  const transport = new PlatformTransport(resolved.transport);
  try {
    const tokenSource =
      resolved.token === undefined
        ? undefined
        : resolveTokenSource(resolved.token, {
            fetch: transport.fetch,
            ...(deps.clock ? { clock: deps.clock } : {}),
            ...(deps.random ? { random: deps.random } : {}),
            ...(deps.logger ? { logger: deps.logger } : {}),
            ...(resolved.dpop ? { dpop: resolved.dpop } : {}),
          });
    return new PlatformClient(resolved.http, {
      dispatcher: transport.dispatcher,
      ...(tokenSource ? { tokenSource } : {}),
      ...(deps.clock ? { clock: deps.clock } : {}),
      ...(deps.random ? { random: deps.random } : {}),
      ...(deps.logger ? { logger: deps.logger } : {}),
      onClose: async () => {
        // A source built here is this client's: stop it first, so that no abandoned token
        // request keeps the transport's close waiting. A source passed in may be shared.
        if (tokenSource !== undefined && tokenSource !== resolved.token) {
          await tokenSource.close?.().catch(() => undefined);
        }
        await transport.close();
      },
      forwardAuth: resolved.forwardAuth,
      ...(resolved.dpop ? { dpop: resolved.dpop } : {}),
      ...(deps.snapshotSigner ? { snapshotSigner: deps.snapshotSigner } : {}),
    });
  } catch (error) {
    void transport.close();
    throw error;
  }
}

function isResolved(
  options: PlatformClientOptions | ResolvedPlatformClientOptions,
): options is ResolvedPlatformClientOptions {
  return 'http' in options && 'transport' in options;
}
