import { type ExecutionContext, Inject, Injectable, Logger } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { AuthContext } from '../../context/auth-context.interface.js';
import { bindAuthContext } from '../../context/auth-context.storage.js';
import { AuthorizationDecision } from '../../decisions/authorization-decision.js';
import { PLATFORM_AUTH_OPTIONS } from '../../platform-auth.tokens.js';
import type { ResolvedPlatformAuthOptions } from '../../platform-auth.options.js';
import type { SnapshotVerifyOptions } from '../../ports/auth-snapshot-verifier.port.js';
import type { RoutePlan } from '../../requirements/route-plan.js';
import {
  EMPTY_BODY_DIGEST,
  httpSnapshotBinding,
  sha256,
  SNAPSHOT_REDELIVERABLE_METHODS,
} from '../../snapshots/snapshot-binding.js';
import { AuthTransport, type CredentialsRead } from '../auth-transport.js';
import { toHttpRefusal } from '../../decisions/decision-http.mapper.js';
import type { RawHttpRequest } from './http-credentials.extractor.js';
import { HttpInvocation, type HttpRequestParts } from './http-invocation.js';
import { readHttpCredentials } from './read-http-credentials.js';

/** The request shape shared by Express and Fastify that the transport reads. */
interface HttpRequest extends HttpRequestParts {
  /**
   * The request target before any router rewrote `url`: Express's, and Fastify's request
   * (`request.originalUrl`, the raw `url` before `rewriteUrl`).
   */
  readonly originalUrl?: string;
  /** The body bytes, when the app was created with `rawBody: true` (Express and Fastify). */
  readonly rawBody?: unknown;
  /** Express: `IncomingMessage` itself. */
  readonly rawHeaders?: readonly string[];
  readonly url?: string;
  /** Fastify: the underlying `IncomingMessage`. */
  readonly raw?: RawHttpRequest;
}

/** Node's request as the extractors read it. */
interface NodeRequest extends RawHttpRequest {
  readonly method: string;
  readonly headers?: Record<string, unknown>;
}

const UNSUPPORTED = AuthorizationDecision.error('UNSUPPORTED_CONTEXT');

/**
 * HTTP (Express and Fastify): bearer credentials by RFC 6750 from Node's raw request, or, on a
 * route that accepts snapshots, `x-platform-auth-snapshot` bound to the method, target, body
 * bytes and content type; refusals with their `WWW-Authenticate` challenge.
 */
@Injectable()
export class HttpAuthTransport extends AuthTransport {
  readonly type = 'http';
  private readonly logger = new Logger('PlatformAuth');

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    @Inject(PLATFORM_AUTH_OPTIONS) private readonly options: ResolvedPlatformAuthOptions,
  ) {
    super();
  }

  read(context: ExecutionContext, plan: RoutePlan): CredentialsRead | AuthorizationDecision {
    const request = context.switchToHttp().getRequest<HttpRequest>();
    const raw = rawRequestOf(request);
    if (raw === undefined) return UNSUPPORTED;
    const read = readHttpCredentials(
      raw,
      this.options.acceptQueryToken,
      plan.acceptsSnapshot
        ? { source: 'snapshot-header', use: () => this.snapshotUse(plan, request, raw) }
        : undefined,
    );
    if (read instanceof AuthorizationDecision) return read;
    return { ...read, invocation: new HttpInvocation(plan.route, request) };
  }

  bind(context: ExecutionContext, caller: AuthContext): void {
    bindAuthContext(context.switchToHttp().getRequest<object>(), caller);
  }

  refuse(context: ExecutionContext, decision: AuthorizationDecision): never {
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

  /** The binding a snapshot on this request must carry, and whether it is single-use. */
  private snapshotUse(
    plan: RoutePlan,
    request: HttpRequest,
    raw: NodeRequest,
  ): SnapshotVerifyOptions | AuthorizationDecision {
    const bodyDigest = bodyDigestOf(request, raw);
    if (bodyDigest === undefined) {
      this.logger.error(
        `${plan.route}: a request with a body carries a snapshot, but the raw body is not available to check its binding; create the app with { rawBody: true }. Refused (fail closed).`,
      );
      return UNSUPPORTED;
    }
    const method = raw.method.toUpperCase();
    const contentType = raw.headers?.['content-type'];
    return {
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

/** Express's request is the `IncomingMessage`; Fastify's wraps it as `raw`; anything else: none. */
export function rawRequestOf(request: HttpRequest): NodeRequest | undefined {
  const raw = Array.isArray(request.rawHeaders) ? (request as NodeRequest) : request.raw;
  return Array.isArray(raw?.rawHeaders) && typeof raw.url === 'string'
    ? (raw as NodeRequest)
    : undefined;
}

/**
 * The SHA-256 of the request body bytes (of nothing without a body), or `undefined` when the
 * request has a body that the raw-body option did not keep.
 */
function bodyDigestOf(request: HttpRequest, raw: NodeRequest): string | undefined {
  if (Buffer.isBuffer(request.rawBody)) return sha256(request.rawBody);
  const headers = raw.headers ?? {};
  const length = headers['content-length'];
  const hasBody =
    headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
  return hasBody ? undefined : EMPTY_BODY_DIGEST;
}
