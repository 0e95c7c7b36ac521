import { PlatformAuthError } from './platform-auth.error.js';

/**
 * A replay store is full of live entries and cannot record another use: the snapshot verifier
 * turns it into an `ERROR` decision (503), failing closed rather than accepting a use it could
 * not record.
 */
export class ReplayStoreFullError extends PlatformAuthError<'REPLAY_STORE_FULL'> {
  override readonly name = 'ReplayStoreFullError';

  /** @param store the store's name, e.g. `MemoryReplayStore` */
  constructor(store: string) {
    super('REPLAY_STORE_FULL', `${store} is full of unexpired entries.`);
  }
}
