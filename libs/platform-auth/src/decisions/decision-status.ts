import type { AuthorizationDecision } from './authorization-decision.js';
import { DecisionState } from './decision-state.enum.js';
import type { AuthReasonCode } from './reason-codes.js';

/** The status a refusal has on HTTP, and that every other transport reports with it. */
export type RefusalStatus = 400 | 401 | 403 | 503;

/** What a refusal asks of the caller, after RFC 6750 §3.1's error codes. */
export type RefusalKind =
  /** No credentials: authenticate (401, a bare challenge). */
  | 'authenticate'
  /** Malformed or ambiguous credentials (400 `invalid_request`). */
  | 'invalid_request'
  /** Credentials that did not verify (401 `invalid_token`). */
  | 'invalid_token'
  /** A DPoP proof that did not verify or was replayed (401 `invalid_dpop_proof`, RFC 9449). */
  | 'invalid_dpop_proof'
  /** A DPoP proof without the server's current nonce (401 `use_dpop_nonce`, RFC 9449 §9). */
  | 'use_dpop_nonce'
  /** The authentication event is not strong or recent enough (401, RFC 9470 step-up). */
  | 'insufficient_user_authentication'
  /** Authenticated, not permitted (403 `insufficient_scope`). */
  | 'insufficient_scope'
  /** A dependency failed (503, never a bad token). */
  | 'unavailable';

const MALFORMED: ReadonlySet<AuthReasonCode> = new Set([
  'CREDENTIALS_MALFORMED',
  'CREDENTIALS_AMBIGUOUS',
  'DPOP_PROOF_MISSING',
  'DPOP_PROOF_AMBIGUOUS',
  'DPOP_PROOF_UNEXPECTED',
]);

const CHALLENGE_KINDS: Partial<Record<AuthReasonCode, RefusalKind>> = {
  DPOP_PROOF_INVALID: 'invalid_dpop_proof',
  DPOP_PROOF_REPLAYED: 'invalid_dpop_proof',
  DPOP_NONCE_REQUIRED: 'use_dpop_nonce',
  INSUFFICIENT_USER_AUTHENTICATION: 'insufficient_user_authentication',
};

const STATUS: Readonly<Record<RefusalKind, RefusalStatus>> = {
  authenticate: 401,
  invalid_request: 400,
  invalid_token: 401,
  invalid_dpop_proof: 401,
  use_dpop_nonce: 401,
  insufficient_user_authentication: 401,
  insufficient_scope: 403,
  unavailable: 503,
};

/**
 * The one decision → refusal table (HTTP, RPC, WebSocket and GraphQL map from it):
 *
 * | decision                         | kind                 | status |
 * |----------------------------------|----------------------|--------|
 * | CHALLENGE `CREDENTIALS_MISSING`  | `authenticate`       | 401    |
 * | CHALLENGE malformed or ambiguous | `invalid_request`    | 400    |
 * | CHALLENGE DPoP proof bad/replayed| `invalid_dpop_proof` | 401    |
 * | CHALLENGE DPoP nonce needed      | `use_dpop_nonce`     | 401    |
 * | CHALLENGE step-up (RFC 9470)     | `insufficient_user_authentication` | 401 |
 * | CHALLENGE other                  | `invalid_token`      | 401    |
 * | DENY                             | `insufficient_scope` | 403    |
 * | ERROR (and an ALLOW, fail closed)| `unavailable`        | 503    |
 */
export function refusalKind(decision: AuthorizationDecision): RefusalKind {
  switch (decision.state) {
    case DecisionState.Challenge:
      if (decision.reason === 'CREDENTIALS_MISSING') return 'authenticate';
      if (MALFORMED.has(decision.reason)) return 'invalid_request';
      return CHALLENGE_KINDS[decision.reason] ?? 'invalid_token';
    case DecisionState.Deny:
      return 'insufficient_scope';
    case DecisionState.Error:
    case DecisionState.Allow:
      return 'unavailable';
  }
}

/** The HTTP status of a refusal (see {@link refusalKind}). */
export function refusalStatus(decision: AuthorizationDecision): RefusalStatus {
  return STATUS[refusalKind(decision)];
}
