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
import type { AuthContext } from '../context/auth-context.interface.js';
import {
  authCarrierOf,
  bindAuthContext,
  connectionAuthContext,
  fillAuthScope,
} from '../context/auth-context.storage.js';
import { markAuthorizedByGuard } from '../enforcement/guard-marks.js';
import {
  markGuardProbeReached,
  MessageGuardProbe,
} from '../enforcement/message-guard-probe.controller.js';
import { Credentials } from '../credentials/credentials.js';
import { AuthorizationDecision } from '../decisions/authorization-decision.js';
import { AuthorizationFailedError } from '../errors/authorization-failed.error.js';
import { toHttpRefusal } from '../http/decision-http.mapper.js';
import { extractHttpSnapshot } from '../http/http-snapshot.extractor.js';
import { toRpcRefusal, toWsRefusal } from '../messages/transport-refusals.js';
import { openAuthSnapshotEnvelope } from '../snapshots/auth-snapshot.envelope.js';
import type { SnapshotVerifyOptions } from '../ports/auth-snapshot-verifier.port.js';
import {
  EMPTY_BODY_DIGEST,
  httpSnapshotBinding,
  messageSnapshotBinding,
  type MessageSnapshotKind,
  sha256,
  SNAPSHOT_REDELIVERABLE_METHODS,
} from '../snapshots/snapshot-binding.js';
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
  /**
   * The request target before any router rewrote `url`: Express's, and Fastify's request
   * (`request.originalUrl`, the raw `url` before `rewriteUrl`).
   */
  readonly originalUrl?: string;
  /** The body bytes, when the app was created with `rawBody: true` (Express and Fastify). */
  readonly rawBody?: unknown;
  readonly params?: Record<string, unknown>;
  readonly query?: Record<string, unknown>;
  readonly body?: unknown;
  /** Express: `IncomingMessage` itself. */
  readonly rawHeaders?: readonly string[];
  readonly url?: string;
  /** Fastify: the underlying `IncomingMessage`. */
  readonly raw?: RawHttpRequest;
}

/** Node's request as the extractors read it. */
interface NodeRequest extends RawHttpRequest {
  readonly method: string;
}

// Read as strings so this file needs no value import from @nestjs/microservices
// (PATTERN_METADATA, PATTERN_HANDLER_METADATA and PatternHandler in its constants and enums).
const MESSAGE_PATTERN_METADATA = 'microservices:pattern';
const PATTERN_HANDLER_METADATA = 'microservices:handler_type';
const PATTERN_HANDLER_KINDS: ReadonlyMap<unknown, MessageSnapshotKind> = new Map([
  [1, 'request'], // PatternHandler.MESSAGE: @MessagePattern
  [2, 'event'], // PatternHandler.EVENT: @EventPattern
]);

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

/** The invocation of an RPC message or a WebSocket message: the payload is the body. */
class MessageInvocation implements AuthInvocation {
  readonly params = EMPTY;
  readonly query = EMPTY;

