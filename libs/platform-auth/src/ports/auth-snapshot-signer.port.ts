import type { AuthContext } from '../context/auth-context.interface.js';

/** Options for one snapshot. */
export interface SnapshotSignOptions {
  /**
   * Correlation id carried in the snapshot, e.g. the inbound request id. Defaults to the one of
   * the snapshot the context was built from, so it follows the call chain.
   */
  readonly correlationId?: string;
  /** Narrow the scopes carried (a subset of the context's; never more). @default all of them */
  readonly scopes?: readonly string[];
  /** Narrow the roles carried (a subset of the context's; never more). @default all of them */
  readonly roles?: readonly string[];
  /**
   * What the snapshot is minted for (`httpSnapshotBinding()`, `messageSnapshotBinding()`,
   * `wsSnapshotBinding()`): its SHA-256 is signed into the `bnd` claim, and a verifier accepts
   * the snapshot only for that same request, message or handshake. Without it the snapshot is
   * unbound and single-use.
   */
  readonly binding?: string;
}

/**
 * Port: signs a short-lived snapshot of a verified {@link AuthContext}, to propagate the caller's
 * identity to other services instead of the raw bearer token. Implementations refuse (throw)
 * to mint from a context that no authentication produced (`CONTEXT_UNVERIFIED`), an expired one, or with more scopes or roles than it holds.
 * Capability: `AuthCapability.SnapshotSign`.
 */
export abstract class AuthSnapshotSigner {
  abstract sign(context: AuthContext, options?: SnapshotSignOptions): Promise<string>;
}
