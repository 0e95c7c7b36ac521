import { createLocalJWKSet, type JSONWebKeySet } from 'jose';
import {
  type ClaimsProfile,
  type ClaimsProfileName,
  type ClaimsProfileOptions,
  resolveClaimsProfile,
} from './claims/claims-profile.js';
import { DEFAULT_JWT_ALGORITHMS, JWT_ALGORITHMS, type JwtAlgorithm } from '../jose/algorithms.js';

export { DEFAULT_JWT_ALGORITHMS, JWT_ALGORITHMS, type JwtAlgorithm };

/** One trusted token issuer. */
export interface JwtIssuerOptions {
  /** The exact `iss` value, also the base of OIDC discovery. */
  issuer: string;
  /** Required audience: the token must name (one of) these. */
  audience: string | readonly string[];
  /** @default ['RS256', 'PS256', 'ES256', 'EdDSA'] */
  algorithms?: readonly JwtAlgorithm[];
  /** Key set URL. Without it (and without `jwks`), `jwks_uri` comes from OIDC discovery. */
  jwksUri?: string;
  /** A fixed key set instead of a URL (air-gapped deployments, the testing kit). */
  jwks?: JSONWebKeySet;
  /** How claims map to scopes, roles and tenant. @default 'generic' */
  claims?: ClaimsProfileName | ClaimsProfileOptions;
}

/** Options of `JwtAuthModule.forRoot()` / `forRootAsync()`. */
export interface JwtAuthModuleOptions {
  /** Trusted issuers; the unverified `iss` only selects among them. */
  issuers: readonly JwtIssuerOptions[];
  /** Leeway for `exp`, `nbf` and `iat`, in seconds. @default 30 */
  clockToleranceS?: number;
  /** Tokens longer than this (characters) are refused before any decoding. @default 8192 */
  maxTokenLength?: number;
  /**
   * Allow `http://` issuer and key-set URLs. Development and tests only; logs a warning.
   * @default false
   */
  allowHttp?: boolean;
  /** Limits of discovery and key-set fetches. */
  jwks?: {
    /** @default 5000 */
    timeoutMs?: number;
    /** @default 262144 (256 KiB) */
    maxBytes?: number;
    /** Minimum time between fetches caused by unknown `kid`s or failures (at least 1000). @default 30000 */
    cooldownMs?: number;
    /** Background refresh after this age. @default 600000 (10 min) */
    maxAgeMs?: number;
  };
  /**
   * Cache of successful verifications keyed by the exact token, never used past the token's
   * `exp`, emptied when a key set changes. A token enters it on its second successful
   * verification, so tokens presented once never displace reused ones. `false` turns it off.
   * @default { maxEntries: 10000 }
   */
  verificationCache?: { maxEntries?: number } | false;
  /** The `fetch` used for discovery and key sets. @default globalThis.fetch */
  fetch?: typeof fetch;
  /** Time source (epoch ms), for tests. @default Date.now */
  now?: () => number;
}

/** One issuer after validation. */
export interface ResolvedIssuer {
  readonly issuer: string;
  readonly audiences: readonly string[];
  readonly algorithms: readonly JwtAlgorithm[];
  readonly keys:
    | { readonly kind: 'static'; readonly jwks: JSONWebKeySet }
    | { readonly kind: 'remote'; readonly jwksUri?: URL };
  readonly profile: ClaimsProfile;
}

/** Options after validation and defaults. */
export interface ResolvedJwtAuthOptions {
  readonly issuers: readonly ResolvedIssuer[];
  readonly clockToleranceS: number;
  readonly maxTokenLength: number;
  readonly allowHttp: boolean;
  readonly jwks: {
    readonly timeoutMs: number;
    readonly maxBytes: number;
    readonly cooldownMs: number;
    readonly maxAgeMs: number;
  };
  readonly verificationCacheSize: number;
  readonly fetch: typeof fetch;
  readonly now: () => number;
}

const KNOWN = new Set([
  'issuers',
  'clockToleranceS',
  'maxTokenLength',
  'allowHttp',
  'jwks',
  'verificationCache',
  'fetch',
  'now',
]);
const KNOWN_ISSUER = new Set(['issuer', 'audience', 'algorithms', 'jwksUri', 'jwks', 'claims']);

/**
 * Validates options and applies defaults.
 * @throws TypeError naming the offending option.
 */
