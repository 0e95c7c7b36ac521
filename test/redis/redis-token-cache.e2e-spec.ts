import { rm } from 'node:fs/promises';
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { createAccessTokenSource, PlatformClientError } from '@nest-platform/client';
import { RedisTokenCache } from '@nest-platform/client/redis';
import { Redis } from 'ioredis';
import { compileTokenLib } from '../client-tokens/fixtures/compile-token-lib.js';
import { RedisCluster, RedisNode, requireRedisBinaries } from './fixtures/redis-nodes.js';
import { Replica } from './fixtures/replica.js';
import { ScriptedIdp } from './fixtures/scripted-idp.js';

const SECRET = 'redis-suite-client-secret-4c1e9a7b3d5f';
const CALLERS = 50;

/**
 * The Redis token cache shared by replicas: child processes (each one replica with one token
 * source) against a real redis-server on 127.0.0.1 and a scripted token endpoint on listen(0).
 */
describe('Redis token cache across replicas', () => {
  let idp: ScriptedIdp;
  let redis: RedisNode;
  let libDir: string;
  const replicas: Replica[] = [];

  const clientCredentials = (url: string, cache: Record<string, unknown> = {}) => ({
    provider: {
      grant: 'client_credentials',
      issuer: idp.url,
      clientId: 'orders-api',
      clientSecret: SECRET,
      allowHttp: true,
    },
    cache: { kind: 'redis', url, leaseTtlMs: 1000, lockTimeoutMs: 20_000, ...cache },
  });
  const spawn = (options: object, callers = CALLERS) => {
    const replica = Replica.spawn(libDir, { options, callers });
    replicas.push(replica);
    return replica;
  };
  const ready = async (group: Replica[]) => {
    await Promise.all(group.map((replica) => replica.next('ready')));
    return group;
  };
  /** Every replica's warnings: never a token, a refresh token or the secret. */
  const expectNoSecretsLogged = (...secrets: string[]) => {
    const logged = replicas.flatMap((r) => r.messages.map((m) => m.warn ?? '')).join('\n');
    for (const secret of [SECRET, ...secrets]) expect(logged).not.toContain(secret);
  };

  beforeAll(async () => {
    requireRedisBinaries();
    [idp, redis, libDir] = await Promise.all([
      ScriptedIdp.start(),
      RedisNode.start(),
      compileTokenLib(),
    ]);
  }, 60_000);
  afterAll(async () => {
    await Promise.all([idp?.close(), redis?.close()]);
    if (libDir) await rm(libDir, { recursive: true, force: true });
  });
  afterEach(async () => {
    replicas.splice(0).forEach((replica) => replica.kill());
    idp.reset();
    redis.cli('flushall');
  });

  it('3 replicas × 50 cold callers: exactly one token request, one token for all', async () => {
    const group = await ready([1, 2, 3].map(() => spawn(clientCredentials(redis.url))));
    group.forEach((replica) => replica.go());
    const results = await Promise.all(group.map((replica) => replica.next('tokens')));

    expect(results.map((r) => r.errors)).toEqual([{}, {}, {}]);
    const tokens = new Set(results.flatMap((r) => r.tokens ?? []));
    expect(tokens.size).toBe(1);
    expect(idp.requests).toEqual({ client_credentials: 1, refresh_token: 0 });
    // The entry and its lease share a hash tag; the value holds the token, never the secret.
    const keys = redis.cli('--scan', '--pattern', 'platform-client:token:*').trim().split('\n');
    expect(keys).toHaveLength(1);
    expect(keys[0]).toMatch(/^platform-client:token:\{[^{}]+\}:entry$/);
    const stored = redis.cli('get', keys[0]!);
    expect(stored).toContain([...tokens][0]);
    expect(stored).not.toContain(SECRET);
    expectNoSecretsLogged(...tokens);
  }, 60_000);

  it('encrypts entries at rest with encryptionKey: neither the token nor the secret in Redis', async () => {
    const encryptionKey = Buffer.alloc(32, 7).toString('base64');
    const options = clientCredentials(redis.url);
    const group = await ready(
      [1, 2].map(() => spawn({ ...options, cache: { ...options.cache, encryptionKey } })),
    );
    group.forEach((replica) => replica.go());
    const results = await Promise.all(group.map((replica) => replica.next('tokens')));
    const tokens = new Set(results.flatMap((r) => r.tokens ?? []));
    expect(tokens.size).toBe(1);
    expect(idp.tokenRequests).toBe(1);
    const [key] = redis.cli('--scan', '--pattern', 'platform-client:token:*').trim().split('\n');
    const stored = redis.cli('get', key!);
    expect(stored).toMatch(/^pc1\.[0-9a-f]{16}\./);
    expect(stored).not.toContain([...tokens][0]);
    expect(stored).not.toContain(SECRET);

    // A replica with another key reads a miss (and asks for its own token), never garbage.
    const other = spawn(
      {
        ...options,
        cache: { ...options.cache, encryptionKey: Buffer.alloc(32, 9).toString('base64') },
      },
      1,
    );
    await other.next('ready');
    other.go();
    const result = await other.next('tokens');
    expect(result.errors).toEqual({});
    expect(result.tokens?.[0]).not.toBe([...tokens][0]);
    expect(idp.tokenRequests).toBe(2);
  }, 60_000);

  it('replaces a lease holder SIGKILLed mid-request: exactly one further token request', async () => {
    const holder = spawn(clientCredentials(redis.url), 1);
    const waiting = await ready([1, 2].map(() => spawn(clientCredentials(redis.url))));
    await holder.next('ready');
    const arrived = idp.hold();
    holder.go();
    await arrived;
    // The holder has the lease and its request is at the IdP; the others queue behind it.
    waiting.forEach((replica) => replica.go());
    await new Promise((resolve) => setTimeout(resolve, 200));
    holder.kill('SIGKILL');
    await holder.exited;
    idp.release();

    const results = await Promise.all(waiting.map((replica) => replica.next('tokens')));
    expect(results.map((r) => r.errors)).toEqual([{}, {}]);
    expect(new Set(results.flatMap((r) => r.tokens ?? [])).size).toBe(1);
    // One from the killed holder (answered to nobody), exactly one further from its successor.
    expect(idp.requests.client_credentials).toBe(2);
  }, 60_000);

  describe('rotating refresh tokens', () => {
    const refreshing = (url: string, refreshToken: string) => ({
      provider: {
        grant: 'refresh_token',
        issuer: idp.url,
        clientId: 'cli-app',
        clientSecret: SECRET,
        refreshToken,
        subject: 'alice',
        allowHttp: true,
      },
      cache: { kind: 'redis', url, leaseTtlMs: 1000, lockTimeoutMs: 20_000 },
    });

    it('3 replicas × 50 callers, two refresh windows: one refresh each, no token presented twice', async () => {
      const initial = idp.mintRefreshToken();
      idp.expiresInS = 2;
      try {
        const group = await ready([1, 2, 3].map(() => spawn(refreshing(redis.url, initial))));
        group.forEach((replica) => replica.go());
        const first = await Promise.all(group.map((replica) => replica.next('tokens')));
        expect(first.map((r) => r.errors)).toEqual([{}, {}, {}]);
        expect(new Set(first.flatMap((r) => r.tokens ?? [])).size).toBe(1);
        expect(idp.requests.refresh_token).toBe(1);

        // The access token expires; every replica's next calls need a refresh with the rotated token.
        await new Promise((resolve) => setTimeout(resolve, 2200));
        group.forEach((replica) => replica.go());
        const second = await Promise.all(group.map((replica) => replica.next('tokens')));
        expect(second.map((r) => r.errors)).toEqual([{}, {}, {}]);
        expect(new Set(second.flatMap((r) => r.tokens ?? [])).size).toBe(1);
        expect(idp.requests.refresh_token).toBe(2);
        expect(new Set(idp.presented).size).toBe(2);
        expect(idp.presented[0]).toBe(initial);
        expect(idp.reused).toEqual([]);
        expectNoSecretsLogged(initial, ...idp.presented, ...first.flatMap((r) => r.tokens!));
      } finally {
        idp.expiresInS = 600;
      }
    }, 60_000);

    it('holder SIGKILLed while presenting a refresh token: it is never presented again', async () => {
      const initial = idp.mintRefreshToken();
      const holder = spawn(refreshing(redis.url, initial), 1);
      const waiting = await ready([1, 2].map(() => spawn(refreshing(redis.url, initial))));
      await holder.next('ready');
      const arrived = idp.hold();
      holder.go();
      await arrived;
      waiting.forEach((replica) => replica.go());
      await new Promise((resolve) => setTimeout(resolve, 200));
      holder.kill('SIGKILL');
      await holder.exited;
      idp.release();

      const results = await Promise.all(waiting.map((replica) => replica.next('tokens')));
      // The IdP rotated the token for a holder that died with the answer: the outcome is
      // unknown to the survivors, so they re-authenticate rather than present it again.
      expect(results.map((r) => r.errors)).toEqual([
        { REAUTH_REQUIRED: CALLERS },
        { REAUTH_REQUIRED: CALLERS },
      ]);
      expect(idp.presented).toEqual([initial]);
      expect(idp.reused).toEqual([]);
      expectNoSecretsLogged(initial);
    }, 60_000);
  });

  it('3 replicas × 50 cold callers on a 3-node Redis Cluster: exactly one token request', async () => {
    const cluster = await RedisCluster.start();
    try {
      const group = await ready([1, 2, 3].map(() => spawn(clientCredentials(cluster.url))));
      group.forEach((replica) => replica.go());
      const results = await Promise.all(group.map((replica) => replica.next('tokens')));
      expect(results.map((r) => r.errors)).toEqual([{}, {}, {}]);
      expect(new Set(results.flatMap((r) => r.tokens ?? [])).size).toBe(1);
      expect(idp.requests).toEqual({ client_credentials: 1, refresh_token: 0 });
    } finally {
      replicas.splice(0).forEach((replica) => replica.kill());
      await cluster.close();
    }
  }, 90_000);
});

