import type { AuthorizationDecision } from '../decisions/authorization-decision.js';
import { DECISION_MESSAGES } from '../decisions/decision-messages.js';
import { DecisionState } from '../decisions/decision-state.enum.js';
import { type RefusalStatus, refusalStatus } from '../decisions/decision-status.js';
import type { AuthReasonCode } from '../decisions/reason-codes.js';

/**
 * The error a refused message handler answers with (RPC) or emits as `exception` (WebSocket):
 * the decision's state and stable reason, a fixed message, and the HTTP status the same
 * decision has on HTTP, so a gateway can pass it on. Never token or claim content.
 */
export interface AuthRefusalError {
  readonly status: 'error';
  readonly state: Exclude<DecisionState, DecisionState.Allow>;
  readonly reason: AuthReasonCode;
  readonly message: string;
  readonly statusCode: RefusalStatus;
}

/** Maps a non-`ALLOW` decision to {@link AuthRefusalError}; an `ALLOW` here is refused as `ERROR`. */
export function toAuthRefusalError(decision: AuthorizationDecision): AuthRefusalError {
  const state = decision.state === DecisionState.Allow ? DecisionState.Error : decision.state;
  const statusCode = refusalStatus(decision);
  return Object.freeze({
    status: 'error',
    state,
    reason: decision.reason,
    message: DECISION_MESSAGES[decision.reason],
    statusCode,
  });
}
