import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { DEMO_CLIENTS } from '../../apps/sample/src/issuer/demo-accounts.js';
import {
  type EmbeddedIssuer,
  startEmbeddedIssuer,
} from '../../apps/sample/src/issuer/embedded-issuer.js';
import { bearer, send } from '../fixtures/http-client.js';
import { authorizationCodeLogin, clientCredentials } from './fixtures/demo-login.js';
import {
  SAMPLE_SUITE_TIMEOUT_MS,
  type SampleProcess,
  startSample,
} from './fixtures/sample-process.js';

const run = promisify(execFile);
const REALM = 'Bearer realm="platform-sample"';
/** What the sample adds after the challenge of the scheme used: RFC 9728 metadata and DPoP. */
const challengeSuffix = (api: string) => {
  const metadata = `resource_metadata="${api}/.well-known/oauth-protected-resource"`;
  return `, ${metadata}, DPoP realm="platform-sample", algs="ES256 EdDSA Ed25519", ${metadata}`;
};

const CLI = DEMO_CLIENTS.cli;

/** Who calls, by the token they hold. */
type Caller =
  | 'anonymous'
  | 'garbage'
  | 'foreign'
  | 'service'
  | 'reader'
  | 'writeOnlyAdmin'
  | 'admin'
  | 'alice'
  | 'bob';

jest.setTimeout(SAMPLE_SUITE_TIMEOUT_MS);

