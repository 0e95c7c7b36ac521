import { createServer, type Server } from 'node:net';
import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  afterAll,
  afterEach,
  beforeAll,
  beforeEach,
  describe,
  expect,
  it,
  jest,
} from '@jest/globals';
import {
  type EmbeddedIssuer,
  startEmbeddedIssuer,
} from '../../apps/sample/src/issuer/embedded-issuer.js';
import { publicTokenRequest } from '../sample/fixtures/demo-login.js';
import { type CliRun, runCli } from './fixtures/cli-process.js';
import { approveDeviceCode, completeBrowserLogin } from './fixtures/play-user.js';

const AUDIENCE = 'urn:platform-sample:api';
const ALICE = { username: 'alice', password: 'alice' };
/** A device code, token or verifier: a long base64url run. The user code and URIs are short. */
const LONG_SECRET_LIKE = /[A-Za-z0-9_-]{40,}/;

jest.setTimeout(30_000);

describe('the sample CLI (built, spawned) against the embedded issuer', () => {
  let issuer: EmbeddedIssuer;
  let home: string;
  let cacheDir: string;
  const runs: CliRun[] = [];

  beforeAll(async () => {
    issuer = await startEmbeddedIssuer({ audience: AUDIENCE });
  });
  afterAll(() => issuer.close());
  beforeEach(async () => {
    home = await mkdtemp(join(tmpdir(), 'cli-e2e-'));
    cacheDir = join(home, 'cache');
  });
  afterEach(async () => {
    for (const run of runs.splice(0)) run.child.kill('SIGKILL');
    await rm(home, { recursive: true, force: true });
  });

  /** No display, no SSH, no BROWSER: what a CI box looks like. */
  const cli = (args: string[], env: Record<string, string> = {}) => {
    const run = runCli(args, {
      HOME: home,
      PLATFORM_AUTH_ISSUER: issuer.url,
      PLATFORM_CLIENT_CACHE_DIR: cacheDir,
      PLATFORM_CLI_DEVICE_INTERVAL_S: '0.2',
      ...env,
    });
    runs.push(run);
    return run;
  };
  /** A desktop session whose browser command succeeds without opening anything. */
  const desktop = { DISPLAY: ':99', BROWSER: 'true' };

  const cachedTokens = async () => {
    const files = (await readdir(cacheDir)).filter((f) => f.endsWith('.json'));
    expect(files).toHaveLength(1);
    const path = join(cacheDir, files[0]);
    const entry = JSON.parse(await readFile(path, 'utf8')) as {
      tokenSet: { accessToken: string; refreshToken?: string; idToken?: string };
    };
    return { path, ...entry.tokenSet };
  };

  const deviceLogin = async (run: CliRun, answer: 'confirm' | 'abort' = 'confirm') => {
    const [, uri] = await run.waitFor(/open this page on any device:\n\s+(\S+)/);
    const [, code] = await run.waitFor(/enter the code:\s+(\S+)/);
    await approveDeviceCode(issuer.url, uri, code, ALICE, answer);
  };

  describe('device flow', () => {
    it('logs in with --device: prints the URI and user code, polls, stores the tokens 0600', async () => {
      const run = cli(['login', '--device'], desktop);
      await run.waitFor(/\(or open \S+user_code=\S+ , which fills in the code\)/);
      // Approve only once the CLI has polled and been told authorization_pending.
      await run.waitFor(/Waiting for approval\.\.\. \(check 1, code expires in/);
      await deviceLogin(run);
      expect(await run.exit).toBe(0);
      expect(run.stdout()).toMatch(
        /Logged in to \S+ as a\*\*\* \(tenant acme\) with the device flow/,
      );
      expect(run.output()).not.toMatch(LONG_SECRET_LIKE);

      const tokens = await cachedTokens();
      expect(tokens.refreshToken).toBeDefined();
      expect(tokens.idToken).toBeDefined();
      expect((await stat(tokens.path)).mode & 0o777).toBe(0o600);
      expect((await stat(cacheDir)).mode & 0o777).toBe(0o700);
    });

    it('falls back to the device flow without a display, and stops with exit 4 on access_denied', async () => {
      const run = cli(['login']);
      await run.waitFor(/Cannot use the browser: no graphical display/);
      await deviceLogin(run, 'abort');
      expect(await run.exit).toBe(4);
      expect(run.output()).toMatch(/Login failed: The login was denied \(access_denied\)/);
      expect(await readdir(cacheDir).catch(() => [])).not.toContainEqual(
        expect.stringMatching(/\.json$/),
      );
    });

    it('falls back over SSH even with a display', async () => {
      const run = cli(['login'], { ...desktop, SSH_CONNECTION: '10.0.0.1 50000 10.0.0.2 22' });
      await run.waitFor(/Cannot use the browser: this is an SSH session/);
      await deviceLogin(run);
      expect(await run.exit).toBe(0);
    });
  });

  describe('authorization code + PKCE with a loopback redirect', () => {
    it('completes the browser login: state-checked callback, "close this tab" page, tokens cached', async () => {
      const run = cli(['login'], { ...desktop, PLATFORM_CLI_PORTS: '0' });
      const [, url] = await run.waitFor(/open this URL:\n\s+(\S+)/);
      const authorization = new URL(url);
      expect(authorization.searchParams.get('code_challenge_method')).toBe('S256');
      expect(authorization.searchParams.get('redirect_uri')).toMatch(
        /^http:\/\/127\.0\.0\.1:\d+\/callback$/,
      );
      await run.waitFor(/Waiting for the browser/);

      // A forged callback (wrong state) is refused and does not end the login.
      const forged = new URL(authorization.searchParams.get('redirect_uri')!);
      forged.search = new URLSearchParams({ code: 'forged', state: 'wrong' }).toString();
      expect((await fetch(forged)).status).toBe(400);

      const answer = await completeBrowserLogin(issuer.url, url, ALICE);
      expect(answer.status).toBe(200);
      expect(answer.html).toContain('You can close this tab');
      expect(await run.exit).toBe(0);
      expect(run.stdout()).toMatch(/as a\*\*\* \(tenant acme\) with the browser/);

      const tokens = await cachedTokens();
      expect(tokens.refreshToken).toBeDefined();
      for (const secret of [tokens.accessToken, tokens.refreshToken!, tokens.idToken!]) {
        expect(run.output()).not.toContain(secret);
      }
    });

    it('steps up with --acr-values and --max-age: both go in the authorization request, even over a valid session', async () => {
      const first = cli(['login'], { ...desktop, PLATFORM_CLI_PORTS: '0' });
      const [, firstUrl] = await first.waitFor(/open this URL:\n\s+(\S+)/);
      expect(new URL(firstUrl).searchParams.has('acr_values')).toBe(false);
      expect(new URL(firstUrl).searchParams.has('max_age')).toBe(false);
      await completeBrowserLogin(issuer.url, firstUrl, ALICE);
      expect(await first.exit).toBe(0);

      const run = cli(
        ['login', '--acr-values', 'urn:platform:mfa urn:platform:pwd', '--max-age', '0'],
        {
          ...desktop,
          PLATFORM_CLI_PORTS: '0',
        },
      );
      const [, url] = await run.waitFor(/open this URL:\n\s+(\S+)/);
      const authorization = new URL(url);
      expect(authorization.searchParams.get('acr_values')).toBe(
        'urn:platform:mfa urn:platform:pwd',
      );
      expect(authorization.searchParams.get('max_age')).toBe('0');
      await completeBrowserLogin(issuer.url, url, ALICE);
      expect(await run.exit).toBe(0);
      expect(run.stdout()).toMatch(/with the browser/);
    });

    it('refuses a --max-age that is not a whole number of seconds (exit 2)', async () => {
      const run = cli(['login', '--max-age', 'soon'], desktop);
      expect(await run.exit).toBe(2);
      expect(run.output()).toMatch(/--max-age must be a whole number of seconds/);
    });

    it('falls back to the device flow when every loopback port is taken', async () => {
      const blocker: Server = createServer();
      await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
      const port = (blocker.address() as { port: number }).port;
      try {
        const run = cli(['login'], { ...desktop, PLATFORM_CLI_PORTS: String(port) });
        await run.waitFor(/Cannot use the browser: no loopback port is free/);
        await deviceLogin(run);
        expect(await run.exit).toBe(0);
        expect(run.stdout()).toMatch(/with the device flow/);
      } finally {
        await new Promise((resolve) => blocker.close(resolve));
      }
    });

    it('falls back when the browser command fails, and exits 130 when interrupted', async () => {
      const run = cli(['login'], { DISPLAY: ':99', BROWSER: 'false', PLATFORM_CLI_PORTS: '0' });
      await run.waitFor(/Cannot use the browser: the browser could not be launched/);
      await run.waitFor(/enter the code:/);
      run.child.kill('SIGINT');
      expect(await run.exit).toBe(130);
      expect(run.output()).toMatch(/Interrupted\./);
    });

    it('falls back when the browser does not come back in time', async () => {
      const run = cli(['login'], {
        ...desktop,
        PLATFORM_CLI_PORTS: '0',
        PLATFORM_CLI_CALLBACK_TIMEOUT_S: '0.5',
      });
      await run.waitFor(/Cannot use the browser: the browser did not complete the login in time/);
      await deviceLogin(run);
      expect(await run.exit).toBe(0);
    });
  });

  describe('sessions: relogin, whoami, logout', () => {
    it('says "already logged in" without --relogin, logs in again with it', async () => {
      const first = cli(['login', '--device']);
      await deviceLogin(first);
      expect(await first.exit).toBe(0);
      const before = await cachedTokens();

      const again = cli(['login']);
      expect(await again.exit).toBe(0);
      expect(again.stdout()).toMatch(/Already logged in to \S+ as a\*\*\*\. Use --relogin/);
      expect((await cachedTokens()).refreshToken).toBe(before.refreshToken);

      const relogin = cli(['login', '--relogin', '--device']);
      await deviceLogin(relogin);
      expect(await relogin.exit).toBe(0);
      expect((await cachedTokens()).refreshToken).not.toBe(before.refreshToken);
    });

    it('whoami masks subject, name, email and username unless --no-mask; logout revokes; whoami then says not logged in', async () => {
      const login = cli(['login', '--device']);
      await deviceLogin(login);
      expect(await login.exit).toBe(0);
      const tokens = await cachedTokens();

      const masked = cli(['whoami']);
      expect(await masked.exit).toBe(0);
      const text = masked.stdout();
      expect(text).toMatch(/^Logged in to \S+ as a\*\*\*\n/);
      expect(text).toContain('A*** E***');
      expect(text).toContain('a***@e***.com');
      expect(text).toMatch(/tenant:\s+acme/);
      expect(text).toMatch(/roles:\s+admin/);
      // preferred_username comes from the embedded issuer's userinfo only (never in a token).
      expect(text).toMatch(/^ {2}username: {2}a\*\*\*$/m);
      expect(text).toMatch(/^ {2}userinfo: {2}ok$/m);
      expect(text).not.toContain('Alice Example');
      expect(text).not.toContain('alice@example.com');
      expect(text).not.toContain('alice@acme');

      const unmasked = cli(['whoami', '--no-mask']);
      expect(await unmasked.exit).toBe(0);
      expect(unmasked.stdout()).toMatch(/^Logged in to \S+ as alice\n/);
      expect(unmasked.stdout()).toContain('Alice Example');
      expect(unmasked.stdout()).toContain('alice@example.com');
      expect(unmasked.stdout()).toMatch(/^ {2}username: {2}alice@acme$/m);
      // Asking userinfo rotated the refresh token; the session stays usable and gets revoked.
      const rotated = await cachedTokens();
      expect(rotated.accessToken).toBe(tokens.accessToken);
      expect(rotated.refreshToken).not.toBe(tokens.refreshToken);

      const logout = cli(['logout']);
      expect(await logout.exit).toBe(0);
      expect(logout.stdout()).toMatch(/Logged out of \S+: the session was revoked and removed/);
      for (const refreshToken of [tokens.refreshToken!, rotated.refreshToken!]) {
        const refresh = await publicTokenRequest(issuer.url, {
          grant_type: 'refresh_token',
          client_id: 'sample-cli',
          refresh_token: refreshToken,
        });
        expect(refresh.body.error).toBe('invalid_grant');
      }

      const after = cli(['whoami']);
      expect(await after.exit).toBe(3);
      expect(after.output()).toContain('Not logged in. Run: npm run cli -- login');

      for (const run of [login, masked, unmasked, logout, after]) {
        for (const secret of [
          tokens.accessToken,
          tokens.refreshToken!,
          rotated.refreshToken!,
          tokens.idToken!,
        ]) {
          expect(run.output()).not.toContain(secret);
        }
        expect(run.output()).not.toMatch(LONG_SECRET_LIKE);
      }
    });
  });

  describe('errors a person can act on', () => {
    it('whoami when never logged in: exit 3 and how to log in, without creating the cache folder', async () => {
      const run = cli(['whoami']);
      expect(await run.exit).toBe(3);
      expect(run.output()).toBe('Not logged in. Run: npm run cli -- login\n');
      await expect(stat(cacheDir)).rejects.toMatchObject({ code: 'ENOENT' });
    });

    it('logout when never logged in: exit 0, nothing to do, no cache folder created', async () => {
      const run = cli(['logout']);
      expect(await run.exit).toBe(0);
      expect(run.output()).toMatch(/^Not logged in to \S+; nothing to do\.\n$/);
      await expect(stat(cacheDir)).rejects.toMatchObject({ code: 'ENOENT' });
    });

    it('names itself platform-sample in usage lines (exit 0 for --help)', async () => {
      const root = cli(['--help']);
      expect(await root.exit).toBe(0);
      expect(root.output()).toMatch(/^Usage: platform-sample \[options\] \[command\]/);
      const whoami = cli(['whoami', '--help']);
      expect(await whoami.exit).toBe(0);
      expect(whoami.output()).toMatch(/^Usage: platform-sample whoami \[options\]/);
    });

    it('an unknown flag is a usage error (exit 2)', async () => {
      const run = cli(['whoami', '--bogus']);
      expect(await run.exit).toBe(2);
      expect(run.output()).toMatch(/unknown option '--bogus'/);
    });

    it.each([
      [
        { PLATFORM_AUTH_ISSUER: 'http://id.example.com' },
        /PLATFORM_AUTH_ISSUER must be an https:\/\/ URL/,
      ],
      [{ PLATFORM_CLI_PORTS: '84oo' }, /PLATFORM_CLI_PORTS must list ports/],
      [
        { PLATFORM_CLI_DEVICE_INTERVAL_S: '-1' },
        /PLATFORM_CLI_DEVICE_INTERVAL_S must be a positive/,
      ],
    ])('rejects bad configuration %j with exit 2 naming the variable', async (env, message) => {
      const run = cli(['login'], env);
      expect(await run.exit).toBe(2);
      expect(run.output()).toMatch(message);
    });

    it.each([[['login', '--device']], [['login']]])(
      'an unreachable issuer (%j, no display): exit 1 with a hint and nothing about browsers',
      async (args) => {
        const run = cli(args, { PLATFORM_AUTH_ISSUER: 'http://127.0.0.1:9' });
        expect(await run.exit).toBe(1);
        expect(run.output()).toMatch(/^Could not talk to the issuer: /);
        expect(run.output()).not.toMatch(/graphical display|browser/i);
        await expect(stat(cacheDir)).rejects.toMatchObject({ code: 'ENOENT' });
      },
    );
  });
});
