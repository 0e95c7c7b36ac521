import { createHash } from 'node:crypto';

/**
 * HTTP methods whose snapshot may be presented again for the same binding (a client retry, a
 * duplicated request): the safe ones (RFC 9110 §9.2.1), which change nothing. Every other
 * method is single-use, the idempotent writes included: replaying a captured PUT or DELETE
 * after a later write would roll that write back.
 */
export const SNAPSHOT_REDELIVERABLE_METHODS: ReadonlySet<string> = new Set([
  'GET',
  'HEAD',
  'OPTIONS',
]);

/** Whether a message snapshot is for a request (`send`, `@MessagePattern`) or an event (`emit`, `@EventPattern`). */
export type MessageSnapshotKind = 'request' | 'event';

/** Base64url SHA-256 of a string (UTF-8) or bytes. */
export function sha256(value: string | Uint8Array): string {
  return createHash('sha256').update(value).digest('base64url');
}

/** SHA-256 of an empty body: the body digest of a request without one. */
export const EMPTY_BODY_DIGEST = sha256('');

/**
 * The binding of an HTTP request: method, request target (path and query exactly as sent on
 * the request line, without scheme or host, which proxies and load balancers rewrite), the
 * `Content-Type` as sent (media type and `charset` only, lower-cased, `-` when absent; no
 * default is assumed) and the base64url SHA-256 of the body bytes (of nothing for a request
 * without a body).
 *
 * @example `httpSnapshotBinding('POST', '/transfers?dry=0', sha256(bodyBytes), 'application/json')`
 */
export function httpSnapshotBinding(
  method: string,
  target: string,
  bodyDigest: string = EMPTY_BODY_DIGEST,
  contentType?: string,
): string {
  return `http ${method.toUpperCase()} ${target} ${bindingContentType(contentType)} ${bodyDigest}`;
}

/** `type/subtype[;charset=x]`, lower-cased, from a `Content-Type` value; `-` for none. */
function bindingContentType(value: string | undefined): string {
  if (typeof value !== 'string') return '-';
  const [type = '', ...parameters] = value.split(';');
  const mediaType = type.trim().toLowerCase();
  for (const parameter of parameters) {
    const eq = parameter.indexOf('=');
    if (eq !== -1 && parameter.slice(0, eq).trim().toLowerCase() === 'charset') {
      const charset = parameter
        .slice(eq + 1)
        .trim()
        .replace(/^"(.*)"$/, '$1')
        .toLowerCase();
      return `${mediaType};charset=${charset}`;
    }
  }
  return mediaType === '' ? '-' : mediaType;
}

/**
 * The binding of a message, for every `@nestjs/microservices` transport: its kind (`request`
 * for `send` and `@MessagePattern`, `event` for `emit` and `@EventPattern`, so an event's
 * snapshot cannot drive a request handler of the same pattern), the pattern in a canonical
 * form (strings as they are, objects as JSON with sorted keys) and the SHA-256 of the payload
 * as JSON (`JSON.stringify`, what the transports send). A broker redelivery of the same
 * message has the same binding.
 * @throws TypeError for another kind
 */
export function messageSnapshotBinding(
  pattern: unknown,
  data: unknown,
  kind: MessageSnapshotKind,
): string {
  if (kind !== 'request' && kind !== 'event') {
    throw new TypeError('messageSnapshotBinding: "kind" must be "request" or "event".');
  }
  return `msg ${kind} ${canonicalPattern(pattern)} ${sha256(JSON.stringify(data) ?? 'undefined')}`;
}

/**
 * The binding of a WebSocket handshake: the path `@nestjs/platform-ws` routes the upgrade on,
 * i.e. the normalised `URL.pathname` of the request target (no query; `.` and `..` segments
 * resolved), so a target that reaches a gateway binds as that gateway's path.
 * @throws TypeError when the target is not a URL path
 */
export function wsSnapshotBinding(path: string): string {
  return `ws ${new URL(path, 'ws://localhost/').pathname}`;
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
