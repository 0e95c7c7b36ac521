/**
 * `@nest-platform/client/redis`: the Redis token cache for many replicas of one client identity
 * (optional peer: `ioredis`). `{ kind: 'redis', url }` cache options (and
 * `PLATFORM_CLIENT_CACHE=redis`) load it on first use; import it to pass a client of your own.
 */
export { RedisTokenCache, type RedisTokenCacheOptions } from './redis-token-cache.js';
export { createRedisClient, type RedisTokenCacheClient } from './redis-client.factory.js';
export { type RedisKeyPair } from './redis-lease.js';
