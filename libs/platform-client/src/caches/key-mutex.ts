import { abortable } from '../shared/abortable.js';

/**
 * In-process mutual exclusion per key: callers of {@link KeyMutex.run} with the same key run one
 * after another, in arrival order. Keys with nobody waiting are forgotten.
 */
export class KeyMutex {
  private readonly tails = new Map<string, Promise<unknown>>();

  async run<T>(key: string, fn: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    signal?.throwIfAborted();
    const previous = this.tails.get(key) ?? Promise.resolve();
    let release!: () => void;
    const mine = new Promise<void>((resolve) => (release = resolve));
    const tail = previous.then(() => mine);
    this.tails.set(key, tail);
    try {
      await abortable(previous, signal);
      return await fn();
    } finally {
      release();
      if (this.tails.get(key) === tail) this.tails.delete(key);
    }
  }
}
