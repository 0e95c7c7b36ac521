import { PlatformClientError } from './platform-client.error.js';

/**
 * The authorization grant can no longer be used: the server rejected the refresh token or grant
 * (`invalid_grant`), or there is no refresh token left that may be presented (none configured
 * or cached, or only ones already rejected or replaced by rotation). The user (or operator) has
 * to sign in again, or configure a new refresh token. Never retried; the rejected refresh token
 * is purged and never sent again.
 *
 * @see RFC 6749 §5.2 (`invalid_grant`), RFC 9700 §4.14.2 (refresh token reuse)
 */
export class ReauthRequiredError extends PlatformClientError<'REAUTH_REQUIRED'> {
  override readonly name = 'ReauthRequiredError';
  /**
   * @param detail the server's sanitised `error_description` (never a credential), or with
   *   `local`, why no request was sent.
   * @param local the library refused before any request (nothing was sent).
   */
  constructor(detail?: string, local = false) {
    super(
      'REAUTH_REQUIRED',
      local
        ? `No usable refresh token${detail ? ` (${detail})` : ''}: sign in again.`
        : 'The authorization grant is no longer valid (invalid_grant): sign in again.' +
            (detail ? ` Server said: ${detail}` : ''),
    );
  }
}
