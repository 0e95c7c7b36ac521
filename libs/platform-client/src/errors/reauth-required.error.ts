import { PlatformClientError } from './platform-client.error.js';

/**
 * The authorization server rejected the refresh token or grant (`invalid_grant`): the user (or
 * operator) has to sign in again. Never retried; the cached refresh token has been purged.
 *
 * @see RFC 6749 §5.2 (`invalid_grant`)
 */
export class ReauthRequired extends PlatformClientError {
  override readonly name = 'ReauthRequired';

  /** @param detail the server's sanitised `error_description`, if any (never a credential). */
  constructor(detail?: string) {
    super(
      'REAUTH_REQUIRED',
      'The authorization grant is no longer valid (invalid_grant): sign in again.' +
        (detail ? ` Server said: ${detail}` : ''),
    );
  }
}
