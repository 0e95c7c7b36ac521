import type { PrincipalType } from '../../context/auth-context.interface.js';
import {
  type ClaimPath,
  claimPathSegments,
  ownClaim,
  readClaim,
  scopeList,
  stringArray,
  stringClaim,
} from './claim-path.js';

/** The built-in claim profiles, one per identity provider family. */
export const CLAIMS_PROFILE_NAMES = [
  'generic',
  'keycloak',
  'auth0',
  'entra',
  'cognito',
  'okta',
] as const;

/** Name of a built-in claim profile. */
export type ClaimsProfileName = (typeof CLAIMS_PROFILE_NAMES)[number];

/**
 * How an issuer's access-token claims map onto `AuthContext` scopes, roles and tenant. A profile
 * name, or a profile with some paths replaced.
 *
 * @example `{ profile: 'keycloak', keycloakClientId: 'documents-api' }`
 * @example `{ profile: 'auth0', roles: [['https://example.com/roles']], tenant: 'org_id' }`
 */
export interface ClaimsProfileOptions {
  /** @default 'generic' */
  profile?: ClaimsProfileName;
  /** Claims holding scopes (space-separated string or string array); replaces the profile's. */
  scopes?: readonly ClaimPath[];
  /** Claims holding roles (string arrays); replaces the profile's. */
  roles?: readonly ClaimPath[];
  /** Claim holding the tenant (a string); replaces the profile's. */
  tenant?: ClaimPath;
  /** Keycloak only: also read `resource_access.<keycloakClientId>.roles`. */
  keycloakClientId?: string;
}

/** A resolved claim mapping, used by the JWT authentication provider. */
export interface ClaimsProfile {
  readonly name: ClaimsProfileName;
  /** `typ` header the profile requires (compared as RFC 8725 §3.11 media types), if any. */
  readonly requiredTyp?: string;
  /** Claims that must be present (own properties of the claims set), whatever their value. */
  readonly requiredClaims: readonly string[];
  /** Required claims that must also be non-empty strings (the presence check ignores values). */
  readonly stringClaims: readonly string[];
  /** Where the audience is: `aud`, or `client_id` for Cognito access tokens (which have no `aud`). */
  readonly audienceClaim: 'aud' | 'client_id';
  scopes(claims: Record<string, unknown>): readonly string[];
  roles(claims: Record<string, unknown>): readonly string[];
  tenant(claims: Record<string, unknown>): string | undefined;
  clientId(claims: Record<string, unknown>): string | undefined;
  principalType(claims: Record<string, unknown>): PrincipalType;
  /** Profile-specific checks that tell an access token from other tokens of the same issuer. */
  accepts(claims: Record<string, unknown>): boolean;
}

interface ProfileDefinition {
  requiredTyp?: string;
  requiredClaims: readonly string[];
  stringClaims: readonly string[];
  audienceClaim?: 'aud' | 'client_id';
  scopes: readonly ClaimPath[];
  roles: readonly ClaimPath[];
  tenant?: ClaimPath;
  /** Extra roles (Auth0's namespaced role claims) beyond the paths. */
  extraRoles?(claims: Record<string, unknown>): readonly string[];
  clientId(claims: Record<string, unknown>): string | undefined;
  isClient(claims: Record<string, unknown>): boolean;
  accepts?(claims: Record<string, unknown>): boolean;
}

const SCOPE_CLAIMS: readonly ClaimPath[] = ['scope', 'scp'];
const NAMESPACED_ROLES = /^https?:\/\/[^/]+(\/.*)?\/roles$/;
const claim = (claims: Record<string, unknown>, name: string) =>
  stringClaim(ownClaim(claims, name));

