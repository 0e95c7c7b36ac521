import type { KeyObject } from 'node:crypto';
import type { CryptoKey, JSONWebKeySet, JWK } from 'jose';
import { JWT_ALGORITHMS, type JwtAlgorithm } from '../jwt/jwt-auth.options.js';
import { DEFAULT_SNAPSHOT_LIFETIME_S, MAX_SNAPSHOT_LIFETIME_S } from './auth-snapshot.constants.js';
import { weakHmacSecret } from './hmac-key-strength.js';
import type { ReplayStore } from './replay-store.port.js';

/** HMAC algorithms of the shared-secret option. */
export const SNAPSHOT_HMAC_ALGORITHMS = ['HS256', 'HS384', 'HS512'] as const;

/** An algorithm of {@link SNAPSHOT_HMAC_ALGORITHMS}. */
export type SnapshotHmacAlgorithm = (typeof SNAPSHOT_HMAC_ALGORITHMS)[number];

/** An asymmetric signing key (the default, recommended form). */
export interface SnapshotPrivateKey {
  /** `kid` written in the header; verifiers pick the key by it (rotation). */
  kid: string;
  /** The private key: a `CryptoKey`, a `KeyObject` or a private JWK. */
  privateKey: CryptoKey | KeyObject | JWK;
  /** @default 'ES256' */
  algorithm?: JwtAlgorithm;
}

/** A shared HMAC secret: at least 256 bits of real entropy, checked at boot. */
export interface SnapshotSecret {
  kid: string;
  /** Random bytes (`crypto.randomBytes(32)`), not a password. */
  secret: Uint8Array;
  /** @default 'HS256' */
  algorithm?: SnapshotHmacAlgorithm;
}

/** Options of `AuthSnapshotModule.forRoot()` / `forRootAsync()`. */
export interface AuthSnapshotModuleOptions {
  /** The trust domain: the `aud` of every snapshot minted and required of every snapshot verified. */
  trustDomain: string;
  /** This service's name: the `iss` of the snapshots it mints. */
  issuer: string;
  /** Minting services whose snapshots are accepted. @default [issuer] */
  trustedIssuers?: readonly string[];
  /** The key this service signs with. */
  signingKey: SnapshotPrivateKey | SnapshotSecret;
  /**
   * Keys snapshots are verified with, selected by `kid`: the public JWK set of the trust domain
   * (asymmetric signing key) or the shared secrets (HMAC). Keep the previous key here while
   * rotating. @default the public half of `signingKey` (or the secret itself)
   */
  verificationKeys?: JSONWebKeySet | readonly SnapshotSecret[];
  /** Lifetime of minted snapshots in seconds, at most 300. @default 60 */
  lifetimeS?: number;
  /** Leeway for `exp` and for an `iat` in the future, in seconds (at most 60). @default 5 */
  clockToleranceS?: number;
  /** Longer snapshots are refused before any decoding (characters). @default 8192 */
  maxLength?: number;
  /**
   * Replay protection. `true`: an in-process `MemoryReplayStore`; `{ store }`: your own
   * `ReplayStore` (shared between replicas); `false`: none.
   * @default true
   */
  replay?: boolean | { store: ReplayStore };
  /** Time source (epoch ms), for tests. @default Date.now */
  now?: () => number;
}

/** Options after validation and defaults (keys not imported yet). */
export interface ResolvedAuthSnapshotOptions {
  readonly trustDomain: string;
  readonly issuer: string;
  readonly trustedIssuers: readonly string[];
  readonly signingKey: Readonly<SnapshotPrivateKey | SnapshotSecret>;
  readonly algorithm: JwtAlgorithm | SnapshotHmacAlgorithm;
  readonly verificationKeys?: JSONWebKeySet | readonly SnapshotSecret[];
  readonly lifetimeS: number;
  readonly clockToleranceS: number;
  readonly maxLength: number;
  readonly replay: false | { readonly store?: ReplayStore };
  readonly now: () => number;
}

const KNOWN_OPTIONS = new Set([
  'trustDomain',
  'issuer',
  'trustedIssuers',
  'signingKey',
  'verificationKeys',
  'lifetimeS',
  'clockToleranceS',
  'maxLength',
  'replay',
  'now',
]);

/** Whether a key option is the shared-secret form. */
export function isSnapshotSecret(key: SnapshotPrivateKey | SnapshotSecret): key is SnapshotSecret {
  return 'secret' in key;
}

/**
 * Validates options and applies defaults. No I/O; secrets are never quoted.
 * @throws TypeError naming the offending option.
 */
