import type {
  AuthContext,
  AuthContextInit,
  DelegationActor,
  PrincipalType,
} from './auth-context.interface.js';

const PRINCIPAL_TYPES: readonly PrincipalType[] = ['user', 'client'];
const NONE: readonly never[] = Object.freeze([]);

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** Every context this module built: the guard accepts nothing else from a provider. */
const built = new WeakSet<AuthContext>();

/**
 * Builds a normalised {@link AuthContext}, immutable all the way down: lists deduplicated and
 * frozen, claims deep-copied onto frozen null-prototype objects (a claim named `__proto__` cannot
 * pollute anything, and no request can change what another one sees).
 *
 * @throws TypeError naming the field when the input is malformed.
 */
export function createAuthContext(init: AuthContextInit): AuthContext {
  if (init === null || typeof init !== 'object') {
    throw new TypeError('createAuthContext(): expected an object.');
  }
  requireNonEmptyString(init.subject, 'subject');
  requireNonEmptyString(init.issuer, 'issuer');
  if (!PRINCIPAL_TYPES.includes(init.principalType)) {
    throw new TypeError(
      `createAuthContext(): principalType must be one of ${PRINCIPAL_TYPES.join(', ')}.`,
    );
  }
  optionalNonEmptyString(init.clientId, 'clientId');
  optionalNonEmptyString(init.tenant, 'tenant');
  if (init.expiresAt !== undefined && !Number.isFinite(init.expiresAt)) {
    throw new TypeError('createAuthContext(): expiresAt must be a finite number of seconds.');
  }
  // Optional fields are absent rather than undefined; assigned in the interface's order.
  const context = {
    subject: init.subject,
    issuer: init.issuer,
    principalType: init.principalType,
  } as Mutable<AuthContext>;
  if (init.clientId !== undefined) context.clientId = init.clientId;
  if (init.tenant !== undefined) context.tenant = init.tenant;
  context.scopes = stringList(init.scopes, 'scopes');
  context.roles = stringList(init.roles, 'roles');
  context.claims = copyClaims(init.claims);
  if (init.expiresAt !== undefined) context.expiresAt = init.expiresAt;
  context.delegation = delegationChain(init.delegation);
  built.add(Object.freeze(context));
  return context;
}

/**
 * Whether a value is an {@link AuthContext} built by {@link createAuthContext} (validated and
 * frozen). The guard refuses whatever else an authentication provider returns.
 */
export function isAuthContext(value: unknown): value is AuthContext {
  return typeof value === 'object' && value !== null && built.has(value as AuthContext);
}

/** The values in first-seen order without repeats, frozen. */
function stringList(values: Iterable<string> | undefined, field: string): readonly string[] {
  if (values === undefined) return NONE;
  if (typeof values === 'string' || typeof values[Symbol.iterator] !== 'function') {
    throw new TypeError(`createAuthContext(): ${field} must be an iterable of strings.`);
  }
  const unique = new Set<string>();
  for (const value of values) {
    requireNonEmptyString(value, field);
    unique.add(value);
  }
  return unique.size === 0 ? NONE : Object.freeze([...unique]);
}

function copyClaims(
  claims: Record<string, unknown> | undefined,
): Readonly<Record<string, unknown>> {
  if (claims === undefined) return Object.freeze(Object.create(null));
  if (claims === null || typeof claims !== 'object' || Array.isArray(claims)) {
    throw new TypeError('createAuthContext(): claims must be a plain object.');
  }
  return frozenCopy(claims, 'claims', new Set()) as Readonly<Record<string, unknown>>;
}

/** Nesting beyond this is refused: no issuer sends it, and a copy must not overflow the stack. */
const MAX_CLAIM_DEPTH = 32;

/**
 * A deep, frozen copy of a JSON-shaped value: a context is shared by every request that presents
 * the same token (the verification cache hands out one object), so nothing reachable from it may
 * be mutable. Plain objects become null-prototype objects (a key named `__proto__` is an own
 * property, polluting nothing); arrays are copied; primitives are kept. Anything else (a `Date`,
 * a `Map`, a class instance, a function, a cycle) is refused with a TypeError naming its path,
 * since it could not be frozen without freezing the caller's own object.
 */
function frozenCopy(value: unknown, path: string, ancestors: Set<object>): unknown {
  if (value === null || (typeof value !== 'object' && typeof value !== 'function')) return value;
  if (typeof value === 'function') {
    throw new TypeError(`createAuthContext(): ${path} is a function; claims hold data only.`);
  }
  if (ancestors.has(value) || ancestors.size >= MAX_CLAIM_DEPTH) {
    throw new TypeError(`createAuthContext(): ${path} is cyclic or nested too deeply.`);
  }
  ancestors.add(value);
  try {
    if (Array.isArray(value)) {
      return Object.freeze(
        value.map((item, index) => frozenCopy(item, `${path}[${index}]`, ancestors)),
      );
    }
    const prototype = Object.getPrototypeOf(value) as unknown;
    if (prototype !== Object.prototype && prototype !== null) {
      throw new TypeError(
        `createAuthContext(): ${path} must be a plain object, array or primitive (JSON data).`,
      );
    }
    const copy: Record<string, unknown> = Object.create(null);
    for (const key of Object.keys(value)) {
      // [[Set]] on a null-prototype object defines an own data property, `__proto__` included.
      copy[key] = frozenCopy((value as Record<string, unknown>)[key], `${path}.${key}`, ancestors);
    }
    return Object.freeze(copy);
  } finally {
    ancestors.delete(value);
  }
}

function delegationChain(
  chain: readonly DelegationActor[] | undefined,
): readonly DelegationActor[] {
  if (chain === undefined) return NONE;
  if (!Array.isArray(chain)) {
    throw new TypeError('createAuthContext(): delegation must be an array of actors.');
  }
  if (chain.length === 0) return NONE;
  return Object.freeze(
    chain.map((actor: DelegationActor) => {
      requireNonEmptyString(actor?.subject, 'delegation[].subject');
      optionalNonEmptyString(actor.issuer, 'delegation[].issuer');
      optionalNonEmptyString(actor.clientId, 'delegation[].clientId');
      return Object.freeze({
        subject: actor.subject,
        ...(actor.issuer !== undefined && { issuer: actor.issuer }),
        ...(actor.clientId !== undefined && { clientId: actor.clientId }),
      });
    }),
  );
}

function isNonEmptyString(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0;
}

function requireNonEmptyString(value: unknown, field: string): void {
  if (!isNonEmptyString(value)) {
    throw new TypeError(`createAuthContext(): ${field} must be a non-empty string.`);
  }
}

function optionalNonEmptyString(value: unknown, field: string): void {
  if (value !== undefined) requireNonEmptyString(value, field);
}