const DEFINITIONS: Record<ClaimsProfileName, ProfileDefinition> = {
  // RFC 9068: at+jwt, client_id, and sub = the client for client-credentials tokens (§2.2).
  generic: {
    requiredTyp: 'at+jwt',
    requiredClaims: ['iss', 'exp', 'aud', 'sub', 'client_id', 'iat', 'jti'],
    stringClaims: ['sub', 'client_id', 'jti'],
    scopes: SCOPE_CLAIMS,
    roles: ['roles'],
    clientId: (claims) => claim(claims, 'client_id'),
    isClient: (claims) => claim(claims, 'sub') === claim(claims, 'client_id'),
  },
  // Keycloak: typ "Bearer" in the payload, azp = client, service accounts as client principals.
  keycloak: {
    requiredClaims: ['iss', 'exp', 'aud', 'sub', 'iat', 'azp'],
    stringClaims: ['sub', 'azp'],
    scopes: SCOPE_CLAIMS,
    roles: ['realm_access.roles'],
    clientId: (claims) => claim(claims, 'client_id') ?? claim(claims, 'azp'),
    // Service-account tokens carry client_id (older releases: clientId); a username is not proof.
    isClient: (claims) =>
      claim(claims, 'client_id') !== undefined || claim(claims, 'clientId') !== undefined,
    accepts: (claims) => ownClaim(claims, 'typ') === undefined || claim(claims, 'typ') === 'Bearer',
  },
  // Auth0: RBAC permissions are API scopes; roles come from namespaced custom claims.
  auth0: {
    requiredClaims: ['iss', 'exp', 'aud', 'sub', 'iat'],
    stringClaims: ['sub'],
    scopes: [...SCOPE_CLAIMS, 'permissions'],
    roles: [],
    tenant: 'org_id',
    extraRoles: (claims) =>
      Object.keys(claims)
        .filter((name) => NAMESPACED_ROLES.test(name))
        .flatMap((name) => stringArray(claims[name])),
    clientId: (claims) => claim(claims, 'azp') ?? claim(claims, 'client_id'),
    isClient: (claims) => claim(claims, 'gty') === 'client-credentials',
  },
  // Entra ID v2: delegated scopes in scp (string), app roles in roles, tenant in tid; app-only
  // tokens carry no scp.
  entra: {
    requiredClaims: ['iss', 'exp', 'aud', 'sub', 'iat', 'tid'],
    stringClaims: ['sub', 'tid'],
    scopes: ['scp'],
    roles: ['roles'],
    tenant: 'tid',
    clientId: (claims) => claim(claims, 'azp') ?? claim(claims, 'appid'),
    isClient: (claims) => claim(claims, 'idtyp') === 'app' || ownClaim(claims, 'scp') === undefined,
  },
  // Cognito access tokens have no aud: the app client is client_id; token_use tells them from
  // ID tokens.
  cognito: {
    requiredClaims: ['iss', 'exp', 'sub', 'client_id', 'iat', 'jti', 'token_use'],
    stringClaims: ['sub', 'client_id', 'jti', 'token_use'],
    audienceClaim: 'client_id',
    scopes: ['scope'],
    roles: ['cognito:groups'],
    clientId: (claims) => claim(claims, 'client_id'),
    isClient: (claims) => claim(claims, 'username') === undefined,
    accepts: (claims) => claim(claims, 'token_use') === 'access',
  },
  // Okta: scp is an array, cid the client, uid the user (absent for client credentials).
  okta: {
    requiredClaims: ['iss', 'exp', 'aud', 'sub', 'iat', 'jti', 'cid'],
    stringClaims: ['sub', 'jti', 'cid'],
    scopes: ['scp'],
    roles: ['groups'],
    clientId: (claims) => claim(claims, 'cid'),
    isClient: (claims) => claim(claims, 'uid') === undefined,
  },
};

/**
 * Resolves a profile name or options into a {@link ClaimsProfile}.
 * @throws TypeError naming the option when it is malformed.
 */
export function resolveClaimsProfile(
  options: ClaimsProfileName | ClaimsProfileOptions | undefined,
  option: string,
): ClaimsProfile {
  const raw: ClaimsProfileOptions =
    typeof options === 'string' ? { profile: options } : (options ?? {});
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new TypeError(`JwtAuthModule: option "${option}" must be a profile name or an object.`);
  }
  const name = raw.profile ?? 'generic';
  if (!CLAIMS_PROFILE_NAMES.includes(name)) {
    throw new TypeError(
      `JwtAuthModule: option "${option}" names an unknown profile (known: ${CLAIMS_PROFILE_NAMES.join(', ')}).`,
    );
  }
  const definition = DEFINITIONS[name];
  const scopePaths = paths(raw.scopes ?? definition.scopes, `${option}.scopes`);
  const rolePaths = paths(raw.roles ?? definition.roles, `${option}.roles`);
  if (raw.keycloakClientId !== undefined) {
    if (name !== 'keycloak' || typeof raw.keycloakClientId !== 'string' || !raw.keycloakClientId) {
      throw new TypeError(
        `JwtAuthModule: option "${option}.keycloakClientId" is a non-empty string, keycloak profile only.`,
      );
    }
    rolePaths.push(Object.freeze(['resource_access', raw.keycloakClientId, 'roles']));
  }
  const tenantPath = raw.tenant ?? definition.tenant;
  const tenantSegments =
    tenantPath === undefined ? undefined : claimPathSegments(tenantPath, `${option}.tenant`);
  const extraRoles = raw.roles === undefined ? definition.extraRoles : undefined;

  return Object.freeze({
    name,
    requiredTyp: definition.requiredTyp,
    requiredClaims: definition.requiredClaims,
    stringClaims: definition.stringClaims,
    audienceClaim: definition.audienceClaim ?? 'aud',
    scopes: (claims) => listClaims(claims, scopePaths, scopeList),
    roles: (claims) => {
      const roles = listClaims(claims, rolePaths, stringArray);
      if (extraRoles !== undefined) roles.push(...extraRoles(claims));
      return roles;
    },
    tenant: (claims) =>
      tenantSegments === undefined ? undefined : stringClaim(readClaim(claims, tenantSegments)),
    clientId: definition.clientId,
    principalType: (claims) => (definition.isClient(claims) ? 'client' : 'user'),
    accepts: definition.accepts ?? (() => true),
  } satisfies ClaimsProfile);
}

/** The values of every list claim at `paths`, in order, each read by `list`. */
function listClaims(
  claims: Record<string, unknown>,
  paths: readonly (readonly string[])[],
  list: (value: unknown) => readonly string[],
): string[] {
  const values: string[] = [];
  for (const path of paths) {
    for (const value of list(readClaim(claims, path))) values.push(value);
  }
  return values;
}

function paths(list: readonly ClaimPath[], option: string): (readonly string[])[] {
  if (!Array.isArray(list)) {
    throw new TypeError(`JwtAuthModule: option "${option}" must be an array of claim paths.`);
  }
  return list.map((path, index) => claimPathSegments(path, `${option}[${index}]`));
}
