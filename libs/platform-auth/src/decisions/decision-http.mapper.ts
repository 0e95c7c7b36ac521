import {
  BadRequestException,
  ForbiddenException,
  type HttpException,
  ServiceUnavailableException,
  UnauthorizedException,
} from '@nestjs/common';
import type { AuthorizationDecision } from './authorization-decision.js';
import { refusalKind, refusalStatus } from './decision-status.js';
import { DECISION_MESSAGES as MESSAGES } from './decision-messages.js';

/** A refusal as it goes on the wire: an exception for Nest's filter plus the challenge header. */
export interface HttpRefusal {
  readonly exception: HttpException;
  /** `WWW-Authenticate` value, absent for 503. */
  readonly challenge?: string;
}

const ERRORS = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  503: 'Service Unavailable',
} as const;

/**
 * Maps a non-`ALLOW` decision to its RFC 6750 response (status from `refusalKind`, the one
 * decision table):
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
  const kind = refusalKind(decision);
  const statusCode = refusalStatus(decision);
  const response = { statusCode, error: ERRORS[statusCode], message, reason: decision.reason };
  const challenge = (error?: string, scope?: readonly string[]) =>
    [
      `Bearer realm="${realm}"`,
      ...(error ? [`error="${error}"`, `error_description="${message}"`] : []),
      ...(scope && scope.length > 0 ? [`scope="${scope.join(' ')}"`] : []),
    ].join(', ');
  switch (kind) {
    case 'authenticate':
      return { exception: new UnauthorizedException(response), challenge: challenge() };
    case 'invalid_request':
      return { exception: new BadRequestException(response), challenge: challenge(kind) };
    case 'invalid_token':
      return { exception: new UnauthorizedException(response), challenge: challenge(kind) };
    case 'insufficient_scope':
      return {
        exception: new ForbiddenException(response),
        challenge: challenge(kind, decision.requiredScopes),
      };
    case 'unavailable':
      return { exception: new ServiceUnavailableException(response) };
  }
}
