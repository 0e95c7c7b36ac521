import { describe, expect, it } from '@jest/globals';
import { cliLoginCommand, renderBanner } from './banner.js';

const api = { port: 3000, url: 'http://127.0.0.1:3000' };
const audience = 'urn:platform-sample:api';

describe('the banner', () => {
  it('gives the plain CLI login command when the issuer is on its default port', () => {
    const banner = renderBanner(api, { mode: 'embedded', url: 'http://127.0.0.1:3001', audience });
    expect(banner).toMatch(/^ {2}npm run cli -- login {3}# sign in as alice or bob$/m);
    expect(banner).not.toContain('PLATFORM_AUTH_ISSUER=');
  });

  it('names the issuer for the CLI when it listens on another port', () => {
    const banner = renderBanner(api, { mode: 'embedded', url: 'http://127.0.0.1:4101', audience });
    expect(banner).toContain('  PLATFORM_AUTH_ISSUER=http://127.0.0.1:4101 npm run cli -- login');
  });

  it.each([
    ['http://127.0.0.1:3001', 'npm run cli -- login'],
    ['http://127.0.0.1:39999', 'PLATFORM_AUTH_ISSUER=http://127.0.0.1:39999 npm run cli -- login'],
    ['http://[::1]:3001', 'PLATFORM_AUTH_ISSUER=http://[::1]:3001 npm run cli -- login'],
  ])('cliLoginCommand(%s) is %s', (url, command) => {
    expect(cliLoginCommand(url)).toBe(command);
  });
});
