import {
  errors,
  type JWSHeaderParameters,
  type JWTClaimVerificationOptions,
  UnsecuredJWT,
} from 'jose';

/** What {@link checkRegisteredClaims} concluded, with the claims jose parsed when valid. */
export type ClaimsCheck =
  | { readonly verdict: 'valid'; readonly claims: Record<string, unknown> }
  | { readonly verdict: 'invalid' | 'expired'; readonly claims?: undefined };

/** The registered-claim rules one trusted issuer's tokens must satisfy. */
export interface RegisteredClaimRules {
  /** Exact `iss`. */
  readonly issuer: string;
  /** Where the audience is: `aud` (string or array), or `client_id` (Cognito access tokens). */
  readonly audienceClaim: 'aud' | 'client_id';
  /** Accepted audiences; one of them must be present. */
  readonly audiences: readonly string[];
  /** Claims that must be present, whatever their value. */
  readonly requiredClaims: readonly string[];
  /** Claims that must be non-empty strings (`sub`, `client_id`, `jti`…). */
  readonly stringClaims: readonly string[];
  /** Required `typ` header, if any (`at+jwt`: compared as media types, as jose does). */
  readonly typ?: string;
  readonly clockToleranceS: number;
}

/** {@link RegisteredClaimRules} with jose's options computed once. */
export interface CompiledClaimRules extends RegisteredClaimRules {
  readonly jose: Readonly<JWTClaimVerificationOptions>;
}

const INVALID: ClaimsCheck = Object.freeze({ verdict: 'invalid' });
const EXPIRED: ClaimsCheck = Object.freeze({ verdict: 'expired' });

/** jose's options for these rules (presence, `iss`, `aud`, `typ`, time with tolerance). */
export function compileClaimRules(rules: RegisteredClaimRules): CompiledClaimRules {
  return Object.freeze({
    ...rules,
    jose: Object.freeze({
      issuer: rules.issuer,
      ...(rules.audienceClaim === 'aud' && { audience: [...rules.audiences] }),
      requiredClaims: [...new Set([...rules.requiredClaims, 'exp'])],
      ...(rules.typ !== undefined && { typ: rules.typ }),
      clockTolerance: rules.clockToleranceS,
    }),
  });
}

/**
 * RFC 7519 §4.1 and RFC 9068 §4 checks of a JWT whose signature is verified: jose's own claim
 * rules, exactly those `jwtVerify` runs (`typ` as a media type, presence, `iss`, `aud`, `nbf`,
 * `exp`, with the tolerance), applied to the signed payload segment through jose's
 * `UnsecuredJWT.decode` (its one entry to those rules that does not also verify a signature:
 * the signature was checked before, on `node:crypto` or by jose). On top, stricter than jose:
 *
 * - the profile's string claims must be non-empty strings (jose only checks presence);
 * - `exp` is required, and `iat`, `nbf` and `exp` must be finite (jose lets `1e400`, parsed as
 *   `Infinity`, through as a date that never comes);
 * - an `iat` in the future beyond the tolerance is refused (jose checks `iat` only with a
 *   maximum token age);
 * - with the audience in `client_id` (Cognito), that claim must name an accepted audience.
 *
 * `expired` is reserved for a token that is valid in every other respect checked here but
 * whose `exp` lies beyond the tolerance, so a client is told to refresh only when that helps.
 */
export function checkRegisteredClaims(
  header: JWSHeaderParameters,
  payloadSegment: string,
  rules: CompiledClaimRules,
  nowMs: number,
): ClaimsCheck {
  let claims: Record<string, unknown>;
  let expired = false;
  try {
    claims = UnsecuredJWT.decode(`${unsecuredHeader(header.typ)}.${payloadSegment}.`, {
      ...rules.jose,
      currentDate: new Date(nowMs),
    }).payload;
  } catch (error) {
    if (error instanceof errors.JWTExpired) {
      claims = error.payload;
      expired = true;
    } else if (error instanceof errors.JOSEError) {
      return INVALID;
    } else {
      throw error;
    }
  }
  if (!meetsStricterRules(claims, rules, Math.floor(nowMs / 1000))) return INVALID;
  return expired ? EXPIRED : { verdict: 'valid', claims };
}

function meetsStricterRules(
  claims: Readonly<Record<string, unknown>>,
  rules: RegisteredClaimRules,
  nowS: number,
): boolean {
  for (const name of rules.stringClaims) {
    const value = claims[name];
    if (typeof value !== 'string' || value.length === 0) return false;
  }
  if (rules.audienceClaim === 'client_id') {
    const clientId = claims.client_id;
    if (typeof clientId !== 'string' || !rules.audiences.includes(clientId)) return false;
  }
  const { iat, nbf, exp } = claims;
  if (!isNumericDate(exp) || !isOptionalNumericDate(nbf) || !isOptionalNumericDate(iat)) {
    return false;
  }
  return iat === undefined || iat <= nowS + rules.clockToleranceS;
}

const UNSECURED_HEADERS = new Map<unknown, string>();

/**
 * The protected header jose's `UnsecuredJWT.decode` takes (`alg: none`), with the token's
 * `typ`, so jose applies its `typ` rule to the token's own value. Cached for string values (a
 * handful per app; other values are never cached).
 */
function unsecuredHeader(typ: unknown): string {
  const cached = UNSECURED_HEADERS.get(typ);
  if (cached !== undefined) return cached;
  const encoded = Buffer.from(
    JSON.stringify(typ === undefined ? { alg: 'none' } : { alg: 'none', typ }),
  ).toString('base64url');
  if ((typ === undefined || typeof typ === 'string') && UNSECURED_HEADERS.size < 16) {
    UNSECURED_HEADERS.set(typ, encoded);
  }
  return encoded;
}

function isNumericDate(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

function isOptionalNumericDate(value: unknown): value is number | undefined {
  return value === undefined || isNumericDate(value);
}
