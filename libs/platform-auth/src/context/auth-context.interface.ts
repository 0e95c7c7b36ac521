/** Whether the principal is a person (user) or a software client acting for itself. */
export type PrincipalType = 'user' | 'client';

/**
 * One actor in a delegation chain, most recent first, after RFC 8693's `act` claim: the party
 * that is acting on behalf of the subject (or of the actor before it).
 * @see https://www.rfc-editor.org/rfc/rfc8693#section-4.1
 */
export interface DelegationActor {
  readonly subject: string;
  readonly issuer?: string;
  readonly clientId?: string;
}

/**
 * The verified identity of the caller, provider-neutral. Built by an `AuthenticationProvider`
 * with {@link createAuthContext}, frozen, and readable through `@CurrentAuth()` or
 * `AuthContextAccessor` for the rest of the request.
 */
export interface AuthContext {
  /** Stable identifier of the principal (`sub`). */
  readonly subject: string;
  /** Who vouched for the principal (`iss`). */
  readonly issuer: string;
  /** `user` for a person, `client` for a machine acting for itself (client credentials). */
  readonly principalType: PrincipalType;
  /** The OAuth client the credentials were issued to, when known. */
  readonly clientId?: string;
  /** Tenant / organisation of the principal, when the issuer says. */
  readonly tenant?: string;
  /** Granted scopes, deduplicated, exact strings. */
  readonly scopes: readonly string[];
  /** Granted roles, deduplicated, exact strings. */
  readonly roles: readonly string[];
  /** Selected claims the provider chose to expose (never the raw credentials). */
  readonly claims: Readonly<Record<string, unknown>>;
  /** Expiry of the credentials, in seconds since the epoch, when known. */
  readonly expiresAt?: number;
  /** Delegation chain, most recent actor first; empty when nobody acts on the subject's behalf. */
  readonly delegation: readonly DelegationActor[];
}

/** What a provider passes to {@link createAuthContext}; lists may be omitted. */
export interface AuthContextInit {
  subject: string;
  issuer: string;
  principalType: PrincipalType;
  clientId?: string;
  tenant?: string;
  scopes?: Iterable<string>;
  roles?: Iterable<string>;
  claims?: Record<string, unknown>;
  expiresAt?: number;
  delegation?: readonly DelegationActor[];
}
