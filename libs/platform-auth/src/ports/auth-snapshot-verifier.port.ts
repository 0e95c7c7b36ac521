import type { AuthContext } from '../context/auth-context.interface.js';
import type { AuthorizationDecision } from '../decisions/authorization-decision.js';

/** Options of one verification. */
export interface SnapshotVerifyOptions {
  /**
   * What the snapshot is presented for (`METHOD /path?query`, a message pattern and payload
   * digest). With replay protection, the same snapshot is accepted again only for the same
   * binding (a redelivery), never for another one (a replay).
   */
  readonly binding?: string;
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