export function resolveAuthSnapshotOptions(
  options: AuthSnapshotModuleOptions,
): ResolvedAuthSnapshotOptions {
  if (typeof options !== 'object' || options === null) {
    throw optionError('options', 'must be an object');
  }
  for (const key of Object.keys(options)) {
    if (!KNOWN_OPTIONS.has(key)) {
      throw optionError(key, `is unknown (known: ${[...KNOWN_OPTIONS].join(', ')})`);
    }
  }
  const trustDomain = nonEmptyString(options.trustDomain, 'trustDomain');
  const issuer = nonEmptyString(options.issuer, 'issuer');
  const trustedIssuers = options.trustedIssuers ?? [issuer];
  if (!Array.isArray(trustedIssuers) || trustedIssuers.length === 0) {
    throw optionError('trustedIssuers', 'must be a non-empty array of strings');
  }
  trustedIssuers.forEach((value, i) => nonEmptyString(value, `trustedIssuers[${i}]`));

  const signingKey = options.signingKey;
  if (typeof signingKey !== 'object' || signingKey === null) {
    throw optionError('signingKey', 'must be { kid, privateKey } or { kid, secret }');
  }
  nonEmptyString(signingKey.kid, 'signingKey.kid');
  let algorithm: JwtAlgorithm | SnapshotHmacAlgorithm;
  if (isSnapshotSecret(signingKey)) {
    algorithm = hmacAlgorithm(signingKey, 'signingKey');
    const verificationKeys = options.verificationKeys;
    if (verificationKeys !== undefined) {
      if (!Array.isArray(verificationKeys) || verificationKeys.length === 0) {
        throw optionError(
          'verificationKeys',
          'must be a non-empty array of { kid, secret } with an HMAC signingKey',
        );
      }
      verificationKeys.forEach((key: SnapshotSecret, i) => {
        nonEmptyString(key?.kid, `verificationKeys[${i}].kid`);
        if (hmacAlgorithm(key, `verificationKeys[${i}]`) !== algorithm) {
          throw optionError(`verificationKeys[${i}].algorithm`, 'must equal the signing algorithm');
        }
      });
    }
  } else {
    algorithm = signingKey.algorithm ?? 'ES256';
    if (!JWT_ALGORITHMS.includes(algorithm)) {
      throw optionError('signingKey.algorithm', `must be one of ${JWT_ALGORITHMS.join(', ')}`);
    }
    if (typeof signingKey.privateKey !== 'object' || signingKey.privateKey === null) {
      throw optionError(
        'signingKey.privateKey',
        'must be a CryptoKey, a KeyObject or a private JWK',
      );
    }
    const verificationKeys = options.verificationKeys;
    if (verificationKeys !== undefined) {
      const keys = (verificationKeys as JSONWebKeySet).keys;
      if (Array.isArray(verificationKeys) || !Array.isArray(keys) || keys.length === 0) {
        throw optionError(
          'verificationKeys',
          'must be a JWK set { keys: [...] } with an asymmetric signingKey',
        );
      }
      keys.forEach((key, i) => {
        if (typeof key !== 'object' || key === null || key.kty === 'oct' || 'd' in key) {
          throw optionError(`verificationKeys.keys[${i}]`, 'must be a public asymmetric JWK');
        }
      });
    }
  }

  const lifetimeS =
    integer(options.lifetimeS, 'lifetimeS', 1, MAX_SNAPSHOT_LIFETIME_S) ??
    DEFAULT_SNAPSHOT_LIFETIME_S;
  const clockToleranceS = integer(options.clockToleranceS, 'clockToleranceS', 0, 60) ?? 5;
  const maxLength = integer(options.maxLength, 'maxLength', 256, 65_536) ?? 8192;
  const replay = options.replay ?? true;
  let resolvedReplay: ResolvedAuthSnapshotOptions['replay'];
  if (replay === false) resolvedReplay = false;
  else if (replay === true) resolvedReplay = {};
  else if (
    typeof replay === 'object' &&
    replay !== null &&
    typeof replay.store?.record === 'function'
  ) {
    resolvedReplay = { store: replay.store };
  } else {
    throw optionError('replay', 'must be a boolean or { store: ReplayStore }');
  }
  const now = options.now ?? Date.now;
  if (typeof now !== 'function') throw optionError('now', 'must be a function');

  return Object.freeze({
    trustDomain,
    issuer,
    trustedIssuers: Object.freeze([...trustedIssuers]),
    signingKey,
    algorithm,
    ...(options.verificationKeys !== undefined && { verificationKeys: options.verificationKeys }),
    lifetimeS,
    clockToleranceS,
    maxLength,
    replay: resolvedReplay,
    now,
  });
}

function hmacAlgorithm(key: SnapshotSecret, name: string): SnapshotHmacAlgorithm {
  const algorithm = key.algorithm ?? 'HS256';
  if (!SNAPSHOT_HMAC_ALGORITHMS.includes(algorithm)) {
    throw optionError(`${name}.algorithm`, `must be one of ${SNAPSHOT_HMAC_ALGORITHMS.join(', ')}`);
  }
  if (!(key.secret instanceof Uint8Array)) {
    throw optionError(`${name}.secret`, 'must be a Uint8Array of random bytes');
  }
  const weakness = weakHmacSecret(key.secret);
  if (weakness !== undefined) {
    throw optionError(`${name}.secret`, `${weakness}. Generate one with crypto.randomBytes(32)`);
  }
  return algorithm;
}

function nonEmptyString(value: unknown, name: string): string {
  if (typeof value !== 'string' || value.length === 0)
    throw optionError(name, 'must be a non-empty string');
  return value;
}

function integer(value: unknown, name: string, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw optionError(name, `must be an integer from ${min} to ${max}`);
  }
  return value;
}

function optionError(name: string, problem: string): TypeError {
  return new TypeError(`AuthSnapshotModule: option "${name}" ${problem}.`);
}
