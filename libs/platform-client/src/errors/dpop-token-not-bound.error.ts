import { PlatformClientError } from './platform-client.error.js';

/**
 * The client asked for a DPoP-bound token (it has a `dpop` key) and the token endpoint answered
 * with another `token_type` (a plain bearer token): the response is discarded, never used.
 * Code `DPOP_TOKEN_NOT_BOUND`.
 * @see RFC 9449 §5 ("The client MUST discard the response in this case if this protection is deemed important")
 */
export class DpopTokenNotBoundError extends PlatformClientError<'DPOP_TOKEN_NOT_BOUND'> {
  override readonly name = 'DpopTokenNotBoundError';

  constructor() {
    super(
      'DPOP_TOKEN_NOT_BOUND',
      'The token endpoint issued a token that is not DPoP-bound (token_type is not DPoP); it was discarded. ' +
        'Potential solutions: enable DPoP for this client at the authorization server, or drop the client\'s "dpop" option.',
    );
  }
}
