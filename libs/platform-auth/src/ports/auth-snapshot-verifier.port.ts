import type { AuthContext } from '../context/auth-context.interface.js';
import type { AuthorizationDecision } from '../decisions/authorization-decision.js';

/**
 * Port: verifies a snapshot made by an {@link AuthSnapshotSigner} and returns the context it
 * carries, or a `CHALLENGE`/`ERROR` decision.
 * Capability: `AuthCapability.SnapshotVerify`.
 */
export abstract class AuthSnapshotVerifier {
  abstract verify(snapshot: string): Promise<AuthContext | AuthorizationDecision>;
}
