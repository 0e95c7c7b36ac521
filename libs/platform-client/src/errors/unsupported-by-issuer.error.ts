import { PlatformClientError } from './platform-client.error.js';

/**
 * The issuer's discovery document names no endpoint for what was asked (device authorization,
 * authorization endpoint, userinfo).
 */
export class UnsupportedByIssuer extends PlatformClientError {
  override readonly name = 'UnsupportedByIssuer';

  /** @param endpoint the missing discovery metadata field, e.g. `device_authorization_endpoint`. */
  constructor(readonly endpoint: string) {
    super(
      'UNSUPPORTED_BY_ISSUER',
      `The issuer does not support this: its discovery document has no ${endpoint}.`,
    );
  }
}
