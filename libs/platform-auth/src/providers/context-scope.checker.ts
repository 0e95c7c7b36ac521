import { Injectable } from '@nestjs/common';
import { AuthCapability } from '../capabilities/auth-capability.enum.js';
import { AuthProvider } from '../decorators/auth-provider.decorator.js';
import type { AuthContext } from '../context/auth-context.interface.js';
import { AuthorizationDecision } from '../decisions/authorization-decision.js';
import type { MatchMode } from '../ports/match-mode.js';
import type { ScopeChecker } from '../ports/scope-checker.port.js';
import { holdsAll, holdsAny } from './holds.js';

/**
 * `ScopeChecker` over `AuthContext.scopes`, for any authentication provider that fills them:
 * exact, case-sensitive string match, no prefixes or wildcards.
 *
 * @example `providers: [ContextScopeChecker]`
 */
@Injectable()
@AuthProvider(AuthCapability.ScopeCheck)
export class ContextScopeChecker implements ScopeChecker {
  async checkScopes(
    context: AuthContext,
    scopes: readonly string[],
    match: MatchMode,
  ): Promise<AuthorizationDecision> {
    const held =
      match === 'all' ? holdsAll(context.scopes, scopes) : holdsAny(context.scopes, scopes);
    return held
      ? AuthorizationDecision.allow()
      : AuthorizationDecision.deny('INSUFFICIENT_SCOPE', scopes);
  }
}
