import { PlatformClientError } from './platform-client.error.js';

/**
 * The issuer's discovery document names no endpoint for what was asked (device authorization,
 * authorization endpoint, userinfo).
 */
export class UnsupportedByIssuerError extends PlatformClientError<'UNSUPPORTED_BY_ISSUER'> {
  override readonly name = 'UnsupportedByIssuerError';

  /** @param endpoint the missing discovery metadata field, e.g. `device_authorization_endpoint`. */
  constructor(readonly endpoint: string) {
    super(
      'UNSUPPORTED_BY_ISSUER',
      `The issuer does not support this: its discovery document has no ${endpoint}.`,
    );
  }
}
