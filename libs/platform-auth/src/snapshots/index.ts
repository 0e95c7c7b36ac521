/**
 * `@nest-platform/auth/snapshots`: signed auth-context snapshots (JWS via `jose`) propagated
 * across service calls and brokers instead of raw bearer tokens. See docs/snapshots.md.
 */
export * from './auth-snapshot.constants.js';
export { AcceptSnapshot } from '../decorators/accept-snapshot.decorator.js';
export { AuthSnapshotModule } from './auth-snapshot.module.js';
export {
  SNAPSHOT_HMAC_ALGORITHMS,
  type AuthSnapshotModuleOptions,
  type SnapshotHmacAlgorithm,
  type SnapshotPrivateKey,
  type SnapshotSecret,
} from './auth-snapshot.options.js';
export {
  MemoryReplayStore,
  ReplayStoreFullError,
  type MemoryReplayStoreOptions,
} from './memory-replay.store.js';
export { ReplayStore, type SnapshotUse, type SnapshotUseVerdict } from './replay-store.port.js';
export {
  ReplayStoreUnavailableError,
  type ReplayStoreUnavailableReason,
} from './replay-store-unavailable.error.js';
export {
  httpSnapshotBinding,
  messageSnapshotBinding,
  type MessageSnapshotKind,
  sha256 as snapshotDigest,
  SNAPSHOT_REDELIVERABLE_METHODS,
  wsSnapshotBinding,
} from './snapshot-binding.js';
export type { ActClaim, SnapshotClaims } from './snapshot-claims.js';
