import type { AuthContext } from '../context/auth-context.interface.js';

/** Options for one snapshot. */
export interface SnapshotSignOptions {
  /** Correlation id carried in the snapshot, e.g. the inbound request id. */
  readonly correlationId?: string;
}

/**
 * Port: signs a short-lived snapshot of a verified {@link AuthContext}, to propagate the caller's
 * identity to other services instead of the raw bearer token.
 * Capability: `AuthCapability.SnapshotSign`.
 */
export abstract class AuthSnapshotSigner {
  abstract sign(context: AuthContext, options?: SnapshotSignOptions): Promise<string>;
}
