/** A host and port of a Redis node or Sentinel. */
export interface RedisNodeAddress {
  readonly host: string;
  readonly port: number;
}

/** Credentials from a URL's user info (percent-decoded); never logged. */
interface RedisAuth {
  readonly username?: string;
  readonly password?: string;
}

/** Where a Redis URL points, as {@link parseRedisUrl} understood it. */
export type RedisConnectionSpec = RedisAuth &
  (
    | {
        readonly mode: 'standalone';
        readonly node: RedisNodeAddress;
        readonly tls: boolean;
        readonly db: number;
      }
    | { readonly mode: 'socket'; readonly path: string; readonly db: number }
    | {
        readonly mode: 'cluster';
        readonly nodes: readonly RedisNodeAddress[];
        readonly tls: boolean;
      }
    | {
        readonly mode: 'sentinel';
        readonly sentinels: readonly RedisNodeAddress[];
        /** The monitored master's name. */
        readonly name: string;
        readonly tls: boolean;
        readonly db: number;
      }
  );

/** The URL forms, for messages and docs. */
export const REDIS_URL_FORMS =
  'redis://[user:password@]host[:port][/db], rediss://… (TLS), ' +
  'redis+socket://[user:password@]/path/to/redis.sock[?db=N], ' +
  'redis+cluster://[user:password@]host:port,host:port,… (rediss+cluster:// for TLS), ' +
  'redis+sentinel://[user:password@]host:port,host:port,…/masterName[/db] (rediss+sentinel:// for TLS)';

const SCHEMES: Record<string, { mode: RedisConnectionSpec['mode']; tls: boolean }> = {
  redis: { mode: 'standalone', tls: false },
  rediss: { mode: 'standalone', tls: true },
  'redis+socket': { mode: 'socket', tls: false },
  'redis+cluster': { mode: 'cluster', tls: false },
  'rediss+cluster': { mode: 'cluster', tls: true },
  'redis+sentinel': { mode: 'sentinel', tls: false },
  'rediss+sentinel': { mode: 'sentinel', tls: true },
};

/**
 * Parses a Redis URL: a single server (`redis://`, `rediss://`), a unix socket
 * (`redis+socket://`), a Cluster given by seed nodes (`redis+cluster://h1:p1,h2:p2`) or a
 * Sentinel-monitored master (`redis+sentinel://s1:26379,s2:26379/mymaster`). Cluster and
 * Sentinel URLs name several hosts, which WHATWG URLs cannot, hence a parser of its own.
 * @param name what to call the URL in errors (an option path or a variable name)
 * @throws TypeError naming `name` and the accepted forms; the URL itself (it may hold a
 *   password) is never echoed
 */
export function parseRedisUrl(url: unknown, name: string): RedisConnectionSpec {
  const fail = (why: string): never => {
    throw new TypeError(`${name} ${why} (accepted: ${REDIS_URL_FORMS}).`);
  };
  if (typeof url !== 'string' || url === '') return fail('must be a non-empty string');
  const match = /^([a-z+]+):\/\/([^/?#]*)([^?#]*)(?:\?([^#]*))?$/.exec(url);
  if (!match) return fail('is not a Redis URL');
  const [, scheme, authority, path, query] = match as unknown as [
    string,
    string,
    string,
    string,
    string?,
  ];
  const kind = SCHEMES[scheme];
  if (!kind) return fail('has an unsupported scheme');
  const at = authority.lastIndexOf('@');
  const auth = at < 0 ? {} : userInfo(authority.slice(0, at), fail);
  const hosts = at < 0 ? authority : authority.slice(at + 1);
  const params = new URLSearchParams(query ?? '');
  for (const key of params.keys()) {
    if (!(kind.mode === 'socket' && key === 'db')) fail(`has an unsupported query parameter`);
  }
  switch (kind.mode) {
    case 'socket': {
      if (hosts !== '') fail('names a host; a socket URL is redis+socket:///path/to/redis.sock');
      if (!path.startsWith('/') || path.length < 2) fail('needs an absolute socket path');
      return {
        mode: 'socket',
        path: decodeURIComponent(path),
        db: db(params.get('db') ?? '', fail),
        ...auth,
      };
    }
    case 'standalone': {
      const node = nodes(hosts, 6379, fail);
      if (node.length !== 1)
        fail('names more than one host; use redis+cluster:// or redis+sentinel://');
      return {
        mode: 'standalone',
        node: node[0]!,
        tls: kind.tls,
        db: db(path.replace(/^\//, ''), fail),
        ...auth,
      };
    }
    case 'cluster': {
      if (path !== '' && path !== '/') fail('has a path; a Cluster has no database number');
      return { mode: 'cluster', nodes: nodes(hosts, 6379, fail), tls: kind.tls, ...auth };
    }
    case 'sentinel': {
      const [master, dbPart, ...rest] = path.replace(/^\//, '').split('/');
      if (!master || rest.length > 0) fail('needs the master name as its path (/mymaster[/db])');
      return {
        mode: 'sentinel',
        sentinels: nodes(hosts, 26379, fail),
        name: decodeURIComponent(master!),
        tls: kind.tls,
        db: db(dbPart ?? '', fail),
        ...auth,
      };
    }
  }
}

function userInfo(text: string, fail: (why: string) => never): RedisAuth {
  const colon = text.indexOf(':');
  const decode = (part: string) => {
    try {
      return decodeURIComponent(part);
    } catch {
      return fail('has malformed credentials');
    }
  };
  const username = decode(colon < 0 ? text : text.slice(0, colon));
  const password = colon < 0 ? undefined : decode(text.slice(colon + 1));
  return {
    ...(username !== '' ? { username } : {}),
    ...(password !== undefined && password !== '' ? { password } : {}),
  };
}

function nodes(
  text: string,
  defaultPort: number,
  fail: (why: string) => never,
): RedisNodeAddress[] {
  if (text === '') fail('names no host');
  return text.split(',').map((item) => {
    const match = /^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9._-]+)(?::(\d{1,5}))?$/.exec(item);
    if (!match) return fail('has a malformed host');
    const port = match[2] === undefined ? defaultPort : Number(match[2]);
    if (port < 1 || port > 65535) fail('has a port out of range');
    return { host: match[1]!.replace(/^\[(.*)\]$/, '$1'), port };
  });
}

function db(text: string, fail: (why: string) => never): number {
  if (text === '') return 0;
  if (!/^\d{1,2}$/.test(text)) fail('has a database number that is not an integer 0-99');
  return Number(text);
}
