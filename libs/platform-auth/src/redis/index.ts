/**
 * `@nest-platform/auth/redis`: a Redis replay store for snapshots, so single use holds across
 * replicas (optional peer: `ioredis`).
 */
export { RedisReplayStore, type RedisReplayStoreOptions } from './redis-replay.store.js';
