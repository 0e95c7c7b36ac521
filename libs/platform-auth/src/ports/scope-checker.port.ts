import type { AuthContext } from '../context/auth-context.interface.js';
import type { AuthorizationDecision } from '../decisions/authorization-decision.js';
import type { MatchMode } from './match-mode.js';

/**
 * Port: decides whether the caller holds the required scopes (exact string match).
 * Capability: `AuthCapability.ScopeCheck`. Used by `@RequireScope` and `@RequireAnyScope`.
 * Deny with `AuthorizationDecision.deny('INSUFFICIENT_SCOPE', scopes)` so the response can name
 * the scopes (RFC 6750 §3 `scope` attribute).
 */
export abstract class ScopeChecker {
  abstract checkScopes(
    context: AuthContext,
    scopes: readonly string[],
    match: MatchMode,
  ): Promise<AuthorizationDecision>;
}
