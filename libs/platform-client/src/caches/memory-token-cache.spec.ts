import { describe, expect, it } from '@jest/globals';
import type { TokenCacheEntry } from './token-cache-entry.js';
import { MemoryTokenCache } from './memory-token-cache.js';

const entry = (accessToken: string): TokenCacheEntry => ({
  receivedAt: 1,
  tokenSet: { accessToken, tokenType: 'Bearer', expiresAt: 2 },
});

describe('MemoryTokenCache', () => {
  it('stores, returns and deletes entries by key', async () => {
    const cache = new MemoryTokenCache();
    await cache.set('k1', entry('a'));
    await cache.set('k2', entry('b'));
    expect(await cache.get('k1')).toEqual(entry('a'));
    await cache.delete('k1');
    await cache.delete('missing');
    expect(await cache.get('k1')).toBeUndefined();
    expect(await cache.get('k2')).toEqual(entry('b'));
  });

  it('runs lock holders of one key one after another, and other keys in parallel', async () => {
    const cache = new MemoryTokenCache();
    const events: string[] = [];
    let releaseFirst!: () => void;
    const first = cache.withLock('k', async () => {
      events.push('first:start');
      await new Promise<void>((resolve) => (releaseFirst = resolve));
      events.push('first:end');
    });
    const second = cache.withLock('k', async () => {
      events.push('second');
    });
    const other = cache.withLock('other', async () => {
      events.push('other');
    });
    await other;
    expect(events).toEqual(['first:start', 'other']);
    releaseFirst();
    await Promise.all([first, second]);
    expect(events).toEqual(['first:start', 'other', 'first:end', 'second']);
  });

  it('releases the lock when the holder throws', async () => {
    const cache = new MemoryTokenCache();
    await expect(
      cache.withLock('k', async () => Promise.reject(new Error('boom'))),
    ).rejects.toThrow('boom');
    expect(await cache.withLock('k', async () => 'next')).toBe('next');
  });

  it('stops waiting for the lock when the signal aborts, without running the function', async () => {
    const cache = new MemoryTokenCache();
    let release!: () => void;
    const held = cache.withLock('k', () => new Promise<void>((resolve) => (release = resolve)));
    const controller = new AbortController();
    let ran = false;
    const waiting = cache.withLock('k', async () => void (ran = true), {
      signal: controller.signal,
    });
    controller.abort(new Error('stop'));
    await expect(waiting).rejects.toThrow('stop');
    release();
    await held;
    expect(ran).toBe(false);
    expect(await cache.withLock('k', async () => 'free')).toBe('free');
  });
});
