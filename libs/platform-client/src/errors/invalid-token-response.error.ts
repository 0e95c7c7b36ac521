import { PlatformClientError } from './platform-client.error.js';

/**
 * The token endpoint answered something that is not a usable token response: not JSON, no
 * `access_token` or `token_type`, an unsupported token type, or an OAuth error this library does
 * not map to a more specific class.
 */
export class InvalidTokenResponseError extends PlatformClientError<'INVALID_TOKEN_RESPONSE'> {
  override readonly name = 'InvalidTokenResponseError';

  /** @param detail what was wrong (names a property, never its value). */
  constructor(detail: string) {
    super('INVALID_TOKEN_RESPONSE', `Invalid token response: ${detail}.`);
  }
}
