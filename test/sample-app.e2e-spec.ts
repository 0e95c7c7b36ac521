import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { AppModule } from '../apps/sample/src/app.module.js';
import type { DemoPrincipal } from '../apps/sample/src/demo-auth/demo-principals.js';
import { DEMO_PRINCIPALS } from '../apps/sample/src/demo-auth/demo-token.authentication.js';
import { bearer, send } from './fixtures/http-client.js';
import { PLATFORMS, startApp, type StartedApp } from './fixtures/platforms.js';

describe.each(PLATFORMS)('the sample app on $name (the README tour)', (platform) => {
  let started: StartedApp;
  const tokens: Record<string, string> = {};

  beforeAll(async () => {
    started = await startApp(platform, AppModule);
    const principals = started.app.get<Map<string, DemoPrincipal>>(DEMO_PRINCIPALS);
    for (const [token, principal] of principals) tokens[principal.name] = token;
  });
  afterAll(() => started.app.close());

  const call = (method: string, path: string, who?: string, body?: unknown) =>
    send(started.url, method, path, who ? bearer(tokens[who]) : [], body);

  it('serves /health publicly and challenges anonymous calls elsewhere', async () => {
    expect((await call('GET', '/health')).status).toBe(200);
    const res = await call('GET', '/documents');
    expect(res.status).toBe(401);
    expect(res.headers['www-authenticate']).toBe('Bearer realm="platform-sample"');
  });

  it('returns the caller on /me', async () => {
    const res = await call('GET', '/me', 'reader');
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({
      subject: 'alice',
      principalType: 'user',
      tenant: 'acme',
      scopes: ['documents:read'],
    });
  });

  it.each([
    ['GET', '/documents', { reader: 200, writer: 200, admin: 403 }],
    ['POST', '/documents', { reader: 403, writer: 201, admin: 403 }],
    ['GET', '/tenants/acme/documents', { reader: 200, writer: 200, admin: 403 }],
    ['GET', '/tenants/globex/documents', { reader: 403, writer: 403, admin: 403 }],
  ] as const)('%s %s allows and denies as documented', async (method, path, expected) => {
    for (const [who, status] of Object.entries(expected)) {
      const res = await call(method, path, who, method === 'POST' ? { title: 'hello' } : undefined);
      expect({ who, status: res.status }).toEqual({ who, status });
    }
  });

  it('lets only the admin delete, and the writer create with the caller read from AsyncLocalStorage', async () => {
    const created = await call('POST', '/documents', 'writer', { title: 'from the test' });
    expect(created.json).toMatchObject({ tenant: 'acme', createdBy: 'reporting-service' });
    const id = (created.json as { id: string }).id;
    expect((await call('DELETE', `/documents/${id}`, 'writer')).status).toBe(403);
    expect((await call('DELETE', `/documents/${id}`, 'admin')).status).toBe(204);
  });

  it('refuses an unknown token with invalid_token', async () => {
    const res = await send(started.url, 'GET', '/me', bearer('not-a-demo-token'));
    expect(res.status).toBe(401);
    expect(res.headers['www-authenticate']).toContain('error="invalid_token"');
  });
});
