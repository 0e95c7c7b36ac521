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
  | 'TRANSPORT_MISSING'
  | 'REMOTE_FETCH_FAILED'
  | 'REPLAY_STORE_FULL'
  | 'REPLAY_STORE_UNAVAILABLE'
  | 'FIELD_RESOLVERS_UNGUARDED'
  | 'UNSUPPORTED_REQUIREMENT';

/**
 * Base class of every error platform-auth throws (argument errors are plain `TypeError`s).
 * Carries a stable {@link PlatformAuthErrorCode} and, where there is one, the `cause`. Each
 * subclass fixes its code (`C`), so {@link isPlatformAuthError} narrows a caught value to the
 * union of the subclasses and a `switch (error.code)` narrows to the one class.
 */
export class PlatformAuthError<
  C extends PlatformAuthErrorCode = PlatformAuthErrorCode,
> extends Error {
  override readonly name: string = 'PlatformAuthError';

  constructor(
    readonly code: C,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
