/** Stable codes of {@link PlatformAuthError}, for `switch` statements and assertions. */
export type PlatformAuthErrorCode =
  | 'CONFLICTING_AUTH_METADATA'
  | 'CAPABILITY_VALIDATION_FAILED'
  | 'AUTH_CONTEXT_UNAVAILABLE'
  | 'AUTHORIZATION_FAILED'
  | 'INVALID_CONFIGURATION'
  | 'SNAPSHOT_MINT_REFUSED'
  | 'AUTH_GUARD_MISSING'
  | 'MESSAGE_HANDLERS_UNGUARDED'
  | 'TRANSPORT_CONFLICT'
  | 'UNSUPPORTED_REQUIREMENT'
  | 'TRANSPORT_MISSING';

/**
 * Base class of every error platform-auth throws (argument errors are plain `TypeError`s).
 * Carries a stable {@link PlatformAuthErrorCode} and, where there is one, the `cause`.
 */
export class PlatformAuthError extends Error {
  override readonly name: string = 'PlatformAuthError';

  constructor(
    readonly code: PlatformAuthErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