describe('the built sample with its embedded issuer (npm start, no configuration)', () => {
  let sample: SampleProcess;
  let foreignIssuer: EmbeddedIssuer;
  const tokens: Partial<Record<Caller, string>> = {};

  async function clientToken(client: { clientId: string; clientSecret: string }, scope: string) {
    const { status, body } = await clientCredentials(
      sample.banner.issuerUrl,
      client.clientId,
      client.clientSecret,
      { scope },
    );
    expect(status).toBe(200);
    return String(body.access_token);
  }

  async function userToken(username: string, scope: string) {
    const { tokens: result, error } = await authorizationCodeLogin(sample.banner.issuerUrl, {
      clientId: CLI.clientId,
      redirectUri: 'http://127.0.0.1:8765/callback',
      scope,
      login: { username, password: username },
    });
    expect(error).toBeUndefined();
    return result!.access_token;
  }

  beforeAll(async () => {
    sample = await startSample();
    // Same audience, same software, but another issuer: its tokens must not be accepted.
    foreignIssuer = await startEmbeddedIssuer({ audience: 'urn:platform-sample:api' });
    const foreign = await clientCredentials(
      foreignIssuer.url,
      DEMO_CLIENTS.service.clientId,
      DEMO_CLIENTS.service.clientSecret,
      { scope: 'documents:read documents:write' },
    );
    Object.assign(tokens, {
      garbage: 'not-a-jwt',
      foreign: String(foreign.body.access_token),
      service: await clientToken(DEMO_CLIENTS.service, 'documents:read documents:write'),
      reader: await clientToken(DEMO_CLIENTS.service, 'documents:read'),
      writeOnlyAdmin: await clientToken(DEMO_CLIENTS.admin, 'documents:write'),
      admin: await clientToken(DEMO_CLIENTS.admin, 'documents:read documents:write'),
      alice: await userToken('alice', 'openid documents:read documents:write'),
      bob: await userToken('bob', 'openid documents:read'),
    });
  });
  afterAll(async () => {
    await sample?.stop();
    await foreignIssuer?.close();
  });

  const call = (method: string, path: string, who: Caller, body?: unknown) =>
    send(sample.banner.apiUrl, method, path, who === 'anonymous' ? [] : bearer(tokens[who]!), body);

  describe('the console banner', () => {
    it('prints loopback URLs for the API and the embedded issuer', () => {
      expect(sample.banner.apiUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(sample.banner.issuerUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(sample.banner.issuerUrl).not.toBe(sample.banner.apiUrl);
      expect(sample.output()).toContain('DEMO ONLY');
      expect(sample.output()).toContain('npm run cli -- login');
    });

    it('gives a curl command that gets a token and lists the documents', async () => {
      const { stdout } = await run('/bin/sh', ['-c', sample.banner.curl!], { timeout: 15_000 });
      const documents = JSON.parse(stdout) as Array<{ title: string }>;
      expect(documents.map((document) => document.title)).toContain('Acme onboarding');
    });

    it('never prints a token: neither those of the test nor its own PlatformClient token', async () => {
      // The outbound route makes the sample fetch (and use) its own client-credentials token.
      expect((await call('GET', '/outbound/documents', 'reader')).status).toBe(200);
      for (const token of Object.values(tokens)) {
        if (token !== 'not-a-jwt') expect(sample.output()).not.toContain(token);
      }
      expect(sample.output()).not.toMatch(/eyJ[\w-]+\.eyJ[\w-]+\./);
    });
  });

  describe('GET /health', () => {
    it('is public', async () => {
      const res = await call('GET', '/health', 'anonymous');
      expect(res.status).toBe(200);
      expect(res.json).toEqual({ status: 'ok' });
    });
  });

  describe.each([
    ['GET', '/me'],
    ['GET', '/documents'],
    ['POST', '/documents'],
    ['DELETE', '/documents/1'],
    ['GET', '/tenants/acme/documents'],
    ['GET', '/outbound/documents'],
  ])('%s %s without a valid token', (method, path) => {
    const body = method === 'POST' ? { title: 'nope' } : undefined;

    it('challenges an anonymous caller with 401 and no error', async () => {
      const res = await call(method, path, 'anonymous', body);
      expect(res.status).toBe(401);
      expect(res.headers['www-authenticate']).toBe(REALM + challengeSuffix(sample.banner.apiUrl));
    });

    it.each(['garbage', 'foreign'] as const)(
      'refuses a %s token with 401 invalid_token',
      async (who) => {
        const res = await call(method, path, who, body);
        expect(res.status).toBe(401);
        expect(res.headers['www-authenticate']).toMatch(
          /^Bearer realm="platform-sample", error="invalid_token"/,
        );
        expect(res.text).not.toContain(tokens[who]!);
      },
    );
  });

  describe('GET /me', () => {
    it('returns the AuthContext of a client', async () => {
      const res = await call('GET', '/me', 'service');
      expect(res.status).toBe(200);
      expect(res.json).toMatchObject({
        subject: 'sample-service',
        issuer: sample.banner.issuerUrl,
        principalType: 'client',
        clientId: 'sample-service',
        tenant: 'acme',
        scopes: ['documents:read', 'documents:write'],
        roles: [],
      });
    });

    it('returns the AuthContext of a signed-in user', async () => {
      const res = await call('GET', '/me', 'alice');
      expect(res.json).toMatchObject({
        subject: 'alice',
        principalType: 'user',
        clientId: 'sample-cli',
        tenant: 'acme',
        roles: ['admin'],
      });
    });
  });

  describe('scopes', () => {
    it.each([
      ['GET', '/documents', 'reader', 200],
      ['GET', '/documents', 'bob', 200],
      ['GET', '/documents', 'writeOnlyAdmin', 403],
      ['POST', '/documents', 'service', 201],
      ['POST', '/documents', 'reader', 403],
      ['POST', '/documents', 'bob', 403],
    ] as const)('%s %s as %s: %i', async (method, path, who, status) => {
      const res = await call(method, path, who, method === 'POST' ? { title: 'x' } : undefined);
      expect(res.status).toBe(status);
      if (status === 403) {
        const scope = method === 'POST' ? 'documents:write' : 'documents:read';
        expect(res.headers['www-authenticate']).toBe(
          `${REALM}, error="insufficient_scope", error_description="The access token lacks a required scope", scope="${scope}"` +
            challengeSuffix(sample.banner.apiUrl),
        );
      }
    });

    it('records the caller of POST /documents (read from AsyncLocalStorage)', async () => {
      const res = await call('POST', '/documents', 'alice', { title: 'from alice' });
      expect(res.status).toBe(201);
      expect(res.json).toMatchObject({ title: 'from alice', tenant: 'acme', createdBy: 'alice' });
    });

    it('validates the body of POST /documents', async () => {
      const res = await call('POST', '/documents', 'service', { title: '' });
      expect(res.status).toBe(400);
    });
  });

  describe('DELETE /documents/:id needs the admin role', () => {
    it.each(['service', 'bob'] as const)('refuses %s (no admin role) with 403', async (who) => {
      const created = await call('POST', '/documents', 'service', { title: 'to delete' });
      const id = (created.json as { id: string }).id;
      const res = await call('DELETE', `/documents/${id}`, who);
      expect(res.status).toBe(403);
      expect(res.headers['www-authenticate']).toContain('error="insufficient_scope"');
      expect((await call('GET', '/documents', 'reader')).text).toContain(`"id":"${id}"`);
    });

    it.each(['admin', 'alice'] as const)('lets %s (admin) delete', async (who) => {
      const created = await call('POST', '/documents', 'service', { title: 'to delete' });
      const id = (created.json as { id: string }).id;
      expect((await call('DELETE', `/documents/${id}`, who)).status).toBe(204);
      expect((await call('GET', '/documents', 'reader')).text).not.toContain(`"id":"${id}"`);
    });
  });

  describe("tenants: every documents route sees only the caller's tenant", () => {
    it.each([
      ['service', 'acme'],
      ['alice', 'acme'],
      ['bob', 'globex'],
    ] as const)('GET /documents as %s lists only documents of %s', async (who, tenant) => {
      const res = await call('GET', '/documents', who);
      expect(res.status).toBe(200);
      const documents = res.json as Array<{ tenant: string }>;
      expect(documents.length).toBeGreaterThan(0);
      expect(documents.every((document) => document.tenant === tenant)).toBe(true);
    });

    it.each(['admin', 'alice'] as const)(
      "refuses an acme admin (%s) deleting globex's document with 404, and keeps it",
      async (who) => {
        const res = await call('DELETE', '/documents/2', who);
        expect(res.status).toBe(404);
        expect(res.json).toMatchObject({ message: 'No document 2' });
        expect((await call('GET', '/documents', 'bob')).text).toContain('"id":"2"');
      },
    );

    it('answers a document that does not exist with the same 404', async () => {
      const res = await call('DELETE', '/documents/999', 'admin');
      expect(res.status).toBe(404);
      expect(res.json).toMatchObject({ message: 'No document 999' });
    });
  });

  describe("GET /tenants/:tenantId/documents needs the caller's tenant", () => {
    it.each([
      ['acme', 'alice', 200],
      ['acme', 'service', 200],
      ['acme', 'bob', 403],
      ['globex', 'bob', 200],
      ['globex', 'alice', 403],
      ['globex', 'service', 403],
    ] as const)('tenant %s as %s: %i', async (tenant, who, status) => {
      const res = await call('GET', `/tenants/${tenant}/documents`, who);
      expect(res.status).toBe(status);
      if (status === 200) {
        const documents = res.json as Array<{ tenant: string }>;
        expect(documents.length).toBeGreaterThan(0);
        expect(documents.every((document) => document.tenant === tenant)).toBe(true);
      } else {
        expect(res.headers['www-authenticate']).toContain('error="insufficient_scope"');
      }
    });

    it('also needs documents:read', async () => {
      expect((await call('GET', '/tenants/acme/documents', 'writeOnlyAdmin')).status).toBe(403);
    });
  });

  describe('GET /outbound/documents (PlatformClient, client credentials)', () => {
    it("calls GET /documents of the API with its own token and passes on the caller's tenant's documents", async () => {
      const res = await call('GET', '/outbound/documents', 'reader');
      expect(res.status).toBe(200);
      expect(res.json).toMatchObject({
        calledUrl: `${sample.banner.apiUrl}/documents`,
        documents: expect.arrayContaining([expect.objectContaining({ title: 'Acme onboarding' })]),
      });
    });

    it("never shows a caller of another tenant the service's documents", async () => {
      const res = await call('GET', '/outbound/documents', 'bob');
      expect(res.status).toBe(200);
      expect(res.json).toMatchObject({ documents: [] });
    });

    it("does not lend the service's rights to a caller without documents:read", async () => {
      expect((await call('GET', '/outbound/documents', 'writeOnlyAdmin')).status).toBe(403);
    });
  });
});
