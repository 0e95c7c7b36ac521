import { PlatformClientError } from './platform-client.error.js';

/**
 * Another holder kept a token cache lock longer than the configured wait (`lockTimeoutMs`).
 * A holder that died loses its lock after `lockStaleMs`, so this means a live but slow holder.
 */
export class CacheLockTimeoutError extends PlatformClientError<'CACHE_LOCK_TIMEOUT'> {
  override readonly name = 'CacheLockTimeoutError';

  constructor(readonly waitedMs: number) {
    super(
      'CACHE_LOCK_TIMEOUT',
      `Timed out after ${waitedMs} ms waiting for the token cache lock held by another process.`,
    );
  }
}
