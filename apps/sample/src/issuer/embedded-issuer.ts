/**
 * The sample's embedded OpenID provider: `oidc-provider` 9 (a certified OpenID provider) on
 * loopback, with the demo clients and users of `demo-accounts.ts`. Demo-only: in-memory storage,
 * keys generated at start, public demo secrets.
 *
 * ## Tokens
 * Every access token — client credentials, authorization code, device code, refresh — is an
 * RFC 9068 JWT (`typ: at+jwt`, RS256) for the sample's audience: the `resource` parameter
 * defaults to `audience` and refreshes keep the granted resource (except the OpenID-only refresh
 * described below). Access tokens carry `tenant`
 * and, when not empty, `roles` (from the demo client for client credentials, from the demo user
 * otherwise). Lifetimes: access token 600 s, device code 600 s, refresh token 1 day.
 *
 * ## User info for the CLI
 * The **ID token** carries `sub`, `name` (scope `profile`), `email` and `email_verified` (scope
 * `email`), because `conformIdTokenClaims` is off. The **userinfo endpoint** answers the same
 * claims plus `preferred_username` (`<user>@<tenant>`, scope `profile`, userinfo only), but not
 * to the API-bound access tokens above (`invalid_token`, "token audience prevents accessing the
 * userinfo endpoint"). A refresh token grant that asks for OpenID scopes only
 * (`scope=openid profile email`, no `resource`) returns an opaque access token for userinfo;
 * any other refresh keeps the granted API resource. `CliSession.whoami` does exactly that.
 *
 * ## Refresh tokens
 * Issued to `sample-cli` when `offline_access` is granted. In the authorization-code flow
 * oidc-provider keeps `offline_access` only when the request also says `prompt=consent`
 * (OIDC Core §11); the device flow keeps it as requested.
 *
 * ## Pages (plain HTML forms, no scripts)
 * - `GET /interaction/<uid>` — the step the provider asks for:
 *   - login: `<form method="post" action="/interaction/<uid>/login">` with fields `username`,
 *     `password` (wrong credentials re-render the form with status 401);
 *   - consent: `<form method="post" action="/interaction/<uid>/confirm">` (one submit button).
 * - `POST /interaction/<uid>/abort` — denies (`error=access_denied`) at either step.
 * The interaction is bound to the `_interaction` cookie set when the flow starts; a scripted
 * client must keep cookies from `/auth` (or `/device`) through the interaction to the resume.
 *
 * ## Device flow (RFC 8628, oidc-provider's own pages)
 * 1. `POST /device/auth` (`client_id=sample-cli`, `scope=…`) → `device_code`, `user_code`,
 *    `verification_uri` (`<issuer>/device`), `verification_uri_complete`.
 * 2. `GET /device` → form `id="op.deviceInputForm"`, `POST /device` with fields `xsrf` (hidden,
 *    from the page) and `user_code`.
 * 3. The response is the confirm form `id="op.deviceConfirmForm"`: `POST /device` with hidden
 *    `xsrf`, `user_code`, `confirm=yes` (or `abort=yes` to deny).
 * 4. It redirects to `/interaction/<uid>` (login, then consent as above); the resume ends on a
 *    "Device connected" page, and the token endpoint answers the polling client.
 *
 * ## Authorization code + PKCE
 * `GET /auth?client_id=sample-cli&response_type=code&redirect_uri=http://127.0.0.1:<port>/callback
 * &code_challenge=…&code_challenge_method=S256&scope=openid …&state=…` (PKCE is required for
 * the public client; any loopback port is accepted), then the pages above, then a redirect to
 * the callback with `code`; `POST /token` with `code_verifier`.
 *
 * ## Other endpoints (from discovery, `/.well-known/openid-configuration`)
 * `/token`, `/jwks`, `/me` (userinfo), `/token/revocation` (logout), `/session/end`.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import { exportJWK, generateKeyPair, type JWK } from 'jose';
import Provider, {
  type AccessToken,
  type ClientCredentials,
  type ClientMetadata,
  type Configuration,
  errors,
} from 'oidc-provider';
import {
  DEMO_CLIENTS,
  DOCUMENT_SCOPES,
  findDemoServiceClient,
  findDemoUser,
} from './demo-accounts.js';
import { IssuerInteractions } from './issuer-interactions.js';
import {
  ACCESS_TOKEN_TTL_S,
  DEVICE_CODE_TTL_S,
  INTERACTION_TTL_S,
  REFRESH_TOKEN_TTL_S,
  SESSION_TTL_S,
} from './token-lifetimes.js';
import {
  deviceConfirmPage,
  deviceInputError,
  deviceInputPage,
  deviceSuccessPage,
  errorPage,
  logoutPage,
  signedOutPage,
} from './issuer-pages.js';

/** Options of {@link startEmbeddedIssuer}. */
export interface EmbeddedIssuerOptions {
  /** Interface to bind. @default '127.0.0.1' */
  readonly host?: string;
  /** Port to bind; 0 picks a free one. @default 0 */
  readonly port?: number;
  /** The API's audience: the default resource indicator and every access token's `aud`. */
  readonly audience: string;
}

