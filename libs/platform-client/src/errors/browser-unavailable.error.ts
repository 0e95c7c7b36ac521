import { PlatformClientError } from './platform-client.error.js';

/**
 * No browser can be used: no display, an SSH session, or the browser command failed. Interactive
 * login falls back to the device flow.
 */
export class BrowserUnavailable extends PlatformClientError {
  override readonly name = 'BrowserUnavailable';

  /** @param reason why, in a few words (never a URL with parameters). */
  constructor(readonly reason: string) {
    super('BROWSER_UNAVAILABLE', `No browser can be used: ${reason}.`);
  }
}
