import { PlatformClientError } from './platform-client.error.js';

/**
 * Interactive login: the authorization response was an OAuth error other than `access_denied`,
 * or failed a check (`state`, `iss`, the code exchange), or the device authorization response
 * was unusable. Code `AUTHORIZATION_RESPONSE_REJECTED` (not platform-auth's
 * `AUTHORIZATION_FAILED`, which is an access-control refusal). The message names the OAuth
 * error, never a code or token.
 * @see RFC 6749 §4.1.2.1, RFC 8628 §3.2, RFC 9207
 */
export class AuthorizationResponseError extends PlatformClientError<'AUTHORIZATION_RESPONSE_REJECTED'> {
  override readonly name = 'AuthorizationResponseError';

  /**
   * @param reason the OAuth error code or the failed check.
   * @param detail the server's sanitised `error_description`, if any.
   */
  constructor(
    readonly reason: string,
    detail?: string,
  ) {
    super(
      'AUTHORIZATION_RESPONSE_REJECTED',
      `The authorization failed (${reason})` + (detail ? `: ${detail}.` : '.'),
    );
  }
}