export function resolveJwtAuthOptions(options: JwtAuthModuleOptions): ResolvedJwtAuthOptions {
  if (typeof options !== 'object' || options === null) {
    throw new TypeError('JwtAuthModule: options must be an object.');
  }
  unknownKeys(options, KNOWN, 'JwtAuthModule');
  const allowHttp = options.allowHttp ?? false;
  if (typeof allowHttp !== 'boolean') throw optionError('allowHttp', 'must be a boolean');
  if (!Array.isArray(options.issuers) || options.issuers.length === 0) {
    throw optionError('issuers', 'must list at least one issuer');
  }
  const issuers = options.issuers.map((issuer, index) =>
    resolveIssuer(issuer, `issuers[${index}]`, allowHttp),
  );
  const seen = new Set<string>();
  for (const { issuer } of issuers) {
    if (seen.has(issuer)) throw optionError('issuers', `lists "${issuer}" twice`);
    seen.add(issuer);
  }
  const jwks = options.jwks ?? {};
  const cache = options.verificationCache ?? {};
  if (cache !== false && (typeof cache !== 'object' || cache === null)) {
    throw optionError('verificationCache', 'must be an object or false');
  }
  const fetchImpl = options.fetch ?? globalThis.fetch.bind(globalThis);
  if (typeof fetchImpl !== 'function') throw optionError('fetch', 'must be a function');
  const now = options.now ?? Date.now;
  if (typeof now !== 'function') throw optionError('now', 'must be a function');

  return Object.freeze({
    issuers: Object.freeze(issuers),
    clockToleranceS: integer(options.clockToleranceS, 30, 0, 300, 'clockToleranceS'),
    maxTokenLength: integer(options.maxTokenLength, 8192, 256, 16_384, 'maxTokenLength'),
    allowHttp,
    jwks: Object.freeze({
      timeoutMs: integer(jwks.timeoutMs, 5000, 100, 60_000, 'jwks.timeoutMs'),
      maxBytes: integer(jwks.maxBytes, 262_144, 1024, 10_485_760, 'jwks.maxBytes'),
      cooldownMs: integer(jwks.cooldownMs, 30_000, 1000, 3_600_000, 'jwks.cooldownMs'),
      maxAgeMs: integer(jwks.maxAgeMs, 600_000, 1000, 86_400_000, 'jwks.maxAgeMs'),
    }),
    verificationCacheSize:
      cache === false
        ? 0
        : integer(cache.maxEntries, 10_000, 1, 100_000, 'verificationCache.maxEntries'),
    fetch: fetchImpl,
    now,
  });
}

function resolveIssuer(raw: JwtIssuerOptions, option: string, allowHttp: boolean): ResolvedIssuer {
  if (typeof raw !== 'object' || raw === null) throw optionError(option, 'must be an object');
  unknownKeys(raw, KNOWN_ISSUER, `JwtAuthModule: option "${option}"`);
  const issuer = url(raw.issuer, `${option}.issuer`, allowHttp);
  const audiences = typeof raw.audience === 'string' ? [raw.audience] : raw.audience;
  if (
    !Array.isArray(audiences) ||
    audiences.length === 0 ||
    audiences.some((audience) => typeof audience !== 'string' || audience.length === 0)
  ) {
    throw optionError(`${option}.audience`, 'must be a non-empty string or string array');
  }
  const algorithms = raw.algorithms ?? DEFAULT_JWT_ALGORITHMS;
  if (!Array.isArray(algorithms) || algorithms.length === 0) {
    throw optionError(`${option}.algorithms`, 'must be a non-empty array');
  }
  for (const algorithm of algorithms) {
    if (!(JWT_ALGORITHMS as readonly string[]).includes(algorithm)) {
      throw optionError(
        `${option}.algorithms`,
        `"${String(algorithm)}" is not allowed (asymmetric only: ${JWT_ALGORITHMS.join(', ')})`,
      );
    }
  }
  if (raw.jwks !== undefined && raw.jwksUri !== undefined) {
    throw optionError(option, 'takes "jwks" or "jwksUri", not both');
  }
  let keys: ResolvedIssuer['keys'];
  if (raw.jwks !== undefined) {
    try {
      createLocalJWKSet(raw.jwks);
    } catch {
      throw optionError(`${option}.jwks`, 'is not a valid JSON Web Key Set');
    }
    keys = { kind: 'static', jwks: structuredClone(raw.jwks) };
  } else {
    keys = {
      kind: 'remote',
      ...(raw.jwksUri !== undefined && {
        jwksUri: new URL(url(raw.jwksUri, `${option}.jwksUri`, allowHttp)),
      }),
    };
  }
  return Object.freeze({
    issuer,
    audiences: Object.freeze([...audiences]),
    algorithms: Object.freeze([...new Set(algorithms)]),
    keys: Object.freeze(keys),
    profile: resolveClaimsProfile(raw.claims, `${option}.claims`),
  });
}

function url(value: unknown, option: string, allowHttp: boolean): string {
  if (typeof value !== 'string' || !URL.canParse(value)) {
    throw optionError(option, 'must be an absolute URL');
  }
  const { protocol } = new URL(value);
  if (protocol === 'https:' || (protocol === 'http:' && allowHttp)) return value;
  throw optionError(
    option,
    protocol === 'http:'
      ? 'uses http://, refused unless allowHttp is true (PLATFORM_AUTH_ALLOW_HTTP=true)'
      : 'must be an https:// URL',
  );
}

function integer(
  value: unknown,
  fallback: number,
  min: number,
  max: number,
  option: string,
): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw optionError(option, `must be an integer from ${min} to ${max}`);
  }
  return value;
}

function unknownKeys(value: object, known: ReadonlySet<string>, owner: string): void {
  for (const key of Object.keys(value)) {
    if (!known.has(key)) {
      throw new TypeError(`${owner}: unknown option "${key}" (known: ${[...known].join(', ')}).`);
    }
  }
}

function optionError(option: string, problem: string): TypeError {
  return new TypeError(`JwtAuthModule: option "${option}" ${problem}.`);
}
