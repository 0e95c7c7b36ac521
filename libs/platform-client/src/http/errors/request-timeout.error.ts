import { PlatformClientError } from '../../errors/platform-client.error.js';

/**
 * The call's deadline (`timeoutMs`, all attempts and back-off included) or one attempt's
 * `attemptTimeoutMs` passed before a response. Code `REQUEST_TIMEOUT`.
 */
export class RequestTimeoutError extends PlatformClientError<'REQUEST_TIMEOUT'> {
  override readonly name: string = 'RequestTimeoutError';

  constructor(
    readonly method: string,
    readonly path: string,
    readonly timeoutMs: number,
    options?: { cause?: unknown },
  ) {
    super('REQUEST_TIMEOUT', `${method} ${path} timed out after ${timeoutMs} ms.`, options);
  }
}
