import { PlatformClientError } from './platform-client.error.js';

/**
 * An issuer or endpoint is not `https://` (or is `http://` on a host other than a loopback IP
 * literal while `allowHttp` is set). Raised before any request carrying a credential is sent.
 *
 * @see RFC 9700 §2.6 (TLS for all endpoints)
 */
export class InsecureEndpointError extends PlatformClientError<'INSECURE_ENDPOINT'> {
  override readonly name = 'InsecureEndpointError';

  /**
   * @param what which endpoint (`issuer`, `token_endpoint`, …).
   * @param url the offending address (an endpoint URL, never a credential).
   */
  constructor(
    readonly what: string,
    readonly url: string,
  ) {
    super(
      'INSECURE_ENDPOINT',
      `Refusing the ${what} ${url}: only https:// is allowed. Potential solutions: use the https URL; for loopback development only, set allowHttp: true (http://127.0.0.1 or http://[::1]; not localhost).`,
    );
  }
}
