import {
  type CanActivate,
  type ExecutionContext,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { GUARDS_METADATA } from '@nestjs/common/constants.js';
import { MetadataScanner, ModulesContainer } from '@nestjs/core';
import type { Module } from '@nestjs/core/injector/module.js';
import { AuthorizationDecision } from '../decisions/authorization-decision.js';
import { AuthGuardMissingError } from '../errors/auth-guard-missing.error.js';
import { AuthorizationFailedError } from '../errors/authorization-failed.error.js';
import { toHttpRefusal } from '../decisions/decision-http.mapper.js';
import {
  loadTransportRefusals,
  toRpcRefusal,
  toWsRefusal,
} from '../messages/transport-refusals.js';
import { describeOrigin, originOf } from '../modules/provider-origin.js';
import { PLATFORM_AUTH_OPTIONS } from '../platform-auth.tokens.js';
import { wasAuthorizedByGuard } from './guard-marks.js';

// Read as a string so platform-auth needs no @nestjs/websockets (GATEWAY_METADATA).
const GATEWAY_METADATA = 'websockets:is_gateway';
const NOT_APPLIED = AuthorizationDecision.error('GUARD_NOT_APPLIED');
// Only ERROR is refused here, which carries no challenge: the realm never reaches the wire.
const UNUSED_REALM = 'api';

/** Per application (its modules container): the boot verdict, computed once. */
const verdicts = new WeakMap<ModulesContainer, AuthGuardMissingError | null>();

/**
 * What every platform-auth decorator (`@Public`, `@Protected`, `@Require*`, `@AcceptSnapshot`,
 * `@CurrentAuth`) and `@AuthProvider` attach to what they decorate, so that nothing decorated is
 * ever served without the app-wide `PlatformAuthGuard`, whatever the app imports:
 *
 * - at boot, in any module that has such a handler or provider, it fails boot with
 *   {@link AuthGuardMissingError} unless `PlatformAuthModule` is imported;
 * - per invocation, as a route guard (which Nest runs after every global guard, and on every
 *   transport, whatever the app config), it refuses with `ERROR(GUARD_NOT_APPLIED)` (HTTP 503)
 *   an invocation that `PlatformAuthGuard` did not let through, e.g. a message handler of a
 *   microservice that does not inherit the app's guards.
 *
 * Internal: users never register it.
 */
@Injectable()
export class PlatformAuthGuardAssertion implements CanActivate, OnApplicationBootstrap {
  private readonly logger = new Logger('PlatformAuth');

  constructor(private readonly modules: ModulesContainer) {}

  async onApplicationBootstrap(): Promise<void> {
    // Without PlatformAuthModule nothing else loads the transports' exceptions.
    await loadTransportRefusals();
    let verdict = verdicts.get(this.modules);
    if (verdict === undefined) {
      verdict = findUnguarded(this.modules);
      verdicts.set(this.modules, verdict);
    }
    if (verdict !== null) throw verdict;
  }

  canActivate(context: ExecutionContext): true {
    if (wasAuthorizedByGuard(context)) return true;
    this.logger.error(
      `${context.getClass().name}#${context.getHandler().name} was invoked without PlatformAuthGuard ` +
        '(a microservice connected without { inheritAppConfig: true }?); refused (fail closed).',
    );
    switch (context.getType()) {
      case 'http':
        throw toHttpRefusal(NOT_APPLIED, UNUSED_REALM).exception;
      case 'rpc':
        throw toRpcRefusal(NOT_APPLIED);
      case 'ws':
        throw toWsRefusal(NOT_APPLIED);
      default:
        throw new AuthorizationFailedError(NOT_APPLIED);
    }
  }
}

/**
 * Attaches {@link PlatformAuthGuardAssertion} to a class or a method, once, keeping the guards
 * already there (inherited ones included), as `@UseGuards` does.
 */
export function requirePlatformAuthGuard(holder: object): void {
  const guards: readonly unknown[] = Reflect.getMetadata(GUARDS_METADATA, holder) ?? [];
  if (!guards.includes(PlatformAuthGuardAssertion)) {
    Reflect.defineMetadata(GUARDS_METADATA, [...guards, PlatformAuthGuardAssertion], holder);
  }
}

function carriesAssertion(holder: object): boolean {
  const guards: unknown = Reflect.getMetadata(GUARDS_METADATA, holder);
  return Array.isArray(guards) && guards.includes(PlatformAuthGuardAssertion);
}

/** `null` when `PlatformAuthModule` is imported, else the error naming what it would guard. */
function findUnguarded(modules: ModulesContainer): AuthGuardMissingError | null {
  const all = [...modules.values()];
  if (all.some((module) => module.providers.has(PLATFORM_AUTH_OPTIONS))) return null;
  const scanner = new MetadataScanner();
  const routes: string[] = [];
  const providers: string[] = [];
  const seen = new Set<Function>();
  for (const module of all) {
    for (const wrapper of module.controllers.values()) {
      collectRoutes(wrapper.metatype, scanner, routes, seen);
    }
    for (const wrapper of module.providers.values()) {
      const type = wrapper.metatype;
      if (typeof type !== 'function' || wrapper.inject) continue;
      if (Reflect.getMetadata(GATEWAY_METADATA, type)) {
        collectRoutes(type, scanner, routes, seen);
      } else if (carriesAssertion(type)) {
        providers.push(`${type.name}, ${describeOrigin(originOf(module as Module))}`);
      }
    }
  }
  return new AuthGuardMissingError(routes, providers);
}

function collectRoutes(
  type: unknown,
  scanner: MetadataScanner,
  routes: string[],
  seen: Set<Function>,
): void {
  if (typeof type !== 'function' || seen.has(type)) return;
  seen.add(type);
  if (carriesAssertion(type)) {
    routes.push(type.name);
    return;
  }
  const prototype = type.prototype as Record<string, unknown>;
  for (const name of scanner.getAllMethodNames(prototype)) {
    const method = prototype[name];
    if (typeof method === 'function' && carriesAssertion(method))
      routes.push(`${type.name}#${name}`);
  }
}
