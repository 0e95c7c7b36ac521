import type { TokenSourceStatus } from '../tokens/access-token-source.js';

/** Reachability of the API's public health endpoint (no token sent). */
export interface PublicHealth {
  /** An HTTP response arrived (any status). */
  readonly reachable: boolean;
  /** The response was 2xx. */
  readonly ok: boolean;
  readonly status?: number;
  readonly latencyMs?: number;
  /** Stable error code when unreachable (`NETWORK_ERROR`, `REQUEST_TIMEOUT`, …). */
  readonly errorCode?: string;
}

/**
 * Authenticated reachability, checked only with a token already cached:
 * `ok` (2xx), `rejected` (401), `error` (another status), `unreachable` (no response),
 * `token-failed` (nothing valid cached and the last acquisition failed: `errorCode` says why;
 * nothing acquired to find out), `no-token` (nothing valid cached and no failure known: not
 * checked, nothing acquired), `not-configured` (the client has no token source).
 */
export type AuthenticatedHealthState =
  'ok' | 'rejected' | 'error' | 'unreachable' | 'token-failed' | 'no-token' | 'not-configured';

/** The authenticated half of {@link PlatformClientHealth}. */
export interface AuthenticatedHealth {
  readonly state: AuthenticatedHealthState;
  /** The token source's own state (never acquires). */
  readonly token?: TokenSourceStatus;
  readonly status?: number;
  readonly latencyMs?: number;
  readonly errorCode?: string;
}

/** What `PlatformClient.health()` reports. Contains no token and no response body. */
export interface PlatformClientHealth {
  readonly public: PublicHealth;
  readonly authenticated: AuthenticatedHealth;
}

/** Options of `PlatformClient.health()`. */
export interface PlatformClientHealthOptions {
  /** Deadline of each of the two probes. @default 5000 */
  readonly timeoutMs?: number;
  readonly signal?: AbortSignal;
}
