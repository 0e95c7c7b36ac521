/**
 * `@nest-platform/auth`: provider-neutral inbound auth for NestJS. Ports, decisions,
 * decorators, the guard, the module and the route registry; nothing vendor-specific.
 * Opt-in entries: `/jwt`, `/health`, `/config`, `/snapshots`, `/microservices`, `/ws`,
 * `/testing`. Anything not exported from an entry is internal.
 */
export { AuthCapability } from './capabilities/index.js';
export * from './context/index.js';
export * from './credentials/index.js';
export * from './decisions/index.js';
export * from './decorators/index.js';
export * from './errors/index.js';
export * from './ports/index.js';
export * from './providers/index.js';
export * from './requirements/index.js';
export { AuthRouteRegistry, type AuthRouteDescription } from './routes/auth-route-registry.js';
export { PlatformAuthGuard } from './guards/platform-auth.guard.js';
export { PlatformAuthModule } from './platform-auth.module.js';
export type { PlatformAuthModuleExtras } from './platform-auth.module-definition.js';
export type {
  DpopOptions,
  PlatformAuthModuleOptions,
  ResourceMetadataOptions,
} from './platform-auth.options.js';
export type { ProtectedResourceMetadata } from './metadata/protected-resource-metadata.controller.js';
export { AuthTransport, type CredentialsRead } from './transports/auth-transport.js';
export { HttpAuthTransport } from './transports/http/http.transport.js';
export { RpcAuthTransport } from './transports/rpc/rpc.transport.js';
export { WsAuthTransport } from './transports/ws/ws.transport.js';
export {
  type RefusalKind,
  type RefusalStatus,
  refusalKind,
  refusalStatus,
} from './decisions/decision-status.js';
export {
  HandshakeAuthenticator,
  type HandshakeOptions,
  type HandshakeResult,
} from './websockets/handshake.authenticator.js';
