import { PlatformClientError } from './platform-client.error.js';

/**
 * The discovery document's `issuer` is not the configured issuer: the document is refused and no
 * credential is sent to its endpoints.
 *
 * @see RFC 8414 §3.3, OpenID Connect Discovery 1.0 §4.3
 */
export class IssuerMismatchError extends PlatformClientError<'ISSUER_MISMATCH'> {
  override readonly name = 'IssuerMismatchError';

  /**
   * @param expected the configured issuer.
   * @param actual the issuer the document named, when known.
   */
  constructor(
    readonly expected: string,
    readonly actual?: string,
  ) {
    super(
      'ISSUER_MISMATCH',
      `The discovery document of ${expected} names ` +
        (actual !== undefined ? `issuer ${JSON.stringify(actual)}` : 'another issuer') +
        '; refusing it. Potential solutions: configure the exact issuer URL the server publishes (including any path and trailing slash).',
    );
  }
}
