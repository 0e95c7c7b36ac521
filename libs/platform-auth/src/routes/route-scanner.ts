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

/** One handler found at boot, with its plan. */
export interface ScannedRoute {
  readonly controller: Function;
  readonly handler: Function;
  /** `GET /documents/:id`, `rpc`, or `ws`. */
  readonly endpoint: string;
  readonly plan: RoutePlan;
}

/**
 * Every handler of every controller and gateway (but the library's own `MessageGuardProbe`),
 * with conflicts reported rather than thrown.
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
  for (const wrapper of providers) {
    if (
      typeof wrapper.metatype === 'function' &&
      Reflect.getMetadata(GATEWAY_METADATA, wrapper.metatype)
    ) {
      classes.add(wrapper.metatype);
    }
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
  return { routes, conflicts };
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
