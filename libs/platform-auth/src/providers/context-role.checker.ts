import { Injectable } from '@nestjs/common';
import { AuthCapability } from '../capabilities/auth-capability.enum.js';
import { AuthProvider } from '../decorators/auth-provider.decorator.js';
import type { AuthContext } from '../context/auth-context.interface.js';
import { AuthorizationDecision } from '../decisions/authorization-decision.js';
import type { MatchMode } from '../ports/match-mode.js';
import type { RoleChecker } from '../ports/role-checker.port.js';
import { holdsAll, holdsAny } from './holds.js';

/**
 * `RoleChecker` over `AuthContext.roles`, for any authentication provider that fills them:
 * exact, case-sensitive string match.
 *
 * @example `providers: [ContextRoleChecker]`
 */
@Injectable()
@AuthProvider(AuthCapability.RoleCheck)
export class ContextRoleChecker implements RoleChecker {
  async checkRoles(
    context: AuthContext,
    roles: readonly string[],
    match: MatchMode,
  ): Promise<AuthorizationDecision> {
    const held = match === 'all' ? holdsAll(context.roles, roles) : holdsAny(context.roles, roles);
    return held ? AuthorizationDecision.allow() : AuthorizationDecision.deny('INSUFFICIENT_ROLE');
  }
}
