import { appendRequirements } from './append-requirements.js';

// RFC 9470 `acr_values` is space-separated inside a quoted string: NQCHAR values, no space.
const ACR_VALUE = /^[\x21\x23-\x5B\x5D-\x7E]+$/;

/** What `@RequireAuthentication()` requires of the caller's authentication event. */
export interface AuthenticationRequirementOptions {
  /** Acceptable `acr` values (any one of them), in order of preference. */
  acr?: string[];
  /** Seconds allowed since the user last actively authenticated (`auth_time`). */
  maxAgeS?: number;
}

/**
 * Step-up authentication (RFC 9470): requires the token's `acr` to be one of `acr` and/or its
 * `auth_time` to be at most `maxAgeS` seconds old. Otherwise 401 with
 * `WWW-Authenticate: Bearer error="insufficient_user_authentication", acr_values="…", max_age="…"`
 * (or `DPoP …` for a DPoP request), which tells the client to sign the user in again with those
 * `acr_values`/`max_age`. A token without the claim fails. Checked before any other requirement.
 *
 * @example `@RequireAuthentication({ acr: ['mfa'], maxAgeS: 300 })`
 * @throws TypeError when neither is given, or for an invalid value.
 */
export function RequireAuthentication(
  options: AuthenticationRequirementOptions,
): ClassDecorator & MethodDecorator {
  const name = '@RequireAuthentication()';
  if (typeof options !== 'object' || options === null) {
    throw new TypeError(`${name}: expected { acr?, maxAgeS? }.`);
  }
  const { acr, maxAgeS } = options;
  for (const key of Object.keys(options)) {
    if (key !== 'acr' && key !== 'maxAgeS') {
      throw new TypeError(`${name}: unknown option "${key}" (known: acr, maxAgeS).`);
    }
  }
  if (acr === undefined && maxAgeS === undefined) {
    throw new TypeError(`${name}: give acr, maxAgeS or both.`);
  }
  if (
    acr !== undefined &&
    (!Array.isArray(acr) ||
      acr.length === 0 ||
      !acr.every((value) => typeof value === 'string' && ACR_VALUE.test(value)))
  ) {
    throw new TypeError(
      `${name}: acr must be a non-empty list of values (printable ASCII, no space, '"' or '\\').`,
    );
  }
  if (maxAgeS !== undefined && (!Number.isSafeInteger(maxAgeS) || maxAgeS < 0)) {
    throw new TypeError(`${name}: maxAgeS must be a non-negative integer number of seconds.`);
  }
  return appendRequirements({
    kind: 'authentication',
    ...(acr !== undefined && { acr: Object.freeze([...acr]) }),
    ...(maxAgeS !== undefined && { maxAgeS }),
  });
}
