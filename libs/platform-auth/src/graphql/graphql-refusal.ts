import { IntrinsicException } from '@nestjs/common';
import type { AuthorizationDecision } from '../decisions/authorization-decision.js';
import { toHttpRefusal } from '../decisions/decision-http.mapper.js';
import { DECISION_MESSAGES } from '../decisions/decision-messages.js';
import { type RefusalKind, type RefusalStatus, refusalKind } from '../decisions/decision-status.js';
import type { AuthReasonCode } from '../decisions/reason-codes.js';

/** The `extensions.code` of a GraphQL refusal. */
export type GraphqlRefusalCode =
  'UNAUTHENTICATED' | 'BAD_REQUEST' | 'FORBIDDEN' | 'SERVICE_UNAVAILABLE';

/** What a refused GraphQL field or operation carries in `extensions` (never token content). */
export interface GraphqlRefusalExtensions {
  readonly code: GraphqlRefusalCode;
  /** The decision's stable reason (`TOKEN_EXPIRED`, `INSUFFICIENT_SCOPE`, …). */
  readonly reason: AuthReasonCode;
}

/**
 * The decision → GraphQL table, from the one decision table (`refusalKind`):
 *
 * | decision                         | `extensions.code`     | HTTP status (request level) |
 * |----------------------------------|-----------------------|-----------------------------|
 * | CHALLENGE `CREDENTIALS_MISSING`  | `UNAUTHENTICATED`     | 401 + `WWW-Authenticate`    |
 * | CHALLENGE malformed or ambiguous | `BAD_REQUEST`         | 400 + `WWW-Authenticate`    |
 * | CHALLENGE other                  | `UNAUTHENTICATED`     | 401 + `WWW-Authenticate`    |
 * | DENY                             | `FORBIDDEN`           | 403 + `WWW-Authenticate`    |
 * | ERROR                            | `SERVICE_UNAVAILABLE` | 503                         |
 */
const CODES: Readonly<Record<RefusalKind, GraphqlRefusalCode>> = {
  authenticate: 'UNAUTHENTICATED',
  invalid_token: 'UNAUTHENTICATED',
  invalid_dpop_proof: 'UNAUTHENTICATED',
  use_dpop_nonce: 'UNAUTHENTICATED',
  insufficient_user_authentication: 'UNAUTHENTICATED',
  invalid_request: 'BAD_REQUEST',
  insufficient_scope: 'FORBIDDEN',
  unavailable: 'SERVICE_UNAVAILABLE',
};

/** graphql-ws close codes of a refused `connection_init`. */
const CLOSE_CODES: Readonly<Record<RefusalKind, number>> = {
  authenticate: 4401,
  invalid_token: 4401,
  invalid_dpop_proof: 4401,
  use_dpop_nonce: 4401,
  insufficient_user_authentication: 4401,
  invalid_request: 4400,
  insufficient_scope: 4403,
  // RFC 6455 §7.4.1 / IANA 1013 "Try Again Later": a dependency is down, not a bad token.
  unavailable: 1013,
};

/** A decision as GraphQL reports it. */
export interface GraphqlRefusal {
  readonly message: string;
  readonly extensions: GraphqlRefusalExtensions;
  /** The status a request-level refusal has (the same as on an HTTP route). */
  readonly status: RefusalStatus;
  /** `WWW-Authenticate` value, absent for 503. */
  readonly challenge?: string;
  /** The graphql-ws close code of a refused connection. */
  readonly closeCode: number;
}

/** Maps a non-`ALLOW` decision to its GraphQL form (an `ALLOW` here is refused as `ERROR`). */
export function toGraphqlRefusal(decision: AuthorizationDecision, realm: string): GraphqlRefusal {
  const kind = refusalKind(decision);
  const { exception, challenge } = toHttpRefusal(decision, realm);
  return {
    message: DECISION_MESSAGES[decision.reason],
    extensions: Object.freeze({ code: CODES[kind], reason: decision.reason }),
    status: exception.getStatus() as RefusalStatus,
    ...(challenge !== undefined && { challenge }),
    closeCode: CLOSE_CODES[kind],
  };
}

/**
 * What the guard throws for a refused resolver. graphql-js copies `extensions` from the error it
 * wraps, so the field's entry in `errors` carries `extensions.code` and `reason`, and the field
 * is `null`. An `IntrinsicException`, like Nest's `HttpException`: Nest's exception handler
 * does not log it as a failure (a refusal is an expected outcome).
 */
export class GraphqlRefusalError extends IntrinsicException {
  override readonly name = 'GraphqlRefusalError';
  readonly extensions: GraphqlRefusalExtensions;

  constructor(refusal: Pick<GraphqlRefusal, 'message' | 'extensions'>) {
    super(refusal.message);
    this.extensions = refusal.extensions;
  }
}