  constructor(
    readonly transport: 'rpc' | 'ws',
    readonly handler: string,
    readonly body: unknown,
  ) {}
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
    // The check that this guard runs for a microservice's handlers (before the microservice
    // starts, possibly before boot has computed the plans): seen, and refused like a message
    // without credentials.
    if (context.getClass() === MessageGuardProbe) {
      markGuardProbeReached(context.getArgs()[0]);
      return this.refuse(context, AuthorizationDecision.challenge('CREDENTIALS_MISSING'));
    }
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
        return plan.access === 'public' ? this.allowed(context) : this.activateHttp(context, plan);
      case 'rpc':
        return this.activateRpc(context, plan);
      case 'ws':
        return plan.access === 'public' ? this.allowed(context) : this.activateWs(context, plan);
      default:
        return this.refuse(context, AuthorizationDecision.error('UNSUPPORTED_CONTEXT'));
    }
  }

  private async activateHttp(context: ExecutionContext, plan: RoutePlan): Promise<true> {
    const request = context.switchToHttp().getRequest<HttpRequest>();
    const raw = this.rawRequestOf(request);
    if (raw === undefined) {
      return this.refuse(context, AuthorizationDecision.error('UNSUPPORTED_CONTEXT'));
    }
    let credentials = this.extractCredentials(raw);
    if (credentials instanceof AuthorizationDecision) return this.refuse(context, credentials);
    let snapshotUse: SnapshotVerifyOptions | undefined;
    if (this.registry.acceptsSnapshot(context.getClass(), context.getHandler())) {
      const snapshot = extractHttpSnapshot(raw);
      if (snapshot instanceof AuthorizationDecision) return this.refuse(context, snapshot);
      if (snapshot !== undefined) {
        // One caller identity per request: a bearer token and a snapshot together is a 400.
        if (credentials !== undefined) {
          return this.refuse(context, AuthorizationDecision.challenge('CREDENTIALS_AMBIGUOUS'));
        }
        credentials = new Credentials('snapshot', snapshot, 'snapshot-header');
        const bodyDigest = this.bodyDigestOf(request, raw);
        if (bodyDigest === undefined) {
          this.logger.error(
            `${plan.route}: a request with a body carries a snapshot, but the raw body is not available to check its binding; create the app with { rawBody: true }. Refused (fail closed).`,
          );
          return this.refuse(context, AuthorizationDecision.error('UNSUPPORTED_CONTEXT'));
        }
        const method = raw.method.toUpperCase();
        const contentType = (raw as { headers?: Record<string, unknown> }).headers?.[
          'content-type'
        ];
        snapshotUse = {
          binding: httpSnapshotBinding(
            method,
            request.originalUrl ?? raw.url,
            bodyDigest,
            typeof contentType === 'string' ? contentType : undefined,
          ),
          singleUse: !SNAPSHOT_REDELIVERABLE_METHODS.has(method),
        };
      }
    }

    const { decision, context: auth } = await this.authorizer.authorize(
      plan,
      credentials,
      new HttpInvocation(plan.route, request),
      snapshotUse,
    );
    if (!decision.allowed) return this.refuse(context, decision);
    bindAuthContext(request, auth!);
    fillAuthScope(auth!);
    return this.allowed(context);
  }

  /**
   * A message handler: the payload may be an envelope (`withAuthSnapshot`); the guard verifies
   * its snapshot, bound to the handler's kind (request or event), pattern and the payload's
   * digest (replay protection),
   * and hands the handler the inner payload. No envelope on a protected handler: CHALLENGE.
   */
  private activateRpc(context: ExecutionContext, plan: RoutePlan): true | Promise<true> {
    const args = context.getArgs<unknown[]>();
    const envelope = openAuthSnapshotEnvelope(args[0]);
    if (envelope) args[0] = envelope.data;
    if (plan.access === 'public') return this.allowed(context);
    if (envelope === undefined) {
      return this.refuse(context, AuthorizationDecision.challenge('CREDENTIALS_MISSING'));
    }
    if (envelope === null) {
      return this.refuse(context, AuthorizationDecision.challenge('CREDENTIALS_MALFORMED'));
    }
    return this.authorizeMessage(context, plan, envelope.snapshot, envelope.data);
  }

  private async authorizeMessage(
    context: ExecutionContext,
    plan: RoutePlan,
    snapshot: string,
    data: unknown,
  ): Promise<true> {
    const carrier = authCarrierOf(context);
    if (carrier === undefined) {
      return this.refuse(context, AuthorizationDecision.error('UNSUPPORTED_CONTEXT'));
    }
    const pattern = this.messagePatternOf(context);
    const kind = PATTERN_HANDLER_KINDS.get(
      Reflect.getMetadata(PATTERN_HANDLER_METADATA, context.getHandler()),
    );
    if (pattern === undefined || kind === undefined) {
      return this.refuse(context, AuthorizationDecision.challenge('SNAPSHOT_INVALID'));
    }
    // A broker may deliver a message twice: the same snapshot for the same message is accepted.
    const { decision, context: auth } = await this.authorizer.authorize(
      plan,
      new Credentials('snapshot', snapshot, 'message'),
      new MessageInvocation('rpc', plan.route, data),
      { binding: messageSnapshotBinding(pattern, data, kind) },
    );
    if (!decision.allowed) return this.refuse(context, decision);
    bindAuthContext(carrier, auth!);
    fillAuthScope(auth!);
    return this.allowed(context);
  }

  /**
   * A gateway message: the caller is the one authenticated at the handshake (see
   * `PlatformWsAdapter`); its context must not have expired since. Requirements are checked
   * per message.
   */
  private async activateWs(context: ExecutionContext, plan: RoutePlan): Promise<true> {
    const client = authCarrierOf(context);
    if (client === undefined) {
      return this.refuse(context, AuthorizationDecision.error('UNSUPPORTED_CONTEXT'));
    }
    const auth: AuthContext | undefined = connectionAuthContext(client);
    if (auth === undefined) {
      return this.refuse(context, AuthorizationDecision.challenge('CREDENTIALS_MISSING'));
    }
    if (auth.expiresAt !== undefined && auth.expiresAt * 1000 <= this.options.now()) {
      return this.refuse(context, AuthorizationDecision.challenge('TOKEN_EXPIRED'));
    }
    const { decision } = await this.authorizer.authorizeContext(
      plan,
      auth,
      new MessageInvocation('ws', plan.route, context.switchToWs().getData()),
    );
    if (!decision.allowed) return this.refuse(context, decision);
    bindAuthContext(client, auth);
    fillAuthScope(auth);
    return this.allowed(context);
  }

  /**
   * Lets the invocation through, marked as authorized by this guard: the route-level assertion
   * that platform-auth decorators attach refuses any invocation without the mark.
   */
  private allowed(context: ExecutionContext): true {
    markAuthorizedByGuard(context);
    return true;
  }

  /**
   * The SHA-256 of the request body bytes (of nothing without a body), or `undefined` when the
   * request has a body that the raw-body option did not keep.
   */
  private bodyDigestOf(request: HttpRequest, raw: NodeRequest): string | undefined {
    if (Buffer.isBuffer(request.rawBody)) return sha256(request.rawBody);
    const headers = (raw as { headers?: Record<string, unknown> }).headers ?? {};
    const length = headers['content-length'];
    const hasBody =
      headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
    return hasBody ? undefined : EMPTY_BODY_DIGEST;
  }

  /**
   * The pattern the message was sent with: the handler's own when it has one; with several, the
   * one the transport context names (`getPattern()`, `getChannel()`, `getSubject()`,
   * `getTopic()`), if it is one of them.
   */
  private messagePatternOf(context: ExecutionContext): unknown {
    const patterns: unknown = Reflect.getMetadata(MESSAGE_PATTERN_METADATA, context.getHandler());
    if (!Array.isArray(patterns)) return patterns;
    if (patterns.length === 1) return patterns[0];
    const rpc = context.switchToRpc().getContext<Record<string, unknown>>();
    for (const getter of ['getPattern', 'getChannel', 'getSubject', 'getTopic']) {
      const read = rpc?.[getter];
      const received: unknown = typeof read === 'function' ? read.call(rpc) : undefined;
      const match = patterns.find(
        (pattern) => pattern === received || JSON.stringify(pattern) === received,
      );
      if (match !== undefined) return match;
    }
    return undefined;
  }

  private rawRequestOf(request: HttpRequest): NodeRequest | undefined {
    const raw = Array.isArray(request.rawHeaders) ? (request as NodeRequest) : request.raw;
    return Array.isArray(raw?.rawHeaders) && typeof raw.url === 'string'
      ? (raw as NodeRequest)
      : undefined;
  }

  /**
   * Reads the bearer credentials from Node's raw request (the Express request is the
   * `IncomingMessage`; Fastify's wraps it as `raw`; a request that is neither is refused).
   */
  protected extractCredentials(request: RawHttpRequest): ExtractionResult {
    return extractHttpCredentials(request, this.options.acceptQueryToken);
  }

  /**
   * The one throw site: maps a refusal to the transport's exception (HTTP: RFC 6750; RPC:
   * `RpcException`; WebSocket: `WsException`, both carrying `AuthRefusalError`; anything else:
   * `AuthorizationFailedError`).
   */
  protected refuse(context: ExecutionContext, decision: AuthorizationDecision): never {
    const type = context.getType();
    if (type === 'rpc') throw toRpcRefusal(decision);
    if (type === 'ws') throw toWsRefusal(decision);
    if (type !== 'http') throw new AuthorizationFailedError(decision);
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
