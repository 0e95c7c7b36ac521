import { Injectable } from '@nestjs/common';
import {
  AuthCapability,
  AuthProvider,
  AuthorizationDecision,
  type AuthContext,
  type MatchMode,
  type RoleChecker,
  type ScopeChecker,
} from '@platform/auth';

function holds(granted: readonly string[], required: readonly string[], match: MatchMode): boolean {
  return match === 'all'
    ? required.every((v) => granted.includes(v))
    : required.some((v) => granted.includes(v));
}

/** Checks scopes against `AuthContext.scopes` (exact match). */
@Injectable()
@AuthProvider(AuthCapability.ScopeCheck)
export class ContextScopeChecker implements ScopeChecker {
  async checkScopes(context: AuthContext, scopes: readonly string[], match: MatchMode) {
    return holds(context.scopes, scopes, match)
      ? AuthorizationDecision.allow()
      : AuthorizationDecision.deny('INSUFFICIENT_SCOPE', scopes);
  }
}

/** Checks roles against `AuthContext.roles` (exact match). */
@Injectable()
@AuthProvider(AuthCapability.RoleCheck)
export class ContextRoleChecker implements RoleChecker {
  async checkRoles(context: AuthContext, roles: readonly string[], match: MatchMode) {
    return holds(context.roles, roles, match)
      ? AuthorizationDecision.allow()
      : AuthorizationDecision.deny('INSUFFICIENT_ROLE');
  }
}
