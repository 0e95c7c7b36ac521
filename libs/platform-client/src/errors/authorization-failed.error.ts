import { PlatformClientError } from './platform-client.error.js';

/**
 * The authorization response was an OAuth error other than `access_denied`, or failed a check
 * (`state`, `iss`, the code exchange). The message names the OAuth error, never a code or token.
 * @see RFC 6749 §4.1.2.1, RFC 9207
 */
export class AuthorizationFailed extends PlatformClientError {
  override readonly name = 'AuthorizationFailed';

  /**
   * @param reason the OAuth error code or the failed check.
   * @param detail the server's sanitised `error_description`, if any.
   */
  constructor(
    readonly reason: string,
    detail?: string,
  ) {
    super(
      'AUTHORIZATION_FAILED',
      `The authorization failed (${reason})` + (detail ? `: ${detail}.` : '.'),
    );
  }
}
