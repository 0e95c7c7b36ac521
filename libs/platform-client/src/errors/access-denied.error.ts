import { PlatformClientError } from './platform-client.error.js';

/**
 * The person (or the issuer's policy) refused the login: `access_denied` on the device
 * verification page or at the authorization endpoint. Not retried and not a reason to fall back
 * to another flow.
 * @see RFC 8628 §3.5, RFC 6749 §4.1.2.1
 */
export class AccessDeniedError extends PlatformClientError<'ACCESS_DENIED'> {
  override readonly name = 'AccessDeniedError';

  /** @param detail the server's sanitised `error_description`, if any. */
  constructor(detail?: string) {
    super(
      'ACCESS_DENIED',
      'The login was denied (access_denied)' +
        (detail ? `: ${detail}.` : '.') +
        ' Potential solutions: log in again and approve the request, or ask an administrator for access.',
    );
  }
}
