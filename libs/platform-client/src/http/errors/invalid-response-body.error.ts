import { PlatformClientError } from '../../errors/platform-client.error.js';

/**
 * `json()` on a body that is not JSON. Code `INVALID_RESPONSE_BODY`. Neither the body nor the
 * parser's error (which quotes the body) is attached.
 */
export class InvalidResponseBodyError extends PlatformClientError<'INVALID_RESPONSE_BODY'> {
  override readonly name: string = 'InvalidResponseBodyError';

  constructor(readonly status: number) {
    super('INVALID_RESPONSE_BODY', `Response (HTTP ${status}) body is not valid JSON.`);
  }
}
