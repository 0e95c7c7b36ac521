/**
 * `@nest-platform/client`: the authenticated outbound API client. Token providers, token
 * caches, `PlatformClient`, `PlatformClientModule` and `PlatformModule`. Opt-in entries:
 * `/login` (CLI login flows), `/health` (`@nestjs/terminus`), `/config` (`@nestjs/config`).
 * Anything not exported from an entry is internal.
 */
export {
  PlatformClientError,
  type PlatformClientErrorCode,
} from './errors/platform-client.error.js';
export {
  isPlatformClientError,
  type KnownPlatformClientError,
} from './errors/known-platform-client-error.js';
export * from './errors/token-errors.js';
export * from './errors/deprecated-names.js';
export { type TokenSet } from './shared/token-set.js';
export { AccessTokenSource, type TokenSourceStatus } from './tokens/access-token-source.js';
export { type Clock, systemClock } from './shared/clock.js';
export * from './tokens/index.js';
export * from './caches/index.js';
export * from './http/index.js';
export * from './dpop/index.js';
export * from './secrets/index.js';
export { getPlatformClientToken } from './platform-client.constants.js';
export { InjectPlatformClient } from './inject-platform-client.decorator.js';
export { PlatformClientModule, validatePlatformClientOptions } from './platform-client.module.js';
export { type PlatformClientModuleExtras } from './platform-client.module-definition.js';
export {
  PlatformModule,
  type PlatformModuleAsyncOptions,
  type PlatformModuleOptions,
} from './platform.module.js';
