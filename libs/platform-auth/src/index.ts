/**
 * @platform/auth — provider-neutral inbound auth for NestJS.
 * This file is the public API: anything not exported here is internal.
 */
export { AuthCapability, AuthProvider } from './capabilities/index.js';
export * from './context/index.js';
export * from './credentials/index.js';
export * from './decisions/index.js';
export * from './decorators/index.js';
export * from './errors/index.js';
export * from './ports/index.js';
export * from './providers/index.js';
export * from './requirements/index.js';
export { AuthRouteRegistry } from './routes/auth-route-registry.js';
export type { AuthRouteDescription } from './routes/auth-route-registry.js';
export { PlatformAuthGuard } from './guards/platform-auth.guard.js';
export { PlatformAuthModule } from './platform-auth.module.js';
export type { PlatformAuthModuleOptions } from './platform-auth.options.js';
export * from './jwt/index.js';
export * from './config/index.js';
export * from './snapshots/index.js';
export { type AuthRefusalError, toAuthRefusalError } from './messages/decision-message.mapper.js';
export {
  HandshakeAuthenticator,
  type HandshakeOptions,
  type HandshakeResult,
} from './websockets/handshake.authenticator.js';
