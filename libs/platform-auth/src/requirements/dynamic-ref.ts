/** Where a dynamic reference reads its value from. */
export type RefSource = 'param' | 'query' | 'body' | 'args';

const DYNAMIC_REF = Symbol('platform-auth:dynamic-ref');

/**
 * A value resolved from the invocation at request time (a route parameter, a query parameter,
 * a body field or a GraphQL argument), made with {@link fromParam}, {@link fromQuery},
 * {@link fromBody} or {@link fromArgs}.
 */
export interface DynamicRef {
  readonly [DYNAMIC_REF]: true;
  readonly source: RefSource;
  /** Name, or dot-separated path for `body` and `args` (e.g. `owner.tenantId`). */
  readonly path: string;
}

/** A fixed string, or a value taken from the invocation. */
export type RefValue = string | DynamicRef;

const PATH_SEGMENT = /^[A-Za-z0-9_$-]+$/;
const MAKER: Readonly<Record<RefSource, string>> = {
  param: 'fromParam',
  query: 'fromQuery',
  body: 'fromBody',
  args: 'fromArgs',
};
const FORBIDDEN_SEGMENTS = new Set(['__proto__', 'prototype', 'constructor']);

function makeRef(source: RefSource, path: string): DynamicRef {
  const maker = MAKER[source];
  if (typeof path !== 'string' || path.length === 0) {
    throw new TypeError(`${maker}(): expected a non-empty name.`);
  }
  const segments = path.split('.');
  if (source !== 'body' && source !== 'args' && segments.length > 1) {
    throw new TypeError(
      `${maker}(${JSON.stringify(path)}): nested paths are only supported by fromBody() and fromArgs().`,
    );
  }
  for (const segment of segments) {
    if (!PATH_SEGMENT.test(segment) || FORBIDDEN_SEGMENTS.has(segment)) {
      throw new TypeError(
        `${maker}(${JSON.stringify(path)}): invalid path segment ${JSON.stringify(segment)}.`,
      );
    }
  }
  return Object.freeze({ [DYNAMIC_REF]: true as const, source, path });
}

/**
 * The route parameter `name` (HTTP).
 * @example `@RequireTenant(fromParam('tenantId'))`
 */
export function fromParam(name: string): DynamicRef {
  return makeRef('param', name);
}

/** The query parameter `name` (HTTP); a repeated parameter does not resolve. */
export function fromQuery(name: string): DynamicRef {
  return makeRef('query', name);
}

/**
 * A field of the request body (HTTP) or message payload (RPC, WebSocket); `path` may be
 * dot-separated (`owner.tenantId`).
 */
export function fromBody(path: string): DynamicRef {
  return makeRef('body', path);
}

/**
 * An argument of the GraphQL field being resolved (`@nest-platform/auth/graphql`); `path` may be
 * dot-separated into an input object (`input.tenantId`). Resolves nowhere else.
 * @example `@RequireTenant(fromArgs('tenantId'))`
 */
export function fromArgs(path: string): DynamicRef {
  return makeRef('args', path);
}

/** Whether a value was made by {@link fromParam}, {@link fromQuery}, {@link fromBody} or {@link fromArgs}. */
export function isDynamicRef(value: unknown): value is DynamicRef {
  return typeof value === 'object' && value !== null && DYNAMIC_REF in value;
}

/** A readable form of a ref value, for route tables and error messages. */
export function describeRef(value: RefValue): string {
  return isDynamicRef(value) ? `${MAKER[value.source]}('${value.path}')` : `'${value}'`;
}

/**
 * Resolves a ref value against the invocation's params, query, body and (GraphQL) args. Only
 * own properties are read; a value that is not a non-empty string (or a finite number) does not
 * resolve.
 */
export function resolveRef(
  value: RefValue,
  sources: { params: unknown; query: unknown; body: unknown; args?: unknown },
): string | undefined {
  if (!isDynamicRef(value)) return value;
  const root =
    value.source === 'param'
      ? sources.params
      : value.source === 'query'
        ? sources.query
        : value.source === 'args'
          ? sources.args
          : sources.body;
  let current: unknown = root;
  for (const segment of value.path.split('.')) {
    if (current === null || typeof current !== 'object' || !Object.hasOwn(current, segment)) {
      return undefined;
    }
    current = (current as Record<string, unknown>)[segment];
  }
  if (typeof current === 'string') return current.length > 0 ? current : undefined;
  if (typeof current === 'number' && Number.isFinite(current)) return String(current);
  return undefined;
}
