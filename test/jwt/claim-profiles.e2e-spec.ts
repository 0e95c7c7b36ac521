import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import type { ClaimsProfileName, ClaimsProfileOptions } from '@nest-platform/auth/jwt';
import { TestIssuer } from '@nest-platform/auth/testing';
import { bearer, send } from '../fixtures/http-client.js';
import { PLATFORMS, startApp, type StartedApp } from '../fixtures/platforms.js';
import { jwtScenario } from './jwt-scenario.module.js';

const now = () => Math.floor(Date.now() / 1000);
const times = () => ({ iat: now(), exp: now() + 300 });

interface ProfileCase {
  readonly name: string;
  readonly issuer: string;
  readonly audience: string;
  readonly claims: ClaimsProfileName | ClaimsProfileOptions;
  /** Header `typ` the IdP puts on access tokens (`undefined`: none). */
  readonly typ: string | undefined;
  /** A user's access token as the IdP issues it: scope documents:read, role admin, tenant t-1. */
  readonly user: () => Record<string, unknown>;
  /** A client-credentials (machine) access token. */
  readonly client: () => Record<string, unknown>;
  /** Another token of the same issuer that must not pass as an access token. */
  readonly notAnAccessToken: () => Record<string, unknown>;
  /** The tenant the user token names, if the profile has one. */
  readonly tenant?: string;
  /** Every role the user token grants, when the profile merges several claims. */
  readonly userRoles?: readonly string[];
}

const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';

