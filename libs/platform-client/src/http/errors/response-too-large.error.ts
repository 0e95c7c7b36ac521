import { PlatformClientError } from '../../errors/platform-client.error.js';

/** The response body exceeded `maxResponseBytes`; the connection was dropped. Code `RESPONSE_TOO_LARGE`. */
export class ResponseTooLargeError extends PlatformClientError<'RESPONSE_TOO_LARGE'> {
  override readonly name: string = 'ResponseTooLargeError';

  constructor(
    readonly method: string,
    readonly path: string,
    readonly limitBytes: number,
  ) {
    super('RESPONSE_TOO_LARGE', `${method} ${path}: response body exceeds ${limitBytes} bytes.`);
  }
}
