import { PlatformClientError } from './platform-client.error.js';

/**
 * The browser did not come back to the loopback redirect in time. Interactive login falls back to
 * the device flow.
 */
export class CallbackTimeoutError extends PlatformClientError<'CALLBACK_TIMEOUT'> {
  override readonly name = 'CallbackTimeoutError';

  /** @param timeoutMs how long the redirect was awaited. */
  constructor(readonly timeoutMs: number) {
    super(
      'CALLBACK_TIMEOUT',
      `The browser did not complete the login within ${Math.round(timeoutMs / 1000)} s.`,
    );
  }
}
