import type { AuthContext } from '../context/auth-context.interface.js';
import type { AuthorizationDecision } from '../decisions/authorization-decision.js';
import type { ResourceRef } from './resource-ref.interface.js';

/**
 * Port: decides whether the caller holds a permission, optionally on a specific resource.
 * Capability: `AuthCapability.PermissionCheck`. Used by `@RequirePermission`.
 */
export abstract class PermissionChecker {
  abstract checkPermission(
    context: AuthContext,
    permission: string,
    resource: ResourceRef | undefined,
  ): Promise<AuthorizationDecision>;
}
