import { createHash } from 'node:crypto';

/**
 * Everything that makes two tokens interchangeable. Two providers share cached tokens only when
 * every field is equal; anything that changes what a token grants is part of the key.
 */
export type TokenCacheKey =
  | {
      readonly kind: 'oauth';
      /** Issuer identifier, exactly as configured. */
      readonly issuer: string;
      readonly clientId: string;
      /** `client_credentials`, `refresh_token`, … */
      readonly grant: string;
      /** RFC 8707 resource indicator (the audience), if any. */
      readonly resource?: string;
      /** Normalised with {@link normaliseScopes}. */
      readonly scopes: readonly string[];
      /** Who the token is for (the user of a refresh-token grant), if anyone. */
      readonly subject?: string;
      /**
       * RFC 7638 thumbprint of the DPoP key the tokens are bound to (RFC 9449 `cnf.jkt`), so a
       * DPoP-bound token is only ever used with its key; absent for bearer tokens.
       */
      readonly jkt?: string;
    }
  | {
      readonly kind: 'external';
      /** The external provider's identity. */
      readonly id: string;
    };

/**
 * Scopes as a sorted list without duplicates or empty entries, so `'b a a'` and `['a', 'b']` are
 * the same scope set.
 */
export function normaliseScopes(scope: string | readonly string[] | undefined): string[] {
  const parts =
    typeof scope === 'string' ? scope.split(/\s+/) : (scope ?? []).flatMap((s) => s.split(/\s+/));
  return [...new Set(parts.filter(Boolean))].sort();
}

/**
 * The storage key of a {@link TokenCacheKey}: SHA-256 (hex) of its canonical JSON (keys sorted,
 * absent fields dropped), prefixed with a version. Safe as a file name or a Redis key, and
 * reveals nothing about the issuer, client or subject.
 */
export function serialiseCacheKey(key: TokenCacheKey): string {
  return `v1-${createHash('sha256').update(canonicalJson(key)).digest('hex')}`;
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}
