import { describe, expect, it } from '@jest/globals';
import { parseRedisUrl } from './redis-url.js';

describe('parseRedisUrl', () => {
  it.each([
    [
      'redis://cache.internal',
      { mode: 'standalone', node: { host: 'cache.internal', port: 6379 }, tls: false, db: 0 },
    ],
    [
      'rediss://u:p%40ss@10.0.0.5:6380/3',
      {
        mode: 'standalone',
        node: { host: '10.0.0.5', port: 6380 },
        tls: true,
        db: 3,
        username: 'u',
        password: 'p@ss',
      },
    ],
    [
      'redis://[::1]:7000',
      { mode: 'standalone', node: { host: '::1', port: 7000 }, tls: false, db: 0 },
    ],
    [
      'redis+socket:///run/redis/redis.sock?db=2',
      { mode: 'socket', path: '/run/redis/redis.sock', db: 2 },
    ],
    [
      'redis+cluster://a:7000,b:7001',
      {
        mode: 'cluster',
        nodes: [
          { host: 'a', port: 7000 },
          { host: 'b', port: 7001 },
        ],
        tls: false,
      },
    ],
    [
      'rediss+sentinel://:pw@s1,s2:26380/tokens/1',
      {
        mode: 'sentinel',
        sentinels: [
          { host: 's1', port: 26379 },
          { host: 's2', port: 26380 },
        ],
        name: 'tokens',
        tls: true,
        db: 1,
        password: 'pw',
      },
    ],
  ])('parses %s', (url, spec) => {
    expect(parseRedisUrl(url, 'URL')).toEqual(spec);
  });

  it.each([
    ['', 'must be a non-empty string'],
    ['http://:hunter2@cache', 'has an unsupported scheme'],
    ['redis://:hunter2@a,b', 'names more than one host'],
    ['redis://:hunter2@cache:70000', 'has a port out of range'],
    ['redis://:hunter2@cache/x', 'has a database number that is not an integer 0-99'],
    ['redis+socket://:hunter2@host/sock', 'names a host'],
    ['redis+sentinel://:hunter2@s1', 'needs the master name'],
    ['redis://:hunter2@cache?tls=1', 'has an unsupported query parameter'],
  ])('refuses %j, naming the variable and never echoing the URL', (url, why) => {
    let message = '';
    try {
      parseRedisUrl(url, 'PLATFORM_CLIENT_REDIS_URL');
    } catch (error) {
      message = (error as TypeError).message;
    }
    expect(message.startsWith(`PLATFORM_CLIENT_REDIS_URL ${why}`)).toBe(true);
    expect(message).not.toContain('hunter2');
  });
});
