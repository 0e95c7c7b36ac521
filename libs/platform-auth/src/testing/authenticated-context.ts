import type { AuthContext, AuthContextInit } from '../context/auth-context.interface.js';
import { markAuthenticated } from '../context/authenticated-contexts.js';
import { createAuthContext } from '../context/create-auth-context.js';

/**
 * **Tests only.** A context the snapshot signer accepts as authenticated, without a request:
 * in an application only an `AuthenticationProvider` (through the guard) or the snapshot
 * verifier produces one, and the signer refuses contexts merely built with
 * `createAuthContext()` (`SnapshotMintError`, `CONTEXT_UNVERIFIED`). Never import
 * `@nest-platform/auth/testing` from production code: this function would let it mint any identity.
 *
 * @example
 * ```ts
 * const snapshot = await signer.sign(authenticatedContext({
 *   subject: 'alice', issuer: 'https://issuer.test', principalType: 'user',
 * }));
 * ```
 * @throws TypeError as `createAuthContext()` does for a malformed init
 */
export function authenticatedContext(init: AuthContextInit): AuthContext {
  const context = createAuthContext(init);
  markAuthenticated(context);
  return context;
}
