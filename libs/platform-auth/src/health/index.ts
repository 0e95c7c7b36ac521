/**
 * `@nest-platform/auth/health`: the `@nestjs/terminus` indicator of the JWT provider's key sets.
 * A separate entry so that only apps with a health endpoint load `@nestjs/terminus`.
 */
export { JwtAuthHealthIndicator } from './jwt-auth.health-indicator.js';
