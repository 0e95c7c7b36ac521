import { PlatformClientError } from './platform-client.error.js';

/** No session is cached for this issuer and client (never logged in, or logged out). */
export class NotLoggedIn extends PlatformClientError {
  override readonly name = 'NotLoggedIn';

  constructor() {
    super('NOT_LOGGED_IN', 'Not logged in. Potential solutions: log in first.');
  }
}
