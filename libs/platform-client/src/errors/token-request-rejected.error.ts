import { PlatformClientError } from './platform-client.error.js';

/**
 * The token endpoint refused the request with an OAuth error that is neither about the grant
 * (`REAUTH_REQUIRED`) nor the client's credentials (`CLIENT_AUTH_FAILED`): `invalid_request`,
 * `invalid_scope`, `invalid_target`, `unsupported_grant_type`, … Usually a configuration
 * problem (scope, audience, grant not allowed for the client); not retried.
 * @see RFC 6749 §5.2, RFC 8707 §2
 */
export class TokenRequestRejectedError extends PlatformClientError<'TOKEN_REQUEST_REJECTED'> {
  override readonly name = 'TokenRequestRejectedError';

  /**
   * @param oauthError the OAuth error code (sanitised).
   * @param detail the server's sanitised `error_description`, if any.
   */
  constructor(
    readonly oauthError: string,
    detail?: string,
  ) {
    super(
      'TOKEN_REQUEST_REJECTED',
      `The token endpoint refused the request (${oauthError})` +
        (detail ? `: ${detail}.` : '.') +
        ' Potential solutions: check the requested scope and audience, and that the client may use this grant.',
    );
  }
}