const CASES: ProfileCase[] = [
  {
    name: 'keycloak',
    issuer: 'https://sso.example.com/realms/acme',
    audience: 'documents-api',
    claims: { profile: 'keycloak', keycloakClientId: 'documents-api' },
    typ: 'JWT',
    // Realm roles and this API's client roles; never another client's (`account`).
    userRoles: ['admin', 'offline_access', 'uma_authorization'],
    user: () => ({
      ...times(),
      jti: randomUUID(),
      iss: 'https://sso.example.com/realms/acme',
      aud: ['documents-api', 'account'],
      sub: 'f1b2c3d4-0000-4000-8000-000000000001',
      typ: 'Bearer',
      azp: 'web-app',
      sid: randomUUID(),
      acr: '1',
      realm_access: { roles: ['offline_access', 'uma_authorization'] },
      resource_access: {
        'documents-api': { roles: ['admin'] },
        account: { roles: ['manage-account'] },
      },
      scope: 'openid profile email documents:read',
      email_verified: true,
      preferred_username: 'alice',
    }),
    client: () => ({
      ...times(),
      jti: randomUUID(),
      iss: 'https://sso.example.com/realms/acme',
      aud: 'documents-api',
      sub: 'f1b2c3d4-0000-4000-8000-000000000002',
      typ: 'Bearer',
      azp: 'reporting-service',
      scope: 'documents:read',
      client_id: 'reporting-service',
      preferred_username: 'service-account-reporting-service',
    }),
    notAnAccessToken: () => ({
      ...times(),
      jti: randomUUID(),
      iss: 'https://sso.example.com/realms/acme',
      aud: 'documents-api',
      sub: 'f1b2c3d4-0000-4000-8000-000000000001',
      typ: 'ID',
      azp: 'documents-api',
      realm_access: { roles: ['admin'] },
    }),
  },
  {
    name: 'auth0',
    issuer: 'https://acme.eu.auth0.com/',
    audience: 'https://documents.example.com',
    claims: 'auth0',
    typ: 'JWT',
    tenant: 'org_Hg3kLm9',
    user: () => ({
      ...times(),
      iss: 'https://acme.eu.auth0.com/',
      sub: 'auth0|64b7f0c1d2e3f4a5b6c7d8e9',
      aud: ['https://documents.example.com', 'https://acme.eu.auth0.com/userinfo'],
      azp: 'k9Xb2QmWc7Rt5Yu3Io1Pa8Sd6Fg4Hj0L',
      scope: 'openid profile email',
      permissions: ['documents:read'],
      'https://documents.example.com/roles': ['admin'],
      org_id: 'org_Hg3kLm9',
    }),
    client: () => ({
      ...times(),
      iss: 'https://acme.eu.auth0.com/',
      sub: 'Zq8Wx6Ec4Rv2Tb0Yn@clients',
      aud: 'https://documents.example.com',
      azp: 'Zq8Wx6Ec4Rv2Tb0Yn',
      scope: 'documents:read',
      gty: 'client-credentials',
    }),
    notAnAccessToken: () => ({
      ...times(),
      iss: 'https://acme.eu.auth0.com/',
      sub: 'auth0|64b7f0c1d2e3f4a5b6c7d8e9',
      aud: 'k9Xb2QmWc7Rt5Yu3Io1Pa8Sd6Fg4Hj0L',
      nonce: 'n-0S6_WzA2Mj',
      'https://documents.example.com/roles': ['admin'],
    }),
  },
  {
    name: 'entra',
    issuer: `https://login.microsoftonline.com/${TENANT}/v2.0`,
    audience: 'api://documents',
    claims: 'entra',
    typ: 'JWT',
    tenant: TENANT,
    user: () => ({
      ...times(),
      nbf: now(),
      aud: 'api://documents',
      iss: `https://login.microsoftonline.com/${TENANT}/v2.0`,
      azp: '6e74172b-be56-4843-9ff4-e66a39bb12e3',
      azpacr: '0',
      name: 'Alice Example',
      oid: '690222be-ff1a-4d56-abd1-7e4f7d38e474',
      preferred_username: 'alice@example.com',
      roles: ['admin'],
      scp: 'documents:read User.Read',
      sub: 'AAAAAAAAAAAAAAAAAAAAAIkzqFVrSaSaFHy782bbtaQ',
      tid: TENANT,
      uti: 'fqiBqXLPj0eQa82S-IYFAA',
      ver: '2.0',
    }),
    client: () => ({
      ...times(),
      nbf: now(),
      aud: 'api://documents',
      iss: `https://login.microsoftonline.com/${TENANT}/v2.0`,
      azp: '1f0b7b2e-5d4c-4a3b-9e8f-7a6b5c4d3e2f',
      idtyp: 'app',
      oid: '2c1b0a9f-8e7d-4c6b-5a49-382716059483',
      roles: ['documents:read'],
      sub: '2c1b0a9f-8e7d-4c6b-5a49-382716059483',
      tid: TENANT,
      ver: '2.0',
    }),
    notAnAccessToken: () => ({
      ...times(),
      aud: '6e74172b-be56-4843-9ff4-e66a39bb12e3',
      iss: `https://login.microsoftonline.com/${TENANT}/v2.0`,
      sub: 'AAAAAAAAAAAAAAAAAAAAAIkzqFVrSaSaFHy782bbtaQ',
      tid: TENANT,
      roles: ['admin'],
      scp: 'documents:read',
    }),
  },
  {
    name: 'cognito',
    issuer: 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbCdEfGhI',
    audience: '4q2vq1t1pj5b0gqk7b1e8cs9s3',
    claims: 'cognito',
    typ: undefined,
    user: () => ({
      ...times(),
      sub: 'a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d',
      'cognito:groups': ['admin'],
      iss: 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbCdEfGhI',
      version: 2,
      client_id: '4q2vq1t1pj5b0gqk7b1e8cs9s3',
      origin_jti: randomUUID(),
      event_id: randomUUID(),
      token_use: 'access',
      scope: 'openid documents:read',
      auth_time: now(),
      jti: randomUUID(),
      username: 'alice',
    }),
    client: () => ({
      ...times(),
      sub: '4q2vq1t1pj5b0gqk7b1e8cs9s3',
      iss: 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbCdEfGhI',
      version: 2,
      client_id: '4q2vq1t1pj5b0gqk7b1e8cs9s3',
      token_use: 'access',
      scope: 'documents:read',
      auth_time: now(),
      jti: randomUUID(),
    }),
    notAnAccessToken: () => ({
      ...times(),
      sub: 'a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d',
      'cognito:groups': ['admin'],
      iss: 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbCdEfGhI',
      aud: '4q2vq1t1pj5b0gqk7b1e8cs9s3',
      client_id: '4q2vq1t1pj5b0gqk7b1e8cs9s3',
      token_use: 'id',
      jti: randomUUID(),
      'cognito:username': 'alice',
    }),
  },
  {
    name: 'okta',
    issuer: 'https://acme.okta.com/oauth2/default',
    audience: 'api://default',
    claims: 'okta',
    typ: undefined,
    user: () => ({
      ...times(),
      ver: 1,
      jti: `AT.${randomUUID()}`,
      iss: 'https://acme.okta.com/oauth2/default',
      aud: 'api://default',
      cid: '0oa1b2c3d4e5f6g7h8i9',
      uid: '00u1b2c3d4e5f6g7h8i9',
      scp: ['openid', 'documents:read'],
      auth_time: now(),
      sub: 'alice@example.com',
      groups: ['Everyone', 'admin'],
    }),
    client: () => ({
      ...times(),
      ver: 1,
      jti: `AT.${randomUUID()}`,
      iss: 'https://acme.okta.com/oauth2/default',
      aud: 'api://default',
      cid: '0oa9z8y7x6w5v4u3t2s1',
      scp: ['documents:read'],
      sub: '0oa9z8y7x6w5v4u3t2s1',
    }),
    notAnAccessToken: () => ({
      ...times(),
      ver: 1,
      jti: `ID.${randomUUID()}`,
      iss: 'https://acme.okta.com/oauth2/default',
      aud: '0oa1b2c3d4e5f6g7h8i9',
      sub: '00u1b2c3d4e5f6g7h8i9',
      groups: ['admin'],
    }),
  },
];

