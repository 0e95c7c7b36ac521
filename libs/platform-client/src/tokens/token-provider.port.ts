import type { TokenCacheKey } from './token-cache-key.js';
import { missingMethods } from '../shared/port-shape.js';
import type { TokenSet } from '../shared/token-set.js';

/** Options of one {@link TokenProvider.acquire} call. */
export interface AcquireOptions {
  /**
   * Aborts the acquisition (the token request, or waiting for an external function): the token
   * manager's deadline passed (`acquireTimeoutMs`), or the source was closed with nobody waiting.
   */
  readonly signal?: AbortSignal;
  /** The cached token set, if any: a refresh-token provider uses its (possibly rotated) refresh token. */
  readonly current?: TokenSet;
  /**
   * Whether a refresh token was retired: the server rejected it, or rotation replaced it (in
   * this process or another one sharing the cache). Never present a retired refresh token
   * (RFC 9700 §4.14.2: servers treat reuse as theft); fail with `ReauthRequiredError` instead.
   */
  readonly isRetired?: (refreshToken: string) => boolean;
  /**
   * Report a refresh token you presented that the server rejected (`invalid_grant`) or replaced
   * by rotation; it is remembered by fingerprint and {@link isRetired} from then on. (The
   * manager also retires `current.refreshToken` by itself in both cases.)
   */
  readonly retire?: (refreshToken: string) => void;
  /**
   * Call (and await) right before sending `refreshToken` to the server, after everything that
   * may fail without sending it (discovery). The manager records, under the cache lock, that the
   * token is being presented: should this process die (or lose the lock) before the answer, no
   * other token source presents it again, since the server may already have rotated it. It
   * rejects when the record cannot be written (the lock was lost, the cache is down): then do not
   * send the request, and rethrow.
   */
  readonly presenting?: (refreshToken: string) => Promise<void>;
}

/**
 * Port: obtains a fresh token set, with no caching. Caching, single-flight, refresh-ahead and
 * 401 handling are the token manager's job. Implement it for a custom grant, or pass a plain
 * `() => string | Promise<string>` function as an external provider instead.
 *
 * Implementations must compute `expiresAt` from the local receive time (on the injected clock),
 * honour `signal`, never present a retired refresh token, and throw `PlatformClientError`s with
 * stable codes. They must not expose secrets through `toString()`, `toJSON()` or `util.inspect`.
 * Recognised by shape: `implements TokenProvider` works as well as `extends`.
 *
 * @example
 * class VaultTokenProvider extends TokenProvider {
 *   readonly cacheKey = { kind: 'external', id: 'vault:payments' } as const;
 *   async acquire() {
 *     const { token, ttl } = await vault.read('auth/payments');
 *     return { accessToken: token, tokenType: 'bearer', expiresAt: Date.now() + ttl * 1000 };
 *   }
 * }
 */
export abstract class TokenProvider {
  /** Identity for cache keys: two providers with equal keys share tokens. */
  abstract readonly cacheKey: TokenCacheKey;
  /** Acquires a fresh token set (no caching here). */
  abstract acquire(options: AcquireOptions): Promise<TokenSet>;
}

/**
 * What keeps `value` from being a {@link TokenProvider} (checked by shape, so a class that
 * `implements TokenProvider` qualifies), or `undefined` when it is one.
 */
export function tokenProviderProblem(value: object): string | undefined {
  if (missingMethods(value, ['acquire']).length > 0) return 'it lacks acquire()';
  const key = (value as { cacheKey?: unknown }).cacheKey;
  const kind = (key as { kind?: unknown } | null | undefined)?.kind;
  const valid =
    typeof key === 'object' &&
    key !== null &&
    ((kind === 'external' && isNonEmpty((key as { id?: unknown }).id)) ||
      (kind === 'oauth' &&
        isNonEmpty((key as { issuer?: unknown }).issuer) &&
        isNonEmpty((key as { clientId?: unknown }).clientId) &&
        Array.isArray((key as { scopes?: unknown }).scopes)));
  return valid
    ? undefined
    : "its cacheKey must be { kind: 'external', id } or { kind: 'oauth', issuer, clientId, grant, scopes, … }";
}

function isNonEmpty(value: unknown): boolean {
  return typeof value === 'string' && value !== '';
}
