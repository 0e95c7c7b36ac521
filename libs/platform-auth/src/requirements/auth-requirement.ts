import type { MatchMode } from '../ports/match-mode.js';
import type { RefValue } from './dynamic-ref.js';

/** A resource or object reference whose id may be taken from the invocation. */
export interface ResourceRefSpec {
  readonly type: string;
  readonly id: RefValue;
}

/** Requires scopes (`all`: every one; `any`: at least one). */
export interface ScopeRequirement {
  readonly kind: 'scope';
  readonly values: readonly string[];
  readonly match: MatchMode;
}

/** Requires roles (`all`: every one; `any`: at least one). */
export interface RoleRequirement {
  readonly kind: 'role';
  readonly values: readonly string[];
  readonly match: MatchMode;
}

/** Requires a permission, optionally on a resource. */
export interface PermissionRequirement {
  readonly kind: 'permission';
  readonly permission: string;
  readonly resource?: ResourceRefSpec;
}

/** Requires a named policy to allow. */
export interface PolicyRequirement {
  readonly kind: 'policy';
  readonly policy: string;
}

/** Requires a relation between the caller and an object. */
export interface RelationRequirement {
  readonly kind: 'relation';
  readonly relation: string;
  readonly object: ResourceRefSpec;
}

/** Requires the caller's tenant to equal a value (usually taken from the invocation). */
export interface TenantRequirement {
  readonly kind: 'tenant';
  readonly tenant: RefValue;
}

/** A requirement of one kind: what `@RequireAny` composes. */
export type SingleRequirement =
  | ScopeRequirement
  | RoleRequirement
  | PermissionRequirement
  | PolicyRequirement
  | RelationRequirement
  | TenantRequirement;

/** Requires at least one of its alternatives (`@RequireAny(scope('a'), role('b'))`). */
export interface AnyOfRequirement {
  readonly kind: 'any';
  readonly alternatives: readonly SingleRequirement[];
}

/**
 * Requires a DPoP-bound access token presented with a valid proof (`@RequireDpop()`, or every
 * protected HTTP route with the module option `dpop.required`).
 */
export interface DpopRequirement {
  readonly kind: 'dpop';
}

/**
 * Requires an authentication event of one of these classes (`acr`) and/or no older than
 * `maxAgeS` (`auth_time`): RFC 9470 step-up (`@RequireAuthentication()`).
 */
export interface AuthenticationRequirement {
  readonly kind: 'authentication';
  readonly acr?: readonly string[];
  readonly maxAgeS?: number;
}

/** One requirement a decorator puts on a route. Requirements on a route combine with AND. */
export type AuthRequirement =
  SingleRequirement | AnyOfRequirement | DpopRequirement | AuthenticationRequirement;
