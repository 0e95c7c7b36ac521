import { createHash } from 'node:crypto';

/**
 * The binding of an HTTP use: method and request target as received (`GET /orders/1?x=y`).
 * A client retry of the same request has the same binding; any other request does not.
 */
export function httpSnapshotBinding(method: string, target: string): string {
  return `http ${method.toUpperCase()} ${target}`;
}

/**
 * The binding of a message: the handler's pattern(s) and a SHA-256 digest of the payload as
 * it was delivered. A broker redelivery of the same message has the same binding.
 */
export function messageSnapshotBinding(transport: string, pattern: unknown, data: unknown): string {
  const digest = createHash('sha256')
    .update(JSON.stringify(data) ?? 'undefined')
    .digest('base64url');
  return `${transport} ${JSON.stringify(pattern) ?? ''} ${digest}`;
}
