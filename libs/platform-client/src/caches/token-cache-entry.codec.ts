import { TOKEN_FINGERPRINT } from '../shared/token-fingerprint.js';
import type { TokenSet } from '../shared/token-set.js';
import type { TokenCacheEntry } from './token-cache-entry.js';

/** Schema marker of serialised entries; bump it when the shape changes (old files become misses). */
export const TOKEN_CACHE_SCHEMA = 'platform-client/token-cache@1';

/** Largest serialised entry a persistent cache will read, in bytes. */
export const MAX_SERIALISED_ENTRY_BYTES = 64 * 1024;

/** The JSON a persistent cache stores for `key`. */
export function encodeEntry(key: string, entry: TokenCacheEntry): string {
  const { accessToken, tokenType, expiresAt, refreshToken, scope, idToken } = entry.tokenSet;
  return JSON.stringify({
    schema: TOKEN_CACHE_SCHEMA,
    key,
    receivedAt: entry.receivedAt,
    tokenSet: { accessToken, tokenType, expiresAt, refreshToken, scope, idToken },
    retiredRefreshTokens: entry.retiredRefreshTokens?.length
      ? entry.retiredRefreshTokens
      : undefined,
    throttledUntil: entry.throttledUntil,
    refreshing: entry.refreshing,
  });
}

/**
 * Parses what {@link encodeEntry} wrote for `key`. Anything else (truncated, garbage, another
 * schema or key, a wrong type anywhere) is `undefined`: a miss, never a partial entry.
 */
export function decodeEntry(key: string, text: string): TokenCacheEntry | undefined {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!isRecord(data) || data.schema !== TOKEN_CACHE_SCHEMA || data.key !== key) return undefined;
  const { receivedAt, tokenSet, retiredRefreshTokens: retired, throttledUntil, refreshing } = data;
  if (!isTime(receivedAt) || !isRecord(tokenSet)) return undefined;
  if (retired !== undefined && !isFingerprintList(retired)) return undefined;
  if (throttledUntil !== undefined && !isTime(throttledUntil)) return undefined;
  if (refreshing !== undefined && !isFingerprint(refreshing)) return undefined;
  const { accessToken, tokenType, expiresAt, refreshToken, scope, idToken } = tokenSet;
  if (typeof accessToken !== 'string' || !isNonEmpty(tokenType) || !isTime(expiresAt)) {
    return undefined;
  }
  const keepsSomething =
    refreshToken !== undefined ||
    retired !== undefined ||
    throttledUntil !== undefined ||
    refreshing !== undefined;
  if (accessToken === '' && (expiresAt !== 0 || !keepsSomething)) return undefined;
  if (refreshToken !== undefined && !isNonEmpty(refreshToken)) return undefined;
  if (scope !== undefined && typeof scope !== 'string') return undefined;
  if (idToken !== undefined && !isNonEmpty(idToken)) return undefined;
  const decoded: TokenSet = {
    accessToken,
    tokenType,
    expiresAt,
    ...(refreshToken === undefined ? {} : { refreshToken }),
    ...(scope === undefined ? {} : { scope }),
    ...(idToken === undefined ? {} : { idToken }),
  };
  return {
    receivedAt,
    tokenSet: decoded,
    ...(retired === undefined ? {} : { retiredRefreshTokens: retired }),
    ...(throttledUntil === undefined ? {} : { throttledUntil }),
    ...(refreshing === undefined ? {} : { refreshing }),
  };
}

function isFingerprintList(value: unknown): value is string[] {
  return (
    Array.isArray(value) && value.length > 0 && value.length <= 64 && value.every(isFingerprint)
  );
}

function isFingerprint(value: unknown): value is string {
  return typeof value === 'string' && TOKEN_FINGERPRINT.test(value);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isTime(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

function isNonEmpty(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0;
}
