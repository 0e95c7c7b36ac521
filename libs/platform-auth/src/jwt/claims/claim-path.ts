/**
 * A path to a claim: `'realm_access.roles'` (split on dots) or an array of exact segments, for
 * claim names that contain dots themselves (`['https://example.com/roles']`).
 */
export type ClaimPath = string | readonly string[];

const FORBIDDEN_SEGMENTS = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * Normalises a claim path to its segments.
 * @throws TypeError when the path is empty or names a prototype property.
 */
export function claimPathSegments(path: ClaimPath, option: string): readonly string[] {
  const segments = typeof path === 'string' ? path.split('.') : path;
  if (
    !Array.isArray(segments) ||
    segments.length === 0 ||
    segments.some((segment) => typeof segment !== 'string' || segment.length === 0)
  ) {
    throw new TypeError(
      `JwtAuthModule: option "${option}" must be a non-empty string or string array.`,
    );
  }
  for (const segment of segments) {
    if (FORBIDDEN_SEGMENTS.has(segment)) {
      throw new TypeError(
        `JwtAuthModule: option "${option}" names "${segment}", which is not allowed.`,
      );
    }
  }
  return Object.freeze([...segments]);
}

/**
 * Reads a claim by path through own properties of plain objects only: a claim named
 * `__proto__` or `constructor` is data, never a way into a prototype.
 */
export function readClaim(claims: Record<string, unknown>, segments: readonly string[]): unknown {
  let value: unknown = claims;
  for (const segment of segments) {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
    if (!Object.hasOwn(value, segment)) return undefined;
    value = (value as Record<string, unknown>)[segment];
  }
  return value;
}

/** A top-level claim, read as an own property only (never `__proto__`'s or `constructor`'s). */
export function ownClaim(claims: Record<string, unknown>, name: string): unknown {
  return Object.hasOwn(claims, name) ? claims[name] : undefined;
}

/**
 * A scope claim: a space-separated string (`scope`, Entra's `scp`) or an array of strings
 * (Okta's `scp`). Anything else, or an array with a non-string member, grants nothing.
 */
export function scopeList(value: unknown): readonly string[] {
  if (typeof value === 'string') return value.split(' ').filter((scope) => scope.length > 0);
  return stringArray(value);
}

/** A list claim that must be an array of non-empty strings; anything else grants nothing. */
export function stringArray(value: unknown): readonly string[] {
  if (!Array.isArray(value)) return [];
  if (!value.every((item) => typeof item === 'string')) return [];
  return value.filter((item: string) => item.length > 0);
}

/** A single non-empty string claim, or `undefined`. */
export function stringClaim(value: unknown): string | undefined {
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}
