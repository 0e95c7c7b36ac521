import { PlatformClientError } from './platform-client.error.js';

/** Why a shared token cache could not be used (never a value, a key or a URL). */
export type CacheUnavailableReason = 'timeout' | 'connection' | 'closed' | 'reply';

/**
 * A shared token cache (Redis) did not answer in time or could not be reached. No token request
 * is sent instead (see "Redis down or slow" in docs/many-replicas.md); a valid token
 * already in memory keeps being served, and the next call tries the cache again.
 */
export class CacheUnavailableError extends PlatformClientError<'CACHE_UNAVAILABLE'> {
  override readonly name = 'CacheUnavailableError';

  /**
   * @param reason what failed
   * @param detail a server error word (`NOAUTH`, `CROSSSLOT`, …) or a system error code
   *   (`ECONNREFUSED`), never a command argument
   */
  constructor(
    readonly reason: CacheUnavailableReason,
    readonly detail?: string,
    readonly waitedMs?: number,
  ) {
    super('CACHE_UNAVAILABLE', describe(reason, detail, waitedMs));
  }
}

function describe(reason: CacheUnavailableReason, detail?: string, waitedMs?: number): string {
  const suffix = detail ? ` (${detail})` : '';
  switch (reason) {
    case 'timeout':
      return `The token cache (Redis) did not answer within ${waitedMs} ms.`;
    case 'connection':
      return `The token cache (Redis) cannot be reached${suffix}.`;
    case 'closed':
      return 'The token cache (Redis) was closed.';
    case 'reply':
      return `The token cache (Redis) refused the command${suffix}.`;
  }
}
