import { InsecureEndpoint } from '../../errors/insecure-endpoint.error.js';

const LOOPBACK_HOSTS = new Set(['localhost', '[::1]']);

/** Whether `hostname` (as in `URL.hostname`) is this machine: localhost, 127.0.0.0/8 or ::1. */
export function isLoopbackHost(hostname: string): boolean {
  return LOOPBACK_HOSTS.has(hostname) || /^127(?:\.\d{1,3}){3}$/.test(hostname);
}

/**
 * Whether credentials may be sent to `url`: `https:`, or `http:` on a loopback host when
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

/** Throws {@link InsecureEndpoint} unless {@link isAllowedEndpoint}. */
export function assertAllowedEndpoint(url: string, endpoint: string, allowHttp: boolean): void {
  if (!isAllowedEndpoint(url, allowHttp)) throw new InsecureEndpoint(endpoint, originOf(url));
}

function originOf(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return '(unparsable URL)';
  }
}
