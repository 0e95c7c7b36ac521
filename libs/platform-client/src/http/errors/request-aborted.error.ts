import { PlatformClientError } from '../../errors/platform-client.error.js';

/** The caller's `AbortSignal` aborted the call; `cause` is the signal's reason. Code `REQUEST_ABORTED`. */
export class RequestAbortedError extends PlatformClientError<'REQUEST_ABORTED'> {
  override readonly name: string = 'RequestAbortedError';

  constructor(
    readonly method: string,
    readonly path: string,
    options?: { cause?: unknown },
  ) {
    super('REQUEST_ABORTED', `${method} ${path} was aborted by the caller.`, options);
  }
}
