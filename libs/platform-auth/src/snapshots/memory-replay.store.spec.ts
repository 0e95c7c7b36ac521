import { describe, expect, it } from '@jest/globals';
import { ReplayStoreFullError } from '../errors/replay-store-full.error.js';
import { MemoryReplayStore } from './memory-replay.store.js';
import type { SnapshotUse } from './replay-store.port.js';

const T0 = 1_900_000_000_000;

function fixture(maxEntries?: number) {
  const clock = { now: T0 };
  const store = new MemoryReplayStore({
    now: () => clock.now,
    ...(maxEntries !== undefined && { maxEntries }),
  });
  const use = (id: string, binding = 'b', ttlMs = 60_000): SnapshotUse => ({
    issuer: 'service-a',
    id,
    binding,
    expiresAt: clock.now + ttlMs,
  });
  return { clock, store, use };
}

describe('MemoryReplayStore', () => {
  it('answers first, then redelivery for the same binding and replay for another', async () => {
    const { store, use } = fixture();
    expect(await store.record(use('1'))).toBe('first');
    expect(await store.record(use('1'))).toBe('redelivery');
    expect(await store.record(use('1', 'other'))).toBe('replay');
    expect(await store.record(use('2'))).toBe('first');
  });

  it('keys by issuer and id without ambiguity', async () => {
    const { store, use } = fixture();
    expect(await store.record({ ...use('b1'), issuer: 'a' })).toBe('first');
    expect(await store.record({ ...use('1'), issuer: 'ab' })).toBe('first');
  });

  it('stores a fixed-size digest of the binding, not the binding', async () => {
    const { store, use } = fixture();
    await store.record(use('1', 'x'.repeat(16_384)));
    const entries = (store as unknown as { entries: Map<string, { binding: string }> }).entries;
    expect([...entries.values()][0]!.binding).toHaveLength(43);
    expect(await store.record(use('1', 'x'.repeat(16_384)))).toBe('redelivery');
    expect(await store.record(use('1', 'x'.repeat(16_383)))).toBe('replay');
  });

  it('forgets an entry once expired (injected time), and drops expired entries as it goes', async () => {
    const { clock, store, use } = fixture();
    await store.record(use('1'));
    await store.record(use('2'));
    clock.now += 60_000;
    expect(await store.record(use('1'))).toBe('first');
    expect(store.size).toBe(1);
  });

  it('refuses (throws) when full of live entries, and accepts again once they expire', async () => {
    const { clock, store, use } = fixture(2);
    await store.record(use('1'));
    await store.record(use('2'));
    await expect(store.record(use('3'))).rejects.toBeInstanceOf(ReplayStoreFullError);
    // A known snapshot is still answered when full.
    expect(await store.record(use('1'))).toBe('redelivery');
    clock.now += 60_001;
    expect(await store.record(use('3'))).toBe('first');
    expect(store.size).toBe(1);
  });

  it('does not scan the whole map per call: a live head stops the sweep', async () => {
    const { clock, store, use } = fixture(3);
    await store.record(use('long', 'b', 300_000));
    await store.record(use('short', 'b', 1_000));
    clock.now += 2_000;
    expect(await store.record(use('next'))).toBe('first');
    // "short" expired but waits behind "long" (bounded by the longest lifetime).
    expect(store.size).toBe(3);
    clock.now += 300_000;
    expect(await store.record(use('again'))).toBe('first');
    expect(store.size).toBe(1);
  });

  it('sweeps expired entries behind a live head before refusing as full', async () => {
    const { clock, store, use } = fixture(3);
    await store.record(use('long', 'b', 300_000));
    await store.record(use('short-1', 'b', 1_000));
    await store.record(use('short-2', 'b', 1_000));
    clock.now += 2_000;
    expect(await store.record(use('next'))).toBe('first');
    expect(store.size).toBe(2);
  });

  it('sweeps the whole map at most once per maxEntries / 16 calls while full of live entries', async () => {
    const { store, use } = fixture(32);
    for (let i = 0; i < 32; i++) await store.record(use(`live-${i}`));
    const entries = (store as unknown as { entries: Map<string, unknown> }).entries;
    let scans = 0;
    const iterate = entries[Symbol.iterator].bind(entries);
    entries[Symbol.iterator] = () => {
      scans++;
      return iterate();
    };
    for (let i = 0; i < 4; i++) {
      await expect(store.record(use(`new-${i}`))).rejects.toBeInstanceOf(ReplayStoreFullError);
    }
    // One head sweep per call (4) and one full sweep for the 2 calls allowed (32 / 16).
    expect(scans).toBe(4 + 2);
  });

  it('refuses a maxEntries that is not a positive integer', () => {
    expect(() => new MemoryReplayStore({ maxEntries: 0 })).toThrow('"maxEntries"');
    expect(() => new MemoryReplayStore({ maxEntries: 1.5 })).toThrow(TypeError);
  });
});
