import type { IncomingMessage } from 'node:http';
import { Inject, Injectable } from '@nestjs/common';
import { RouteAuthorizer } from '../authorization/route-authorizer.js';
import { AuthCapability } from '../capabilities/auth-capability.enum.js';
import type { AuthContext } from '../context/auth-context.interface.js';
import { Credentials } from '../credentials/credentials.js';
import { AuthorizationDecision } from '../decisions/authorization-decision.js';
import { toHttpRefusal } from '../http/decision-http.mapper.js';
import { extractHttpCredentials } from '../http/http-credentials.extractor.js';
import { extractHttpSnapshot } from '../http/http-snapshot.extractor.js';
import { PLATFORM_AUTH_OPTIONS } from '../platform-auth.module-definition.js';
import type { ResolvedPlatformAuthOptions } from '../platform-auth.options.js';
import type { RoutePlan } from '../requirements/route-plan.js';
import { AuthRouteRegistry } from '../routes/auth-route-registry.js';
import type { SnapshotVerifyOptions } from '../ports/auth-snapshot-verifier.port.js';
import { wsSnapshotBinding } from '../snapshots/snapshot-binding.js';

/** The outcome of a handshake: the caller, none (no credentials), or a refusal to send. */
export type HandshakeResult =
  | { readonly context: AuthContext; readonly refusal?: undefined }
  | { readonly context?: undefined; readonly refusal?: undefined }
  | {
      readonly context?: undefined;
      readonly refusal: {
        readonly status: number;
        readonly message: string;
        readonly headers: Readonly<Record<string, string>>;
      };
    };

const HANDSHAKE_PLAN: RoutePlan = Object.freeze({
  route: 'WebSocket handshake',
  access: 'protected',
  requirements: Object.freeze([]),
  capabilities: Object.freeze([AuthCapability.Authentication]),
});

/** Options of {@link HandshakeAuthenticator.authenticate}. */
export interface HandshakeOptions {
  /**
   * Accept a snapshot in `x-platform-auth-snapshot` (otherwise the header is ignored, as on an
   * HTTP route that does not accept snapshots). It must be bound to this handshake
   * (`wsSnapshotBinding(path)`) and is single-use: it opens one connection.
   * @default false
   */
  readonly acceptSnapshot?: boolean;
}

/**
 * Authenticates the HTTP request that opens a WebSocket (or any upgrade): a bearer token
 * (`Authorization`, or `access_token` in the query when `acceptQueryToken` is on, since
 * browsers cannot set headers on a WebSocket), or, when the caller opts in and a snapshot
 * verifier is registered, a snapshot in `x-platform-auth-snapshot`. `PlatformWsAdapter`
 * (`@nest-platform/auth/ws`) calls it; a socket.io middleware can too. Route requirements are
 * checked per message by the guard.
 */
@Injectable()
export class HandshakeAuthenticator {
  constructor(
    private readonly authorizer: RouteAuthorizer,
    private readonly registry: AuthRouteRegistry,
    @Inject(PLATFORM_AUTH_OPTIONS) private readonly options: ResolvedPlatformAuthOptions,
  ) {}

  /** Never throws: failures are refusals (`ERROR` → 503). */
  async authenticate(
    request: IncomingMessage,
    options: HandshakeOptions = {},
  ): Promise<HandshakeResult> {
    try {
      const raw = { rawHeaders: request.rawHeaders, url: request.url ?? '/' };
      const bearer = extractHttpCredentials(raw, this.options.acceptQueryToken);
      if (bearer instanceof AuthorizationDecision) return this.refusal(bearer);
      let credentials = bearer;
      let snapshotUse: SnapshotVerifyOptions | undefined;
      if (
        options.acceptSnapshot === true &&
        this.registry.providerOf(AuthCapability.SnapshotVerify) !== undefined
      ) {
        const snapshot = extractHttpSnapshot(raw);
        if (snapshot instanceof AuthorizationDecision) return this.refusal(snapshot);
        if (snapshot !== undefined) {
          if (credentials !== undefined) {
            return this.refusal(AuthorizationDecision.challenge('CREDENTIALS_AMBIGUOUS'));
          }
          credentials = new Credentials('snapshot', snapshot, 'handshake');
          // Its own namespace (`ws …`, never an HTTP binding), the path platform-ws routes on,
          // and one connection per snapshot.
          let binding: string;
          try {
            binding = wsSnapshotBinding(raw.url);
          } catch {
            return this.refusal(AuthorizationDecision.challenge('SNAPSHOT_INVALID'));
          }
          snapshotUse = { binding, singleUse: true };
        }
      }
      if (credentials === undefined) return {};
      if (
        credentials.scheme !== 'snapshot' &&
        this.registry.providerOf(AuthCapability.Authentication) === undefined
      ) {
        return this.refusal(AuthorizationDecision.error('PROVIDER_CONTRACT_VIOLATION'));
      }
      const { decision, context } = await this.authorizer.authorize(
        HANDSHAKE_PLAN,
        credentials,
        { transport: 'ws', handler: HANDSHAKE_PLAN.route, params: {}, query: {}, body: undefined },
        snapshotUse,
      );
      return decision.allowed && context ? { context } : this.refusal(decision);
    } catch (error) {
      return this.refusal(AuthorizationDecision.error('PROVIDER_FAILED', error));
    }
  }

  /** The refusal of a missing credential (for handshakes that require one). */
  missing(): HandshakeResult {
    return this.refusal(AuthorizationDecision.challenge('CREDENTIALS_MISSING'));
  }

  private refusal(decision: AuthorizationDecision): HandshakeResult {
    const { exception, challenge } = toHttpRefusal(decision, this.options.realm);
    return {
      refusal: {
        status: exception.getStatus(),
        message: (exception.getResponse() as { message: string }).message,
        headers: challenge === undefined ? {} : { 'WWW-Authenticate': challenge },
      },
    };
  }
}
