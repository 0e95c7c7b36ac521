import { PlatformClientError } from './platform-client.error.js';

/**
 * The discovery document or token endpoint could not be reached or failed (network error,
 * timeout, HTTP 5xx, an unexpected status such as a redirect). Usually transient.
 */
export class TokenEndpointUnavailableError extends PlatformClientError<'TOKEN_ENDPOINT_UNAVAILABLE'> {
  override readonly name = 'TokenEndpointUnavailableError';

  /**
   * @param detail what failed (never a credential).
   * @param status the HTTP status, when the server answered.
   * @param options `cause`: only causes that hold no response body (e.g. a socket error).
   */
  constructor(
    detail: string,
    readonly status?: number,
    options?: { cause?: unknown },
  ) {
    super(
      'TOKEN_ENDPOINT_UNAVAILABLE',
      `The authorization server is unavailable: ${detail}` +
        (status !== undefined ? ` (HTTP ${status}).` : '.'),
      options,
    );
  }
}
