import { PlatformClientError } from './platform-client.error.js';

/**
 * The holder of a token cache lock no longer holds it (its Redis lease expired or was taken over,
 * or its file lock was taken over as stale), so a fenced write was refused and nothing was
 * written: another holder may have stored a newer token meanwhile. The work under the lock is
 * aborted with this error as its reason.
 */
export class CacheLeaseLostError extends PlatformClientError<'CACHE_LEASE_LOST'> {
  override readonly name = 'CacheLeaseLostError';

  constructor() {
    super(
      'CACHE_LEASE_LOST',
      'The token cache lock was lost before the write (it expired or another holder took it over); ' +
        'nothing was written.',
    );
  }
}
