import { AuthCapability } from '../capabilities/auth-capability.enum.js';
import type { AuthRequirement, ResourceRefSpec, SingleRequirement } from './auth-requirement.js';
import { describeRef } from './dynamic-ref.js';

/** The capabilities a requirement needs (none for a tenant check: the authorizer does it). */
export function capabilitiesOf(requirement: AuthRequirement): AuthCapability[] {
  if (requirement.kind === 'any') return requirement.alternatives.flatMap(capabilitiesOf);
  // Checked by the authenticator (DPoP proof) and the authorizer (step-up): no port.
  if (requirement.kind === 'dpop' || requirement.kind === 'authentication') return [];
  const capability = capabilityOf(requirement);
  return capability === undefined ? [] : [capability];
}

function capabilityOf(requirement: SingleRequirement): AuthCapability | undefined {
  switch (requirement.kind) {
    case 'scope':
      return AuthCapability.ScopeCheck;
    case 'role':
      return AuthCapability.RoleCheck;
    case 'permission':
      return AuthCapability.PermissionCheck;
    case 'policy':
      return AuthCapability.PolicyEvaluation;
    case 'relation':
      return AuthCapability.RelationCheck;
    case 'tenant':
      return undefined;
  }
}

const quote = (values: readonly string[]) => values.map((v) => `'${v}'`).join(', ');

/** A decorator-like description, e.g. `@RequireAnyRole('admin', 'owner')`. */
export function describeRequirement(requirement: AuthRequirement): string {
  if (requirement.kind === 'any') {
    return `@RequireAny(${requirement.alternatives.map(describeAlternative).join(', ')})`;
  }
  if (requirement.kind === 'dpop') return '@RequireDpop()';
  if (requirement.kind === 'authentication') {
    const parts = [
      ...(requirement.acr ? [`acr: [${quote(requirement.acr)}]`] : []),
      ...(requirement.maxAgeS !== undefined ? [`maxAgeS: ${requirement.maxAgeS}`] : []),
    ];
    return `@RequireAuthentication({ ${parts.join(', ')} })`;
  }
  switch (requirement.kind) {
    case 'scope':
      return `@Require${requirement.match === 'any' ? 'Any' : ''}Scope(${quote(requirement.values)})`;
    case 'role':
      return `@Require${requirement.match === 'any' ? 'Any' : ''}Role(${quote(requirement.values)})`;
    case 'permission':
      return requirement.resource
        ? `@RequirePermission('${requirement.permission}', ${describeResource(requirement.resource)})`
        : `@RequirePermission('${requirement.permission}')`;
    case 'policy':
      return `@RequirePolicy('${requirement.policy}')`;
    case 'relation':
      return `@RequireRelation('${requirement.relation}', ${describeResource(requirement.object)})`;
    case 'tenant':
      return `@RequireTenant(${describeRef(requirement.tenant)})`;
  }
}

/** An alternative of `@RequireAny`, as its builder is written (`scope('a')`, `role('b')`). */
function describeAlternative(requirement: SingleRequirement): string {
  switch (requirement.kind) {
    case 'scope':
    case 'role':
      return `${requirement.kind}(${quote(requirement.values)})`;
    case 'permission':
      return requirement.resource
        ? `permission('${requirement.permission}', ${describeResource(requirement.resource)})`
        : `permission('${requirement.permission}')`;
    case 'policy':
      return `policy('${requirement.policy}')`;
    case 'relation':
      return `relation('${requirement.relation}', ${describeResource(requirement.object)})`;
    case 'tenant':
      return `tenant(${describeRef(requirement.tenant)})`;
  }
}

function describeResource(resource: ResourceRefSpec): string {
  return `{ type: '${resource.type}', id: ${describeRef(resource.id)} }`;
}

/**
 * Normalises a route's requirements: every `all` list is split into single values (so
 * `@RequireScope('a', 'b')` on the class and `@RequireScope('a')` on the method collapse),
 * `any` lists are sorted and deduplicated (a one-value `any` is an `all`), and exact
 * duplicates are removed. Order: scopes, roles, tenant, permissions, relations, policies
 * (cheap local checks before remote ones).
 */
export function normalizeRequirements(requirements: readonly AuthRequirement[]): AuthRequirement[] {
  const unique = new Map<string, AuthRequirement>();
  for (const requirement of requirements.flatMap(splitAll)) {
    const key = JSON.stringify(requirement);
    if (!unique.has(key)) unique.set(key, requirement);
  }
  return [...unique.values()].sort((a, b) => KIND_ORDER[a.kind] - KIND_ORDER[b.kind]);
}

const KIND_ORDER: Record<AuthRequirement['kind'], number> = {
  scope: 0,
  role: 1,
  tenant: 2,
  permission: 3,
  relation: 4,
  policy: 5,
  any: 6,
  // Checked first: a token that cannot step up is told so before any remote check.
  dpop: -2,
  authentication: -1,
};

function splitAll(requirement: AuthRequirement): AuthRequirement[] {
  if (requirement.kind !== 'scope' && requirement.kind !== 'role') return [requirement];
  const values = [...new Set(requirement.values)];
  if (requirement.match === 'all' || values.length === 1) {
    return values.map((value) => ({ kind: requirement.kind, values: [value], match: 'all' }));
  }
  return [{ kind: requirement.kind, values: values.sort(), match: 'any' }];
}
