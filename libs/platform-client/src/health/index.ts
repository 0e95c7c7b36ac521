/**
 * `@nest-platform/client/health`: the `@nestjs/terminus` indicator of a `PlatformClient`.
 * A separate entry so that only apps with a health endpoint load `@nestjs/terminus`.
 */
export {
  type PlatformClientHealthCheckOptions,
  PlatformClientHealthIndicator,
} from './platform-client.health-indicator.js';
