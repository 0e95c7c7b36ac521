/**
 * `@nest-platform/auth/microservices`: auth across `@nestjs/microservices` transports. The
 * client side wraps outgoing payloads with a snapshot minted for the message
 * (`AuthSnapshotMessenger`, `withAuthSnapshot`); a refused handler answers with
 * `AuthRefusalError`.
 */
export {
  AuthSnapshotMessenger,
  type AuthSnapshotWrapOptions,
  type MessageClient,
} from '../snapshots/auth-snapshot.messenger.js';
export {
  type AuthSnapshotEnvelope,
  openAuthSnapshotEnvelope,
  withAuthSnapshot,
} from '../snapshots/auth-snapshot.envelope.js';
export { type AuthRefusalError, toAuthRefusalError } from '../messages/auth-refusal.js';
