import { inspect } from 'node:util';
import { beforeEach, describe, expect, it } from '@jest/globals';
import { MemoryTokenCache } from '../caches/memory-token-cache.js';
import type { TokenCacheEntry } from '../caches/token-cache-entry.js';
import { type TokenCacheLease, unfencedLease } from '../caches/token-cache.port.js';
import { CacheLeaseLostError } from '../errors/cache-lease-lost.error.js';
import { CacheLockTimeoutError } from '../errors/cache-lock-timeout.error.js';
import { InsecureCachePathError } from '../errors/insecure-cache-path.error.js';
import { ReauthRequiredError } from '../errors/reauth-required.error.js';
import { ThrottledError } from '../errors/throttled.error.js';
import { TokenEndpointUnavailableError } from '../errors/token-endpoint-unavailable.error.js';
import type { Clock } from '../shared/clock.js';
import type { TokenCacheKey } from './token-cache-key.js';
import { TokenManager, type TokenManagerOptions } from './token-manager.js';
import { type AcquireOptions, TokenProvider } from './token-provider.port.js';
import { tokenFingerprint } from '../shared/token-fingerprint.js';
import type { TokenSet } from '../shared/token-set.js';

const HOUR = 3_600_000;
const MINUTE = 60_000;

class FakeClock implements Clock {
  constructor(public time = 1_700_000_000_000) {}
  now = () => this.time;
  sleep = async () => undefined;
}

interface Deferred<T> {
  promise: Promise<T>;
  resolve(value: T): void;
  reject(error: unknown): void;
}

function deferred<T>(): Deferred<T> {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => ((resolve = res), (reject = rej)));
  return { promise, resolve, reject };
}

/** Issues `token-1`, `token-2`, … with the given lifetime; records what it was called with. */
class FakeProvider extends TokenProvider {
  readonly cacheKey: TokenCacheKey = { kind: 'external', id: 'fake' };
  readonly calls: AcquireOptions[] = [];
  lifetimeMs = HOUR;
  refreshTokens = true;
  /** Failures (or deferreds) consumed one per call before issuing tokens. */
  next: Array<Error | Deferred<void>> = [];

  constructor(private readonly clock: FakeClock) {
    super();
  }

  async acquire(options: AcquireOptions): Promise<TokenSet> {
    this.calls.push(options);
    const step = this.next.shift();
    if (step instanceof Error) throw step;
    if (step) await step.promise;
    const n = this.calls.length;
    return {
      accessToken: `token-${n}`,
      tokenType: 'Bearer',
      expiresAt: this.clock.now() + this.lifetimeMs,
      ...(this.refreshTokens ? { refreshToken: `refresh-${n}` } : {}),
    };
  }
}

/** Lets background promises settle. */
const settle = () => new Promise((resolve) => setImmediate(resolve));

/** `promise`, or a rejection if it is still pending after `ms` of real time. */
function within<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`still pending after ${ms} ms`)), ms);
  });
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

