import {
  chmod,
  lstat,
  mkdir,
  mkdtemp,
  readdir,
  readFile,
  rm,
  stat,
  symlink,
  utimes,
  writeFile,
} from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import {
  clientCredentials,
  createAccessTokenSource,
  externalToken,
  FileTokenCache,
  serialiseCacheKey,
  type TokenCacheEntry,
} from '@nest-platform/client';
import { compileTokenLib } from './fixtures/compile-token-lib.js';
import { TokenChild } from './fixtures/token-child.js';
import { AUDIENCE, SECRETS, startTokenIssuer, type TokenIssuer } from './fixtures/token-issuer.js';

/**
 * The file cache shared by processes. Child processes run the current sources, transpiled once
 * by compileTokenLib() (no `nest build` needed); time in the children is real, so the "expired"
 * token is seeded with timestamps in the past rather than waited for.
 */
describe('file token cache', () => {
  let started: TokenIssuer;
  let libDir: string;
  let dir: string;
  const children: TokenChild[] = [];

  const providerOptions = () => ({
    issuer: started.issuer.url,
    clientId: 'cc-basic',
    clientSecret: SECRETS.basic,
    scope: 'orders:read',
    audience: AUDIENCE,
    allowHttp: true,
  });
  const cacheKey = () => serialiseCacheKey(clientCredentials(providerOptions()).cacheKey);
  const cacheFile = () => join(dir, `${cacheKey()}.json`);
  const source = (directory = dir) =>
    createAccessTokenSource({
      provider: { grant: 'client_credentials', ...providerOptions() },
      cache: { kind: 'file', directory, lockStaleMs: 2000 },
    });
  const spawn = (config: Record<string, unknown>) => {
    const child = TokenChild.spawn(libDir, config);
    children.push(child);
    return child;
  };
  const childOptions = (directory = dir) => ({
    provider: { grant: 'client_credentials', ...providerOptions() },
    cache: { kind: 'file', directory, lockStaleMs: 2000 },
  });
  const expiredEntry = (accessToken: string): TokenCacheEntry => ({
    receivedAt: Date.now() - 600_000,
    tokenSet: { accessToken, tokenType: 'Bearer', expiresAt: Date.now() - 1000 },
  });

  beforeAll(async () => {
    [started, libDir] = await Promise.all([startTokenIssuer(), compileTokenLib()]);
  }, 60_000);
  afterAll(async () => {
    await started.close();
    await rm(libDir, { recursive: true, force: true });
  });
  beforeEach(async () => {
    started.issuer.requests.clear();
    dir = join(await mkdtemp(join(tmpdir(), 'client-tokens-')), 'cache');
  });
  afterEach(async () => {
    children.splice(0).forEach((child) => child.kill());
    await rm(join(dir, '..'), { recursive: true, force: true });
  });

  describe('across processes', () => {
    it('lets 4 processes refresh an expired token with exactly 1 token request in total', async () => {
      await new FileTokenCache({ directory: dir }).set(cacheKey(), expiredEntry('expired-token'));
      const group = [1, 2, 3, 4].map(() => spawn({ mode: 'get', options: childOptions() }));
      await Promise.all(group.map((child) => child.next('ready')));
      group.forEach((child) => child.go());
      const results = await Promise.all(group.map((child) => child.next('token')));

      expect(results.map((r) => r.error)).toEqual([undefined, undefined, undefined, undefined]);
      expect(new Set(results.map((r) => r.token)).size).toBe(1);
      expect(results[0]?.token).not.toBe('expired-token');
      expect(started.issuer.count('POST /token')).toBe(1);
    }, 30_000);

    it('takes over the lock of a killed holder after the stale threshold', async () => {
      const holder = spawn({
        mode: 'hold-lock',
        key: cacheKey(),
        cache: { directory: dir, lockStaleMs: 2000 },
      });
      expect(await holder.next('locked')).toEqual({ locked: true });
      holder.kill('SIGKILL');
      await holder.exited;
      expect((await readdir(dir)).some((name) => name.endsWith('.lock'))).toBe(true);

      const token = await source().getToken();
      expect(token).toBeTruthy();
      expect(started.issuer.count('POST /token')).toBe(1);
    }, 30_000);

    it('makes others wait for a live holder, failing with CACHE_LOCK_TIMEOUT', async () => {
      const holder = spawn({
        mode: 'hold-lock',
        key: cacheKey(),
        cache: { directory: dir, lockStaleMs: 2000 },
      });
      expect(await holder.next('locked')).toEqual({ locked: true });
      const waiting = createAccessTokenSource({
        provider: { grant: 'client_credentials', ...providerOptions() },
        cache: { kind: 'file', directory: dir, lockStaleMs: 2000, lockTimeoutMs: 300 },
      });
      await expect(waiting.getToken()).rejects.toMatchObject({ code: 'CACHE_LOCK_TIMEOUT' });
      expect(started.issuer.count('POST /token')).toBe(0);
    }, 30_000);

    it('releases the lock of a process whose token function hangs, at its acquisition deadline', async () => {
      const id = 'hanging-sidecar';
      const stuck = spawn({
        mode: 'hang-external',
        id,
        options: { cache: { kind: 'file', directory: dir }, acquireTimeoutMs: 100 },
      });
      await stuck.next('locked');
      // This process waits for the lock at most 3 s; the stuck one stays alive throughout, so
      // its lock never goes stale: only its deadline can free it.
      const tokens = createAccessTokenSource({
        provider: externalToken(() => 'from-the-waiting-process', { id }),
        cache: { kind: 'file', directory: dir, lockTimeoutMs: 3000, lockStaleMs: 10_000 },
      });
      expect(await tokens.getToken()).toBe('from-the-waiting-process');
      expect(await stuck.next('error')).toMatchObject({ error: 'TOKEN_ENDPOINT_UNAVAILABLE' });
    });

    it('creates the directory 0700 and the file 0600 under umask 000', async () => {
      const nested = join(dir, 'a', 'b');
      const child = spawn({ mode: 'get', umask0: true, options: childOptions(nested) });
      await child.next('ready');
      child.go();
      expect((await child.next('token')).error).toBeUndefined();
      const file = join(nested, `${cacheKey()}.json`);
      expect((await stat(nested)).mode & 0o777).toBe(0o700);
      expect((await stat(file)).mode & 0o777).toBe(0o600);
      expect(await readFile(file, 'utf8')).not.toContain(SECRETS.basic);
    }, 30_000);
  });

  describe('in one process', () => {
    it('reuses a valid token from the file in a new token source (no token request)', async () => {
      const first = await source().getToken();
      expect(await source().getToken()).toBe(first);
      expect(started.issuer.count('POST /token')).toBe(1);
      const text = await readFile(cacheFile(), 'utf8');
      expect(text).toContain(first);
      expect(text).not.toContain(SECRETS.basic);
      expect((await readdir(dir)).filter((name) => name.endsWith('.tmp'))).toEqual([]);
    });

    it('removes the temp files a writer killed mid-write left, once it holds the lock', async () => {
      await mkdir(dir, { recursive: true, mode: 0o700 });
      const leftover = JSON.stringify({ tokenSet: { accessToken: 'left-behind-access-token' } });
      const plant = async (name: string, ageMs: number) => {
        await writeFile(join(dir, name), leftover, { mode: 0o600 });
        const at = (Date.now() - ageMs) / 1000;
        await utimes(join(dir, name), at, at);
      };
      // This key's temp files: only a lock holder writes them, so while we hold it they are
      // stale, however young. Another key's: stale once older than lockStaleMs (2 s here).
      await plant(`.${cacheKey()}.4242.0123456789ab.tmp`, 0);
      await plant('.v1-other.4243.ba9876543210.tmp', 60_000);
      await plant('.v1-busy.4244.aaaaaaaaaaaa.tmp', 0);
      await writeFile(join(dir, 'unrelated.tmp'), 'not ours', { mode: 0o600 });

      await source().getToken();

      expect((await readdir(dir)).sort()).toEqual(
        ['.v1-busy.4244.aaaaaaaaaaaa.tmp', `${cacheKey()}.json`, 'unrelated.tmp'].sort(),
      );
    });

    it.each([
      ['garbage', 'not json at all {'],
      ['a truncated file', '{"schema":"platform-client/token-cache@1","key":"'],
      ['another schema', JSON.stringify({ schema: 'other@9', tokenSet: { accessToken: 'x' } })],
      ['an empty file', ''],
    ])('treats %s as a miss and replaces it', async (_case, content) => {
      await mkdir(dir, { recursive: true, mode: 0o700 });
      await writeFile(cacheFile(), content, { mode: 0o600 });
      const token = await source().getToken();
      expect(started.issuer.count('POST /token')).toBe(1);
      expect(JSON.parse(await readFile(cacheFile(), 'utf8'))).toMatchObject({
        tokenSet: { accessToken: token },
      });
    });

    it('treats a token stored under another key as a miss', async () => {
      const cache = new FileTokenCache({ directory: dir });
      await cache.set('v1-other', {
        receivedAt: Date.now(),
        tokenSet: { accessToken: 'foreign', tokenType: 'Bearer', expiresAt: Date.now() + 600_000 },
      });
      await writeFile(cacheFile(), await readFile(join(dir, 'v1-other.json')), { mode: 0o600 });
      expect(await source().getToken()).not.toBe('foreign');
    });

    it('refuses a symlinked cache file without reading or writing its target', async () => {
      await mkdir(dir, { recursive: true, mode: 0o700 });
      const target = join(dir, '..', 'target.json');
      await writeFile(target, 'original', { mode: 0o600 });
      await symlink(target, cacheFile());
      await expect(source().getToken()).rejects.toMatchObject({ code: 'INSECURE_CACHE_PATH' });
      expect(await readFile(target, 'utf8')).toBe('original');
      expect((await lstat(cacheFile())).isSymbolicLink()).toBe(true);
      expect(started.issuer.count('POST /token')).toBe(0);
    });

    it('refuses a symlinked cache directory', async () => {
      const real = join(dir, '..', 'real');
      await mkdir(real, { mode: 0o700 });
      await symlink(real, dir);
      await expect(source().getToken()).rejects.toMatchObject({ code: 'INSECURE_CACHE_PATH' });
      expect(await readdir(real)).toEqual([]);
    });

    it('refuses a directory that group or others can access', async () => {
      await mkdir(dir, { recursive: true, mode: 0o700 });
      await chmod(dir, 0o755);
      await expect(source().getToken()).rejects.toMatchObject({ code: 'INSECURE_CACHE_PATH' });
      expect(started.issuer.count('POST /token')).toBe(0);
    });
  });
});
