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

/** What shapes the challenges beside the decision: the schemes offered and the request's. */
export interface HttpChallengeContext {
  /** The scheme the request used, when one was recognised: its challenge carries the error. */
  readonly presented?: 'bearer' | 'dpop';
  /** DPoP is accepted: the `algs` of the `DPoP` challenge (RFC 9449 §7.1). Absent: DPoP is off. */
  readonly dpopAlgs?: readonly string[];
  /** The route takes DPoP-bound tokens only: no `Bearer` challenge. */
  readonly dpopRequired?: boolean;
  /** RFC 9728 §5.1 `resource_metadata`, added to every challenge. */
  readonly resourceMetadata?: string;
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
 * | CHALLENGE DPoP proof            | 401    | `… error="invalid_dpop_proof"` / `"use_dpop_nonce"`  |
 * | CHALLENGE step-up               | 401    | `… error="insufficient_user_authentication", acr_values="…", max_age="…"` |
 * | CHALLENGE other                 | 401    | `Bearer realm="…", error="invalid_token", …`         |
 * | DENY                            | 403    | `Bearer realm="…", error="insufficient_scope"[, scope="…"]` |
 * | ERROR                           | 503    | none                                                 |
 *
 * With DPoP on, a `DPoP realm="…", algs="…"` challenge follows the `Bearer` one (RFC 9449 §7.2),
 * and replaces it on a route that requires DPoP. The error goes in the challenge of the scheme the
 * request used, or in every challenge when it used none of them (RFC 9449 §7.2 Figure 19).
 *
 * @see https://www.rfc-editor.org/rfc/rfc6750#section-3
 */
export function toHttpRefusal(
  decision: AuthorizationDecision,
  realm: string,
  context: HttpChallengeContext = {},
): HttpRefusal {
  const message = MESSAGES[decision.reason];
  const kind = refusalKind(decision);
  const statusCode = refusalStatus(decision);
  const response = { statusCode, error: ERRORS[statusCode], message, reason: decision.reason };
  if (kind === 'unavailable') return { exception: new ServiceUnavailableException(response) };

  const offered: Array<'bearer' | 'dpop'> = [];
  if (!(context.dpopRequired && context.dpopAlgs)) offered.push('bearer');
  if (context.dpopAlgs) offered.push('dpop');
  const carrier =
    kind === 'authenticate'
      ? []
      : context.presented !== undefined && offered.includes(context.presented)
        ? [context.presented]
        : offered;
  const errorParams = (): string[] => {
    const params = [`error="${kind}"`, `error_description="${message}"`];
    if (kind === 'insufficient_scope' && decision.requiredScopes.length > 0) {
      params.push(`scope="${decision.requiredScopes.join(' ')}"`);
    }
    const stepUp = decision.stepUp;
    if (stepUp?.acrValues && stepUp.acrValues.length > 0) {
      params.push(`acr_values="${stepUp.acrValues.join(' ')}"`);
    }
    if (stepUp?.maxAgeS !== undefined) params.push(`max_age="${stepUp.maxAgeS}"`);
    return params;
  };
  const challenge = offered
    .map((scheme) =>
      [
        `${scheme === 'bearer' ? 'Bearer' : 'DPoP'} realm="${realm}"`,
        ...(carrier.includes(scheme) ? errorParams() : []),
        ...(scheme === 'dpop' ? [`algs="${context.dpopAlgs!.join(' ')}"`] : []),
        ...(context.resourceMetadata ? [`resource_metadata="${context.resourceMetadata}"`] : []),
      ].join(', '),
    )
    .join(', ');

  switch (statusCode) {
    case 400:
      return { exception: new BadRequestException(response), challenge };
    case 403:
      return { exception: new ForbiddenException(response), challenge };
    default:
      return { exception: new UnauthorizedException(response), challenge };
  }
}
