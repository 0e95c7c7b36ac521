import { randomBytes } from 'node:crypto';
import { createAuthContext, type AuthContext } from '@platform/auth';

/** A demo caller: a name for the banner and the context its token stands for. */
export interface DemoPrincipal {
  readonly name: string;
  readonly description: string;
  readonly context: AuthContext;
}

const ISSUER = 'urn:platform-sample:demo-tokens';

/**
 * The sample's demo principals. Until the embedded OIDC issuer lands, the sample accepts one
 * random opaque token per principal, generated at each start and printed in the banner.
 */
export function createDemoPrincipals(): Map<string, DemoPrincipal> {
  const principals: DemoPrincipal[] = [
    {
      name: 'reader',
      description: 'user in tenant acme with documents:read',
      context: createAuthContext({
        subject: 'alice',
        issuer: ISSUER,
        principalType: 'user',
        tenant: 'acme',
        scopes: ['documents:read'],
      }),
    },
    {
      name: 'writer',
      description: 'client in tenant acme with documents:read documents:write',
      context: createAuthContext({
        subject: 'reporting-service',
        issuer: ISSUER,
        principalType: 'client',
        clientId: 'reporting-service',
        tenant: 'acme',
        scopes: ['documents:read', 'documents:write'],
      }),
    },
    {
      name: 'admin',
      description: 'user in tenant globex with role admin',
      context: createAuthContext({
        subject: 'bob',
        issuer: ISSUER,
        principalType: 'user',
        tenant: 'globex',
        roles: ['admin'],
      }),
    },
  ];
  return new Map(principals.map((p) => [randomBytes(24).toString('base64url'), p]));
}
