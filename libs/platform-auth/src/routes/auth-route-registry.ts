import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { DiscoveryService, MetadataScanner } from '@nestjs/core';
import { AuthCapability } from '../capabilities/auth-capability.enum.js';
import { CAPABILITY_METHODS } from '../ports/capability-ports.js';
import {
  scanCapabilityProviders,
  type CapabilityProviderEntry,
} from './capability-provider-scanner.js';
import {
  CapabilityValidationError,
  type CapabilityProblem,
} from '../errors/capability-validation.error.js';
import { ConflictingAuthMetadataError } from '../errors/conflicting-auth-metadata.error.js';
import { loadTransportRefusals } from '../messages/transport-refusals.js';
import { AuthPorts, type ValidatedPorts } from '../pipeline/auth-ports.js';
import { PLATFORM_AUTH_OPTIONS } from '../platform-auth.tokens.js';
import type { ResolvedPlatformAuthOptions } from '../platform-auth.options.js';
import type { RoutePlan } from '../requirements/route-plan.js';
import { describeRequirement } from '../requirements/requirement-utils.js';
import { ACCEPT_SNAPSHOT_METADATA } from '../decorators/accept-snapshot.decorator.js';
import { AuthTransportError } from '../errors/auth-transport.error.js';
import { AuthTransports } from '../transports/auth-transports.js';
import { scanRoutes, type ScannedRoute } from './route-scanner.js';
import {
  type UnsupportedRequirement,
  UnsupportedRequirementError,
} from '../errors/unsupported-requirement.error.js';
import type { AuthRequirement } from '../requirements/auth-requirement.js';

const DPOP_REQUIREMENT: AuthRequirement = Object.freeze({ kind: 'dpop' });

/** One row of the resolved route table. */
export interface AuthRouteDescription {
  /** `Controller#method`. */
  readonly route: string;
  /** `GET /documents/:id`, `rpc`, `ws`, or a GraphQL coordinate (`Query.books`, `Book.secret`). */
  readonly endpoint: string;
  readonly access: RoutePlan['access'];
  /** Decorator-like descriptions of the effective requirements. */
  readonly requirements: readonly string[];
  /** Capability → provider class name, for each capability the route needs. */
  readonly providers: Readonly<Partial<Record<AuthCapability, string>>>;
}

const SNAPSHOTS_NEED = 'snapshots (PlatformAuthModule option snapshots.enabled)';

/**
 * Boot-time heart of platform-auth. After every module is initialised and before the app
 * listens, it scans every controller and gateway handler, computes each route's effective
 * requirements once, and checks that every needed capability has exactly one provider. Boot
 * fails with one error listing every problem. At request time the guard only looks plans up.
 */
@Injectable()
export class AuthRouteRegistry implements OnApplicationBootstrap {
  private readonly logger = new Logger('PlatformAuth');
  private readonly plans = new Map<Function, Map<Function, RoutePlan>>();
  private readonly providers = new Map<AuthCapability, CapabilityProviderEntry>();
  private readonly routeCapabilities = new Map<ScannedRoute, readonly AuthCapability[]>();
  private routes: readonly ScannedRoute[] = [];

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly metadataScanner: MetadataScanner,
    @Inject(PLATFORM_AUTH_OPTIONS) private readonly options: ResolvedPlatformAuthOptions,
    private readonly ports: AuthPorts,
    private readonly transports: AuthTransports,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await loadTransportRefusals();
    const providerWrappers = this.discovery.getProviders();
    const { routes: scanned, conflicts } = scanRoutes(
      this.discovery.getControllers(),
      providerWrappers,
      this.metadataScanner,
      this.options.defaultAccess,
    );
    if (conflicts.length > 0) throw new ConflictingAuthMetadataError(conflicts);
    const routes = this.withDpop(scanned);
    this.assertTransportsServe(routes);

