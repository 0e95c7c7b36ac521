/**
 * `@nest-platform/auth/config`: `PLATFORM_AUTH_*` environment variables mapped onto
 * `JwtAuthModule` options through `@nestjs/config`, validated with `class-validator`.
 */
export { type ConfigReader, jwtAuthOptionsFromConfig } from './jwt-auth-options-from-config.js';
export { PLATFORM_AUTH_VARIABLES, PlatformAuthEnvironment } from './platform-auth.environment.js';
