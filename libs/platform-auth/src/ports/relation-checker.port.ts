import type { AuthContext } from '../context/auth-context.interface.js';
import type { AuthorizationDecision } from '../decisions/authorization-decision.js';
import type { ResourceRef } from './resource-ref.interface.js';

/**
 * Port: decides whether the caller has a relation to an object (Zanzibar-style, e.g. OpenFGA,
 * SpiceDB): "is the caller a `viewer` of `document:42`?".
 * Capability: `AuthCapability.RelationCheck`. Used by `@RequireRelation`.
 */
export abstract class RelationChecker {
  abstract checkRelation(
    context: AuthContext,
    relation: string,
    object: ResourceRef,
  ): Promise<AuthorizationDecision>;
}
