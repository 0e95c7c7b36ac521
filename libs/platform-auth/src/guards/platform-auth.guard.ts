import { type CanActivate, type ExecutionContext, Injectable, Logger } from '@nestjs/common';
import type { AuthContext } from '../context/auth-context.interface.js';
import type { AuthInvocation } from '../context/auth-invocation.interface.js';
import { fillAuthScope } from '../context/auth-context.storage.js';
import { AuthorizationDecision } from '../decisions/authorization-decision.js';
import { markAuthorizedByGuard } from '../enforcement/guard-marks.js';
import {
  markGuardProbeReached,
  MessageGuardProbe,
} from '../enforcement/message-guard-probe.controller.js';
import { AuthorizationFailedError } from '../errors/authorization-failed.error.js';
import { toRpcRefusal } from '../messages/transport-refusals.js';
import { Authenticator } from '../pipeline/authenticator.js';
import { Authorizer } from '../pipeline/authorizer.js';
import type { RoutePlan } from '../requirements/route-plan.js';
import { AuthRouteRegistry } from '../routes/auth-route-registry.js';
import type { AuthTransport, CredentialsRead } from '../transports/auth-transport.js';
import { AuthTransports } from '../transports/auth-transports.js';

const NOT_REGISTERED = AuthorizationDecision.error('ROUTE_NOT_REGISTERED');
const UNSUPPORTED = AuthorizationDecision.error('UNSUPPORTED_CONTEXT');

/**
 * The app-wide guard registered by `PlatformAuthModule`. The same short script on every
 * transport: look up the route's plan (computed at boot) → {@link readCredentials} with the
 * transport of the context type → {@link authenticate} → {@link authorize} → {@link bind}, or
 * {@link refuse} with the transport's mapping. Public routes stay synchronous: no credentials
 * are read, no promise is made. It never returns `false` (Nest would turn that into a bare 403).
 *
 * The steps are `protected`: subclass it and pass the subclass as `guard` to
 * `PlatformAuthModule.forRoot()` to add to one (audit logging around {@link authorize}, say).
 */
@Injectable()
export class PlatformAuthGuard implements CanActivate {
  protected readonly logger = new Logger('PlatformAuth');

  constructor(
    private readonly registry: AuthRouteRegistry,
    private readonly transports: AuthTransports,
    private readonly authenticator: Authenticator,
    private readonly authorizer: Authorizer,
  ) {}

  canActivate(context: ExecutionContext): true | Promise<true> {
    // The check that this guard runs for a microservice's handlers (before the microservice
    // starts, possibly before boot has computed the plans): seen, and refused like a message
    // without credentials.
    if (context.getClass() === MessageGuardProbe) {
      markGuardProbeReached(context.getArgs()[0]);
      throw toRpcRefusal(AuthorizationDecision.challenge('CREDENTIALS_MISSING'));
    }
    const transport = this.transports.get(context.getType());
    if (transport === undefined) throw new AuthorizationFailedError(UNSUPPORTED);
    const plan = this.registry.planFor(context.getClass(), context.getHandler());
    if (plan === undefined) {
      this.logger.error(
        `${context.getClass().name}#${context.getHandler().name} was not registered at boot; refusing (fail closed).`,
      );
      return this.refuse(context, transport, NOT_REGISTERED);
    }
    if (plan.access === 'public') {
      transport.admit(context);
      return this.allowed(context);
    }
    return this.protect(context, transport, plan);
  }

  /** The script for a protected route. */
  private async protect(
    context: ExecutionContext,
    transport: AuthTransport,
    plan: RoutePlan,
  ): Promise<true> {
    const read = await this.readCredentials(context, transport, plan);
    if (read instanceof AuthorizationDecision) return this.refuse(context, transport, read);
    const caller = read.authenticated ?? (await this.authenticate(read));
    if (caller instanceof AuthorizationDecision) return this.refuse(context, transport, caller);
    const decision = await this.authorize(plan, caller, read.invocation);
    if (!decision.allowed) return this.refuse(context, transport, decision);
    this.bind(context, transport, caller, plan);
    return this.allowed(context);
  }

  /** Reads the invocation's credentials with its transport. */
  protected readCredentials(
    context: ExecutionContext,
    transport: AuthTransport,
    plan: RoutePlan,
  ): CredentialsRead | AuthorizationDecision | Promise<CredentialsRead | AuthorizationDecision> {
    return transport.read(context, plan);
  }

  /** Credentials → the caller (`Authenticator`: the `Authentication` or `SnapshotVerify` port). */
  protected authenticate(read: CredentialsRead): Promise<AuthContext | AuthorizationDecision> {
    return this.authenticator.authenticate(
      read.credentials,
      read.invocation,
      read.snapshotUse,
      read.dpop,
    );
  }

  /** The plan's requirements for the caller (`Authorizer`: the checker ports). */
  protected authorize(
    plan: RoutePlan,
    caller: AuthContext,
    invocation: AuthInvocation,
  ): Promise<AuthorizationDecision> {
    return this.authorizer.authorize(plan, caller, invocation);
  }

  /**
   * Binds the caller: where `@CurrentAuth()` reads it (the transport's carrier) and as the
   * current context of the invocation's auth scope (`AuthContextAccessor`).
   */
  protected bind(
    context: ExecutionContext,
    transport: AuthTransport,
    caller: AuthContext,
    plan: RoutePlan,
  ): void {
    transport.bind(context, caller, plan);
    fillAuthScope(caller);
  }

  /**
   * The one throw site: the transport's form of a refusal (HTTP: RFC 6750 with its challenge;
   * RPC: `RpcException`; WebSocket: `WsException`, both carrying `AuthRefusalError`).
   */
  protected refuse(
    context: ExecutionContext,
    transport: AuthTransport,
    decision: AuthorizationDecision,
  ): never {
    return transport.refuse(context, decision);
  }

  /**
   * Lets the invocation through, marked as authorized by this guard: the route-level assertion
   * that platform-auth decorators attach refuses any invocation without the mark.
   */
  private allowed(context: ExecutionContext): true {
    markAuthorizedByGuard(context);
    return true;
  }
}
