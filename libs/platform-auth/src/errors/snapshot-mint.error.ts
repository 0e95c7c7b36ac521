import { PlatformAuthError } from './platform-auth.error.js';

/**
 * Why a snapshot was not minted:
 * - `CONTEXT_UNVERIFIED`: no authentication produced the context (an `AuthenticationProvider`
 *   through the guard, or the snapshot verifier); built by hand with `createAuthContext()` is
 *   not enough (tests: `authenticatedContext()` from `@nest-platform/auth/testing`);
 * - `CONTEXT_EXPIRED`: the context's credentials have expired;
 * - `ESCALATION`: the requested scopes or roles are not a subset of the context's;
 * - `INVALID_ARGUMENT`: a malformed correlation id or binding, or a delegation chain too deep;
 * - `SIGNING_FAILED`: the key refused to sign (see `cause`).
 */
export type SnapshotMintRefusal =
  'CONTEXT_UNVERIFIED' | 'CONTEXT_EXPIRED' | 'ESCALATION' | 'INVALID_ARGUMENT' | 'SIGNING_FAILED';

/** Thrown by `AuthSnapshotSigner.sign()` when it refuses to mint. Never carries claim values. */
export class SnapshotMintError extends PlatformAuthError<'SNAPSHOT_MINT_REFUSED'> {
  override readonly name = 'SnapshotMintError';

  constructor(
    readonly refusal: SnapshotMintRefusal,
    options?: { cause?: unknown },
  ) {
    super('SNAPSHOT_MINT_REFUSED', `Auth snapshot not minted: ${refusal}.`, options);
  }
}
