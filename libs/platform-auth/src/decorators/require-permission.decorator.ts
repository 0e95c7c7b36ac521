import type { ResourceRefSpec } from '../requirements/auth-requirement.js';
import { appendRequirements } from './append-requirements.js';
import { assertName, assertResource } from './validate-arguments.js';

/**
 * Requires a permission, optionally on a resource whose id may come from the invocation.
 * Needs a `PermissionChecker` provider.
 *
 * @example `@RequirePermission('documents:delete', { type: 'document', id: fromParam('id') })`
 * @throws TypeError for a blank permission or a malformed resource.
 */
export function RequirePermission(
  permission: string,
  resource?: ResourceRefSpec,
): ClassDecorator & MethodDecorator {
  assertName('@RequirePermission()', permission, 'permission');
  if (resource !== undefined) assertResource('@RequirePermission()', resource, 'resource');
  return appendRequirements({
    kind: 'permission',
    permission,
    ...(resource !== undefined && {
      resource: Object.freeze({ type: resource.type, id: resource.id }),
    }),
  });
}
