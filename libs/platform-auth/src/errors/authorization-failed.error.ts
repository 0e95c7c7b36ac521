import type { AuthorizationDecision } from '../decisions/authorization-decision.js';
import { PlatformAuthError } from './platform-auth.error.js';

/**
 * Thrown by the guard for a refused invocation on a non-HTTP transport (RPC, WebSocket, or a
 * context type the guard does not understand). Carries the decision; its message names only the
 * state and reason code.
 */
export class AuthorizationFailedError extends PlatformAuthError<'AUTHORIZATION_FAILED'> {
  override readonly name = 'AuthorizationFailedError';

  constructor(readonly decision: AuthorizationDecision) {
    super('AUTHORIZATION_FAILED', `Authorization refused: ${decision.toString()}`);
  }
}
