import { PlatformClientError } from '../../errors/platform-client.error.js';

/** A request on a client that was closed (application shutdown). Code `CLIENT_CLOSED`. */
export class ClientClosedError extends PlatformClientError<'CLIENT_CLOSED'> {
  override readonly name: string = 'ClientClosedError';

  constructor(
    readonly method: string,
    readonly path: string,
  ) {
    super('CLIENT_CLOSED', `${method} ${path}: the client is closed.`);
  }
}
