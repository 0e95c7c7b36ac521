import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import * as client from 'openid-client';
import { decodeProtectedHeader } from 'jose';
import { bearer, send } from '../fixtures/http-client.js';
import { OidcIssuer } from '../fixtures/oidc-issuer.js';
import { PLATFORMS, startApp, type StartedApp } from '../fixtures/platforms.js';
import { jwtScenario } from './jwt-scenario.module.js';

const AUDIENCE = 'urn:documents-api';

describe.each(PLATFORMS)('JWT provider against a real OpenID provider ($name)', (platform) => {
  let issuer: OidcIssuer;
  let started: StartedApp;
  let oidcClient: client.Configuration;
  let clockOffsetMs = 0;

  const token = async (resource: string, scope: string) =>
    (await client.clientCredentialsGrant(oidcClient, { scope, resource })).access_token;

  beforeAll(async () => {
    issuer = await OidcIssuer.start({
      clients: [
        {
          client_id: 'reporting-service',
          client_secret: 'reporting-service-secret',
          grant_types: ['client_credentials'],
          redirect_uris: [],
          response_types: [],
          token_endpoint_auth_method: 'client_secret_basic',
        },
      ],
      resources: [
        { audience: AUDIENCE, scope: 'documents:read documents:write' },
        { audience: 'urn:billing-api', scope: 'invoices:read' },
      ],
    });
    started = await startApp(
      platform,
      jwtScenario({
        issuers: [{ issuer: issuer.url, audience: AUDIENCE }],
        allowHttp: true,
        now: () => Date.now() + clockOffsetMs,
      }),
    );
    oidcClient = await client.discovery(
      new URL(issuer.url),
      'reporting-service',
      undefined,
      client.ClientSecretBasic('reporting-service-secret'),
      { execute: [client.allowInsecureRequests] },
    );
  });

  afterAll(async () => {
    await started?.app.close();
    await issuer?.close();
  });

  it('discovers the issuer and accepts its client-credentials JWT with the granted scopes', async () => {
    const accessToken = await token(AUDIENCE, 'documents:read');

    const response = await send(started.url, 'GET', '/documents', bearer(accessToken));

    expect(response.status).toBe(200);
    expect(response.json).toMatchObject({
      subject: 'reporting-service',
      issuer: issuer.url,
      principalType: 'client',
      clientId: 'reporting-service',
      scopes: ['documents:read'],
    });
    await send(started.url, 'GET', '/me', bearer(accessToken));
    // One discovery by the test's own client, one by the app (in the background at boot).
    expect(issuer.count('GET /.well-known/openid-configuration')).toBe(2);
    expect(issuer.count('GET /jwks')).toBe(1);
  });

  it('refuses a scope the token was not granted with 403 insufficient_scope', async () => {
    const response = await send(
      started.url,
      'GET',
      '/documents',
      bearer(await token(AUDIENCE, 'documents:write')),
    );
    expect(response.status).toBe(403);
    expect(response.headers['www-authenticate']).toBe(
      'Bearer realm="api", error="insufficient_scope", error_description="The access token lacks a required scope", scope="documents:read"',
    );
  });

  it('rejects a token the same provider issued for another audience with 401 invalid_token', async () => {
    const response = await send(
      started.url,
      'GET',
      '/me',
      bearer(await token('urn:billing-api', 'invoices:read')),
    );
    expect(response.status).toBe(401);
    expect(response.headers['www-authenticate']).toContain('error="invalid_token"');
  });

  it('picks up a key rotation at the provider with exactly one JWKS refetch', async () => {
    await send(started.url, 'GET', '/me', bearer(await token(AUDIENCE, 'documents:read')));
    const jwksBefore = issuer.count('GET /jwks');
    expect(jwksBefore).toBeGreaterThanOrEqual(1);

    await issuer.rotateKeys();
    // Past the refetch cooldown of the previous fetch (time is injected, nothing sleeps).
    clockOffsetMs += 31_000;
    const rotated = await token(AUDIENCE, 'documents:read');
    expect(decodeProtectedHeader(rotated).kid).toBe(issuer.kid);

    const responses = await Promise.all(
      Array.from({ length: 5 }, () => send(started.url, 'GET', '/documents', bearer(rotated))),
    );
    expect(responses.map((response) => response.status)).toEqual([200, 200, 200, 200, 200]);
    const another = await send(
      started.url,
      'GET',
      '/documents',
      bearer(await token(AUDIENCE, 'documents:read')),
    );
    expect(another.status).toBe(200);
    expect(issuer.count('GET /jwks') - jwksBefore).toBe(1);
  });
});
