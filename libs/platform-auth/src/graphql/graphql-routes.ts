import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { DiscoveryService, MetadataScanner, ModuleRef } from '@nestjs/core';
import { UnguardedFieldResolversError } from '../errors/unguarded-field-resolvers.error.js';
import { PLATFORM_AUTH_OPTIONS } from '../platform-auth.tokens.js';
import type { ResolvedPlatformAuthOptions } from '../platform-auth.options.js';
import type { AuthRequirement, SingleRequirement } from '../requirements/auth-requirement.js';
import { isDynamicRef } from '../requirements/dynamic-ref.js';
import type { RoutePlan } from '../requirements/route-plan.js';
import { scanRoutes } from '../routes/route-scanner.js';

// @nestjs/graphql's DI token of GraphQLModule's options (GRAPHQL_MODULE_OPTIONS).
const GRAPHQL_MODULE_OPTIONS = 'GqlModuleOptions';

/**
 * The app's resolvers by schema coordinate (`Query.books`), found at boot, and the check that
 * Nest will run the guard on every protected field resolver: without
 * `fieldResolverEnhancers: ['guards']` a `@ResolveField` runs bound straight to its instance,
 * past every guard, so boot fails with {@link UnguardedFieldResolversError} (fail closed).
 */
@Injectable()
export class GraphqlRoutes implements OnApplicationBootstrap {
  private readonly byCoordinate = new Map<string, RoutePlan[]>();

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    private readonly moduleRef: ModuleRef,
    @Inject(PLATFORM_AUTH_OPTIONS) private readonly options: ResolvedPlatformAuthOptions,
  ) {}

  onApplicationBootstrap(): void {
    // Conflicting metadata is reported by AuthRouteRegistry; only resolvers matter here.
    const { routes } = scanRoutes(
      [],
      this.discovery.getProviders(),
      this.scanner,
      this.options.defaultAccess,
    );
    const unguarded: string[] = [];
    const guardsOn = fieldGuardsEnabled(this.gqlOptions());
    for (const route of routes) {
      if (route.graphql === undefined) continue;
      const plans = this.byCoordinate.get(route.endpoint) ?? [];
      plans.push(route.plan);
      this.byCoordinate.set(route.endpoint, plans);
      if (route.graphql.fieldResolver && route.plan.access === 'protected' && !guardsOn) {
        unguarded.push(`${route.endpoint} (${route.plan.route})`);
      }
    }
    if (unguarded.length > 0) throw new UnguardedFieldResolversError(unguarded);
  }

  /** The plans of the resolvers of a coordinate (several when resolver classes inherit one). */
  plansAt(coordinate: string): readonly RoutePlan[] | undefined {
    return this.byCoordinate.get(coordinate);
  }

  private gqlOptions(): unknown {
    try {
      return this.moduleRef.get(GRAPHQL_MODULE_OPTIONS, { strict: false });
    } catch {
      return undefined; // no GraphQLModule: nothing will run the resolvers
    }
  }
}

function fieldGuardsEnabled(options: unknown): boolean {
  if (typeof options !== 'object' || options === null) return true;
  const enhancers: unknown = (options as { fieldResolverEnhancers?: unknown })
    .fieldResolverEnhancers;
  return Array.isArray(enhancers) && enhancers.includes('guards');
}

/**
 * Whether a plan can be decided before execution: no requirement reads the invocation (no
 * dynamic reference, no policy). Others are decided per field, with the field's arguments.
 */
export function isStaticPlan(plan: RoutePlan): boolean {
  return plan.requirements.every(isStatic);
}

function isStatic(requirement: AuthRequirement): boolean {
  if (requirement.kind === 'any') return requirement.alternatives.every(isStaticSingle);
  // Sender constraint and step-up read the caller, never the field's arguments.
  if (requirement.kind === 'dpop' || requirement.kind === 'authentication') return true;
  return isStaticSingle(requirement);
}

function isStaticSingle(requirement: SingleRequirement): boolean {
  switch (requirement.kind) {
    case 'scope':
    case 'role':
      return true;
    case 'policy':
      return false;
    case 'tenant':
      return !isDynamicRef(requirement.tenant);
    case 'permission':
      return requirement.resource === undefined || !isDynamicRef(requirement.resource.id);
    case 'relation':
      return !isDynamicRef(requirement.object.id);
  }
}
