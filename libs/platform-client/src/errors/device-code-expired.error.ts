import { PlatformClientError } from './platform-client.error.js';

/**
 * The device code expired before the person approved the login (`expired_token`, or its
 * `expires_in` elapsed while polling).
 * @see RFC 8628 §3.5
 */
export class DeviceCodeExpiredError extends PlatformClientError<'DEVICE_CODE_EXPIRED'> {
  override readonly name = 'DeviceCodeExpiredError';

  constructor() {
    super(
      'DEVICE_CODE_EXPIRED',
      'The login code expired before it was approved (expired_token). Potential solutions: log in again and enter the new code sooner.',
    );
  }
}
