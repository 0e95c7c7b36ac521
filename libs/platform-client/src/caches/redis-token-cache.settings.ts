/**
 * The Redis token cache's settings that are plain data (what `{ kind: 'redis', … }` cache options
 * and the `PLATFORM_CLIENT_*` variables can express). `RedisTokenCache` from
 * `@nest-platform/client/redis` takes these plus, instead of `url`, a ready ioredis `client`.
 */
export interface RedisTokenCacheSettings {
  /**
   * Where Redis is: `redis://`, `rediss://` (TLS), `redis+socket://` (unix socket),
   * `redis+cluster://h1:p1,h2:p2` (Cluster seed nodes), `redis+sentinel://s1,s2/master`.
   */
  readonly url?: string;
  /**
   * Prefix of every key; keys are `<prefix>{<storage key>}:entry` and `…:lease`, the braces a
   * Cluster hash tag, so an entry and its lease live in one slot. No `{` or `}`.
   * @default 'platform-client:token:'
   */
  readonly keyPrefix?: string;
  /**
   * Lifetime of the per-key lease; the holder renews it every third of it while it works, and a
   * holder that died is replaced once it lapses.
   * @default 10_000
   */
  readonly leaseTtlMs?: number;
  /** How long to wait for a lease held by a live holder before `CACHE_LOCK_TIMEOUT`. @default 30_000 */
  readonly lockTimeoutMs?: number;
  /** Pause between two attempts to take a held lease (at most its remaining lifetime). @default 50 */
  readonly lockRetryIntervalMs?: number;
  /** Deadline of every Redis command, then `CACHE_UNAVAILABLE`. @default 1_000 */
  readonly commandTimeoutMs?: number;
  /**
   * How long an entry that holds a refresh token (or retired refresh-token fingerprints) is kept
   * after its last write. Entries with only an access token expire with the token.
   * @default 2_592_000_000 (30 days)
   */
  readonly refreshTokenRetentionMs?: number;
  /**
   * 32-byte AES-256-GCM key (bytes, or their base64 / base64url text): entries are encrypted at
   * rest (and bound to their key name). Readers without it (or with another) see a miss. Never
   * logged.
   */
  readonly encryptionKey?: Uint8Array | string;
  /** Keys of earlier rotations, still accepted for reading; writes use `encryptionKey`. */
  readonly previousEncryptionKeys?: readonly (Uint8Array | string)[];
}

/** {@link RedisTokenCacheSettings} validated, with defaults (no `url`). */
export interface ResolvedRedisTokenCacheSettings {
  readonly keyPrefix: string;
  readonly leaseTtlMs: number;
  readonly lockTimeoutMs: number;
  readonly lockRetryIntervalMs: number;
  readonly commandTimeoutMs: number;
  readonly refreshTokenRetentionMs: number;
  /** The write key first, then the earlier ones; empty without encryption. */
  readonly encryptionKeys: readonly Uint8Array[];
}

/** Bytes of an AES-256-GCM key. */
export const REDIS_ENCRYPTION_KEY_BYTES = 32;

/**
 * Validates and defaults the settings.
 * @param path prefix of option names in errors, e.g. `client.token.cache` or `RedisTokenCache`
 * @throws TypeError naming the option (a key's bytes are never shown)
 */
export function resolveRedisTokenCacheSettings(
  settings: RedisTokenCacheSettings,
  path: string,
): ResolvedRedisTokenCacheSettings {
  const keyPrefix = settings.keyPrefix ?? 'platform-client:token:';
  if (typeof keyPrefix !== 'string' || /[{}]/.test(keyPrefix) || keyPrefix.length > 100) {
    throw new TypeError(
      `${path}.keyPrefix must be a string of at most 100 characters without { or }.`,
    );
  }
  const leaseTtlMs = milliseconds(settings.leaseTtlMs, `${path}.leaseTtlMs`, 10_000, 300);
  const encryptionKeys = [settings.encryptionKey, ...(settings.previousEncryptionKeys ?? [])].map(
    (key) =>
      typeof key === 'string' && /^[A-Za-z0-9+/_-]+={0,2}$/.test(key)
        ? Buffer.from(key, 'base64')
        : key,
  );
  if (settings.encryptionKey === undefined && settings.previousEncryptionKeys?.length) {
    throw new TypeError(`${path}.previousEncryptionKeys needs ${path}.encryptionKey.`);
  }
  encryptionKeys.forEach((key, index) => {
    if (index === 0 && key === undefined) return;
    if (!(key instanceof Uint8Array) || key.byteLength !== REDIS_ENCRYPTION_KEY_BYTES) {
      const name = index === 0 ? 'encryptionKey' : `previousEncryptionKeys[${index - 1}]`;
      throw new TypeError(
        `${path}.${name} must be ${REDIS_ENCRYPTION_KEY_BYTES} bytes (a Uint8Array, or their base64 text; AES-256-GCM).`,
      );
    }
  });
  return {
    keyPrefix,
    leaseTtlMs,
    lockTimeoutMs: milliseconds(settings.lockTimeoutMs, `${path}.lockTimeoutMs`, 30_000),
    lockRetryIntervalMs: milliseconds(
      settings.lockRetryIntervalMs,
      `${path}.lockRetryIntervalMs`,
      50,
    ),
    commandTimeoutMs: milliseconds(settings.commandTimeoutMs, `${path}.commandTimeoutMs`, 1_000),
    refreshTokenRetentionMs: milliseconds(
      settings.refreshTokenRetentionMs,
      `${path}.refreshTokenRetentionMs`,
      30 * 24 * 3_600_000,
    ),
    encryptionKeys: encryptionKeys.filter((key): key is Uint8Array => key !== undefined),
  };
}

function milliseconds(value: unknown, name: string, fallback: number, minimum = 1): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < minimum) {
    throw new TypeError(`${name} must be an integer number of milliseconds >= ${minimum}.`);
  }
  return value;
}
