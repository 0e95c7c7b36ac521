import { appendRequirements } from './append-requirements.js';
import { assertNames } from './validate-arguments.js';

/**
 * Requires **every** listed role (exact match). Needs a `RoleChecker` provider.
 * @example `@RequireRole('admin')`
 * @throws TypeError for an empty list or a blank role.
 */
export function RequireRole(...roles: string[]): ClassDecorator & MethodDecorator {
  assertNames('@RequireRole()', roles);
  return appendRequirements({ kind: 'role', values: Object.freeze([...roles]), match: 'all' });
}

/**
 * Requires **at least one** of the listed roles.
 * @example `@RequireAnyRole('admin', 'owner')`
 * @throws TypeError for an empty list or a blank role.
 */
export function RequireAnyRole(...roles: string[]): ClassDecorator & MethodDecorator {
  assertNames('@RequireAnyRole()', roles);
  return appendRequirements({ kind: 'role', values: Object.freeze([...roles]), match: 'any' });
}
