import { RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants.js';
import type { InstanceWrapper } from '@nestjs/core/injector/instance-wrapper.js';
import type { MetadataScanner } from '@nestjs/core';
import { MessageGuardProbe } from '../enforcement/message-guard-probe.controller.js';
import type { AuthMetadataConflict } from '../errors/conflicting-auth-metadata.error.js';
import {
  resolveRoutePlan,
  type DefaultAccess,
  type RoutePlan,
} from '../requirements/route-plan.js';

// Read as strings so platform-auth needs neither @nestjs/microservices nor @nestjs/websockets.
const MESSAGE_PATTERN_METADATA = 'microservices:pattern';
const GATEWAY_MESSAGE_METADATA = 'message';
const GATEWAY_METADATA = 'websockets:is_gateway';
// And neither @nestjs/graphql (RESOLVER_TYPE_METADATA, RESOLVER_NAME_METADATA,
// RESOLVER_PROPERTY_METADATA, RESOLVER_REFERENCE_METADATA in its graphql.constants).
const RESOLVER_TYPE_METADATA = 'graphql:resolver_type';
const RESOLVER_NAME_METADATA = 'graphql:resolver_name';
const RESOLVER_PROPERTY_METADATA = 'graphql:resolve_property';
const RESOLVER_REFERENCE_METADATA = 'graphql:resolve_reference';
const ROOT_TYPES: ReadonlySet<unknown> = new Set(['Query', 'Mutation', 'Subscription']);

/** Where a GraphQL resolver method sits in the schema. */
export interface GraphqlCoordinate {
  /** `Query`, `Mutation`, `Subscription`, or the object type of a field resolver (`Book`). */
  readonly type: string;
  readonly field: string;
  /** A `@ResolveField` (or `@ResolveReference`): guarded only with `fieldResolverEnhancers: ['guards']`. */
  readonly fieldResolver: boolean;
}

/** One handler found at boot, with its plan. */
export interface ScannedRoute {
  readonly controller: Function;
  readonly handler: Function;
  /** `GET /documents/:id`, `rpc`, `ws`, or a GraphQL coordinate (`Query.books`, `Book.secret`). */
  readonly endpoint: string;
  readonly plan: RoutePlan;
  /** For a GraphQL resolver method: its schema coordinate. */
  readonly graphql?: GraphqlCoordinate;
}

/**
 * Every handler of every controller, gateway and GraphQL resolver (but the library's own
 * `MessageGuardProbe`), with conflicts reported rather than thrown.
 */
export function scanRoutes(
  controllers: readonly InstanceWrapper[],
  providers: readonly InstanceWrapper[],
  scanner: MetadataScanner,
  defaultAccess: DefaultAccess,
): { routes: ScannedRoute[]; conflicts: AuthMetadataConflict[] } {
  const classes = new Set<Function>();
  for (const wrapper of controllers) {
    const type = wrapper.metatype;
    if (typeof type === 'function' && type !== MessageGuardProbe) classes.add(type);
  }
  const resolvers = new Set<Function>();
  for (const wrapper of providers) {
    if (
      typeof wrapper.metatype === 'function' &&
      Reflect.getMetadata(GATEWAY_METADATA, wrapper.metatype)
    ) {
      classes.add(wrapper.metatype);
    }
    // A resolver's runtime class (what the guard's getClass() answers): the instance's
    // constructor, since a `useFactory`/`useValue` provider's metatype is not the class.
    const instance: unknown = wrapper.instance;
    const type: unknown =
      typeof instance === 'object' && instance !== null ? instance.constructor : wrapper.metatype;
    if (typeof type === 'function' && isResolverClass(type, scanner)) resolvers.add(type);
  }

  const routes: ScannedRoute[] = [];
  const conflicts: AuthMetadataConflict[] = [];
  for (const controller of classes) {
    const prototype = controller.prototype as Record<string, unknown>;
    for (const methodName of scanner.getAllMethodNames(prototype)) {
      const handler = prototype[methodName];
      if (typeof handler !== 'function') continue;
      const endpoint = endpointOf(controller, handler);
      if (endpoint === undefined) continue;
      const route = `${controller.name}#${methodName}`;
      const resolved = resolveRoutePlan(route, controller, handler, defaultAccess);
      if (resolved.conflict) conflicts.push(resolved.conflict);
      else routes.push({ controller, handler, endpoint, plan: resolved.plan });
    }
  }
  for (const resolver of resolvers) {
    if (classes.has(resolver)) continue;
    const prototype = resolver.prototype as Record<string, unknown>;
    for (const methodName of scanner.getAllMethodNames(prototype)) {
      const handler = prototype[methodName];
      if (typeof handler !== 'function') continue;
      const coordinate = graphqlCoordinateOf(resolver, handler, methodName);
      if (coordinate === undefined) continue;
      const route = `${resolver.name}#${methodName}`;
      const resolved = resolveRoutePlan(route, resolver, handler, defaultAccess);
      if (resolved.conflict) conflicts.push(resolved.conflict);
      else {
        routes.push({
          controller: resolver,
          handler,
          endpoint: `${coordinate.type}.${coordinate.field}`,
          plan: resolved.plan,
          graphql: coordinate,
        });
      }
    }
  }
  return { routes, conflicts };
}

function isResolverClass(type: Function, scanner: MetadataScanner): boolean {
  if (Reflect.getMetadata(RESOLVER_TYPE_METADATA, type) !== undefined) return true;
  const prototype = type.prototype as Record<string, unknown> | undefined;
  if (prototype === undefined) return false;
  return scanner.getAllMethodNames(prototype).some((name) => {
    const method = prototype[name];
    return (
      typeof method === 'function' &&
      ROOT_TYPES.has(Reflect.getMetadata(RESOLVER_TYPE_METADATA, method))
    );
  });
}

/**
 * The schema coordinate of a resolver method, by @nestjs/graphql's own rule
 * (`extract-metadata.util`): the method's type or else the class's; the explicit name or else
 * the method's. `undefined` for a method that resolves nothing.
 */
function graphqlCoordinateOf(
  resolver: Function,
  handler: Function,
  methodName: string,
): GraphqlCoordinate | undefined {
  const type: unknown =
    Reflect.getMetadata(RESOLVER_TYPE_METADATA, handler) ??
    Reflect.getMetadata(RESOLVER_TYPE_METADATA, resolver);
  if (typeof type !== 'string') return undefined;
  const isField = Reflect.getMetadata(RESOLVER_PROPERTY_METADATA, handler) === true;
  const isReference = Reflect.getMetadata(RESOLVER_REFERENCE_METADATA, handler) === true;
  if (!isField && !isReference && !ROOT_TYPES.has(type)) return undefined;
  const name: unknown = Reflect.getMetadata(RESOLVER_NAME_METADATA, handler);
  const field = isReference ? '__resolveReference' : typeof name === 'string' ? name : methodName;
  return { type, field, fieldResolver: isField || isReference };
}

function endpointOf(controller: Function, handler: Function): string | undefined {
  if (
    Reflect.hasOwnMetadata(METHOD_METADATA, handler) &&
    Reflect.hasOwnMetadata(PATH_METADATA, handler)
  ) {
    const method = RequestMethod[Reflect.getOwnMetadata(METHOD_METADATA, handler) as RequestMethod];
    return `${method} ${joinPaths(Reflect.getMetadata(PATH_METADATA, controller), Reflect.getOwnMetadata(PATH_METADATA, handler))}`;
  }
  if (Reflect.hasOwnMetadata(MESSAGE_PATTERN_METADATA, handler)) return 'rpc';
  if (Reflect.hasOwnMetadata(GATEWAY_MESSAGE_METADATA, handler)) return 'ws';
  return undefined;
}

function joinPaths(base: unknown, path: unknown): string {
  const first = (value: unknown) => String((Array.isArray(value) ? value[0] : value) ?? '');
  const joined = [first(base), first(path)]
    .map((part) => part.replace(/^\/+|\/+$/g, ''))
    .filter(Boolean)
    .join('/');
  return `/${joined}`;
}
