import type { IncomingMessage } from 'node:http';
import { Inject, Injectable } from '@nestjs/common';
import type { AuthContext } from '../context/auth-context.interface.js';
import { AuthorizationDecision } from '../decisions/authorization-decision.js';
import { AuthPorts } from '../pipeline/auth-ports.js';
import { Authenticator } from '../pipeline/authenticator.js';
import { PLATFORM_AUTH_OPTIONS } from '../platform-auth.tokens.js';
import type { ResolvedPlatformAuthOptions } from '../platform-auth.options.js';
import { wsSnapshotBinding } from '../snapshots/snapshot-binding.js';
import { toHttpRefusal } from '../decisions/decision-http.mapper.js';
import { readHttpCredentials } from '../transports/http/read-http-credentials.js';

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

const HANDSHAKE = 'WebSocket handshake';

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
    private readonly authenticator: Authenticator,
    private readonly ports: AuthPorts,
    @Inject(PLATFORM_AUTH_OPTIONS) private readonly options: ResolvedPlatformAuthOptions,
  ) {}

  /** Never throws: failures are refusals (`ERROR` → 503). */
  async authenticate(
    request: IncomingMessage,
    options: HandshakeOptions = {},
  ): Promise<HandshakeResult> {
    try {
      const raw = { rawHeaders: request.rawHeaders, url: request.url ?? '/' };
      const acceptsSnapshot =
        options.acceptSnapshot === true && this.ports.snapshotVerifier !== undefined;
      const read = readHttpCredentials(
        raw,
        this.options.acceptQueryToken,
        acceptsSnapshot
          ? {
              source: 'handshake',
              // Its own namespace (`ws …`, never an HTTP binding), the path platform-ws routes
              // on, and one connection per snapshot.
              use: () => {
                try {
                  return { binding: wsSnapshotBinding(raw.url), singleUse: true };
                } catch {
                  return AuthorizationDecision.challenge('SNAPSHOT_INVALID');
                }
              },
            }
          : undefined,
      );
      if (read instanceof AuthorizationDecision) return this.refusal(read);
      if (read.credentials === undefined) return {};
      const outcome = await this.authenticator.authenticate(
        read.credentials,
        { transport: 'ws', handler: HANDSHAKE, params: {}, query: {}, body: undefined },
        read.snapshotUse,
      );
      return outcome instanceof AuthorizationDecision
        ? this.refusal(outcome)
        : { context: outcome };
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