/** A running embedded issuer. */
export interface EmbeddedIssuer {
  /** Issuer identifier, `http://127.0.0.1:<port>` (no trailing slash). */
  readonly url: string;
  /** Stops listening and drops open connections. */
  close(): Promise<void>;
}

/**
 * Starts the embedded issuer and resolves once it listens.
 * @throws TypeError when `audience` is not an absolute URI (RFC 8707 resource indicator).
 */
export async function startEmbeddedIssuer(options: EmbeddedIssuerOptions): Promise<EmbeddedIssuer> {
  const { host = '127.0.0.1', port = 0, audience } = options;
  if (typeof audience !== 'string' || !URL.canParse(audience) || audience.includes('#')) {
    throw new TypeError('startEmbeddedIssuer: audience must be an absolute URI without fragment.');
  }
  // The RSA key is generated on libuv's thread pool while the port is bound.
  const signingKey = generateSigningKey();
  signingKey.catch(() => undefined);
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const hostname = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const url = `http://${hostname}:${address.port}`;
  let provider: Provider;
  try {
    provider = createProvider(url, audience, await signingKey);
  } catch (error) {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    throw error;
  }
  const interactions = new IssuerInteractions(provider);
  const callback = provider.callback();
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const path = new URL(req.url ?? '/', url).pathname;
    if (IssuerInteractions.handles(path)) void interactions.handle(req, res, path);
    else callback(req, res);
  });
  return {
    url,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A fresh RS256 signing key (a new one at every start) with a random `kid`. */
async function generateSigningKey(): Promise<JWK> {
  const { privateKey } = await generateKeyPair('RS256', { extractable: true });
  return { ...(await exportJWK(privateKey)), kid: randomBytes(8).toString('hex') };
}

function createProvider(url: string, audience: string, jwk: JWK): Provider {
  const configuration: Configuration = {
    clients: clientRegistrations(),
    jwks: { keys: [{ ...jwk, alg: 'RS256', use: 'sig' }] },
    cookies: { keys: [randomBytes(32).toString('base64url')] },
    scopes: ['openid', 'offline_access', 'profile', 'email', ...DOCUMENT_SCOPES],
    claims: {
      openid: ['sub'],
      profile: ['name', 'preferred_username'],
      email: ['email', 'email_verified'],
    },
    conformIdTokenClaims: false,
    findAccount: (_ctx, sub) => {
      const user = findDemoUser(sub);
      if (!user) return undefined;
      return {
        accountId: user.username,
        claims: (use: string) => ({
          sub: user.username,
          name: user.name,
          email: user.email,
          email_verified: true,
          // Only at userinfo, so a client can tell that userinfo answered.
          ...(use === 'userinfo' ? { preferred_username: `${user.username}@${user.tenant}` } : {}),
        }),
      };
    },
    extraTokenClaims: (_ctx, token) => tokenClaims(token),
    ttl: {
      AccessToken: ACCESS_TOKEN_TTL_S,
      ClientCredentials: ACCESS_TOKEN_TTL_S,
      DeviceCode: DEVICE_CODE_TTL_S,
      RefreshToken: REFRESH_TOKEN_TTL_S,
      IdToken: ACCESS_TOKEN_TTL_S,
      Interaction: INTERACTION_TTL_S,
      Session: SESSION_TTL_S,
      Grant: REFRESH_TOKEN_TTL_S,
    },
    renderError: (ctx, out) => {
      ctx.type = 'html';
      ctx.body = errorPage('Sign-in failed', out.error_description ?? out.error);
    },
    features: {
      devInteractions: { enabled: false },
      clientCredentials: { enabled: true },
      // DPoP-bound access tokens (RFC 9449) for a client that sends a proof (GET /documents/dpop).
      dPoP: { enabled: true },
      userinfo: { enabled: true },
      revocation: { enabled: true, allowedPolicy: ownTokensOnly },
      deviceFlow: {
        enabled: true,
        userCodeInputSource: (ctx, form, _out, err) => {
          ctx.body = deviceInputPage(form, deviceInputError(err));
        },
        userCodeConfirmSource: (ctx, form, client, _deviceInfo, userCode) => {
          ctx.body = deviceConfirmPage(form, client.clientName ?? client.clientId, userCode);
        },
        successSource: (ctx) => {
          const client = ctx.oidc.client;
          ctx.body = deviceSuccessPage(client?.clientName ?? client?.clientId ?? 'your device');
        },
      },
      rpInitiatedLogout: {
        enabled: true,
        logoutSource: (ctx, form) => {
          ctx.body = logoutPage(form);
        },
        postLogoutSuccessSource: (ctx) => {
          ctx.body = signedOutPage();
        },
      },
      resourceIndicators: {
        enabled: true,
        defaultResource: () => audience,
        useGrantedResource: (ctx) => !requestsOpenIdScopesOnly(ctx.oidc.params?.scope),
        getResourceServerInfo: (_ctx, indicator) => {
          if (indicator !== audience) throw new errors.InvalidTarget();
          return {
            scope: DOCUMENT_SCOPES.join(' '),
            audience,
            accessTokenFormat: 'jwt',
            accessTokenTTL: ACCESS_TOKEN_TTL_S,
            jwt: { sign: { alg: 'RS256' } },
          };
        },
      },
    },
  };
  return withoutAdapterWarning(() => new Provider(url, configuration));
}

function clientRegistrations(): ClientMetadata[] {
  const confidential = [DEMO_CLIENTS.service, DEMO_CLIENTS.admin].map((client): ClientMetadata => ({
    client_id: client.clientId,
    client_secret: client.clientSecret,
    client_name: client.clientId,
    grant_types: ['client_credentials'],
    response_types: [],
    redirect_uris: [],
    scope: client.scope,
  }));
  const cli = DEMO_CLIENTS.cli;
  return [
    ...confidential,
    {
      client_id: cli.clientId,
      client_name: 'Sample CLI',
      application_type: 'native',
      token_endpoint_auth_method: 'none',
      grant_types: [...cli.grantTypes],
      response_types: ['code'],
      redirect_uris: [cli.redirectUri],
      scope: cli.scope,
    },
  ];
}

/** `tenant` and `roles` of the demo client (client credentials) or demo user (other grants). */
function tokenClaims(token: AccessToken | ClientCredentials): Record<string, unknown> | undefined {
  const subject =
    'accountId' in token && typeof token.accountId === 'string'
      ? findDemoUser(token.accountId)
      : findDemoServiceClient(token.clientId ?? '');
  if (!subject) return undefined;
  return { tenant: subject.tenant, ...(subject.roles.length > 0 && { roles: [...subject.roles] }) };
}

/**
 * Whether a token request names only OpenID scopes (`openid profile email …`): the refresh that
 * asks for a userinfo access token. Any API scope, or no `scope` at all, keeps the API resource.
 */
function requestsOpenIdScopesOnly(scope: unknown): boolean {
  if (typeof scope !== 'string') return false;
  const scopes = scope.split(' ').filter(Boolean);
  return scopes.includes('openid') && scopes.every((s) => OPENID_SCOPES.has(s));
}

const OPENID_SCOPES = new Set(['openid', 'profile', 'email', 'offline_access']);

/** A client may revoke only its own tokens (oidc-provider's default, made explicit). */
function ownTokensOnly(
  _ctx: unknown,
  client: { clientId: string; clientAuthMethod?: string },
  token: { clientId?: string },
): boolean {
  if (token.clientId === client.clientId) return true;
  if (client.clientAuthMethod === 'none') return false;
  throw new errors.InvalidRequest('client is not authorized to revoke the presented token');
}

/**
 * oidc-provider warns at construction that its in-memory adapter is for development only. That
 * is exactly what the demo issuer is (documented above), so that one line is dropped.
 */
function withoutAdapterWarning<T>(build: () => T): T {
  const warn = console.warn;
  console.warn = (...args: unknown[]) => {
    if (!String(args[0]).includes('in-memory adapter')) warn(...args);
  };
  try {
    return build();
  } finally {
    console.warn = warn;
  }
}
