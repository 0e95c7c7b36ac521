import { CLI_DEFAULTS } from './cli/cli-config.js';
import type { ApiEndpoint, IssuerEndpoint } from './config/sample-endpoints.js';
import { DEMO_CLIENTS, DEMO_USERS } from './issuer/demo-accounts.js';
import { ACCESS_TOKEN_TTL_S } from './issuer/token-lifetimes.js';

/**
 * The start-up banner: where the API and the issuer are, and (embedded mode) the demo accounts
 * and a `curl` command that gets a token and lists the documents. Prints the demo clients'
 * public secrets, never a token.
 */
export function renderBanner(api: ApiEndpoint, issuer: IssuerEndpoint): string {
  const lines = ['', `Sample API:  ${api.url}`];
  if (issuer.mode === 'external') {
    lines.push(
      `Issuer:      ${issuer.urls.join(', ')} (external, from PLATFORM_AUTH_ISSUER)`,
      '',
      'Routes: GET /health (public), GET /me, GET|POST /documents, DELETE /documents/:id,',
      '        GET /tenants/:tenantId/documents, GET /outbound/documents',
      '',
    );
    return lines.join('\n');
  }
  const { service, admin, cli } = DEMO_CLIENTS;
  const { alice, bob } = DEMO_USERS;
  lines.push(
    `Issuer:      ${issuer.url} (embedded demo issuer, audience ${issuer.audience})`,
    '',
    'Demo accounts (DEMO ONLY: well-known secrets, loopback only):',
    `  client ${service.clientId} / ${service.clientSecret}  ${service.description}`,
    `  client ${admin.clientId} / ${admin.clientSecret}  ${admin.description}`,
    `  client ${cli.clientId}  ${cli.description}`,
    `  user   ${alice.username} / ${alice.password}  tenant ${alice.tenant}, roles ${alice.roles.join(',')}`,
    `  user   ${bob.username} / ${bob.password}  tenant ${bob.tenant}, no roles`,
    '',
    'Get a token and list the documents:',
    `  ${curlCommand(api, issuer.url, service.clientId, service.clientSecret)}`,
    `(Tokens last ${ACCESS_TOKEN_TTL_S / 60} minutes and every start makes new keys: run it again for a fresh $TOKEN.)`,
    '',
    'Then try:',
    `  curl -i ${api.url}/documents                       # 401, WWW-Authenticate: Bearer realm="platform-sample"`,
    `  curl -i -H "Authorization: Bearer $TOKEN" ${api.url}/me`,
    `  curl -i -H "Authorization: Bearer $TOKEN" -X DELETE ${api.url}/documents/1   # 403, not an admin`,
    `  curl -i -H "Authorization: Bearer $TOKEN" ${api.url}/outbound/documents   # via PlatformClient`,
    `  ${cliCommand(api, issuer.url, 'login')}   # sign in as alice or bob`,
    `  ${cliCommand(api, issuer.url, 'call GET /documents')}   # then call the API as that user`,
    '',
  );
  return lines.join('\n');
}

/**
 * A CLI command against this sample. The CLI assumes the embedded issuer and the API on their
 * default ports, so other URLs are passed in `PLATFORM_AUTH_ISSUER` and (for `call`)
 * `PLATFORM_CLI_API_URL`.
 */
export function cliCommand(api: ApiEndpoint, issuerUrl: string, args: string): string {
  const env = [
    ...(issuerUrl === `http://127.0.0.1:${CLI_DEFAULTS.issuerPort}`
      ? []
      : [`PLATFORM_AUTH_ISSUER=${issuerUrl}`]),
    ...(args.startsWith('call ') && api.url !== `http://127.0.0.1:${CLI_DEFAULTS.apiPort}`
      ? [`PLATFORM_CLI_API_URL=${api.url}`]
      : []),
  ];
  return [...env, `npm run cli -- ${args}`].join(' ');
}

/**
 * One line for sh/bash with only curl and sed: a client-credentials token into `$TOKEN`, then
 * `GET /documents` with it.
 */
export function curlCommand(
  api: ApiEndpoint,
  issuerUrl: string,
  clientId: string,
  clientSecret: string,
): string {
  return (
    `TOKEN=$(curl -s -u ${clientId}:${clientSecret} -d grant_type=client_credentials ` +
    `-d scope=documents:read ${issuerUrl}/token | sed 's/.*"access_token":"\\([^"]*\\)".*/\\1/') ` +
    `&& curl -s -H "Authorization: Bearer $TOKEN" ${api.url}/documents`
  );
}
