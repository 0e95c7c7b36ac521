import { describe, expect, it } from '@jest/globals';
import type { TokenCacheEntry } from '../caches/token-cache-entry.js';
import type { TokenCache } from '../caches/token-cache.port.js';
import type { TokenCacheKey } from './token-cache-key.js';
import type { AcquireOptions, TokenProvider } from './token-provider.port.js';
import type { TokenSet } from '../shared/token-set.js';
import { createAccessTokenSource } from './token-source.factory.js';

/** A provider that `implements` the port instead of extending it. */
class StructuralProvider implements TokenProvider {
  readonly cacheKey: TokenCacheKey = { kind: 'external', id: 'structural' };
  calls = 0;
  async acquire(_options: AcquireOptions): Promise<TokenSet> {
    this.calls++;
    return { accessToken: `structural-${this.calls}`, tokenType: 'Bearer', expiresAt: 2e12 };
  }
}

/** A cache that `implements` the port instead of extending it. */
class StructuralCache implements TokenCache {
  readonly entries = new Map<string, TokenCacheEntry>();
  locks = 0;
  async get(key: string) {
    return this.entries.get(key);
  }
  async set(key: string, entry: TokenCacheEntry) {
    this.entries.set(key, entry);
  }
  async delete(key: string) {
    this.entries.delete(key);
  }
  async withLock<T>(_key: string, fn: () => Promise<T>) {
    this.locks++;
    return fn();
  }
}

const clock = { now: () => 1e12, sleep: async () => undefined };

describe('createAccessTokenSource with structural ports', () => {
  it('accepts a class that implements TokenProvider and TokenCache without extending them', async () => {
    const provider = new StructuralProvider();
    const cache = new StructuralCache();
    const tokens = createAccessTokenSource({ provider, cache }, { clock });
    expect(await tokens.getToken()).toBe('structural-1');
    expect(await tokens.getToken()).toBe('structural-1');
    expect(provider.calls).toBe(1);
    expect(cache.locks).toBe(1);
    expect([...cache.entries.values()][0]?.tokenSet.accessToken).toBe('structural-1');
  });

  it('accepts plain objects shaped like the ports', async () => {
    const tokens = createAccessTokenSource(
      {
        provider: {
          cacheKey: { kind: 'external', id: 'plain' },
          acquire: async () => ({
            accessToken: 'plain-token',
            tokenType: 'Bearer',
            expiresAt: 2e12,
          }),
        } as TokenProvider,
      },
      { clock },
    );
    expect(await tokens.getToken()).toBe('plain-token');
  });

  describe('a wrong shape', () => {
    it('names the missing cache methods instead of asking for a kind', () => {
      const cache = { get: async () => undefined, set: async () => undefined } as unknown;
      expect(() =>
        createAccessTokenSource({ provider: () => 't', cache: cache as TokenCache }),
      ).toThrow(
        new TypeError(
          'client.token.cache is neither cache options ({ kind: ... }) nor a TokenCache: it lacks delete(), withLock().',
        ),
      );
    });

    it('names what a provider lacks (acquire() or cacheKey)', () => {
      const noKey = { acquire: async () => undefined } as unknown as TokenProvider;
      expect(() => createAccessTokenSource({ provider: noKey })).toThrow(
        /^client\.token\.provider is neither provider options \(\{ grant: \.\.\. \}\) nor a TokenProvider: its cacheKey must be/,
      );
      const noAcquire = { cacheKey: { kind: 'external', id: 'x' } } as unknown as TokenProvider;
      expect(() => createAccessTokenSource({ provider: noAcquire })).toThrow(
        /^client\.token\.provider is neither provider options .* it lacks acquire\(\)\.$/,
      );
    });

    it('still names the kind for cache options with an unknown kind', () => {
      expect(() =>
        createAccessTokenSource({
          provider: () => 't',
          cache: { kind: 'memcached' } as unknown as TokenCache,
        }),
      ).toThrow("client.token.cache.kind must be one of 'memory', 'file', 'redis'.");
    });

    it('validates redis cache options at build time, without connecting', () => {
      expect(() =>
        createAccessTokenSource({
          provider: () => 't',
          cache: { kind: 'redis' } as unknown as TokenCache,
        }),
      ).toThrow(/^client\.token\.cache\.url must be a non-empty string \(accepted: redis:\/\//);
      expect(() =>
        createAccessTokenSource({
          provider: () => 't',
          cache: { kind: 'redis', url: 'redis://:hunter2@r', leaseTtlMs: 5 },
        }),
      ).toThrow('client.token.cache.leaseTtlMs must be an integer number of milliseconds >= 300.');
      expect(() =>
        createAccessTokenSource({
          provider: () => 't',
          cache: { kind: 'redis', url: 'http://:hunter2@r' },
        }),
      ).toThrow(/^client\.token\.cache\.url has an unsupported scheme [^]*$/);
      expect(() =>
        createAccessTokenSource({
          provider: () => 't',
          cache: { kind: 'redis', url: 'redis://127.0.0.1:1' },
        }),
      ).toThrow('client.token.provider.id is required with a file or Redis cache');
      const source = createAccessTokenSource({
        provider: { grant: 'external', id: 'sidecar', getToken: () => 't' },
        cache: { kind: 'redis', url: 'redis://:hunter2@127.0.0.1:1' },
      });
      expect(JSON.stringify(source)).not.toContain('hunter2');
    });
  });
});
