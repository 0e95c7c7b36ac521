import type { AuthContextUnavailableError } from './auth-context-unavailable.error.js';
import type { AuthGuardMissingError } from './auth-guard-missing.error.js';
import type { AuthTransportError } from './auth-transport.error.js';
import type { AuthorizationFailedError } from './authorization-failed.error.js';
import type { CapabilityValidationError } from './capability-validation.error.js';
import type { ConflictingAuthMetadataError } from './conflicting-auth-metadata.error.js';
import type { InvalidConfigurationError } from './invalid-configuration.error.js';
import { PlatformAuthError } from './platform-auth.error.js';
import type { RemoteFetchError } from './remote-fetch.error.js';
import type { ReplayStoreFullError } from './replay-store-full.error.js';
import type { ReplayStoreUnavailableError } from './replay-store-unavailable.error.js';
import type { SnapshotMintError } from './snapshot-mint.error.js';
import type { UnsupportedRequirementError } from './unsupported-requirement.error.js';
import type { UnguardedFieldResolversError } from './unguarded-field-resolvers.error.js';
import type { UnguardedMessageHandlersError } from './unguarded-message-handlers.error.js';

/**
 * Every error class platform-auth throws, as a union discriminated by `code`: after
 * {@link isPlatformAuthError}, `switch (error.code)` narrows to the class with that code.
 */
export type KnownPlatformAuthError =
  | AuthContextUnavailableError
  | AuthGuardMissingError
  | AuthTransportError
  | AuthorizationFailedError
  | CapabilityValidationError
  | ConflictingAuthMetadataError
  | InvalidConfigurationError
  | RemoteFetchError
  | ReplayStoreFullError
  | ReplayStoreUnavailableError
  | SnapshotMintError
  | UnguardedFieldResolversError
  | UnguardedMessageHandlersError
  | UnsupportedRequirementError;

/** Whether a caught value is one of platform-auth's errors, typed so that its `code` narrows. */
export function isPlatformAuthError(error: unknown): error is KnownPlatformAuthError {
  return error instanceof PlatformAuthError;
}
