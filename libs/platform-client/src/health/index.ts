export {
  type PlatformClientHealthCheckOptions,
  PlatformClientHealthIndicator,
} from './platform-client.health-indicator.js';
export type {
  AuthenticatedHealth,
  AuthenticatedHealthState,
  PlatformClientHealth,
  PlatformClientHealthOptions,
  PublicHealth,
} from './platform-client-health.js';
