/** One use of a snapshot, as the verifier reports it to a {@link ReplayStore}. */
export interface SnapshotUse {
  /** `iss` of the snapshot (the minting service). */
  readonly issuer: string;
  /** `jti` of the snapshot. */
  readonly id: string;
  /**
   * The snapshot's signed binding digest (`bnd`, 43 characters), empty for an unbound
   * snapshot. The verifier decides what a second sighting means (a redelivery is accepted only
   * for a bound snapshot whose use may repeat); stores only compare.
   */
  readonly binding: string;
  /** When the entry may be forgotten (epoch ms): the snapshot's expiry plus the clock tolerance. */
  readonly expiresAt: number;
}

/**
 * - `first`: never seen;
 * - `redelivery`: seen before with the same binding (a broker redelivery, a client retry of the
 *   same idempotent request): accepted only for a bound snapshot and a use that may repeat;
 * - `replay`: seen before with another binding: refused.
 */
export type SnapshotUseVerdict = 'first' | 'redelivery' | 'replay';

/**
 * Port: remembers which snapshots were used, keyed by issuer + id, with the binding of their
 * first use, until `expiresAt`. Implementations must be atomic per key (two concurrent first
 * uses with different bindings: one of them is a replay), and shared by every replica that
 * verifies the same snapshots for single use to hold across them.
 *
 * Failure and time rule (fail closed): a store that cannot answer throws, and one that does
 * not answer within the verifier's `replay.timeoutMs` (default 1000 ms) counts as failed; either
 * way the verifier refuses the snapshot with `ERROR(DEPENDENCY_UNAVAILABLE)` (503), never
 * accepts it and never holds the request longer. Stores should bound their own waits below
 * that (`RedisReplayStore`: `commandTimeoutMs`, default 500 ms). A use refused this way may
 * still be recorded once the store catches up: that snapshot then counts as used (a retry
 * needs a fresh one), the safe side.
 */
export abstract class ReplayStore {
  abstract record(use: SnapshotUse): Promise<SnapshotUseVerdict>;
}
