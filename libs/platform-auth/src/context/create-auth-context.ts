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
 * Builds a frozen, normalised {@link AuthContext}: lists deduplicated, claims copied onto a
 * null-prototype object (a claim named `__proto__` cannot pollute anything).
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
  const copy: Record<string, unknown> = Object.create(null);
  if (claims === undefined) return Object.freeze(copy);
  if (claims === null || typeof claims !== 'object' || Array.isArray(claims)) {
    throw new TypeError('createAuthContext(): claims must be a plain object.');
  }
  // [[Set]] on a null-prototype object defines own data properties, `__proto__` included.
  return Object.freeze(Object.assign(copy, claims));
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
