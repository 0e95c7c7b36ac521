import { PlatformClientError } from './platform-client.error.js';

/**
 * The authorization server answered HTTP 429 (or `slow_down`). `retryAfterMs` carries its
 * `Retry-After` when it sent a usable one.
 *
 * @see RFC 6585 §4, RFC 9110 §10.2.3
 */
export class ThrottledError extends PlatformClientError<'THROTTLED'> {
  override readonly name = 'ThrottledError';

  /** @param retryAfterMs milliseconds to wait, from `Retry-After`, when given. */
  constructor(readonly retryAfterMs?: number) {
    super(
      'THROTTLED',
      'The authorization server is throttling token requests (HTTP 429)' +
        (retryAfterMs !== undefined ? `; retry after ${Math.ceil(retryAfterMs / 1000)} s.` : '.'),
    );
  }
}
