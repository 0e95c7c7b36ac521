import type { PlatformQuery } from './platform-client.options.js';

/**
 * Joins `path` onto `baseUrl`'s path (`https://api/v1` + `/users` → `https://api/v1/users`) and
 * appends `query`. The result always has the base URL's origin: an absolute URL or a
 * protocol-relative `//host` path naming another origin is refused, so the bearer token can
 * never be sent to a foreign host. (Dot segments are normalised and may leave the base *path*,
 * never the origin.)
 *
 * @throws TypeError when `path` names another origin or is not a string
 */
export function resolveRequestUrl(baseUrl: URL, path: string, query?: PlatformQuery): URL {
  if (typeof path !== 'string') throw new TypeError('PlatformClient: path must be a string.');
  let url: URL;
  if (/^[a-z][a-z\d+.-]*:/i.test(path) || path.startsWith('//') || path.startsWith('\\\\')) {
    url = new URL(path, baseUrl);
  } else {
    const base = baseUrl.pathname.endsWith('/') ? baseUrl.pathname.slice(0, -1) : baseUrl.pathname;
    const relative =
      path === '' || path.startsWith('/') || path.startsWith('?') ? path : `/${path}`;
    url = new URL(`${baseUrl.origin}${base}${relative}`);
  }
  if (url.origin !== baseUrl.origin) {
    throw new TypeError(
      `PlatformClient: refusing a request to ${url.origin}: only ${baseUrl.origin} (the base URL's origin) is allowed. Use another named client for another API.`,
    );
  }
  url.hash = '';
  if (query) {
    for (const [key, value] of Object.entries(query)) {
      if (value === undefined) continue;
      for (const item of Array.isArray(value) ? value : [value]) {
        url.searchParams.append(key, String(item));
      }
    }
  }
  return url;
}
