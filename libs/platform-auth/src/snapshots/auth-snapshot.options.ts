import type { KeyObject } from 'node:crypto';
import type { CryptoKey, JSONWebKeySet, JWK } from 'jose';
import { JWT_ALGORITHMS, type JwtAlgorithm } from '../jose/algorithms.js';
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
  /**
   * Minting services whose snapshots are accepted, each with the key ids (`kid`) it signs with:
   * a snapshot is accepted only when its `kid` belongs to its `iss`, so holding one key of the
   * trust domain does not let a service speak as another. Every kid named must be in the
   * verification keys, and a kid belongs to one issuer only. Required when `verificationKeys`
   * names any kid other than `signingKey.kid` (a shared JWKS, a rotation): map each kid to its
   * issuer, e.g. `{ 'service-a': ['a-2026-11', 'a-2026-10'] }`.
   * @default { [issuer]: [signingKey.kid] }
   * @example { 'gateway': ['gw-2026-11'], 'orders-service': ['orders-2026-11', 'orders-2026-05'] }
   */
  trustedIssuers?: Readonly<Record<string, readonly string[]>>;
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
   * Replay protection. `true`: an in-process `MemoryReplayStore` of 100 000 entries;
   * `{ maxEntries }`: the same with another capacity (size it to the peak rate of snapshot uses
   * times the snapshot lifetime plus the clock tolerance; when full of live entries, new
   * snapshots are refused with `ERROR`, 503); `{ store }`: your own `ReplayStore` (shared
   * between replicas, e.g. `RedisReplayStore` from `@nest-platform/auth/redis`), with an optional
   * `timeoutMs`; `false`: none (snapshots can then be reused until they expire).
   *
   * The verifier waits for the store at most `timeoutMs` (default 1000 ms, 1-30 000): a store
   * that has not answered by then is treated as down and the snapshot refused with
   * `ERROR(DEPENDENCY_UNAVAILABLE)` (503), never accepted and never left hanging.
   * @default true
   */
  replay?: boolean | { store: ReplayStore; timeoutMs?: number } | { maxEntries: number };
  /** Time source (epoch ms), for tests. @default Date.now */
  now?: () => number;
}

/** Options after validation and defaults (keys not imported yet). */
export interface ResolvedAuthSnapshotOptions {
  readonly trustDomain: string;
  readonly issuer: string;
  /** Issuer → the kids it may sign with. */
  readonly trustedIssuers: ReadonlyMap<string, ReadonlySet<string>>;
  readonly signingKey: Readonly<SnapshotPrivateKey | SnapshotSecret>;
  readonly algorithm: JwtAlgorithm | SnapshotHmacAlgorithm;
  readonly verificationKeys?: JSONWebKeySet | readonly SnapshotSecret[];
  readonly lifetimeS: number;
  readonly clockToleranceS: number;
  readonly maxLength: number;
  readonly replay:
    | false
    | { readonly store?: ReplayStore; readonly maxEntries?: number; readonly timeoutMs: number };
  readonly now: () => number;
}

