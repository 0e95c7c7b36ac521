import { Cluster, Redis, type RedisOptions } from 'ioredis';
import { parseRedisUrl } from '../caches/redis-url.js';

/** The ioredis clients the Redis token cache works with: a server (or Sentinel master) or a Cluster. */
export type RedisTokenCacheClient = Redis | Cluster;

/**
 * An ioredis client for a Redis URL (see `parseRedisUrl` for the forms: single server, unix
 * socket, Cluster seed nodes, Sentinel). It connects lazily, on its first command, and
 * reconnects by itself after a failure (ioredis' default back-off, at most 2 s apart).
 * @param name what to call the URL in errors
 * @throws TypeError for a URL that is not one of the accepted forms (never echoed)
 * @example
 * const client = createRedisClient('redis+sentinel://s1:26379,s2:26379/tokens');
 */
export function createRedisClient(url: string, name = 'url'): RedisTokenCacheClient {
  const spec = parseRedisUrl(url, name);
  const auth: RedisOptions = {
    ...(spec.username !== undefined ? { username: spec.username } : {}),
    ...(spec.password !== undefined ? { password: spec.password } : {}),
  };
  switch (spec.mode) {
    case 'standalone':
      return new Redis({
        ...auth,
        host: spec.node.host,
        port: spec.node.port,
        db: spec.db,
        ...(spec.tls ? { tls: {} } : {}),
        lazyConnect: true,
      });
    case 'socket':
      return new Redis({ ...auth, path: spec.path, db: spec.db, lazyConnect: true });
    case 'cluster':
      return new Cluster(
        spec.nodes.map(({ host, port }) => ({ host, port })),
        { lazyConnect: true, redisOptions: { ...auth, ...(spec.tls ? { tls: {} } : {}) } },
      );
    case 'sentinel':
      return new Redis({
        ...auth,
        sentinels: spec.sentinels.map(({ host, port }) => ({ host, port })),
        name: spec.name,
        db: spec.db,
        ...(spec.tls ? { tls: {}, enableTLSForSentinelMode: true } : {}),
        lazyConnect: true,
      });
  }
}
