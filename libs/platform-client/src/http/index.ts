export { createPlatformClient, type CreatePlatformClientDeps } from './create-platform-client.js';
export * from './errors/index.js';
export {
  PlatformClient,
  type PlatformClientDeps,
  type PlatformClientLogger,
} from './platform-client.js';
export {
  type PlatformClientOptions,
  type PlatformQuery,
  type PlatformRequestOptions,
  type ResolvedPlatformClientOptions,
  type ResolvedPlatformHttpOptions,
  resolvePlatformClientOptions,
} from './platform-client.options.js';
export { PlatformResponse, type PlatformResponseHeaders } from './platform-response.js';
export {
  type PlatformProxyOptions,
  PlatformTransport,
  type PlatformTransportOptions,
} from './platform-transport.js';
export { type PlatformClientTokenOption } from './token-option.js';
export type {
  AuthenticatedHealth,
  AuthenticatedHealthState,
  PlatformClientHealth,
  PlatformClientHealthOptions,
  PublicHealth,
} from './platform-client-health.js';
