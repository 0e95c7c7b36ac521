/**
 * The RFC 9728 §3.1 path of a resource identifier's metadata: the well-known string inserted
 * between the host and the path, without a terminating slash.
 */
export function resourceMetadataPath(resource: string): string {
  const { pathname } = new URL(resource);
  const path = pathname === '/' ? '' : pathname.replace(/\/+$/, '');
  return `/.well-known/oauth-protected-resource${path}`;
}
