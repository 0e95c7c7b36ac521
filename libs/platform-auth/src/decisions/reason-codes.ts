/** Reason codes of an `ALLOW` decision. */
export type AllowReason = 'ALLOWED';

/**
 * Reason codes of a `CHALLENGE` decision. `CREDENTIALS_MALFORMED` (credentials that do not
 * match RFC 6750 §2.1 `"Bearer" 1*SP b64token`: empty, two tokens, tabs, commas, other
 * characters; a snapshot that is not a b64token) and `CREDENTIALS_AMBIGUOUS` (more than one
 * header or parameter carrying credentials) are malformed requests: HTTP 400
 * `invalid_request`. `CREDENTIALS_MISSING` is a bare 401 challenge; the others are 401
 * `invalid_token`. `SNAPSHOT_*` are the same refusals for an auth-context snapshot
 * (`SNAPSHOT_REPLAYED`: the snapshot was already used for another request or message).
 */
export type ChallengeReason =
  | 'CREDENTIALS_MISSING'
  | 'CREDENTIALS_MALFORMED'
  | 'CREDENTIALS_AMBIGUOUS'
  | 'TOKEN_INVALID'
  | 'TOKEN_EXPIRED'
  | 'SNAPSHOT_INVALID'
  | 'SNAPSHOT_EXPIRED'
  | 'SNAPSHOT_REPLAYED';

/** Reason codes of a `DENY` decision (authenticated caller, not permitted). */
export type DenyReason =
  | 'INSUFFICIENT_SCOPE'
  | 'INSUFFICIENT_ROLE'
  | 'PERMISSION_DENIED'
  | 'POLICY_DENIED'
  | 'RELATION_DENIED'
  | 'TENANT_MISMATCH'
  | 'REFERENCE_UNRESOLVED';

/**
 * Reason codes of an `ERROR` decision (nothing could be decided; HTTP 503):
 * - `DEPENDENCY_UNAVAILABLE`: a provider reported its backend down (JWKS, policy engine);
 * - `PROVIDER_FAILED`: a provider threw;
 * - `PROVIDER_CONTRACT_VIOLATION`: a provider returned something that is not a decision/context;
 * - `ROUTE_NOT_REGISTERED`: the handler was not seen at boot, so its requirements are unknown;
 * - `UNSUPPORTED_CONTEXT`: the execution context (transport) is not one the guard understands;
 * - `GUARD_NOT_APPLIED`: a decorated handler was invoked without the app-wide guard having run
 *   for it (e.g. a microservice that does not inherit the app's guards).
 */
export type ErrorReason =
  | 'DEPENDENCY_UNAVAILABLE'
  | 'PROVIDER_FAILED'
  | 'PROVIDER_CONTRACT_VIOLATION'
  | 'ROUTE_NOT_REGISTERED'
  | 'UNSUPPORTED_CONTEXT'
  | 'GUARD_NOT_APPLIED';

/** Every stable reason code. */
export type AuthReasonCode = AllowReason | ChallengeReason | DenyReason | ErrorReason;
