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
 *
 * DPoP (RFC 9449): `DPOP_PROOF_MISSING` (the `DPoP` scheme without a `DPoP` header),
 * `DPOP_PROOF_AMBIGUOUS` (more than one `DPoP` header) and `DPOP_PROOF_UNEXPECTED` (a `DPoP`
 * header beside the `Bearer` scheme) are malformed requests (400 `invalid_request`);
 * `DPOP_PROOF_INVALID` and `DPOP_PROOF_REPLAYED` are 401 `invalid_dpop_proof`;
 * `DPOP_NONCE_REQUIRED` is 401 `use_dpop_nonce` (with a `DPoP-Nonce` header); `DPOP_KEY_MISMATCH`
 * (the token's `cnf.jkt` is not the proof key's thumbprint), `DPOP_REQUIRED` (a bearer token on a
 * route that requires DPoP), `TOKEN_DPOP_BOUND` (a DPoP-bound token presented as `Bearer`) and
 * `TOKEN_NOT_DPOP_BOUND` (the `DPoP` scheme with a token that has no `cnf.jkt`) are 401
 * `invalid_token`. `INSUFFICIENT_USER_AUTHENTICATION` (RFC 9470 step-up: the token's `acr` or
 * `auth_time` does not meet the route's `@RequireAuthentication()`) is 401
 * `insufficient_user_authentication` with `acr_values`/`max_age`.
 */
export type ChallengeReason =
  | 'CREDENTIALS_MISSING'
  | 'CREDENTIALS_MALFORMED'
  | 'CREDENTIALS_AMBIGUOUS'
  | 'TOKEN_INVALID'
  | 'TOKEN_EXPIRED'
  | 'SNAPSHOT_INVALID'
  | 'SNAPSHOT_EXPIRED'
  | 'SNAPSHOT_REPLAYED'
  | 'DPOP_PROOF_MISSING'
  | 'DPOP_PROOF_AMBIGUOUS'
  | 'DPOP_PROOF_UNEXPECTED'
  | 'DPOP_PROOF_INVALID'
  | 'DPOP_PROOF_REPLAYED'
  | 'DPOP_NONCE_REQUIRED'
  | 'DPOP_KEY_MISMATCH'
  | 'DPOP_REQUIRED'
  | 'TOKEN_DPOP_BOUND'
  | 'TOKEN_NOT_DPOP_BOUND'
  | 'INSUFFICIENT_USER_AUTHENTICATION';

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
