/**
 * `@nest-platform/client/config`: `PLATFORM_CLIENT_*` environment variables mapped onto
 * `PlatformClientOptions` through `@nestjs/config`, validated with `class-validator`.
 */
export { InvalidClientConfigurationError } from './invalid-client-configuration.error.js';
export { PlatformClientEnvironment } from './platform-client.environment.js';
export { platformClientOptionsFromConfig } from './platform-client-options.from-config.js';
