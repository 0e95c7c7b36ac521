import type { RefValue } from '../requirements/dynamic-ref.js';
import { appendRequirements } from './append-requirements.js';
import { assertRefValue } from './validate-arguments.js';

/**
 * Requires the caller's `AuthContext.tenant` to equal a value, usually taken from the
 * invocation. Checked by the guard itself (exact, case-sensitive); needs no provider. A caller
 * without a tenant, or a value that does not resolve, is denied.
 *
 * @example `@RequireTenant(fromParam('tenantId'))`
 * @throws TypeError for a blank value.
 */
export function RequireTenant(tenant: RefValue): ClassDecorator & MethodDecorator {
  assertRefValue('@RequireTenant()', tenant, 'tenant');
  return appendRequirements({ kind: 'tenant', tenant });
}