describe('Redis token cache when Redis goes away', () => {
  let idp: ScriptedIdp;
  let redis: RedisNode;

  beforeAll(async () => {
    [idp, redis] = await Promise.all([ScriptedIdp.start(), RedisNode.start()]);
  }, 60_000);
  afterAll(async () => {
    await Promise.all([idp?.close(), redis?.close()]);
  });

  it('fails cold callers with CACHE_UNAVAILABLE within the deadline, serves warm ones, and recovers', async () => {
    const warnings: string[] = [];
    const tokens = createAccessTokenSource(
      {
        provider: {
          grant: 'client_credentials',
          issuer: idp.url,
          clientId: 'orders-api',
          clientSecret: SECRET,
          allowHttp: true,
        },
        cache: { kind: 'redis', url: redis.url, commandTimeoutMs: 300 },
      },
      { logger: { log: () => undefined, warn: (message) => warnings.push(message) } },
    );
    try {
      const first = await tokens.getToken();
      expect(idp.tokenRequests).toBe(1);

      await redis.stop('SIGKILL');
      // Warm: served from memory, no Redis round trip.
      expect(await tokens.getToken()).toBe(first);
      // Cold (the API answered 401): a bounded wait, a typed error, and no token request.
      await tokens.invalidate(first);
      const started = performance.now();
      const failure = await tokens.getToken().catch((error: unknown) => error);
      expect(performance.now() - started).toBeLessThan(1500);
      expect(failure).toBeInstanceOf(PlatformClientError);
      expect(failure).toMatchObject({ name: 'CacheUnavailableError', code: 'CACHE_UNAVAILABLE' });
      expect(idp.tokenRequests).toBe(1);

      await redis.restart();
      let recovered: string | undefined;
      const until = Date.now() + 10_000;
      while (recovered === undefined && Date.now() < until) {
        recovered = await tokens.getToken().catch(() => undefined);
        if (recovered === undefined) await new Promise((resolve) => setTimeout(resolve, 200));
      }
      expect(recovered).toBeDefined();
      expect(recovered).not.toBe(first);
      expect(idp.tokenRequests).toBe(2);
      const logged = warnings.join('\n');
      expect(logged).not.toContain(first);
      expect(logged).not.toContain(recovered!);
      expect(logged).not.toContain(SECRET);
    } finally {
      await tokens.close?.();
    }
  }, 60_000);

  it('bounds every wait on a Redis that never answers (CACHE_UNAVAILABLE timeout), then recovers', async () => {
    const tokens = createAccessTokenSource({
      provider: {
        grant: 'client_credentials',
        issuer: idp.url,
        clientId: 'orders-api-2',
        clientSecret: SECRET,
        allowHttp: true,
      },
      cache: { kind: 'redis', url: redis.url, commandTimeoutMs: 250 },
    });
    const before = idp.tokenRequests;
    redis.pause(true);
    try {
      const started = performance.now();
      const failure = await tokens.getToken().catch((error: unknown) => error);
      const waited = performance.now() - started;
      expect(failure).toMatchObject({
        code: 'CACHE_UNAVAILABLE',
        reason: 'timeout',
        message: 'The token cache (Redis) did not answer within 250 ms.',
      });
      expect(waited).toBeGreaterThanOrEqual(240);
      expect(waited).toBeLessThan(1000);
      expect(idp.tokenRequests).toBe(before);
    } finally {
      redis.pause(false);
    }
    expect(await tokens.getToken()).toMatch(/^at-/);
    expect(idp.tokenRequests).toBe(before + 1);
    await tokens.close?.();
  });

  it('a client of your own: RedisTokenCache never closes it, and fences writes on a lost lease', async () => {
    const client = new Redis({ host: '127.0.0.1', port: redis.port, lazyConnect: true });
    const cache = new RedisTokenCache({ client, leaseTtlMs: 300 });
    try {
      const entry = {
        receivedAt: Date.now(),
        tokenSet: { accessToken: 'a', tokenType: 'Bearer', expiresAt: Date.now() + 60_000 },
      };
      const failure = await cache
        .withLock('v1-lost-lease', async (lease) => {
          // Someone else takes the key's lease over (as after a lapse): our write is refused.
          await client.set(cache.redisKeys('v1-lost-lease').lease, 'another-holder', 'PX', 5000);
          await lease!.set(entry);
        })
        .catch((error: unknown) => error);
      expect(failure).toMatchObject({ code: 'CACHE_LEASE_LOST' });
      expect(await cache.get('v1-lost-lease')).toBeUndefined();
      await cache.close();
      expect(await client.ping()).toBe('PONG');
    } finally {
      client.disconnect();
    }
  });
});
