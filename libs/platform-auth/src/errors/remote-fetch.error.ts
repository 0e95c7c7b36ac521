import { PlatformAuthError } from './platform-auth.error.js';

/** Why a remote document (discovery, JWKS) could not be used. */
export type RemoteFetchFailure =
  | 'TIMEOUT'
  | 'NETWORK'
  | 'REDIRECT_REFUSED'
  | 'HTTP_STATUS'
  | 'TOO_LARGE'
  | 'MALFORMED'
  | 'DISCOVERY';

/**
 * A discovery document or key set could not be fetched or used. The JWT provider turns it into
 * an `ERROR` decision (503), never into "invalid token".
 */
export class RemoteFetchError extends PlatformAuthError<'REMOTE_FETCH_FAILED'> {
  override readonly name = 'RemoteFetchError';

  constructor(
    readonly failure: RemoteFetchFailure,
    message: string,
    options?: { cause?: unknown },
  ) {
    super('REMOTE_FETCH_FAILED', message, options);
  }
}
