/**
 * @platform/client — the authenticated outbound API client.
 */
export {
  PlatformClientError,
  type PlatformClientErrorCode,
} from './errors/platform-client.error.js';
export { type TokenSet } from './tokens/token-set.js';
export { AccessTokenSource, type TokenSourceStatus } from './tokens/access-token-source.js';
export { type Clock, systemClock } from './tokens/clock.js';
// Token providers, caches and management (half A)
export * from './errors/token-errors.js';
export * from './tokens/index.js';
export * from './caches/index.js';
// Interactive login for CLIs (device flow, authorization code + PKCE with a loopback redirect)
export * from './login/index.js';
// HTTP client (half B)
export * from './http/index.js';
export * from './secrets/index.js';
export * from './health/index.js';
export * from './config/index.js';
export { getPlatformClientToken } from './platform-client.constants.js';
export { InjectPlatformClient } from './inject-platform-client.decorator.js';
export { PlatformClientModule, validatePlatformClientOptions } from './platform-client.module.js';
export { type PlatformClientModuleExtras } from './platform-client.module-definition.js';
export {
  PlatformModule,
  type PlatformModuleAsyncOptions,
  type PlatformModuleOptions,
} from './platform.module.js';
