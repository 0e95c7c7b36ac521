import {
  type CanActivate,
  type ExecutionContext,
  Inject,
  Injectable,
  Logger,
} from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { RouteAuthorizer } from '../authorization/route-authorizer.js';
import type { AuthInvocation } from '../context/auth-invocation.interface.js';
import { bindAuthContext } from '../context/auth-context.storage.js';
import { AuthorizationDecision } from '../decisions/authorization-decision.js';
import { AuthorizationFailedError } from '../errors/authorization-failed.error.js';
import { toHttpRefusal } from '../http/decision-http.mapper.js';
import {
  extractHttpCredentials,
  type ExtractionResult,
  type RawHttpRequest,
} from '../http/http-credentials.extractor.js';
import { PLATFORM_AUTH_OPTIONS } from '../platform-auth.module-definition.js';
import type { ResolvedPlatformAuthOptions } from '../platform-auth.options.js';
import type { RoutePlan } from '../requirements/route-plan.js';
import { AuthRouteRegistry } from '../routes/auth-route-registry.js';

/** The HTTP request shape shared by Express and Fastify that the guard reads. */
interface HttpRequest {
  readonly params?: Record<string, unknown>;
  readonly query?: Record<string, unknown>;
  readonly body?: unknown;
  /** Express: `IncomingMessage` itself. */
  readonly rawHeaders?: readonly string[];
  readonly url?: string;
  /** Fastify: the underlying `IncomingMessage`. */
  readonly raw?: RawHttpRequest;
}

const EMPTY: Readonly<Record<string, unknown>> = Object.freeze({});

/**
 * The invocation of an HTTP request. Parts are read only when a check asks (Express parses
 * `query` on every access); getters on a class keep the per-request object cheap. The request
 * stays private, so serialising the invocation (e.g. as a policy engine's input) never carries
 * headers or credentials.
 */
class HttpInvocation implements AuthInvocation {
  readonly transport = 'http';
  readonly #request: HttpRequest;

  constructor(
    readonly handler: string,
    request: HttpRequest,
  ) {
    this.#request = request;
  }

  get params(): Readonly<Record<string, unknown>> {
    return this.#request.params ?? EMPTY;
  }

  get query(): Readonly<Record<string, unknown>> {
    return this.#request.query ?? EMPTY;
  }

  get body(): unknown {
    return this.#request.body;
  }

  toJSON(): AuthInvocation {
    const { transport, handler, params, query, body } = this;
    return { transport, handler, params, query, body };
  }
}

/**
 * The app-wide guard registered by `PlatformAuthModule`. For each invocation it looks up the
 * route's plan (computed at boot), extracts credentials, lets {@link RouteAuthorizer} decide,
 * and either binds the verified `AuthContext` to the request or throws the mapped refusal.
 * It never returns `false` (Nest would turn that into a bare 403).
 */
@Injectable()
export class PlatformAuthGuard implements CanActivate {
  private readonly logger = new Logger('PlatformAuth');

  constructor(
    private readonly registry: AuthRouteRegistry,
    private readonly authorizer: RouteAuthorizer,
    private readonly adapterHost: HttpAdapterHost,
    @Inject(PLATFORM_AUTH_OPTIONS) private readonly options: ResolvedPlatformAuthOptions,
  ) {}

  canActivate(context: ExecutionContext): true | Promise<true> {
    const plan = this.registry.planFor(context.getClass(), context.getHandler());
    if (plan === undefined) {
      this.logger.error(
        `${context.getClass().name}#${context.getHandler().name} was not registered at boot; refusing (fail closed).`,
      );
      return this.refuse(context, AuthorizationDecision.error('ROUTE_NOT_REGISTERED'));
    }
    switch (context.getType()) {
      case 'http':
        // Public routes stay synchronous: no credentials are read, no promise is made.
        return plan.access === 'public' ? true : this.activateHttp(context, plan);
      case 'rpc':
      case 'ws':
        // Credentials for messages arrive with snapshots; until a transport has an extractor,
        // only public handlers pass.
        return plan.access === 'public'
          ? true
          : this.refuse(context, AuthorizationDecision.challenge('CREDENTIALS_MISSING'));
      default:
        return this.refuse(context, AuthorizationDecision.error('UNSUPPORTED_CONTEXT'));
    }
  }

  private async activateHttp(context: ExecutionContext, plan: RoutePlan): Promise<true> {
    const request = context.switchToHttp().getRequest<HttpRequest>();
    const extracted = this.extractCredentials(request);
    if (extracted instanceof AuthorizationDecision) return this.refuse(context, extracted);

    const { decision, context: auth } = await this.authorizer.authorize(
      plan,
      extracted,
      new HttpInvocation(plan.route, request),
    );
    if (!decision.allowed) return this.refuse(context, decision);
    bindAuthContext(request, auth!);
    return true;
  }

  /**
   * Reads the bearer credentials from Node's raw request: the Express request is the
   * `IncomingMessage`; Fastify's wraps it as `raw`. A request that is neither is refused.
   */
  protected extractCredentials(request: HttpRequest): ExtractionResult {
    const raw = Array.isArray(request.rawHeaders) ? (request as RawHttpRequest) : request.raw;
    if (!Array.isArray(raw?.rawHeaders) || typeof raw.url !== 'string') {
      return AuthorizationDecision.error('UNSUPPORTED_CONTEXT');
    }
    return extractHttpCredentials(raw, this.options.acceptQueryToken);
  }

  /** The one throw site: maps a refusal to the transport's exception. */
  protected refuse(context: ExecutionContext, decision: AuthorizationDecision): never {
    if (context.getType() !== 'http') throw new AuthorizationFailedError(decision);
    const { exception, challenge } = toHttpRefusal(decision, this.options.realm);
    if (challenge !== undefined) {
      this.adapterHost.httpAdapter.setHeader(
        context.switchToHttp().getResponse(),
        'WWW-Authenticate',
        challenge,
      );
    }
    throw exception;
  }
}
