import type { JWSHeaderParameters } from 'jose';

/** What {@link checkRegisteredClaims} concluded. */
export type ClaimsVerdict = 'valid' | 'invalid' | 'expired';

/** The registered-claim rules one trusted issuer's tokens must satisfy. */
export interface RegisteredClaimRules {
  /** Exact `iss`. */
  readonly issuer: string;
  /** Where the audience is: `aud` (string or array), or `client_id` (Cognito access tokens). */
  readonly audienceClaim: 'aud' | 'client_id';
  /** Accepted audiences; one of them must be present. */
  readonly audiences: readonly string[];
  /** Claims that must be present (own properties), whatever their value. */
  readonly requiredClaims: readonly string[];
  /** Claims that must be non-empty strings (`sub`, `client_id`, `jti`…). */
  readonly stringClaims: readonly string[];
  /** Required `typ` header, if any, as a {@link mediaType} (`mediaType('at+jwt')`). */
  readonly typ?: string;
  readonly clockToleranceS: number;
}

/**
 * RFC 7519 §4.1 and RFC 9068 §4 checks of a JWT whose signature jose has verified, run on the
 * header and claims decoded once from the signed segments. The rules and their order are those
 * of jose's `jwtVerify` (typ, presence, `iss`, audience, `nbf`, `exp`; an unencoded payload
 * never gets here: `decodeUnverifiedJwt` refuses `crit` and `b64` before any crypto), with these
 * differences, all stricter:
 *
 * - the profile's string claims must be non-empty strings (jose only checks presence);
 * - `exp` is required, and `iat`, `nbf` and `exp` must be finite numbers when present (jose
 *   lets `1e400`, parsed as `Infinity`, through as a date that never comes);
 * - an `iat` in the future beyond the tolerance is refused (jose checks `iat` only with a
 *   maximum token age).
 *
 * `expired` is reserved for a token that is valid in every other respect checked here but
 * whose `exp` lies beyond the tolerance, so a client is told to refresh only when that helps.
 */
export function checkRegisteredClaims(
  header: JWSHeaderParameters,
  claims: Readonly<Record<string, unknown>>,
  rules: RegisteredClaimRules,
  nowMs: number,
): ClaimsVerdict {
  if (rules.typ !== undefined && !isMediaType(header.typ, rules.typ)) return 'invalid';
  for (const name of rules.requiredClaims) {
    if (!Object.hasOwn(claims, name)) return 'invalid';
  }
  for (const name of rules.stringClaims) {
    const value = claims[name];
    if (typeof value !== 'string' || value.length === 0) return 'invalid';
  }
  if (claims.iss !== rules.issuer) return 'invalid';
  if (!hasAudience(claims, rules)) return 'invalid';
  const { iat, nbf, exp } = claims;
  if (!isNumericDate(exp) || !isOptionalNumericDate(nbf) || !isOptionalNumericDate(iat)) {
    return 'invalid';
  }
  // Whole seconds, as jose compares them: a token is valid up to the end of its `exp` second.
  const nowS = Math.floor(nowMs / 1000);
  const tolerance = rules.clockToleranceS;
  if (nbf !== undefined && nbf > nowS + tolerance) return 'invalid';
  if (iat !== undefined && iat > nowS + tolerance) return 'invalid';
  return exp <= nowS - tolerance ? 'expired' : 'valid';
}

/**
 * A `typ` value as the media type it names (RFC 7515 §4.1.9, RFC 8725 §3.11): lower case, with
 * `application/` added when it has no top-level type (`AT+JWT` → `application/at+jwt`).
 */
export function mediaType(value: string): string {
  const lower = value.toLowerCase();
  return lower.includes('/') ? lower : `application/${lower}`;
}

/**
 * Whether a `typ` header names `expected`, a {@link mediaType} computed once: so `at+jwt`,
 * `AT+JWT` and `application/at+jwt` all name `application/at+jwt`, and any other top-level type
 * does not. Non-strings never match.
 */
export function isMediaType(typ: unknown, expected: string): boolean {
  return typeof typ === 'string' && mediaType(typ) === expected;
}

/**
 * The token names one of the accepted audiences: an `aud` string or an `aud` array containing
 * one (RFC 7519 §4.1.3), or a `client_id` string equal to one.
 */
function hasAudience(
  claims: Readonly<Record<string, unknown>>,
  rules: RegisteredClaimRules,
): boolean {
  const value = rules.audienceClaim === 'aud' ? claims.aud : claims.client_id;
  if (typeof value === 'string') return rules.audiences.includes(value);
  if (rules.audienceClaim === 'aud' && Array.isArray(value)) {
    return rules.audiences.some((audience) => value.includes(audience));
  }
  return false;
}

function isNumericDate(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

function isOptionalNumericDate(value: unknown): value is number | undefined {
  return value === undefined || isNumericDate(value);
}
