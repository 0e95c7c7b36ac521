export { type ConfigReader, jwtAuthOptionsFromConfig } from './jwt-auth-options-from-config.js';
export { PLATFORM_AUTH_VARIABLES, PlatformAuthEnvironment } from './platform-auth.environment.js';
