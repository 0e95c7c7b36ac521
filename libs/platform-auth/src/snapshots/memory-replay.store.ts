import type { ReplayStore, SnapshotUse, SnapshotUseVerdict } from './replay-store.port.js';

/** Options of {@link MemoryReplayStore}. */
export interface MemoryReplayStoreOptions {
  /** Entries kept at most; when full of unexpired entries, new uses fail (closed). @default 100000 */
  maxEntries?: number;
  /** Time source (epoch ms). @default Date.now */
  now?: () => number;
}

/** Thrown when the store is full of live entries: the verifier turns it into an ERROR decision. */
export class ReplayStoreFullError extends Error {
  override readonly name = 'ReplayStoreFullError';
}

/**
 * In-process {@link ReplayStore}: one map, expired entries swept when the map is full. It
 * protects one process only; replicas behind a load balancer need a shared store (Redis, …)
 * implementing the same port.
 */
export class MemoryReplayStore implements ReplayStore {
  private readonly entries = new Map<string, { binding: string; expiresAt: number }>();
  private readonly maxEntries: number;
  private readonly now: () => number;

  constructor(options: MemoryReplayStoreOptions = {}) {
    const maxEntries = options.maxEntries ?? 100_000;
    if (!Number.isSafeInteger(maxEntries) || maxEntries < 1) {
      throw new TypeError('MemoryReplayStore: option "maxEntries" must be a positive integer.');
    }
    this.maxEntries = maxEntries;
    this.now = options.now ?? Date.now;
  }

  /** Live entries (for tests and health). */
  get size(): number {
    return this.entries.size;
  }

  record(use: SnapshotUse): Promise<SnapshotUseVerdict> {
    const key = `${use.issuer.length}:${use.issuer}${use.id}`;
    const now = this.now();
    const seen = this.entries.get(key);
    if (seen !== undefined && seen.expiresAt > now) {
      return Promise.resolve(seen.binding === use.binding ? 'redelivery' : 'replay');
    }
    if (seen === undefined && this.entries.size >= this.maxEntries) this.sweep(now);
    if (seen === undefined && this.entries.size >= this.maxEntries) {
      return Promise.reject(new ReplayStoreFullError('MemoryReplayStore is full.'));
    }
    this.entries.set(key, { binding: use.binding, expiresAt: use.expiresAt });
    return Promise.resolve('first');
  }

  private sweep(now: number): void {
    for (const [key, entry] of this.entries) if (entry.expiresAt <= now) this.entries.delete(key);
  }
}
