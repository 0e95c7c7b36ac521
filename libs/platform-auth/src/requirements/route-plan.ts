import { AuthCapability } from '../capabilities/auth-capability.enum.js';
import type { AuthMetadataConflict } from '../errors/conflicting-auth-metadata.error.js';
import type { AuthRequirement } from './auth-requirement.js';
import {
  PROTECTED_METADATA,
  PUBLIC_METADATA,
  REQUIREMENTS_METADATA,
} from './auth-metadata.constants.js';
import { capabilitiesOf, describeRequirement, normalizeRequirements } from './requirement-utils.js';

/** Whether a route needs an authenticated caller. */
export type RouteAccess = 'public' | 'protected';

/** What routes without `@Public()`/`@Protected()`/requirements default to. */
export type DefaultAccess = RouteAccess;

/** A route's effective requirements, computed once at boot. */
export interface RoutePlan {
  /** `Controller#method`. */
  readonly route: string;
  readonly access: RouteAccess;
  /** Normalised requirements, evaluated in this order with AND. */
  readonly requirements: readonly AuthRequirement[];
  /** Capabilities the route needs (`Authentication` first when protected). */
  readonly capabilities: readonly AuthCapability[];
  /**
   * An HTTP route that takes an auth-context snapshot instead of a bearer token (set at boot by
   * `AuthRouteRegistry`: `@AcceptSnapshot()` or `snapshots.acceptOnHttp`).
   */
  readonly acceptsSnapshot?: boolean;
  /**
   * The route takes DPoP-bound tokens only (`@RequireDpop()` or `dpop.required`; set at boot):
   * its challenges offer the `DPoP` scheme alone.
   */
  readonly dpopRequired?: boolean;
}

/** The auth metadata declared on one class or one method. */
interface DeclaredMetadata {
  readonly isPublic: boolean;
  readonly isProtected: boolean;
  readonly requirements: readonly AuthRequirement[];
}

/**
 * Computes a handler's effective plan from class-level and method-level metadata: requirements
 * add up (AND, class first, duplicates removed); `@Public()` with `@Protected()` or any
 * requirement on the same route is a conflict.
 */
export function resolveRoutePlan(
  route: string,
  controller: Function,
  handler: Function,
  defaultAccess: DefaultAccess,
):
  { plan: RoutePlan; conflict?: undefined } | { plan?: undefined; conflict: AuthMetadataConflict } {
  const declared = [readClassMetadata(controller), readOwnMetadata(handler)];
  const isPublic = declared.some((m) => m.isPublic);
  const isProtected = declared.some((m) => m.isProtected);
  const requirements = normalizeRequirements(declared.flatMap((m) => m.requirements));

  if (isPublic && (isProtected || requirements.length > 0)) {
    const others = [
      ...(isProtected ? ['@Protected()'] : []),
      ...requirements.map(describeRequirement),
    ];
    return { conflict: { route, detail: `@Public() with ${others.join(', ')}` } };
  }

  const access: RouteAccess = isPublic
    ? 'public'
    : isProtected || requirements.length > 0
      ? 'protected'
      : defaultAccess;
  const capabilities =
    access === 'public'
      ? []
      : [AuthCapability.Authentication, ...new Set(requirements.flatMap(capabilitiesOf))];
  return {
    plan: Object.freeze({
      route,
      access,
      requirements: Object.freeze(requirements),
      capabilities: Object.freeze(capabilities),
    }),
  };
}

function readOwnMetadata(target: object): DeclaredMetadata {
  return {
    isPublic: Reflect.getOwnMetadata(PUBLIC_METADATA, target) === true,
    isProtected: Reflect.getOwnMetadata(PROTECTED_METADATA, target) === true,
    requirements: Reflect.getOwnMetadata(REQUIREMENTS_METADATA, target) ?? [],
  };
}

/** Class metadata including base classes: a subclass keeps what its parents require. */
function readClassMetadata(controller: Function): DeclaredMetadata {
  const chain: DeclaredMetadata[] = [];
  for (let cls = controller; cls && cls !== Function.prototype; cls = Object.getPrototypeOf(cls)) {
    chain.unshift(readOwnMetadata(cls));
  }
  return {
    isPublic: chain.some((m) => m.isPublic),
    isProtected: chain.some((m) => m.isProtected),
    requirements: chain.flatMap((m) => m.requirements),
  };
}
