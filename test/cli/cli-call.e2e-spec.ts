import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, jest } from '@jest/globals';
import {
  freePort,
  SAMPLE_SUITE_TIMEOUT_MS,
  type SampleProcess,
  startSample,
} from '../sample/fixtures/sample-process.js';
import { type CliRun, runCli } from './fixtures/cli-process.js';
import { approveDeviceCode } from './fixtures/play-user.js';

/** Scopes of the suite's sessions: the default ones plus documents:write, for POST. */
const SCOPE = 'openid profile email offline_access documents:read documents:write';

jest.setTimeout(SAMPLE_SUITE_TIMEOUT_MS);

describe('npm run cli -- call: the API as the logged-in user (built sample and CLI)', () => {
  let sample: SampleProcess;
  let home: string;
  const runs: CliRun[] = [];

  beforeAll(async () => {
    sample = await startSample();
    home = await mkdtemp(join(tmpdir(), 'cli-call-e2e-'));
  });
  afterEach(() => {
    for (const run of runs.splice(0)) run.child.kill('SIGKILL');
  });
  afterAll(async () => {
    await sample?.stop();
    await rm(home, { recursive: true, force: true });
  });

  const cacheDirOf = (user: string) => join(home, user);
  const cli = (user: string, args: string[], env: Record<string, string> = {}) => {
    const run = runCli(args, {
      HOME: home,
      PLATFORM_AUTH_ISSUER: sample.banner.issuerUrl,
      PLATFORM_CLI_API_URL: sample.banner.apiUrl,
      PLATFORM_CLIENT_CACHE_DIR: cacheDirOf(user),
      PLATFORM_CLI_DEVICE_INTERVAL_S: '0.2',
      PLATFORM_CLI_SCOPE: SCOPE,
      ...env,
    });
    runs.push(run);
    return run;
  };
  const login = async (user: 'alice' | 'bob') => {
    const run = cli(user, ['login', '--device']);
    const [, uri] = await run.waitFor(/open this page on any device:\n\s+(\S+)/);
    const [, code] = await run.waitFor(/enter the code:\s+(\S+)/);
    await approveDeviceCode(sample.banner.issuerUrl, uri, code, {
      username: user,
      password: user,
    });
    expect(await run.exit).toBe(0);
  };
  /** The session's cache file and its parsed content. */
  const cacheEntry = async (user: string) => {
    const files = (await readdir(cacheDirOf(user))).filter((file) => file.endsWith('.json'));
    expect(files).toHaveLength(1);
    const path = join(cacheDirOf(user), files[0]);
    const entry = JSON.parse(await readFile(path, 'utf8')) as {
      tokenSet: { accessToken: string; refreshToken?: string; expiresAt: number };
    };
    return { path, entry };
  };

  describe('not logged in', () => {
    it('exits 3 with how to log in, and creates no cache folder', async () => {
      const run = cli('nobody', ['call', 'GET', '/documents']);
      expect(await run.exit).toBe(3);
      expect(run.output()).toBe('Not logged in. Run: npm run cli -- login\n');
      await expect(stat(cacheDirOf('nobody'))).rejects.toMatchObject({ code: 'ENOENT' });
    });
  });

  describe('logged in as alice (tenant acme, admin) and bob (tenant globex)', () => {
    beforeAll(async () => {
      await login('alice');
      await login('bob');
    });

    it("GET /documents: status on stderr, the caller's tenant's documents on stdout, exit 0", async () => {
      const alice = cli('alice', ['call', 'GET', '/documents']);
      expect(await alice.exit).toBe(0);
      expect(alice.stderr()).toBe('HTTP 200 OK\n');
      const documents = JSON.parse(alice.stdout()) as Array<{ id: string; tenant: string }>;
      expect(documents).toContainEqual({
        id: '1',
        tenant: 'acme',
        title: 'Acme onboarding',
        createdBy: 'alice',
      });
      expect(documents.every((document) => document.tenant === 'acme')).toBe(true);

      const bob = cli('bob', ['call', 'get', '/documents']);
      expect(await bob.exit).toBe(0);
      expect(JSON.parse(bob.stdout())).toEqual([
        { id: '2', tenant: 'globex', title: 'Globex roadmap', createdBy: 'bob' },
      ]);
    });

    it('POST with --data, then DELETE of that document: 201 then 204 (no body)', async () => {
      const created = cli('alice', [
        'call',
        'POST',
        '/documents',
        '--data',
        '{"title":"from the CLI"}',
      ]);
      expect(await created.exit).toBe(0);
      expect(created.stderr()).toBe('HTTP 201 Created\n');
      const document = JSON.parse(created.stdout()) as { id: string };
      expect(document).toMatchObject({ tenant: 'acme', title: 'from the CLI', createdBy: 'alice' });

      const deleted = cli('alice', ['call', 'DELETE', `/documents/${document.id}`]);
      expect(await deleted.exit).toBe(0);
      expect(deleted.output()).toBe('HTTP 204 No Content\n');
    });

    it("an error status exits 5 with the status, the challenge and the body: bob deleting, alice deleting globex's", async () => {
      const bob = cli('bob', ['call', 'DELETE', '/documents/2']);
      expect(await bob.exit).toBe(5);
      expect(bob.stderr()).toBe(
        'HTTP 403 Forbidden\n' +
          'www-authenticate: Bearer realm="platform-sample", error="insufficient_scope", ' +
          'error_description="The caller lacks a required role", ' +
          `resource_metadata="${sample.banner.apiUrl}/.well-known/oauth-protected-resource", ` +
          'DPoP realm="platform-sample", algs="ES256 EdDSA Ed25519", ' +
          `resource_metadata="${sample.banner.apiUrl}/.well-known/oauth-protected-resource"\n`,
      );
      expect(JSON.parse(bob.stdout())).toMatchObject({ statusCode: 403 });

      const alice = cli('alice', ['call', 'DELETE', '/documents/2']);
      expect(await alice.exit).toBe(5);
      expect(alice.stderr()).toBe('HTTP 404 Not Found\n');
      expect(JSON.parse(alice.stdout())).toMatchObject({ message: 'No document 2' });
    });

    it('refreshes an expired access token first (the refresh token is rotated into the cache)', async () => {
      const before = await cacheEntry('alice');
      await writeFile(
        before.path,
        JSON.stringify({ ...before.entry, tokenSet: { ...before.entry.tokenSet, expiresAt: 1 } }),
      );
      const run = cli('alice', ['call', 'GET', '/me']);
      expect(await run.exit).toBe(0);
      expect(JSON.parse(run.stdout())).toMatchObject({ subject: 'alice', tenant: 'acme' });
      const after = await cacheEntry('alice');
      expect(after.entry.tokenSet.accessToken).not.toBe(before.entry.tokenSet.accessToken);
      expect(after.entry.tokenSet.expiresAt).toBeGreaterThan(Date.now());
    });

    it('on a 401 (a token the API does not accept), refreshes once and sends again', async () => {
      const before = await cacheEntry('bob');
      await writeFile(
        before.path,
        JSON.stringify({
          ...before.entry,
          tokenSet: { ...before.entry.tokenSet, accessToken: 'not-a-token-the-api-accepts' },
        }),
      );
      const run = cli('bob', ['call', 'GET', '/documents']);
      expect(await run.exit).toBe(0);
      expect(run.stderr()).toBe('HTTP 200 OK\n');
      expect((await cacheEntry('bob')).entry.tokenSet.accessToken).not.toBe(
        'not-a-token-the-api-accepts',
      );
    });

    it('never prints a token, refresh token or ID token', async () => {
      const { entry } = await cacheEntry('alice');
      const run = cli('alice', ['call', 'GET', '/me']);
      expect(await run.exit).toBe(0);
      expect(run.output()).not.toContain(entry.tokenSet.accessToken);
      expect(run.output()).not.toContain(entry.tokenSet.refreshToken!);
      // /me returns the claims (jti, sub, …), never the compact token itself.
      expect(run.output()).not.toMatch(/eyJ[\w-]+\.eyJ[\w-]+\./);
    });

    describe('usage and reachability', () => {
      it.each([
        [['call', 'GET', 'documents'], /^Usage error: PATH must be a path on the API/],
        [['call', 'FETCH', '/documents'], /^Usage error: METHOD must be one of/],
        [['call', 'GET', '/me', '-H', 'Authorization: Bearer x'], /cannot set authorization/],
        [['call', 'GET'], /missing required argument 'path'/],
      ])('%j exits 2', async (args, message) => {
        const run = cli('alice', args);
        expect(await run.exit).toBe(2);
        expect(run.output()).toMatch(message);
      });

      it('an API that does not answer exits 1 with a hint', async () => {
        const port = await freePort();
        const run = cli('alice', ['call', 'GET', '/documents'], {
          PLATFORM_CLI_API_URL: `http://127.0.0.1:${port}`,
        });
        expect(await run.exit).toBe(1);
        expect(run.output()).toBe(
          `Could not reach the API at http://127.0.0.1:${port} (ECONNREFUSED). ` +
            'Is it running (npm start) and is PLATFORM_CLI_API_URL right?\n',
        );
      });
    });
  });
});
