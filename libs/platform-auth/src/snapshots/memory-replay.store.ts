import { ReplayStoreFullError } from '../errors/replay-store-full.error.js';
import { sha256 } from './snapshot-binding.js';
import type { ReplayStore, SnapshotUse, SnapshotUseVerdict } from './replay-store.port.js';

/** Options of {@link MemoryReplayStore}. */
export interface MemoryReplayStoreOptions {
  /**
   * Entries kept at most. When the store is full of unexpired entries, new uses fail (closed:
   * the verifier answers `ERROR`, 503). Size it to the peak rate of snapshot uses per second
   * times the longest snapshot lifetime plus the clock tolerance (60 s + 5 s by default).
   * @default 100000
   */
  maxEntries?: number;
  /** Time source (epoch ms). @default Date.now */
  now?: () => number;
}

interface Entry {
  /** SHA-256 of the binding: a fixed 43 characters, whatever the caller passed. */
  readonly binding: string;
  readonly expiresAt: number;
}

/**
 * In-process {@link ReplayStore}. One insertion-ordered map: every call first drops expired
 * entries from its head (each entry is dropped once, so the cost is O(1) amortised). Snapshots
 * of different lifetimes expire out of insertion order, so an expired entry may wait behind a
 * longer-lived one; before refusing a new snapshot as full, the store therefore sweeps the
 * whole map once for expired entries, at most once per `maxEntries / 16` calls (amortised
 * O(1) per call even while full of live entries). It protects one process only; replicas
 * behind a load balancer need a shared store (Redis, …) implementing the same port.
 */
export class MemoryReplayStore implements ReplayStore {
  private readonly entries = new Map<string, Entry>();
  private readonly maxEntries: number;
  private readonly now: () => number;
  /** Calls between two full sweeps at most (the sweep costs one pass over the map). */
  private readonly sweepInterval: number;
  private callsSinceSweep = 0;

  constructor(options: MemoryReplayStoreOptions = {}) {
    const maxEntries = options.maxEntries ?? 100_000;
    if (!Number.isSafeInteger(maxEntries) || maxEntries < 1) {
      throw new TypeError('MemoryReplayStore: option "maxEntries" must be a positive integer.');
    }
    this.maxEntries = maxEntries;
    this.sweepInterval = Math.max(1, Math.floor(maxEntries / 16));
    this.now = options.now ?? Date.now;
  }

  /** Entries held, expired ones not yet dropped included (for tests and health). */
  get size(): number {
    return this.entries.size;
  }

  record(use: SnapshotUse): Promise<SnapshotUseVerdict> {
    const now = this.now();
    this.callsSinceSweep++;
    this.dropExpiredHead(now);
    const key = `${use.issuer.length}:${use.issuer}${use.id}`;
    const binding = sha256(use.binding);
    const seen = this.entries.get(key);
    if (seen !== undefined && seen.expiresAt > now) {
      return Promise.resolve(seen.binding === binding ? 'redelivery' : 'replay');
    }
    // An expired entry for the same key moves to the tail with its new expiry.
    if (seen !== undefined) this.entries.delete(key);
    else if (this.entries.size >= this.maxEntries && !this.sweepExpired(now)) {
      return Promise.reject(new ReplayStoreFullError('MemoryReplayStore'));
    }
    this.entries.set(key, { binding, expiresAt: use.expiresAt });
    return Promise.resolve('first');
  }

  /**
   * Drops every expired entry, wherever it is (the head sweep stops at the first live one), if
   * the last full sweep is at least `sweepInterval` calls old. Whether there is room now.
   */
  private sweepExpired(now: number): boolean {
    if (this.callsSinceSweep < this.sweepInterval) return false;
    this.callsSinceSweep = 0;
    for (const [key, entry] of this.entries) {
      if (entry.expiresAt <= now) this.entries.delete(key);
    }
    return this.entries.size < this.maxEntries;
  }

  private dropExpiredHead(now: number): void {
    for (const [key, entry] of this.entries) {
      if (entry.expiresAt > now) return;
      this.entries.delete(key);
    }
  }
}
