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
export { MemoryReplayStore, type MemoryReplayStoreOptions } from './memory-replay.store.js';
// Also in the core entry; re-exported here, where its store is, as before.
export { ReplayStoreFullError } from '../errors/replay-store-full.error.js';
export { ReplayStore, type SnapshotUse, type SnapshotUseVerdict } from './replay-store.port.js';
export {
  ReplayStoreUnavailableError,
  type ReplayStoreUnavailableReason,
} from '../errors/replay-store-unavailable.error.js';
export {
  httpSnapshotBinding,
  messageSnapshotBinding,
  type MessageSnapshotKind,
  sha256 as snapshotDigest,
  SNAPSHOT_REDELIVERABLE_METHODS,
  wsSnapshotBinding,
} from './snapshot-binding.js';
export type { ActClaim, SnapshotClaims } from './snapshot-claims.js';
