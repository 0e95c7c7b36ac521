import type { RpcException as NestRpcException } from '@nestjs/microservices';
import type { WsException as NestWsException } from '@nestjs/websockets';
import type { AuthorizationDecision } from '../decisions/authorization-decision.js';
import { DECISION_MESSAGES } from '../decisions/decision-messages.js';
import { DecisionState } from '../decisions/decision-state.enum.js';
import type { AuthReasonCode } from '../decisions/reason-codes.js';
import { AuthorizationFailedError } from '../errors/authorization-failed.error.js';
import { optionalImport } from './optional-import.js';

// Optional peer dependencies, loaded through their public entry points when installed: an
// HTTP-only app needs neither. Without the package there is no such context to refuse; should
// one appear anyway, the refusal is still thrown (as AuthorizationFailedError), never skipped.
const microservices =
  await optionalImport<typeof import('@nestjs/microservices')>('@nestjs/microservices');
const websockets = await optionalImport<typeof import('@nestjs/websockets')>('@nestjs/websockets');

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
  readonly statusCode: 400 | 401 | 403 | 503;
}

/** Maps a non-`ALLOW` decision to {@link AuthRefusalError}; an `ALLOW` here is refused as `ERROR`. */
export function toAuthRefusalError(decision: AuthorizationDecision): AuthRefusalError {
  const state = decision.state === DecisionState.Allow ? DecisionState.Error : decision.state;
  const statusCode =
    state === DecisionState.Deny
      ? 403
      : state === DecisionState.Error
        ? 503
        : decision.reason === 'CREDENTIALS_MALFORMED' || decision.reason === 'CREDENTIALS_AMBIGUOUS'
          ? 400
          : 401;
  return Object.freeze({
    status: 'error',
    state,
    reason: decision.reason,
    message: DECISION_MESSAGES[decision.reason],
    statusCode,
  });
}

/** The `RpcException` of a refused `@MessagePattern`/`@EventPattern` handler. */
export function toRpcRefusal(decision: AuthorizationDecision): NestRpcException | Error {
  if (microservices === undefined) return new AuthorizationFailedError(decision);
  return new microservices.RpcException(toAuthRefusalError(decision));
}

/** The `WsException` of a refused gateway message. */
export function toWsRefusal(decision: AuthorizationDecision): NestWsException | Error {
  if (websockets === undefined) return new AuthorizationFailedError(decision);
  return new websockets.WsException(toAuthRefusalError(decision));
}
