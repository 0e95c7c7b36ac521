import type { AuthContext } from '../context/auth-context.interface.js';
import type { AuthInvocation } from '../context/auth-invocation.interface.js';
import type { AuthorizationDecision } from '../decisions/authorization-decision.js';

/**
 * Port: evaluates a named policy (OPA, Cedar, custom code) for the caller and the invocation.
 * Capability: `AuthCapability.PolicyEvaluation`. Used by `@RequirePolicy`.
 * Report an unreachable engine as `AuthorizationDecision.error('DEPENDENCY_UNAVAILABLE')`.
 */
export abstract class PolicyEvaluator {
  abstract evaluate(
    policy: string,
    context: AuthContext,
    invocation: AuthInvocation,
  ): Promise<AuthorizationDecision>;
}
