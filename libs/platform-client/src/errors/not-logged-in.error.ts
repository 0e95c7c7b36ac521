import { PlatformClientError } from './platform-client.error.js';

/** No session is cached for this issuer and client (never logged in, or logged out). */
export class NotLoggedInError extends PlatformClientError<'NOT_LOGGED_IN'> {
  override readonly name = 'NotLoggedInError';

  constructor() {
    super('NOT_LOGGED_IN', 'Not logged in. Potential solutions: log in first.');
  }
}
