import { createHash } from 'node:crypto';

/**
 * HTTP methods whose snapshot may be presented again for the same binding (a client retry, a
 * duplicated request): the idempotent ones (RFC 9110 §9.2.2). Any other method (POST, PATCH,
 * extension methods) is single-use: a second request with the same snapshot is a replay.
 */
export const SNAPSHOT_REDELIVERABLE_METHODS: ReadonlySet<string> = new Set([
  'GET',
  'HEAD',
  'PUT',
  'DELETE',
  'OPTIONS',
]);

/** Base64url SHA-256 of a string (UTF-8) or bytes. */
export function sha256(value: string | Uint8Array): string {
  return createHash('sha256').update(value).digest('base64url');
}

/** SHA-256 of an empty body: the body digest of a request without one. */
export const EMPTY_BODY_DIGEST = sha256('');

/**
 * The binding of an HTTP request: method, request target (path and query exactly as sent on
 * the request line, without scheme or host, which proxies and load balancers rewrite) and the
 * base64url SHA-256 of the body bytes (of nothing for a request without a body).
 *
 * @example `httpSnapshotBinding('POST', '/transfers?dry=0', sha256(bodyBytes))`
 */
export function httpSnapshotBinding(
  method: string,
  target: string,
  bodyDigest: string = EMPTY_BODY_DIGEST,
): string {
  return `http ${method.toUpperCase()} ${target} ${bodyDigest}`;
}

/**
 * The binding of a message, for every `@nestjs/microservices` transport: the pattern in a
 * canonical form (strings as they are, objects as JSON with sorted keys) and the SHA-256 of
 * the payload as JSON (`JSON.stringify`, what the transports send). A broker redelivery of the
 * same message has the same binding.
 */
export function messageSnapshotBinding(pattern: unknown, data: unknown): string {
  return `msg ${canonicalPattern(pattern)} ${sha256(JSON.stringify(data) ?? 'undefined')}`;
}

/** The binding of a WebSocket handshake: the path of the upgrade request (no query). */
export function wsSnapshotBinding(path: string): string {
  const end = path.search(/[?#]/);
  return `ws ${end === -1 ? path : path.slice(0, end)}`;
}

/** A pattern as a string: the same for `{ a, b }` and `{ b, a }`. */
function canonicalPattern(pattern: unknown): string {
  return typeof pattern === 'string' ? pattern : (canonicalJson(pattern) ?? 'undefined');
}

function canonicalJson(value: unknown): string | undefined {
  if (Array.isArray(value)) return `[${value.map((v) => canonicalJson(v) ?? 'null').join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const record = value as Record<string, unknown>;
    const members = Object.keys(record)
      .sort()
      .flatMap((key) => {
        const item = canonicalJson(record[key]);
        return item === undefined ? [] : [`${JSON.stringify(key)}:${item}`];
      });
    return `{${members.join(',')}}`;
  }
  return JSON.stringify(value);
}
