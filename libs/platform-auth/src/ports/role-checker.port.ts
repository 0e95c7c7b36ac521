import type { AuthContext } from '../context/auth-context.interface.js';
import type { AuthorizationDecision } from '../decisions/authorization-decision.js';
import type { MatchMode } from './match-mode.js';

/**
 * Port: decides whether the caller holds the required roles.
 * Capability: `AuthCapability.RoleCheck`. Used by `@RequireRole` and `@RequireAnyRole`.
 */
export abstract class RoleChecker {
  abstract checkRoles(
    context: AuthContext,
    roles: readonly string[],
    match: MatchMode,
  ): Promise<AuthorizationDecision>;
}
