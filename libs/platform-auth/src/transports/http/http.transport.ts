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
import { DpopBinding } from '../../dpop/dpop.service.js';
import { normalisedTarget } from '../../dpop/dpop-presentation.js';
import type { HttpChallengeContext } from '../../decisions/decision-http.mapper.js';

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
  readonly socket?: { readonly encrypted?: boolean };
}

/** What a refusal or a success of this request needs from its read. */
interface RequestState {
  readonly presented?: 'bearer' | 'dpop';
  readonly dpopRequired: boolean;
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
  /** Per request: the scheme read and the route's DPoP requirement, for the response headers. */
  private readonly states = new WeakMap<object, RequestState>();

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    @Inject(PLATFORM_AUTH_OPTIONS) private readonly options: ResolvedPlatformAuthOptions,
    private readonly dpop: DpopBinding,
  ) {
    super();
  }

  read(context: ExecutionContext, plan: RoutePlan): CredentialsRead | AuthorizationDecision {
    const request = context.switchToHttp().getRequest<HttpRequest>();
    const raw = rawRequestOf(request);
    if (raw === undefined) return UNSUPPORTED;
    const dpopRequired = plan.dpopRequired === true;
    const read = readHttpCredentials(
      raw,
      this.options.acceptQueryToken,
      plan.acceptsSnapshot
        ? { source: 'snapshot-header', use: () => this.snapshotUse(plan, request, raw) }
        : undefined,
      this.options.dpop !== undefined,
    );
    if (read instanceof AuthorizationDecision) {
      if (dpopRequired) this.states.set(request, { dpopRequired });
      return read;
    }
    const scheme = read.credentials?.scheme;
    const presented = scheme === 'bearer' || scheme === 'dpop' ? scheme : undefined;
    if (presented !== undefined || dpopRequired) {
      this.states.set(request, { presented, dpopRequired });
    }
    const { dpopProof, ...rest } = read;
    return {
      ...rest,
      ...(dpopProof !== undefined && {
        dpop: {
          proof: dpopProof,
          method: raw.method,
          url: this.targetUri(request, raw),
        },
      }),
      invocation: new HttpInvocation(plan.route, request),
    };
  }

  bind(context: ExecutionContext, caller: AuthContext): void {
    const request = context.switchToHttp().getRequest<object>();
    this.sendNonce(context, request);
    bindAuthContext(request, caller);
  }

  refuse(context: ExecutionContext, decision: AuthorizationDecision): never {
    const request = context.switchToHttp().getRequest<object>();
    const state = this.states.get(request);
    const dpop = this.options.dpop;
    const challengeContext: HttpChallengeContext = {
      ...(state?.presented && { presented: state.presented }),
      ...(dpop && { dpopAlgs: dpop.algorithms, dpopRequired: state?.dpopRequired === true }),
      ...(this.options.resourceMetadata && {
        resourceMetadata: this.options.resourceMetadata.metadataUrl,
      }),
    };
    const { exception, challenge } = toHttpRefusal(decision, this.options.realm, challengeContext);
    const response = context.switchToHttp().getResponse();
    if (challenge !== undefined) {
      this.adapterHost.httpAdapter.setHeader(response, 'WWW-Authenticate', challenge);
    }
    if (decision.reason === 'DPOP_NONCE_REQUIRED') {
      this.adapterHost.httpAdapter.setHeader(response, 'Cache-Control', 'no-store');
    }
    this.sendNonce(context, request, decision.reason === 'DPOP_NONCE_REQUIRED');
    throw exception;
  }

  /**
   * RFC 9449 §8.2/§9: with server nonces on, every answer to a DPoP request carries the current
   * nonce (`DPoP-Nonce`), so a client keeps up with its rotation without an extra round trip.
   */
  private sendNonce(context: ExecutionContext, request: object, always = false): void {
    const nonces = this.dpop.verifier?.nonces;
    if (nonces === undefined) return;
    if (!always && this.states.get(request)?.presented !== 'dpop') return;
    this.adapterHost.httpAdapter.setHeader(
      context.switchToHttp().getResponse(),
      'DPoP-Nonce',
      nonces.current(),
    );
  }

  /**
   * The request's target URI without query or fragment (a proof's `htu`): the configured
   * `dpop.publicBaseUrl` plus the path, or the origin the request names (`Host`, TLS of the
   * socket; `X-Forwarded-Proto`/`-Host` only with `dpop.trustProxy`).
   */
  private targetUri(request: HttpRequest, raw: NodeRequest): string | undefined {
    const target = request.originalUrl ?? raw.url;
    const end = target.search(/[?#]/);
    const path = end === -1 ? target : target.slice(0, end);
    if (!path.startsWith('/')) return undefined;
    const dpop = this.options.dpop!;
    if (dpop.publicBaseUrl !== undefined) return normalisedTarget(`${dpop.publicBaseUrl}${path}`);
    const headers = raw.headers ?? {};
    const first = (value: unknown) =>
      typeof value === 'string' ? value.split(',')[0].trim() : undefined;
    const proto =
      (dpop.trustProxy ? first(headers['x-forwarded-proto']) : undefined) ??
      (raw.socket?.encrypted ? 'https' : 'http');
    const host =
      (dpop.trustProxy ? first(headers['x-forwarded-host']) : undefined) ?? first(headers.host);
    if (host === undefined || host.length === 0 || /[/\\@?#\s]/.test(host)) return undefined;
    if (proto !== 'http' && proto !== 'https') return undefined;
    return normalisedTarget(`${proto}://${host}${path}`);
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
