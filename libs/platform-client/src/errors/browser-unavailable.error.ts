import { PlatformClientError } from './platform-client.error.js';

/**
 * No browser can be used: no display, an SSH session, or the browser command failed. Interactive
 * login falls back to the device flow.
 */
export class BrowserUnavailableError extends PlatformClientError<'BROWSER_UNAVAILABLE'> {
  override readonly name = 'BrowserUnavailableError';

  /** @param reason why, in a few words (never a URL with parameters). */
  constructor(readonly reason: string) {
    super('BROWSER_UNAVAILABLE', `No browser can be used: ${reason}.`);
  }
}
