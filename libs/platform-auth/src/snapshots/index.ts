export * from './auth-snapshot.constants.js';
export { AcceptSnapshot, ACCEPT_SNAPSHOT_METADATA } from './accept-snapshot.decorator.js';
export {
  type AuthSnapshotEnvelope,
  openAuthSnapshotEnvelope,
  withAuthSnapshot,
} from './auth-snapshot.envelope.js';
export {
  AuthSnapshotMessenger,
  type AuthSnapshotWrapOptions,
  type MessageClient,
} from './auth-snapshot.messenger.js';
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
  httpSnapshotBinding,
  messageSnapshotBinding,
  type MessageSnapshotKind,
  sha256 as snapshotDigest,
  SNAPSHOT_REDELIVERABLE_METHODS,
  wsSnapshotBinding,
} from './snapshot-binding.js';
export type { ActClaim, SnapshotClaims } from './snapshot-claims.js';
