import type { AuthContext } from '../context/auth-context.interface.js';
import type { AuthorizationDecision } from '../decisions/authorization-decision.js';

/** Options of one verification. */
export interface SnapshotVerifyOptions {
  /**
   * What the snapshot is presented for, computed by the receiver from what arrived (the same
   * functions the sender used: `httpSnapshotBinding()`, `messageSnapshotBinding()`,
   * `wsSnapshotBinding()`). With this option, only a snapshot signed for exactly this binding
   * (`bnd`) is accepted: an unbound one, or one bound to anything else, is `SNAPSHOT_INVALID`
   * (and not used up). Without it, a bound snapshot is `SNAPSHOT_INVALID` and an unbound one
   * is accepted once.
   */
  readonly binding?: string;
  /**
   * The use may not be repeated: a second sighting of the same snapshot is a replay even with
   * the same binding (HTTP methods other than GET/HEAD/OPTIONS, WebSocket handshakes). Otherwise a bound snapshot seen
   * again for its own binding is a redelivery (accepted). Unbound snapshots are always
   * single-use.
   * @default false
   */
  readonly singleUse?: boolean;
}

/**
 * Port: verifies a snapshot made by an {@link AuthSnapshotSigner} and returns the context it
 * carries, or a `CHALLENGE`/`ERROR` decision. Never throws for a bad snapshot.
 * Capability: `AuthCapability.SnapshotVerify`.
 */
export abstract class AuthSnapshotVerifier {
  abstract verify(
    snapshot: string,
    options?: SnapshotVerifyOptions,
  ): Promise<AuthContext | AuthorizationDecision>;
}