/** How long the verifier waits for the replay store before refusing the snapshot. */
export const DEFAULT_REPLAY_TIMEOUT_MS = 1000;

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

  const trustedIssuers = resolveTrustedIssuers(
    options.trustedIssuers,
    issuer,
    signingKey.kid,
    verificationKids(signingKey, options.verificationKeys),
  );

  const lifetimeS =
    integer(options.lifetimeS, 'lifetimeS', 1, MAX_SNAPSHOT_LIFETIME_S) ??
    DEFAULT_SNAPSHOT_LIFETIME_S;
  const clockToleranceS = integer(options.clockToleranceS, 'clockToleranceS', 0, 60) ?? 5;
  const maxLength = integer(options.maxLength, 'maxLength', 256, 65_536) ?? 8192;
  const replay = options.replay ?? true;
  let resolvedReplay: ResolvedAuthSnapshotOptions['replay'];
  const storeKeys = (value: object) =>
    Object.keys(value).every((key) => key === 'store' || key === 'timeoutMs');
  if (replay === false) resolvedReplay = false;
  else if (replay === true) resolvedReplay = { timeoutMs: DEFAULT_REPLAY_TIMEOUT_MS };
  else if (
    typeof replay === 'object' &&
    replay !== null &&
    storeKeys(replay) &&
    typeof (replay as { store?: ReplayStore }).store?.record === 'function'
  ) {
    const { store, timeoutMs } = replay as { store: ReplayStore; timeoutMs?: number };
    resolvedReplay = {
      store,
      timeoutMs: integer(timeoutMs, 'replay.timeoutMs', 1, 30_000) ?? DEFAULT_REPLAY_TIMEOUT_MS,
    };
  } else if (
    typeof replay === 'object' &&
    replay !== null &&
    Object.keys(replay).length === 1 &&
    'maxEntries' in replay
  ) {
    const maxEntries = integer(replay.maxEntries, 'replay.maxEntries', 1, 100_000_000);
    if (maxEntries === undefined) throw optionError('replay.maxEntries', 'must be an integer');
    resolvedReplay = { maxEntries, timeoutMs: DEFAULT_REPLAY_TIMEOUT_MS };
  } else {
    throw optionError(
      'replay',
      'must be a boolean, { store: ReplayStore, timeoutMs? } or { maxEntries: number }',
    );
  }
  const now = options.now ?? Date.now;
  if (typeof now !== 'function') throw optionError('now', 'must be a function');

  return Object.freeze({
    trustDomain,
    issuer,
    trustedIssuers,
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

/** Every kid a verifier will know (before the keys are imported; the keyring checks them). */
function verificationKids(
  signingKey: SnapshotPrivateKey | SnapshotSecret,
  verificationKeys: JSONWebKeySet | readonly SnapshotSecret[] | undefined,
): ReadonlySet<string> {
  if (verificationKeys === undefined) return new Set([signingKey.kid]);
  const keys: readonly { kid?: unknown }[] = Array.isArray(verificationKeys)
    ? verificationKeys
    : (verificationKeys as JSONWebKeySet).keys;
  return new Set(keys.flatMap((key) => (typeof key.kid === 'string' ? [key.kid] : [])));
}

function resolveTrustedIssuers(
  value: unknown,
  issuer: string,
  signingKid: string,
  kids: ReadonlySet<string>,
): ReadonlyMap<string, ReadonlySet<string>> {
  if (value === undefined) {
    // Only this service's own kid: any other verification key (a shared JWKS, an old key) may
    // belong to another service, and trusting it as this issuer would let that service sign
    // as this one.
    const others = [...kids].filter((kid) => kid !== signingKid);
    if (others.length > 0) {
      throw optionError(
        'trustedIssuers',
        `is required because "verificationKeys" names kids other than "signingKey.kid" (${others.map((kid) => `"${kid}"`).join(', ')}): map each kid to its issuer, e.g. { "${issuer}": ["${signingKid}", "<previous kid>"], "<other service>": ["<its kid>"] }`,
      );
    }
    return new Map([[issuer, new Set([signingKid])]]);
  }
  if (Array.isArray(value)) {
    throw optionError(
      'trustedIssuers',
      'must map each issuer to the kids it signs with ({ "gateway": ["gw-1"] }), not list issuers',
    );
  }
  if (typeof value !== 'object' || value === null || Object.keys(value).length === 0) {
    throw optionError('trustedIssuers', 'must be a non-empty object { issuer: kids[] }');
  }
  const resolved = new Map<string, ReadonlySet<string>>();
  const ownerOf = new Map<string, string>();
  for (const [name, issuerKids] of Object.entries(value as Record<string, unknown>)) {
    const option = `trustedIssuers["${name}"]`;
    nonEmptyString(name, 'trustedIssuers (issuer name)');
    if (!Array.isArray(issuerKids) || issuerKids.length === 0) {
      throw optionError(option, 'must be a non-empty array of kids');
    }
    for (const kid of issuerKids) {
      nonEmptyString(kid, option);
      if (!kids.has(kid)) {
        throw optionError(option, `names kid "${kid}", which is not in the verification keys`);
      }
      const owner = ownerOf.get(kid);
      if (owner !== undefined && owner !== name) {
        throw optionError(
          option,
          `names kid "${kid}", which is already listed under "${owner}": a kid belongs to one issuer`,
        );
      }
      ownerOf.set(kid, name);
    }
    resolved.set(name, new Set(issuerKids as string[]));
  }
  return resolved;
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
