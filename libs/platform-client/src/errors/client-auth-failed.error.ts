import { PlatformClientError } from './platform-client.error.js';

/**
 * The authorization server rejected the client's own credentials (`invalid_client`,
 * `unauthorized_client`): a configuration problem (client id, secret, key or auth method).
 *
 * @see RFC 6749 §5.2 (`invalid_client`)
 */
export class ClientAuthFailedError extends PlatformClientError<'CLIENT_AUTH_FAILED'> {
  override readonly name = 'ClientAuthFailedError';

  /**
   * @param oauthError the OAuth error code the server returned (e.g. `invalid_client`).
   * @param detail the server's sanitised `error_description`, if any (never a credential).
   */
  constructor(
    readonly oauthError: string,
    detail?: string,
  ) {
    super(
      'CLIENT_AUTH_FAILED',
      `The authorization server rejected the client credentials (${oauthError}).` +
        (detail ? ` Server said: ${detail}.` : '') +
        ' Potential solutions: check the client id, the secret or key, and the client authentication method.',
    );
  }
}
