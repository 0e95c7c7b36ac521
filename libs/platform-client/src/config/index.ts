export { PlatformClientEnvironment } from './platform-client.environment.js';
export { platformClientOptionsFromConfig } from './platform-client-options.from-config.js';
