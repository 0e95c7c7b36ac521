import type { ResourceRefSpec, SingleRequirement } from '../requirements/auth-requirement.js';
import type { RefValue } from '../requirements/dynamic-ref.js';
import { appendRequirements } from './append-requirements.js';
import {
  assertName,
  assertNames,
  assertRefValue,
  assertResource,
  assertScopes,
} from './validate-arguments.js';

/** One alternative of {@link RequireAny}, made by {@link scope}, {@link role} and the rest. */
export interface RequirementAlternative {
  /** @internal What the alternative requires. */
  readonly requirement: SingleRequirement;
}

const made = new WeakSet<RequirementAlternative>();

function alternative(requirement: SingleRequirement): RequirementAlternative {
  const value = Object.freeze({ requirement: Object.freeze(requirement) });
  made.add(value);
  return value;
}

/** Alternative: every listed scope (as `@RequireScope`). */
export function scope(...scopes: string[]): RequirementAlternative {
  assertScopes('scope()', scopes);
  return alternative({ kind: 'scope', values: Object.freeze([...scopes]), match: 'all' });
}

/** Alternative: every listed role (as `@RequireRole`). */
export function role(...roles: string[]): RequirementAlternative {
  assertNames('role()', roles);
  return alternative({ kind: 'role', values: Object.freeze([...roles]), match: 'all' });
}

/** Alternative: a permission, optionally on a resource (as `@RequirePermission`). */
export function permission(name: string, resource?: ResourceRefSpec): RequirementAlternative {
  assertName('permission()', name, 'permission');
  if (resource !== undefined) assertResource('permission()', resource, 'resource');
  return alternative({
    kind: 'permission',
    permission: name,
    ...(resource !== undefined && {
      resource: Object.freeze({ type: resource.type, id: resource.id }),
    }),
  });
}

/** Alternative: a named policy (as `@RequirePolicy`). */
export function policy(name: string): RequirementAlternative {
  assertName('policy()', name, 'policy');
  return alternative({ kind: 'policy', policy: name });
}

/** Alternative: a relation to an object (as `@RequireRelation`). */
export function relation(name: string, object: ResourceRefSpec): RequirementAlternative {
  assertName('relation()', name, 'relation');
  assertResource('relation()', object, 'object');
  return alternative({
    kind: 'relation',
    relation: name,
    object: Object.freeze({ type: object.type, id: object.id }),
  });
}

/** Alternative: the caller's tenant (as `@RequireTenant`). */
export function tenant(value: RefValue): RequirementAlternative {
  assertRefValue('tenant()', value, 'tenant');
  return alternative({ kind: 'tenant', tenant: value });
}

/**
 * Requires **at least one** of the alternatives, across kinds: a scope, a role, a permission, a
 * policy, a relation or a tenant. Needs a provider for every capability its alternatives use,
 * and combines with the route's other requirements with AND. They are checked in order: the
 * first that allows wins. When none allows, a dependency failure of any of them is a 503 (it
 * might have allowed), otherwise the refusal is a 403, naming every scope an alternative
 * required (RFC 6750 §3 `scope`).
 *
 * @example `@RequireAny(scope('documents:admin'), role('admin'))`
 * @throws TypeError for fewer than two alternatives or one not made by the builders.
 */
export function RequireAny(
  ...alternatives: RequirementAlternative[]
): ClassDecorator & MethodDecorator {
  if (alternatives.length < 2) {
    throw new TypeError(
      '@RequireAny(): give at least two alternatives (one alone is that requirement: use its own decorator).',
    );
  }
  for (const value of alternatives) {
    if (!made.has(value)) {
      throw new TypeError(
        '@RequireAny(): every alternative must be made by scope(), role(), permission(), policy(), relation() or tenant().',
      );
    }
  }
  return appendRequirements({
    kind: 'any',
    alternatives: Object.freeze(alternatives.map((value) => value.requirement)),
  });
}
