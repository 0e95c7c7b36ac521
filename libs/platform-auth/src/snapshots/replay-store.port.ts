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
 * first use. Implementations must be atomic per key (two concurrent first uses with different
 * bindings: one of them is a replay). A store that cannot answer throws; the verifier then
 * refuses the snapshot with `ERROR(DEPENDENCY_UNAVAILABLE)` (never accepts it).
 */
export abstract class ReplayStore {
  abstract record(use: SnapshotUse): Promise<SnapshotUseVerdict>;
}
