import { PlatformAuthError } from './platform-auth.error.js';

/** Why a replay store did not answer (never a key, a value or a URL). */
export type ReplayStoreUnavailableReason = 'timeout' | 'connection' | 'reply';

/**
 * A replay store did not answer in time or could not be reached: the snapshot is refused with
 * `ERROR(DEPENDENCY_UNAVAILABLE)` (503), never accepted.
 */
export class ReplayStoreUnavailableError extends PlatformAuthError<'REPLAY_STORE_UNAVAILABLE'> {
  override readonly name = 'ReplayStoreUnavailableError';

  /**
   * @param detail a server error word (`NOAUTH`) or a system error code (`ECONNREFUSED`)
   */
  constructor(
    readonly reason: ReplayStoreUnavailableReason,
    readonly waitedMs?: number,
    readonly detail?: string,
  ) {
    super(
      'REPLAY_STORE_UNAVAILABLE',
      reason === 'timeout'
        ? `The replay store did not answer within ${waitedMs} ms; the snapshot is refused.`
        : `The replay store cannot be used (${reason}${detail ? `: ${detail}` : ''}); the snapshot is refused.`,
    );
  }
}
