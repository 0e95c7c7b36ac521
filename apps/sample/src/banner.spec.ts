import { describe, expect, it } from '@jest/globals';
import { cliCommand, renderBanner } from './banner.js';

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
  ])('cliCommand(api, %s, login) is %s', (url, command) => {
    expect(cliCommand(api, url, 'login')).toBe(command);
  });

  it('gives the call command, naming the API for the CLI when it is not on port 3000', () => {
    const issuer = { mode: 'embedded', url: 'http://127.0.0.1:3001', audience } as const;
    expect(renderBanner(api, issuer)).toMatch(
      /^ {2}npm run cli -- call GET \/documents {3}# then call the API as that user$/m,
    );
    const other = { port: 4100, url: 'http://127.0.0.1:4100' };
    expect(cliCommand(other, 'http://127.0.0.1:4101', 'call GET /documents')).toBe(
      'PLATFORM_AUTH_ISSUER=http://127.0.0.1:4101 PLATFORM_CLI_API_URL=http://127.0.0.1:4100 npm run cli -- call GET /documents',
    );
    expect(cliCommand(other, 'http://127.0.0.1:3001', 'login')).toBe('npm run cli -- login');
  });

  it('says how long tokens last and how to get a fresh one', () => {
    const banner = renderBanner(api, { mode: 'embedded', url: 'http://127.0.0.1:3001', audience });
    expect(banner).toContain(
      '(Tokens last 10 minutes and every start makes new keys: run it again for a fresh $TOKEN.)',
    );
  });
});
