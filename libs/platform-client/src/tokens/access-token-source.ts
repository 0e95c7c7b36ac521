import { missingMethods } from '../shared/port-shape.js';

/** What a consumer (PlatformClient, health) can learn about a managed token without acquiring one. */
export interface TokenSourceStatus {
  /** `empty`: nothing cached; `valid`; `expired`; `failed`: the last acquisition failed. */
  readonly state: 'empty' | 'valid' | 'expired' | 'failed';
  /** Epoch ms of the cached token's expiry, when there is one. */
  readonly expiresAt?: number;
  /** Stable code of the last acquisition failure (`PlatformClientErrorCode`), when there is one. */
  readonly lastErrorCode?: string;
}

/**
 * The contract between token management (provider + cache + single-flight + early refresh) and
 * its consumers (`PlatformClient`, health). Implemented by the token manager; faked in tests of
 * the HTTP client.
 */
export abstract class AccessTokenSource {
  /** A valid access token: from cache, or acquired once for all concurrent callers. */
  abstract getToken(options?: { signal?: AbortSignal }): Promise<string>;
  /**
   * The server rejected `rejectedToken` (401): drop it from the cache (only if the cache still
   * holds that very token, so a concurrent refresh is not thrown away).
   */
  abstract invalidate(rejectedToken: string): Promise<void>;
  /** The cached token if it is valid now; never acquires. */
  abstract peekToken(): Promise<string | undefined>;
  /** State for health reporting; never acquires. */
  abstract status(): Promise<TokenSourceStatus>;
  /**
   * Called when the client that built this source shuts down: stop background work and abort
   * acquisitions no caller waits for. Optional for implementations.
   */
  close?(): Promise<void>;
}

/** The methods every {@link AccessTokenSource} has. */
export const ACCESS_TOKEN_SOURCE_METHODS = [
  'getToken',
  'invalidate',
  'peekToken',
  'status',
] as const;

/**
 * Whether `value` implements {@link AccessTokenSource}, by shape: a class that
 * `implements AccessTokenSource` (a test fake, a shared source) without extending it is one.
 */
export function isAccessTokenSource(value: unknown): value is AccessTokenSource {
  return (
    typeof value === 'object' &&
    value !== null &&
    missingMethods(value, ACCESS_TOKEN_SOURCE_METHODS).length === 0
  );
}
