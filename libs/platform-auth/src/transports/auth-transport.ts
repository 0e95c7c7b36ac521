import type { ExecutionContext } from '@nestjs/common';
import type { AuthContext } from '../context/auth-context.interface.js';
import type { AuthInvocation } from '../context/auth-invocation.interface.js';
import type { Credentials } from '../credentials/credentials.js';
import type { AuthorizationDecision } from '../decisions/authorization-decision.js';
import type { SnapshotVerifyOptions } from '../ports/auth-snapshot-verifier.port.js';
import type { RoutePlan } from '../requirements/route-plan.js';
import type { DpopPresentation } from '../dpop/dpop-presentation.js';

/** What a transport read of one invocation: credentials (if any) and the invocation itself. */
export interface CredentialsRead {
  /** The presented credentials; absent when there are none (a CHALLENGE follows). */
  readonly credentials?: Credentials;
  /** For a snapshot: what it must be bound to, and whether it may be reused. */
  readonly snapshotUse?: SnapshotVerifyOptions;
  /** A caller authenticated earlier for this invocation (a WebSocket connection's). */
  readonly authenticated?: AuthContext;
  /** What policies and dynamic references read. */
  readonly invocation: AuthInvocation;
  /** For `DPoP`-scheme credentials (HTTP): the proof and the request it must match. */
  readonly dpop?: DpopPresentation;
}

/**
 * One transport's part of the request pipeline: how credentials arrive on it, where the caller
 * is bound, and how a refusal looks. The guard runs the same script on every transport
 * (plan → read → authenticate → authorize → bind or refuse) and picks the transport by
 * `ExecutionContext.getType()`. Provided by `PlatformAuthModule` for `http`, `rpc` and `ws`;
 * `@nest-platform/auth/graphql` adds `graphql`. A context type without a transport is refused.
 *
 * To change how a transport reads credentials, provide a subclass of its class in place of it
 * (e.g. `{ provide: HttpAuthTransport, useClass: MyHttpTransport }`).
 */
export abstract class AuthTransport {
  /** The `ExecutionContext.getType()` this transport serves. */
  abstract readonly type: string;

  /**
   * Reads the invocation's credentials; answers a `CHALLENGE` (malformed), `ERROR` (cannot be
   * checked) decision instead of throwing.
   */
  abstract read(
    context: ExecutionContext,
    plan: RoutePlan,
  ): CredentialsRead | AuthorizationDecision | Promise<CredentialsRead | AuthorizationDecision>;

  /** Binds the authorized caller where `@CurrentAuth()` finds it, and prepares the handler's arguments. */
  abstract bind(context: ExecutionContext, caller: AuthContext, plan: RoutePlan): void;

  /** Lets a public route through without reading credentials (prepares the arguments). */
  admit(_context: ExecutionContext): void {}

  /** Throws this transport's form of a refusal. */
  abstract refuse(context: ExecutionContext, decision: AuthorizationDecision): never;
}