describe.each(PLATFORMS)(
  'claim profiles, with tokens shaped as each IdP issues them ($name)',
  (platform) => {
    describe.each(CASES)('$name', (profile) => {
      let issuer: TestIssuer;
      let started: StartedApp;
      const mint = (claims: Record<string, unknown>) =>
        issuer.signRaw(JSON.stringify(claims), { typ: profile.typ });

      beforeAll(async () => {
        issuer = await TestIssuer.create({ issuer: profile.issuer, audience: profile.audience });
        started = await startApp(
          platform,
          jwtScenario({
            issuers: [
              {
                issuer: profile.issuer,
                audience: profile.audience,
                jwks: issuer.jwks,
                claims: profile.claims,
              },
            ],
          }),
        );
      });

      afterAll(async () => {
        await started?.app.close();
      });

      it('maps a user token to the user, its scopes, roles and tenant', async () => {
        const token = await mint(profile.user());
        const me = await send(started.url, 'GET', '/me', bearer(token));
        expect(me.status).toBe(200);
        expect(me.json).toMatchObject({ principalType: 'user', issuer: profile.issuer });
        const context = me.json as { scopes: string[]; roles: string[]; tenant?: string };
        expect(context.scopes).toContain('documents:read');
        expect(context.roles).toContain('admin');
        if (profile.userRoles !== undefined) {
          expect([...context.roles].sort()).toEqual(profile.userRoles);
        }
        expect(context.tenant).toBe(profile.tenant);

        expect((await send(started.url, 'GET', '/documents', bearer(token))).status).toBe(200);
        expect((await send(started.url, 'DELETE', '/documents/1', bearer(token))).status).toBe(200);
      });

      it('maps a client-credentials token to a client principal', async () => {
        const token = await mint(profile.client());
        const me = await send(started.url, 'GET', '/me', bearer(token));
        expect(me.status).toBe(200);
        expect(me.json).toMatchObject({ principalType: 'client' });
        expect((me.json as { clientId?: string }).clientId).toEqual(expect.any(String));
      });

      it('refuses another kind of token from the same issuer (ID token)', async () => {
        const response = await send(
          started.url,
          'GET',
          '/me',
          bearer(await mint(profile.notAnAccessToken())),
        );
        expect(response.status).toBe(401);
      });

      it('grants nothing from lookalike claims: roles and scopes are matched exactly', async () => {
        const user = profile.user();
        const lookalike = JSON.parse(
          JSON.stringify(user)
            .replaceAll('"admin"', '"Admin"')
            .replaceAll('documents:read', 'documents:read:all'),
        ) as Record<string, unknown>;
        const token = await mint(lookalike);
        expect((await send(started.url, 'GET', '/me', bearer(token))).status).toBe(200);
        expect((await send(started.url, 'GET', '/documents', bearer(token))).status).toBe(403);
        expect((await send(started.url, 'DELETE', '/documents/1', bearer(token))).status).toBe(403);
      });

      if (profile.tenant !== undefined) {
        it('matches the tenant route against the tenant claim', async () => {
          const token = await mint(profile.user());
          const own = await send(
            started.url,
            'GET',
            `/tenants/${profile.tenant}/documents`,
            bearer(token),
          );
          expect(own.status).toBe(200);
          const other = await send(
            started.url,
            'GET',
            '/tenants/someone-else/documents',
            bearer(token),
          );
          expect(other.status).toBe(403);
        });
      }
    });

    describe('configurable claim paths', () => {
      let issuer: TestIssuer;
      let started: StartedApp;

      beforeAll(async () => {
        issuer = await TestIssuer.create({
          issuer: 'https://custom.example.com',
          audience: 'documents',
        });
        started = await startApp(
          platform,
          jwtScenario({
            issuers: [
              {
                ...issuer.issuerOptions(),
                claims: {
                  profile: 'generic',
                  scopes: ['authz.permissions'],
                  roles: ['authz.roles', ['https://example.com/claims/roles']],
                  tenant: 'org.id',
                },
              },
            ],
          }),
        );
      });

      afterAll(async () => {
        await started?.app.close();
      });

      it('reads scopes, roles and tenant from the configured paths only', async () => {
        const token = await issuer.sign({
          scope: 'documents:write',
          authz: { permissions: ['documents:read'], roles: ['editor'] },
          'https://example.com/claims/roles': ['admin'],
          org: { id: 'acme' },
        });
        const me = await send(started.url, 'GET', '/me', bearer(token));
        expect(me.json).toMatchObject({
          scopes: ['documents:read'],
          roles: ['editor', 'admin'],
          tenant: 'acme',
        });
        expect(
          (await send(started.url, 'GET', '/tenants/acme/documents', bearer(token))).status,
        ).toBe(200);
      });

      it('takes a tenant of the wrong type as no tenant (the tenant route denies)', async () => {
        const token = await issuer.sign({
          authz: { permissions: ['documents:read'] },
          org: { id: 42 },
        });
        expect(
          (await send(started.url, 'GET', '/tenants/42/documents', bearer(token))).status,
        ).toBe(403);
      });
    });
  },
);
