import { type ExecutionContext, Inject, Injectable } from '@nestjs/common';
import type { AuthContext } from '../../context/auth-context.interface.js';
import { bindAuthContext, connectionAuthContext } from '../../context/auth-context.storage.js';
import { AuthorizationDecision } from '../../decisions/authorization-decision.js';
import { toWsRefusal } from '../../messages/transport-refusals.js';
import { PLATFORM_AUTH_OPTIONS } from '../../platform-auth.tokens.js';
import type { ResolvedPlatformAuthOptions } from '../../platform-auth.options.js';
import type { RoutePlan } from '../../requirements/route-plan.js';
import { AuthTransport, type CredentialsRead } from '../auth-transport.js';
import { MessageInvocation } from '../message-invocation.js';

const MISSING = AuthorizationDecision.challenge('CREDENTIALS_MISSING');
const EXPIRED = AuthorizationDecision.challenge('TOKEN_EXPIRED');
const UNSUPPORTED = AuthorizationDecision.error('UNSUPPORTED_CONTEXT');

/**
 * Gateway messages (`@SubscribeMessage`): the caller is the one authenticated at the handshake
 * (`PlatformWsAdapter`, or a socket.io middleware calling `HandshakeAuthenticator`), bound to
 * the connection; its context must not have expired since. Requirements are checked per
 * message. Refusals are `WsException`s carrying `AuthRefusalError`.
 */
@Injectable()
export class WsAuthTransport extends AuthTransport {
  readonly type = 'ws';

  constructor(
    @Inject(PLATFORM_AUTH_OPTIONS) private readonly options: ResolvedPlatformAuthOptions,
  ) {
    super();
  }

  read(context: ExecutionContext, plan: RoutePlan): CredentialsRead | AuthorizationDecision {
    const client = clientOf(context);
    if (client === undefined) return UNSUPPORTED;
    const authenticated = connectionAuthContext(client);
    if (authenticated === undefined) return MISSING;
    if (
      authenticated.expiresAt !== undefined &&
      authenticated.expiresAt * 1000 <= this.options.now()
    ) {
      return EXPIRED;
    }
    const data: unknown = context.switchToWs().getData();
    return { authenticated, invocation: new MessageInvocation('ws', plan.route, data) };
  }

  bind(context: ExecutionContext, caller: AuthContext): void {
    bindAuthContext(clientOf(context)!, caller);
  }

  refuse(_context: ExecutionContext, decision: AuthorizationDecision): never {
    throw toWsRefusal(decision);
  }
}

function clientOf(context: ExecutionContext): object | undefined {
  const client: unknown = context.switchToWs().getClient();
  return typeof client === 'object' && client !== null ? client : undefined;
}
