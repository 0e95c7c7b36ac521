import {
  BadRequestException,
  ForbiddenException,
  type HttpException,
  ServiceUnavailableException,
  UnauthorizedException,
} from '@nestjs/common';
import type { AuthorizationDecision } from '../decisions/authorization-decision.js';
import { DecisionState } from '../decisions/decision-state.enum.js';
import { DECISION_MESSAGES as MESSAGES } from '../decisions/decision-messages.js';
import type { AuthReasonCode } from '../decisions/reason-codes.js';

/** A refusal as it goes on the wire: an exception for Nest's filter plus the challenge header. */
export interface HttpRefusal {
  readonly exception: HttpException;
  /** `WWW-Authenticate` value, absent for 503. */
  readonly challenge?: string;
}

const INVALID_REQUEST: ReadonlySet<AuthReasonCode> = new Set([
  'CREDENTIALS_MALFORMED',
  'CREDENTIALS_AMBIGUOUS',
]);

/**
 * Maps a non-`ALLOW` decision to its RFC 6750 response:
 *
 * | decision                        | status | `WWW-Authenticate`                                  |
 * |---------------------------------|--------|-----------------------------------------------------|
 * | CHALLENGE `CREDENTIALS_MISSING` | 401    | `Bearer realm="…"`                                   |
 * | CHALLENGE malformed request     | 400    | `Bearer realm="…", error="invalid_request", …`       |
 * | CHALLENGE other                 | 401    | `Bearer realm="…", error="invalid_token", …`         |
 * | DENY                            | 403    | `Bearer realm="…", error="insufficient_scope"[, scope="…"]` |
 * | ERROR                           | 503    | none                                                 |
 *
 * @see https://www.rfc-editor.org/rfc/rfc6750#section-3
 */
export function toHttpRefusal(decision: AuthorizationDecision, realm: string): HttpRefusal {
  const message = MESSAGES[decision.reason];
  const body = (statusCode: number, error: string) => ({
    statusCode,
    error,
    message,
    reason: decision.reason,
  });
  const challenge = (error?: string, scope?: readonly string[]) =>
    [
      `Bearer realm="${realm}"`,
      ...(error ? [`error="${error}"`, `error_description="${message}"`] : []),
      ...(scope && scope.length > 0 ? [`scope="${scope.join(' ')}"`] : []),
    ].join(', ');

  switch (decision.state) {
    case DecisionState.Challenge:
      if (decision.reason === 'CREDENTIALS_MISSING') {
        return {
          exception: new UnauthorizedException(body(401, 'Unauthorized')),
          challenge: challenge(),
        };
      }
      if (INVALID_REQUEST.has(decision.reason)) {
        return {
          exception: new BadRequestException(body(400, 'Bad Request')),
          challenge: challenge('invalid_request'),
        };
      }
      return {
        exception: new UnauthorizedException(body(401, 'Unauthorized')),
        challenge: challenge('invalid_token'),
      };
    case DecisionState.Deny:
      return {
        exception: new ForbiddenException(body(403, 'Forbidden')),
        challenge: challenge('insufficient_scope', decision.requiredScopes),
      };
    case DecisionState.Error:
    case DecisionState.Allow:
      // An ALLOW never reaches here; should one, it is refused like an error (fail closed).
      return { exception: new ServiceUnavailableException(body(503, 'Service Unavailable')) };
  }
}
