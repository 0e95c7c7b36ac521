import { InsecureEndpointError } from '../../errors/insecure-endpoint.error.js';

/**
 * Whether `hostname` (as in `URL.hostname`) is a loopback IP literal: 127.0.0.0/8 or `[::1]`.
 * The one rule for every `allowHttp` of platform-client (base URL, issuer, endpoints). A name,
 * `localhost` included, is never trusted with plain HTTP: it can resolve elsewhere (hosts file,
 * DNS search, a resolver that forwards it). @see RFC 8252 §8.3
 */
export function isLoopbackHost(hostname: string): boolean {
  return hostname === '[::1]' || /^127(?:\.\d{1,3}){3}$/.test(hostname);
}

/**
 * Whether credentials may be sent to `url`: `https:`, or `http:` on a loopback IP literal when
 * `allowHttp` is set. Anything else (plain HTTP elsewhere, other schemes, unparsable) is not.
 */
export function isAllowedEndpoint(url: string | URL, allowHttp: boolean): boolean {
  let parsed: URL;
  try {
    parsed = typeof url === 'string' ? new URL(url) : url;
  } catch {
    return false;
  }
  if (parsed.protocol === 'https:') return true;
  return allowHttp && parsed.protocol === 'http:' && isLoopbackHost(parsed.hostname);
}

/** Throws {@link InsecureEndpointError} unless {@link isAllowedEndpoint}. */
export function assertAllowedEndpoint(url: string, endpoint: string, allowHttp: boolean): void {
  if (!isAllowedEndpoint(url, allowHttp)) throw new InsecureEndpointError(endpoint, originOf(url));
}

function originOf(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return '(unparsable URL)';
  }
}
