/**
 * The embedded issuer's demo clients and users. **Demo-only**: the secrets and passwords are
 * public, printed in the banner, and the issuer that knows them only listens on loopback.
 */

/** The API scopes the sample's resource server accepts. */
export const DOCUMENT_SCOPES = ['documents:read', 'documents:write'] as const;

/** A pre-registered confidential client of the client-credentials grant. */
export interface DemoServiceClient {
  readonly clientId: string;
  /** Demo-only secret, sent with `client_secret_basic` (`curl -u id:secret`). */
  readonly clientSecret: string;
  /** Space-separated scopes the client may request. */
  readonly scope: string;
  /** `tenant` claim of its access tokens. */
  readonly tenant: string;
  /** `roles` claim of its access tokens (omitted when empty). */
  readonly roles: readonly string[];
  readonly description: string;
}

/** The pre-registered public client of the CLI (device flow, authorization code + PKCE). */
export interface DemoPublicClient {
  readonly clientId: string;
  /**
   * The registered loopback redirect URI. The client is `application_type: 'native'`, so
   * oidc-provider accepts any port on it (RFC 8252 §7.3): `http://127.0.0.1:<any>/callback`.
   */
  readonly redirectUri: string;
  /** Space-separated scopes the client may request. */
  readonly scope: string;
  readonly grantTypes: readonly string[];
  readonly description: string;
}

/** A demo end-user of the embedded issuer's login page. */
export interface DemoUser {
  /** Login name, also the `sub` of the user's tokens. */
  readonly username: string;
  /** Demo-only password. */
  readonly password: string;
  readonly name: string;
  readonly email: string;
  /** `tenant` claim of the user's access tokens. */
  readonly tenant: string;
  /** `roles` claim of the user's access tokens (omitted when empty). */
  readonly roles: readonly string[];
}

/** The demo clients, by role in the tour. */
export const DEMO_CLIENTS = {
  /** Machine-to-machine caller in tenant `acme`: reads and writes documents, not an admin. */
  service: {
    clientId: 'sample-service',
    clientSecret: 'sample-service-secret',
    scope: DOCUMENT_SCOPES.join(' '),
    tenant: 'acme',
    roles: [],
    description: 'client credentials, documents:read documents:write, tenant acme',
  },
  /** Machine-to-machine administrator in tenant `acme`. */
  admin: {
    clientId: 'sample-admin',
    clientSecret: 'sample-admin-secret',
    scope: DOCUMENT_SCOPES.join(' '),
    tenant: 'acme',
    roles: ['admin'],
    description: 'client credentials, documents:read documents:write, role admin, tenant acme',
  },
  /** The public CLI client (`npm run cli -- login`). */
  cli: {
    clientId: 'sample-cli',
    redirectUri: 'http://127.0.0.1/callback',
    scope: `openid profile email offline_access ${DOCUMENT_SCOPES.join(' ')}`,
    grantTypes: [
      'authorization_code',
      'refresh_token',
      'urn:ietf:params:oauth:grant-type:device_code',
    ],
    description: 'public client: device flow, authorization code + PKCE on a loopback port',
  },
} as const satisfies {
  service: DemoServiceClient;
  admin: DemoServiceClient;
  cli: DemoPublicClient;
};

/** The demo users of the login page. */
export const DEMO_USERS = {
  alice: {
    username: 'alice',
    password: 'alice',
    name: 'Alice Example',
    email: 'alice@example.com',
    tenant: 'acme',
    roles: ['admin'],
  },
  bob: {
    username: 'bob',
    password: 'bob',
    name: 'Bob Example',
    email: 'bob@example.com',
    tenant: 'globex',
    roles: [],
  },
} as const satisfies Record<string, DemoUser>;

/** The user named `username`, if any. */
export function findDemoUser(username: string): DemoUser | undefined {
  return Object.values<DemoUser>(DEMO_USERS).find((user) => user.username === username);
}

/** The confidential client `clientId`, if any. */
export function findDemoServiceClient(clientId: string): DemoServiceClient | undefined {
  return [DEMO_CLIENTS.service, DEMO_CLIENTS.admin].find((client) => client.clientId === clientId);
}