describe('TokenManager', () => {
  let clock: FakeClock;
  let provider: FakeProvider;
  let cache: MemoryTokenCache;
  const manager = (options: TokenManagerOptions = {}) =>
    new TokenManager(provider, cache, { clock, random: () => 0, ...options });

  beforeEach(() => {
    clock = new FakeClock();
    provider = new FakeProvider(clock);
    cache = new MemoryTokenCache();
  });

  describe('caching and single flight', () => {
    it('draws the refresh jitter once per token: a shared entry is not re-read for the same token', async () => {
      // Another token source stored token-1; this one adopts it, refresh due at 55 min.
      await manager().getToken();
      let locks = 0;
      const withLock = cache.withLock.bind(cache);
      cache.withLock = ((key, fn, options) => {
        locks++;
        return withLock(key, fn, options);
      }) as typeof cache.withLock;
      const draws = [0, 0.999999, 0, 0.999999, 0, 0.999999];
      const tokens = manager({ random: () => draws.shift() ?? 0, refreshJitterRatio: 0.2 });
      expect(await tokens.getToken()).toBe('token-1');
      // Past this source's refresh time (55 min), before a later draw's (56 min): it refreshes,
      // rather than find the same token "fresh" by a new draw and come back on every call.
      clock.time += 55 * MINUTE + 30_000;
      expect(await tokens.getToken()).toBe('token-1');
      await settle();
      expect(provider.calls).toHaveLength(2);
      expect(await tokens.getToken()).toBe('token-2');
      await settle();
      expect(locks).toBe(1);
    });

    it('acquires once and serves the cached token afterwards', async () => {
      const tokens = manager();
      expect(await tokens.getToken()).toBe('token-1');
      clock.time += 30 * MINUTE;
      expect(await tokens.getToken()).toBe('token-1');
      expect(provider.calls).toHaveLength(1);
    });

    it('shares one acquisition between 100 concurrent callers on a cold cache', async () => {
      const gate = deferred<void>();
      provider.next = [gate];
      const tokens = manager();
      const all = Promise.all(Array.from({ length: 100 }, () => tokens.getToken()));
      await settle();
      gate.resolve();
      expect(new Set(await all)).toEqual(new Set(['token-1']));
      expect(provider.calls).toHaveLength(1);
    });

    it('uses a token another manager stored in the shared cache', async () => {
      await manager().getToken();
      expect(await manager().getToken()).toBe('token-1');
      expect(provider.calls).toHaveLength(1);
    });

    it('acquires again, blocking, once the token has expired', async () => {
      const tokens = manager();
      await tokens.getToken();
      clock.time += HOUR;
      expect(await tokens.getToken()).toBe('token-2');
      expect(provider.calls[1]?.current?.refreshToken).toBe('refresh-1');
    });
  });

  describe('refresh ahead of expiry', () => {
    it('keeps the token until 5 minutes before expiry, then serves it while refreshing once', async () => {
      const tokens = manager();
      await tokens.getToken();
      clock.time += HOUR - 5 * MINUTE - 1;
      expect(await tokens.getToken()).toBe('token-1');
      expect(provider.calls).toHaveLength(1);

      clock.time += 2;
      expect(await Promise.all([tokens.getToken(), tokens.getToken()])).toEqual([
        'token-1',
        'token-1',
      ]);
      await settle();
      expect(provider.calls).toHaveLength(2);
      expect(await tokens.getToken()).toBe('token-2');
    });

    it('caps the lead at half the lifetime of a short-lived token', async () => {
      provider.lifetimeMs = 2 * MINUTE;
      const tokens = manager();
      await tokens.getToken();
      clock.time += MINUTE - 1;
      await tokens.getToken();
      await settle();
      expect(provider.calls).toHaveLength(1);
      clock.time += 2;
      await tokens.getToken();
      await settle();
      expect(provider.calls).toHaveLength(2);
    });

    it('shortens the lead by at most the jitter ratio', async () => {
      // random() just below 1 with ratio 0.2: the lead is ~4 minutes instead of 5.
      const tokens = manager({ random: () => 0.999999, refreshJitterRatio: 0.2 });
      await tokens.getToken();
      clock.time += HOUR - 4 * MINUTE - 1;
      await tokens.getToken();
      await settle();
      expect(provider.calls).toHaveLength(1);
      clock.time += 2;
      await tokens.getToken();
      await settle();
      expect(provider.calls).toHaveLength(2);
    });

    it('keeps serving the current token when the background refresh fails', async () => {
      const warnings: string[] = [];
      const tokens = manager({ logger: { log: () => undefined, warn: (m) => warnings.push(m) } });
      await tokens.getToken();
      clock.time += HOUR - MINUTE;
      provider.next = [new TokenEndpointUnavailableError('down', 503)];
      expect(await tokens.getToken()).toBe('token-1');
      await settle();
      expect(warnings.join('\n')).toContain('TOKEN_ENDPOINT_UNAVAILABLE');
      expect(warnings.join('\n')).not.toContain('token-1');
      expect(await tokens.status()).toMatchObject({
        state: 'valid',
        lastErrorCode: 'TOKEN_ENDPOINT_UNAVAILABLE',
      });
    });
  });

  it('pauses background refreshes after a failure instead of retrying on every call', async () => {
    const tokens = manager({ logger: { log: () => undefined, warn: () => undefined } });
    await tokens.getToken();
    clock.time += HOUR - 2 * MINUTE;
    provider.next = [
      new TokenEndpointUnavailableError('down', 503),
      new TokenEndpointUnavailableError('down', 503),
    ];
    for (let call = 0; call < 10; call += 1) {
      expect(await tokens.getToken()).toBe('token-1');
      await settle();
    }
    expect(provider.calls).toHaveLength(2);
    clock.time += 29_000; // a quarter of the 2 minutes left is 30 s
    await tokens.getToken();
    await settle();
    expect(provider.calls).toHaveLength(2);
    clock.time += 1_000;
    await tokens.getToken();
    await settle();
    expect(provider.calls).toHaveLength(3);
  });

  describe('failures', () => {
    it('does not cache a failed acquisition: the next call tries again', async () => {
      provider.next = [new TokenEndpointUnavailableError('down', 503)];
      const tokens = manager();
      await expect(tokens.getToken()).rejects.toMatchObject({ code: 'TOKEN_ENDPOINT_UNAVAILABLE' });
      expect(await tokens.status()).toEqual({
        state: 'failed',
        lastErrorCode: 'TOKEN_ENDPOINT_UNAVAILABLE',
      });
      expect(await tokens.getToken()).toBe('token-2');
      expect((await tokens.status()).state).toBe('valid');
    });

    it('rejects every concurrent caller of a failed acquisition with the same error', async () => {
      const gate = deferred<void>();
      provider.next = [gate];
      const tokens = manager();
      const calls = [tokens.getToken(), tokens.getToken()];
      gate.reject(new TokenEndpointUnavailableError('down'));
      for (const call of calls) {
        await expect(call).rejects.toMatchObject({ code: 'TOKEN_ENDPOINT_UNAVAILABLE' });
      }
      expect(provider.calls).toHaveLength(1);
    });

    it('refuses a token set that is already expired', async () => {
      provider.lifetimeMs = 0;
      const tokens = manager();
      await expect(tokens.getToken()).rejects.toMatchObject({ code: 'INVALID_TOKEN_RESPONSE' });
      expect(await cache.get(tokens.key)).toBeUndefined();
    });

    it('purges the cached refresh token on ReauthRequiredError and does not retry', async () => {
      const tokens = manager();
      await tokens.getToken();
      clock.time += HOUR;
      provider.next = [new ReauthRequiredError()];
      await expect(tokens.getToken()).rejects.toMatchObject({ code: 'REAUTH_REQUIRED' });
      expect(provider.calls).toHaveLength(2);
      expect((await cache.get(tokens.key))?.tokenSet).toMatchObject({ accessToken: '' });
      expect((await cache.get(tokens.key))?.tokenSet.refreshToken).toBeUndefined();
      await tokens.getToken();
      expect(provider.calls[2]?.current?.refreshToken).toBeUndefined();
    });

    it('uses a new token from memory when the cache cannot store it', async () => {
      const warnings: string[] = [];
      cache.set = () => Promise.reject(new InsecureCachePathError('/x', 'it is a symbolic link'));
      const tokens = manager({ logger: { log: () => undefined, warn: (m) => warnings.push(m) } });
      expect(await tokens.getToken()).toBe('token-1');
      expect(await tokens.getToken()).toBe('token-1');
      expect(provider.calls).toHaveLength(1);
      expect(warnings.join('\n')).toContain('INSECURE_CACHE_PATH');
    });

    it('lets a caller stop waiting without cancelling the shared acquisition', async () => {
      const gate = deferred<void>();
      provider.next = [gate];
      const tokens = manager();
      const controller = new AbortController();
      const impatient = tokens.getToken({ signal: controller.signal });
      const patient = tokens.getToken();
      controller.abort(new Error('gave up'));
      await expect(impatient).rejects.toThrow('gave up');
      gate.resolve();
      expect(await patient).toBe('token-1');
    });
  });

  describe('Retry-After from the token endpoint', () => {
    it('fails fast with THROTTLED, without calling the provider, until Retry-After has elapsed', async () => {
      provider.next = [new ThrottledError(7_000)];
      const tokens = manager();
      await expect(tokens.getToken()).rejects.toMatchObject({
        code: 'THROTTLED',
        retryAfterMs: 7_000,
      });
      clock.time += 2_000;
      await expect(tokens.getToken()).rejects.toMatchObject({
        code: 'THROTTLED',
        retryAfterMs: 5_000,
      });
      clock.time += 4_999;
      await expect(tokens.getToken()).rejects.toMatchObject({ code: 'THROTTLED' });
      expect(provider.calls).toHaveLength(1);
      expect(await tokens.status()).toMatchObject({ state: 'failed', lastErrorCode: 'THROTTLED' });
      clock.time += 1;
      expect(await tokens.getToken()).toBe('token-2');
    });

    it('caps an absurd Retry-After at retryAfterCapMs (5 minutes by default)', async () => {
      provider.next = [new ThrottledError(24 * HOUR)];
      const tokens = manager();
      await expect(tokens.getToken()).rejects.toMatchObject({ code: 'THROTTLED' });
      clock.time += 5 * MINUTE - 1;
      await expect(tokens.getToken()).rejects.toMatchObject({ code: 'THROTTLED' });
      clock.time += 1;
      expect(await tokens.getToken()).toBe('token-2');
      expect(provider.calls).toHaveLength(2);
    });

    it('holds background refreshes until Retry-After has elapsed, serving the current token', async () => {
      const tokens = manager({ logger: { log: () => undefined, warn: () => undefined } });
      await tokens.getToken();
      clock.time += HOUR - 5 * MINUTE + 1;
      provider.next = [new ThrottledError(2 * MINUTE)];
      expect(await tokens.getToken()).toBe('token-1');
      await settle();
      expect(provider.calls).toHaveLength(2);
      // Without Retry-After the next background attempt would come after 30 s.
      for (const step of [31_000, 30_000, 30_000, 28_999]) {
        clock.time += step;
        expect(await tokens.getToken()).toBe('token-1');
        await settle();
      }
      expect(provider.calls).toHaveLength(2);
      clock.time += 1;
      await tokens.getToken();
      await settle();
      expect(provider.calls).toHaveLength(3);
      expect(await tokens.getToken()).toBe('token-3');
    });

    it('holds other token sources of the same cache key too (through the shared cache)', async () => {
      provider.next = [new ThrottledError(7_000)];
      await expect(manager().getToken()).rejects.toMatchObject({ code: 'THROTTLED' });
      const other = manager();
      await expect(other.getToken()).rejects.toMatchObject({ code: 'THROTTLED' });
      expect(provider.calls).toHaveLength(1);
      clock.time += 7_000;
      expect(await other.getToken()).toBe('token-2');
    });
  });

  describe('retired refresh tokens', () => {
    it('retires a refresh token that rotation replaced, by fingerprint only', async () => {
      const tokens = manager();
      await tokens.getToken();
      clock.time += HOUR;
      await tokens.getToken();
      const [, second] = provider.calls;
      expect(second?.current?.refreshToken).toBe('refresh-1');
      expect(second?.isRetired?.('refresh-1')).toBe(true);
      expect(second?.isRetired?.('refresh-2')).toBe(false);
      const stored = await cache.get(tokens.key);
      expect(stored?.retiredRefreshTokens).toEqual([tokenFingerprint('refresh-1')]);
      expect(JSON.stringify(stored)).not.toContain('"refresh-1"');
    });

    it('remembers a refresh token the server rejected for every token source of the key', async () => {
      const tokens = manager();
      await tokens.getToken();
      clock.time += HOUR;
      provider.next = [new ReauthRequiredError()];
      await expect(tokens.getToken()).rejects.toMatchObject({ code: 'REAUTH_REQUIRED' });
      expect((await cache.get(tokens.key))?.tokenSet.refreshToken).toBeUndefined();
      await manager().getToken();
      const last = provider.calls.at(-1);
      expect(last?.current?.refreshToken).toBeUndefined();
      expect(last?.isRetired?.('refresh-1')).toBe(true);
    });

    it('records a refresh token the provider reports as rejected or replaced', async () => {
      provider.next = [new ReauthRequiredError()];
      const tokens = manager();
      const reporting = provider.acquire.bind(provider);
      provider.acquire = (options) => {
        options.retire?.('configured-refresh-token');
        return reporting(options);
      };
      await expect(tokens.getToken()).rejects.toMatchObject({ code: 'REAUTH_REQUIRED' });
      await manager().getToken();
      expect(provider.calls.at(-1)?.isRetired?.('configured-refresh-token')).toBe(true);
    });
  });

  describe('invalid_grant during a background refresh', () => {
    it('keeps serving the still-valid token until it expires, and reports the state', async () => {
      const warnings: string[] = [];
      const tokens = manager({ logger: { log: () => undefined, warn: (m) => warnings.push(m) } });
      await tokens.getToken();
      clock.time += HOUR - MINUTE;
      provider.next = [new ReauthRequiredError()];
      expect(await tokens.getToken()).toBe('token-1');
      await settle();
      expect(provider.calls).toHaveLength(2);
      expect(await tokens.getToken()).toBe('token-1');
      expect(await tokens.peekToken()).toBe('token-1');
      expect(await tokens.status()).toMatchObject({
        state: 'valid',
        lastErrorCode: 'REAUTH_REQUIRED',
      });
      expect(warnings.join('\n')).toContain('REAUTH_REQUIRED');
      // Still stored for other token sources, but without the rejected refresh token.
      const stored = await cache.get(tokens.key);
      expect(stored?.tokenSet).toMatchObject({ accessToken: 'token-1' });
      expect(stored?.tokenSet.refreshToken).toBeUndefined();
      expect(await manager().getToken()).toBe('token-1');
      expect(provider.calls).toHaveLength(2);
    });
  });

  describe('a deadline on every acquisition', () => {
    it('passes a signal and gives up after acquireTimeoutMs, so a hung provider wedges nothing', async () => {
      provider.next = [deferred<void>()];
      const tokens = manager({ acquireTimeoutMs: 50 });
      const first = await within(
        tokens.getToken().catch((e: unknown) => e),
        1000,
      );
      expect(first).toMatchObject({ code: 'TOKEN_ENDPOINT_UNAVAILABLE' });
      expect(provider.calls[0]?.signal?.aborted).toBe(true);
      expect(await tokens.status()).toMatchObject({
        state: 'failed',
        lastErrorCode: 'TOKEN_ENDPOINT_UNAVAILABLE',
      });
      expect(await within(tokens.getToken(), 1000)).toBe('token-2');
    });

    it('releases the cache lock when the deadline passes', async () => {
      provider.next = [deferred<void>()];
      const tokens = manager({ acquireTimeoutMs: 50 });
      await within(
        tokens.getToken().catch(() => undefined),
        1000,
      );
      expect(
        await within(
          cache.withLock(tokens.key, async () => 'free'),
          1000,
        ),
      ).toBe('free');
    });

    it('rejects an invalid acquireTimeoutMs with a TypeError naming it', () => {
      expect(() => manager({ acquireTimeoutMs: 0 })).toThrow(/acquireTimeoutMs/);
    });
  });

  describe('under the cache lease', () => {
    /** A memory cache whose lease can be lost on demand, counting reads outside the lock. */
    class LosableCache extends MemoryTokenCache {
      readonly controller = new AbortController();
      lost = false;
      plainReads = 0;
      override async get(key: string): Promise<TokenCacheEntry | undefined> {
        this.plainReads++;
        return super.get(key);
      }
      override withLock<T>(key: string, fn: (lease: TokenCacheLease) => Promise<T>): Promise<T> {
        return super.withLock(key, () => {
          const base = unfencedLease(
            {
              get: (k) => super.get(k),
              set: (k, e) => this.set(k, e),
              delete: (k) => this.delete(k),
            },
            key,
            () => (this.lost ? new CacheLeaseLostError() : undefined),
            this.controller.signal,
          );
          return fn(base);
        });
      }
      lose(): void {
        this.lost = true;
        this.controller.abort(new CacheLeaseLostError());
      }
    }
    const expired = (refreshToken: string, extra: Partial<TokenCacheEntry> = {}) => ({
      receivedAt: clock.now() - 2 * HOUR,
      tokenSet: {
        accessToken: 'old',
        tokenType: 'Bearer',
        expiresAt: clock.now() - HOUR,
        refreshToken,
      },
      ...extra,
    });

    it('retires a refresh token that a stopped holder was presenting, and warns without the token', async () => {
      const warnings: string[] = [];
      const tokens = manager({ logger: { log: () => undefined, warn: (m) => warnings.push(m) } });
      await cache.set(
        tokens.key,
        expired('refresh-0', { refreshing: tokenFingerprint('refresh-0') }),
      );
      let retiredWhenAsked: boolean | undefined;
      const issuing = provider.acquire.bind(provider);
      provider.acquire = (options) => {
        retiredWhenAsked = options.isRetired?.('refresh-0');
        return issuing(options);
      };
      await tokens.getToken();
      expect(provider.calls[0]?.current?.refreshToken).toBe('refresh-0');
      expect(retiredWhenAsked).toBe(true);
      expect(warnings.join('\n')).toMatch(/stopped before the answer/);
      expect(warnings.join('\n')).not.toContain('refresh-0');
      const stored = await cache.get(tokens.key);
      expect(stored?.refreshing).toBeUndefined();
      expect(stored?.retiredRefreshTokens).toContain(tokenFingerprint('refresh-0'));
    });

    it('records the refresh token being presented before the request, and removes the record with the answer', async () => {
      const tokens = manager();
      await cache.set(tokens.key, expired('refresh-0'));
      let seen: TokenCacheEntry | undefined;
      const issuing = provider.acquire.bind(provider);
      provider.acquire = async (options) => {
        await options.presenting?.('refresh-0');
        seen = await cache.get(tokens.key);
        return issuing(options);
      };
      await tokens.getToken();
      expect(seen?.refreshing).toBe(tokenFingerprint('refresh-0'));
      expect(seen?.tokenSet.refreshToken).toBe('refresh-0');
      expect((await cache.get(tokens.key))?.refreshing).toBeUndefined();
    });

    it('removes the record when this holder saw the request fail (it knows the outcome)', async () => {
      const tokens = manager();
      await cache.set(tokens.key, expired('refresh-0'));
      provider.acquire = async (options) => {
        await options.presenting?.('refresh-0');
        throw new TokenEndpointUnavailableError('the server failed', 503);
      };
      await expect(tokens.getToken()).rejects.toMatchObject({ code: 'TOKEN_ENDPOINT_UNAVAILABLE' });
      const stored = await cache.get(tokens.key);
      expect(stored?.refreshing).toBeUndefined();
      expect(stored?.tokenSet.refreshToken).toBe('refresh-0');
    });

    it('aborts the acquisition with CACHE_LEASE_LOST when the lease is lost, and writes nothing', async () => {
      const losable = new LosableCache();
      cache = losable;
      const gate = deferred<void>();
      provider.next = [gate];
      const tokens = manager();
      const pending = tokens.getToken();
      await settle();
      losable.lose();
      await expect(pending).rejects.toMatchObject({ code: 'CACHE_LEASE_LOST' });
      expect(provider.calls[0]?.signal?.aborted).toBe(true);
      gate.resolve();
      await settle();
      expect(await losable.get(tokens.key)).toBeUndefined();
    });

    it('sends no refresh token when its presentation cannot be recorded', async () => {
      const losable = new LosableCache();
      cache = losable;
      const tokens = manager();
      let sent = false;
      provider.acquire = async (options) => {
        losable.lost = true;
        await options.presenting?.('refresh-0');
        sent = true;
        throw new Error('unreachable');
      };
      await expect(tokens.getToken()).rejects.toMatchObject({ code: 'CACHE_LEASE_LOST' });
      expect(sent).toBe(false);
    });

    it('refreshes in the background through the lock alone (no separate read first)', async () => {
      const counting = new LosableCache();
      cache = counting;
      const tokens = manager();
      await tokens.getToken();
      const reads = counting.plainReads;
      clock.time += HOUR - 4 * MINUTE;
      expect(await tokens.getToken()).toBe('token-1');
      await settle();
      await settle();
      expect(await tokens.getToken()).toBe('token-2');
      expect(counting.plainReads).toBe(reads);
    });

    it('works with a cache that passes no lease (written before leases existed)', async () => {
      const legacy = new MemoryTokenCache();
      // The old signature: the function is called without a lease.
      legacy.withLock = ((_key: string, fn: () => Promise<unknown>) =>
        fn()) as MemoryTokenCache['withLock'];
      cache = legacy;
      const tokens = manager();
      await cache.set(tokens.key, expired('refresh-0'));
      expect(await tokens.getToken()).toBe('token-1');
      expect((await legacy.get(tokens.key))?.tokenSet.refreshToken).toBe('refresh-1');
    });
  });

  describe('close()', () => {
    it('closes a cache it owns, and never one it was given', async () => {
      let closed = 0;
      cache.close = async () => void closed++;
      await manager().close();
      expect(closed).toBe(0);
      await manager({ ownsCache: true }).close();
      expect(closed).toBe(1);
    });

    it('aborts a background refresh nobody waits for and starts no new one', async () => {
      const tokens = manager({ logger: { log: () => undefined, warn: () => undefined } });
      await tokens.getToken();
      clock.time += HOUR - MINUTE;
      provider.next = [deferred<void>()];
      expect(await tokens.getToken()).toBe('token-1');
      await settle();
      await within(tokens.close(), 1000);
      expect(provider.calls[1]?.signal?.aborted).toBe(true);
      clock.time += 30_000;
      expect(await tokens.getToken()).toBe('token-1');
      await settle();
      expect(provider.calls).toHaveLength(2);
    });

    it('lets a caller that still waits get its token, and aborts once the last one gives up', async () => {
      const gate = deferred<void>();
      provider.next = [gate, deferred<void>()];
      const tokens = manager();
      const waiting = tokens.getToken();
      await settle();
      await tokens.close();
      expect(provider.calls[0]?.signal?.aborted).toBe(false);
      gate.resolve();
      expect(await waiting).toBe('token-1');

      await tokens.invalidate('token-1');
      const controller = new AbortController();
      const impatient = tokens.getToken({ signal: controller.signal });
      await settle();
      controller.abort(new Error('gave up'));
      await expect(impatient).rejects.toThrow('gave up');
      await settle();
      expect(provider.calls[1]?.signal?.aborted).toBe(true);
    });
  });

  describe('invalidate', () => {
    it('ignores a token that is not the cached one', async () => {
      const tokens = manager();
      await tokens.getToken();
      await tokens.invalidate('token-from-elsewhere');
      expect(await tokens.getToken()).toBe('token-1');
      expect(provider.calls).toHaveLength(1);
    });

    it('drops the rejected token and keeps its refresh token for the next acquisition', async () => {
      const tokens = manager();
      await tokens.getToken();
      await tokens.invalidate('token-1');
      expect(await tokens.peekToken()).toBeUndefined();
      expect(await tokens.getToken()).toBe('token-2');
      expect(provider.calls[1]?.current?.refreshToken).toBe('refresh-1');
    });

    it('deletes the entry of a token without refresh token', async () => {
      provider.refreshTokens = false;
      const tokens = manager();
      await tokens.getToken();
      await tokens.invalidate('token-1');
      expect(await cache.get(tokens.key)).toBeUndefined();
    });

    it('still drops the token from memory when the cache lock fails', async () => {
      const tokens = manager({ logger: { log: () => undefined, warn: () => undefined } });
      await tokens.getToken();
      cache.withLock = () => Promise.reject(new CacheLockTimeoutError(10));
      await expect(tokens.invalidate('token-1')).resolves.toBeUndefined();
      expect(await tokens.peekToken()).toBeUndefined();
    });

    it('never adopts the rejected token again from a stale read', async () => {
      const tokens = manager();
      await tokens.getToken();
      const other = manager();
      await other.invalidate('token-1');
      await cache.set(other.key, {
        receivedAt: clock.now(),
        tokenSet: { accessToken: 'token-1', tokenType: 'Bearer', expiresAt: clock.now() + HOUR },
      });
      expect(await other.getToken()).toBe('token-2');
    });
  });

  describe('peekToken and status never acquire', () => {
    it('reports empty, then valid, then expired', async () => {
      const tokens = manager();
      expect(await tokens.peekToken()).toBeUndefined();
      expect(await tokens.status()).toEqual({ state: 'empty' });
      await tokens.getToken();
      const expiresAt = clock.now() + HOUR;
      expect(await tokens.peekToken()).toBe('token-1');
      expect(await tokens.status()).toEqual({ state: 'valid', expiresAt });
      clock.time += HOUR;
      expect(await tokens.peekToken()).toBeUndefined();
      expect(await tokens.status()).toEqual({ state: 'expired', expiresAt });
      expect(provider.calls).toHaveLength(1);
    });
  });

  it('shows no token in inspect or JSON', async () => {
    const tokens = manager();
    await tokens.getToken();
    expect(inspect(tokens, { depth: 10 })).not.toContain('token-1');
    expect(JSON.stringify(tokens)).not.toContain('token-1');
    expect(inspect(cache, { depth: 10 })).not.toContain('token-1');
  });

  it('rejects invalid options with a TypeError naming them', () => {
    expect(() => manager({ refreshAheadMaxFraction: 2 })).toThrow(/refreshAheadMaxFraction/);
    expect(() => manager({ refreshAheadMs: -1 })).toThrow(/refreshAheadMs/);
  });
});
