import type { AuthContext } from './auth-context.interface.js';

/**
 * Contexts that came out of an authentication: the one an `AuthenticationProvider` returned
 * for an invocation (marked by `RouteAuthorizer`) and the ones the snapshot verifier built.
 * Internal to `@nest-platform/auth`: a snapshot is only ever minted from one of these, so code that
 * can call `createAuthContext()` cannot sign an identity nobody authenticated.
 */
const authenticated = new WeakSet<AuthContext>();

/** Records that `context` was produced by a successful authentication. */
export function markAuthenticated(context: AuthContext): void {
  authenticated.add(context);
}

/** Whether `context` was produced by a successful authentication. */
export function isAuthenticatedContext(context: unknown): boolean {
  return (
    typeof context === 'object' && context !== null && authenticated.has(context as AuthContext)
  );
}