    for (const route of routes) this.routeCapabilities.set(route, this.capabilitiesOf(route));
    const needs = this.neededCapabilities(routes);
    const found = scanCapabilityProviders(providerWrappers);
    const problems: CapabilityProblem[] = [];
    for (const [capability, neededBy] of needs) {
      const entries = found.get(capability) ?? [];
      const [single] = entries;
      if (entries.length === 1 && single.instance !== undefined) {
        const method = CAPABILITY_METHODS[capability];
        if (typeof (single.instance as Record<string, unknown>)[method] !== 'function') {
          problems.push({
            capability,
            neededBy,
            providers: [single.name],
            origins: [single.origin],
            missingMethod: method,
          });
          continue;
        }
        this.providers.set(capability, single);
        continue;
      }
      problems.push({
        capability,
        neededBy,
        providers: entries.map((e) =>
          e.instance ? e.name : `${e.name} (request-scoped or transient: not supported)`,
        ),
        origins: entries.map((e) => e.origin),
      });
    }
    if (problems.length > 0) throw new CapabilityValidationError(problems);
    this.ports.install(validatedPorts(this.providers));

    this.routes = Object.freeze(routes);
    for (const route of routes) {
      const { controller, handler } = route;
      let byHandler = this.plans.get(controller);
      if (!byHandler) this.plans.set(controller, (byHandler = new Map()));
      const acceptsSnapshot =
        route.plan.access === 'protected' && route.endpoint !== 'rpc' && this.takesSnapshot(route);
      const dpopRequired = route.plan.requirements.some((r) => r.kind === 'dpop');
      byHandler.set(
        handler,
        acceptsSnapshot || dpopRequired
          ? Object.freeze({
              ...route.plan,
              ...(acceptsSnapshot && { acceptsSnapshot }),
              ...(dpopRequired && { dpopRequired }),
            })
          : route.plan,
      );
    }
    if (this.options.logRouteTable) this.logger.log(`Resolved auth routes:\n${this.format()}`);
  }

  /**
   * With the module option `dpop.required`, every protected HTTP route requires DPoP. A route
   * requiring DPoP without the `dpop` option, or on a message handler, fails boot.
   */
  private withDpop(routes: readonly ScannedRoute[]): ScannedRoute[] {
    const appWide = this.options.dpop?.required === true;
    const unsupported: UnsupportedRequirement[] = [];
    const result = routes.map((route) => {
      const http = route.endpoint !== 'rpc' && route.endpoint !== 'ws';
      const declared = route.plan.requirements.some((r) => r.kind === 'dpop');
      if (declared && this.options.dpop === undefined) {
        unsupported.push({
          route: route.plan.route,
          detail: '@RequireDpop() needs the PlatformAuthModule option "dpop"',
        });
      } else if (declared && !http) {
        unsupported.push({
          route: route.plan.route,
          detail: `@RequireDpop() on a message handler (${route.endpoint}): messages carry no DPoP proof`,
        });
      }
      if (!appWide || declared || !http || route.plan.access !== 'protected') return route;
      const plan = Object.freeze({
        ...route.plan,
        requirements: Object.freeze([DPOP_REQUIREMENT, ...route.plan.requirements]),
      });
      return { ...route, plan };
    });
    if (unsupported.length > 0) throw new UnsupportedRequirementError(unsupported);
    return result;
  }

  /**
   * Every scope some route requires (alternatives of `@RequireAny` included), sorted: RFC 9728
   * `scopes_supported`.
   */
  requiredScopes(): readonly string[] {
    const scopes = new Set<string>();
    const collect = (requirement: AuthRequirement): void => {
      if (requirement.kind === 'scope') for (const scope of requirement.values) scopes.add(scope);
      if (requirement.kind === 'any') requirement.alternatives.forEach(collect);
    };
    for (const route of this.routes) route.plan.requirements.forEach(collect);
    return [...scopes].sort();
  }

  /** The plan computed at boot for a handler of a controller, or `undefined` if never seen. */
  planFor(controller: Function, handler: Function): RoutePlan | undefined {
    return this.plans.get(controller)?.get(handler);
  }

  /** The resolved per-route table: route, endpoint, requirements and the provider of each capability. */
  describe(): readonly AuthRouteDescription[] {
    return this.routes.map((scanned) => ({
      route: scanned.plan.route,
      endpoint: scanned.endpoint,
      access: scanned.plan.access,
      requirements: scanned.plan.requirements.map(describeRequirement),
      providers: Object.fromEntries(
        (this.routeCapabilities.get(scanned) ?? scanned.plan.capabilities).map((capability) => [
          capability,
          this.providers.get(capability)?.name ?? '?',
        ]),
      ),
    }));
  }

  /** {@link describe} as aligned text, one route per line. */
  format(): string {
    const rows = this.describe().map((row) => [
      row.endpoint,
      row.route,
      row.access === 'public' ? 'public' : ['authenticated', ...row.requirements].join(' AND '),
      Object.entries(row.providers)
        .map(([capability, name]) => `${capability}=${name}`)
        .join(', '),
    ]);
    const header = ['ENDPOINT', 'HANDLER', 'REQUIREMENTS', 'PROVIDERS'];
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
    return [header, ...rows]
      .map((cells) =>
        cells
          .map((cell, i) => cell.padEnd(widths[i]))
          .join('  ')
          .trimEnd(),
      )
      .join('\n');
  }

  /**
   * GraphQL resolvers are served only by the `graphql` transport of
   * `@nest-platform/auth/graphql`: without it every resolver call would be refused, so boot
   * fails instead, naming the module to import.
   */
  private assertTransportsServe(routes: readonly ScannedRoute[]): void {
    const resolvers = routes.filter((route) => route.graphql !== undefined);
    if (resolvers.length === 0 || this.transports.get('graphql') !== undefined) return;
    throw new AuthTransportError(
      'TRANSPORT_MISSING',
      `GraphQL resolvers found (${resolvers
        .slice(0, 3)
        .map((route) => route.endpoint)
        .join(
          ', ',
        )}${resolvers.length > 3 ? ', …' : ''}) but nothing serves "graphql" contexts: import PlatformAuthGraphqlModule from '@nest-platform/auth/graphql' in the root module.`,
    );
  }

  private takesSnapshot(route: ScannedRoute): boolean {
    // GraphQL operations carry bearer tokens only (docs/graphql.md).
    if (route.graphql !== undefined) return false;
    if (route.endpoint === 'rpc') return true;
    if (route.endpoint === 'ws') return false;
    const declared = [route.handler, route.controller]
      .map((target) => Reflect.getOwnMetadata(ACCEPT_SNAPSHOT_METADATA, target) as unknown)
      .find((value) => typeof value === 'boolean');
    return declared ?? this.options.snapshots.acceptOnHttp;
  }

  /**
   * A message handler authenticates with snapshots only (`SnapshotVerify` instead of
   * `Authentication`); an HTTP route that takes snapshots needs both.
   */
  private capabilitiesOf(route: ScannedRoute): readonly AuthCapability[] {
    const { plan } = route;
    if (plan.access === 'public' || !this.takesSnapshot(route)) return plan.capabilities;
    if (route.endpoint === 'rpc') {
      return plan.capabilities.map((capability) =>
        capability === AuthCapability.Authentication ? AuthCapability.SnapshotVerify : capability,
      );
    }
    return [...plan.capabilities, AuthCapability.SnapshotVerify];
  }

  private neededCapabilities(routes: readonly ScannedRoute[]): Map<AuthCapability, string[]> {
    const needs = new Map<AuthCapability, string[]>();
    const need = (capability: AuthCapability, by: string) => {
      if (!needs.has(capability)) needs.set(capability, []);
      needs.get(capability)!.push(by);
    };
    for (const route of routes)
      for (const capability of this.routeCapabilities.get(route)!)
        need(capability, route.plan.route);
    if (this.options.snapshots.enabled) {
      need(AuthCapability.SnapshotSign, SNAPSHOTS_NEED);
      need(AuthCapability.SnapshotVerify, SNAPSHOTS_NEED);
    }
    return needs;
  }
}

/** The validated providers as the ports the pipeline calls. */
function validatedPorts(
  providers: ReadonlyMap<AuthCapability, CapabilityProviderEntry>,
): ValidatedPorts {
  // Each instance was checked to have its port's method (CAPABILITY_METHODS) just before.
  const port = <T>(capability: AuthCapability) => providers.get(capability)?.instance as T;
  return {
    authentication: port(AuthCapability.Authentication),
    snapshotVerifier: port(AuthCapability.SnapshotVerify),
    scopes: port(AuthCapability.ScopeCheck),
    roles: port(AuthCapability.RoleCheck),
    permissions: port(AuthCapability.PermissionCheck),
    policies: port(AuthCapability.PolicyEvaluation),
    relations: port(AuthCapability.RelationCheck),
  };
}
