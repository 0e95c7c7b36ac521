import { once } from 'node:events';
import { connect } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { bearer, send } from './fixtures/http-client.js';
import { callLog, SPECIAL_TOKENS } from './fixtures/fake-providers.js';
import {
  DefaultPublicScenarioModule,
  GuardScenarioModule,
  handlerCalls,
  QueryTokenScenarioModule,
} from './fixtures/guard-scenario.module.js';
import { CapturingLogger, PLATFORMS, startApp, type StartedApp } from './fixtures/platforms.js';

const REALM = 'Bearer realm="test-realm"';

describe.each(PLATFORMS)('the guard on $name', (platform) => {
  let started: StartedApp;
  const get = (path: string, headers: Array<[string, string]> = []) =>
    send(started.url, 'GET', path, headers);

  beforeAll(async () => {
    started = await startApp(platform, GuardScenarioModule);
  });
  afterAll(() => started.app.close());
  beforeEach(() => {
    handlerCalls.count = 0;
    callLog.clear();
  });

  describe('allowing', () => {
    it('lets anyone reach a @Public() route without reading credentials', async () => {
      const res = await get('/open', bearer('not-a-known-token'));
      expect(res.status).toBe(200);
      expect(res.json).toEqual({ open: true, auth: null });
      expect(callLog.calls).toEqual([]);
    });

    it('allows a caller holding the scope and injects the context with @CurrentAuth()', async () => {
      const res = await get('/docs', bearer('reader'));
      expect(res.status).toBe(200);
      expect(res.json).toEqual({ subject: 'alice' });
      expect(res.headers['www-authenticate']).toBeUndefined();
    });

    it('reads the context from AsyncLocalStorage in a service, across an await', async () => {
      const res = await get('/whoami', bearer('writer'));
      expect(res.status).toBe(200);
      expect(res.json).toEqual({
        fromParam: 'svc-writer',
        fromService: { subject: 'svc-writer', tenant: 'acme' },
      });
    });

    it('keeps concurrent requests isolated in AsyncLocalStorage', async () => {
      const callers = ['reader', 'writer', 'admin', 'noTenant'].flatMap((c) => [c, c, c]);
      const results = await Promise.all(callers.map((c) => get('/whoami', bearer(c))));
      const subjects = {
        reader: 'alice',
        writer: 'svc-writer',
        admin: 'bob',
        noTenant: 'carol',
      } as const;
      results.forEach((res, i) => {
        const expected = subjects[callers[i] as keyof typeof subjects];
        expect(res.json).toMatchObject({ fromParam: expected, fromService: { subject: expected } });
      });
    });

    it('gives a public route no current context, even pipelined behind a protected request', async () => {
      // Both requests in one write on one connection: parsed in the same tick, so a context
      // entered for the first without a scope of its own would leak into the second.
      const { host, hostname, port } = new URL(started.url);
      const socket = connect(Number(port), hostname);
      const request = (path: string, auth = '') =>
        `GET ${path} HTTP/1.1\r\nHost: ${host}\r\n${auth}\r\n`;
      let raw = '';
      socket.on('data', (chunk) => (raw += chunk.toString('utf8')));
      await once(socket, 'connect');
      socket.write(
        request('/whoami', 'Authorization: Bearer reader\r\n') + request('/whoami/public'),
      );
      for (let i = 0; i < 200 && (raw.match(/HTTP\/1\.1 /g) ?? []).length < 2; i++) {
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      socket.destroy();
      expect(raw).toContain('"fromParam":"alice"');
      expect(raw).toContain('{"current":null}');
    });

    it('protects a route with no decorator by default', async () => {
      expect((await get('/whoami/no-decorator')).status).toBe(401);
      expect((await get('/whoami/no-decorator', bearer('reader'))).status).toBe(200);
    });

    it('accepts the scheme in any case', async () => {
      expect((await get('/docs', [['authorization', 'bEaReR reader']])).status).toBe(200);
    });
  });

  describe('class and method requirements', () => {
    it('combines them with AND', async () => {
      const reader = await send(started.url, 'POST', '/docs', bearer('reader'));
      expect(reader.status).toBe(403);
      expect(reader.headers['www-authenticate']).toBe(
        `${REALM}, error="insufficient_scope", error_description="The access token lacks a required scope", scope="docs:write"`,
      );
      expect((await send(started.url, 'POST', '/docs', bearer('writer'))).status).toBe(201);
    });

    it('asks the checker once per required scope and drops exact duplicates', async () => {
      await send(started.url, 'POST', '/docs', bearer('writer'));
      expect(callLog.calls).toEqual([
        'authenticate DocsController#create',
        'scopes all:docs:read',
        'scopes all:docs:write',
      ]);
      callLog.clear();
      expect((await get('/docs/dup', bearer('reader'))).status).toBe(200);
      expect(callLog.calls).toEqual([
        'authenticate DocsController#duplicated',
        'scopes all:docs:read',
      ]);
    });

    it('needs only one value of an any-of decorator', async () => {
      expect((await get('/docs/any-role', bearer('admin'))).status).toBe(200);
      expect((await get('/docs/any-role', bearer('reader'))).status).toBe(403);
      expect((await get('/docs/any-scope', bearer('writer'))).status).toBe(200);
      const denied = await get('/docs/any-scope', bearer('reader'));
      expect(denied.status).toBe(403);
      expect(denied.headers['www-authenticate']).toContain('scope="docs:admin docs:write"');
    });
  });

  describe('@RequireAny: any one of the alternatives, across kinds', () => {
    it('allows the caller one alternative admits: a role, or a relation', async () => {
      expect((await get('/resources/7/admin-or-scope', bearer('admin'))).status).toBe(200);
      expect((await get('/resources/7/scope-or-relation', bearer('writer'))).status).toBe(200);
      expect((await get('/resources/7/scope-or-relation', bearer('admin'))).status).toBe(200);
    });

    it('refuses with 403 when none does, naming every scope an alternative required', async () => {
      const denied = await get('/resources/7/admin-or-scope', bearer('reader'));
      expect(denied.status).toBe(403);
      expect(denied.headers['www-authenticate']).toContain('scope="docs:admin"');
      const both = await get('/resources/7/scopes-or-scope', bearer('reader'));
      expect(both.status).toBe(403);
      expect(both.headers['www-authenticate']).toContain(
        'scope="docs:admin docs:audit docs:write"',
      );
      expect((await get('/resources/8/scope-or-relation', bearer('admin'))).status).toBe(403);
      expect(handlerCalls.count).toBe(0);
    });

    it('answers 503 when an alternative failed and none allowed, and allows when a later one does', async () => {
      const failed = await get('/resources/7/engine-down-or-role', bearer('reader'));
      expect(failed.status).toBe(503);
      expect(failed.headers['www-authenticate']).toBeUndefined();
      expect((await get('/resources/7/engine-down-or-role', bearer('admin'))).status).toBe(200);
    });

    it('is anonymous-proof: no credentials is 401, not 403', async () => {
      expect((await get('/resources/7/admin-or-scope')).status).toBe(401);
    });
  });

  describe('CHALLENGE: no or bad credentials', () => {
    it('answers 401 with a bare challenge when no credentials are sent', async () => {
      const res = await get('/docs');
      expect(res.status).toBe(401);
      expect(res.headers['www-authenticate']).toBe(REALM);
      expect(res.json).toEqual({
        statusCode: 401,
        error: 'Unauthorized',
        message: 'Authentication required',
        reason: 'CREDENTIALS_MISSING',
      });
    });

    it('treats another scheme as no bearer credentials', async () => {
      const res = await get('/docs', [['authorization', 'Basic YWxpY2U6c2VjcmV0']]);
      expect(res.status).toBe(401);
      expect(res.headers['www-authenticate']).toBe(REALM);
    });

    it('answers 401 invalid_token for an unknown token, without echoing it', async () => {
      const res = await get('/docs', bearer('totally-unknown-token-value'));
      expect(res.status).toBe(401);
      expect(res.headers['www-authenticate']).toBe(
        `${REALM}, error="invalid_token", error_description="The access token is invalid"`,
      );
      expect(res.json).toMatchObject({ statusCode: 401, reason: 'TOKEN_INVALID' });
      expect(res.text).not.toContain('totally-unknown-token-value');
      expect(handlerCalls.count).toBe(0);
    });

    it('answers 401 invalid_token for an expired token', async () => {
      const res = await get('/docs', bearer(SPECIAL_TOKENS.expired));
      expect(res.status).toBe(401);
      expect(res.headers['www-authenticate']).toContain('error="invalid_token"');
      expect(res.json).toMatchObject({ reason: 'TOKEN_EXPIRED' });
    });

    it('answers 401 invalid_token for a well-formed token the provider rejects, after any number of spaces', async () => {
      for (const value of ['Bearer unknown-token', 'bearer  unknown-token', 'BEARER unknown=']) {
        const res = await get('/docs', [['authorization', value]]);
        expect(res.status).toBe(401);
        expect(res.json).toMatchObject({ reason: 'TOKEN_INVALID' });
      }
      expect(callLog.calls.length).toBe(3);
    });

    it('gives an anonymous caller 401, not 403, on role- and scope-checked routes', async () => {
      for (const path of ['/docs', '/docs/any-role', '/resources/7', '/tenants/acme/items']) {
        const res = await get(path);
        expect(res.status).toBe(401);
        expect(res.headers['www-authenticate']).toBe(REALM);
      }
      const removal = await send(started.url, 'DELETE', '/docs/1');
      expect(removal.status).toBe(401);
      expect(callLog.calls).toEqual([]);
    });
  });

  describe('malformed requests: 400 invalid_request', () => {
    const invalidRequest = `${REALM}, error="invalid_request"`;

    // RFC 6750 §2.1: credentials = "Bearer" 1*SP b64token. Whatever else carries the Bearer
    // scheme is a malformed request, refused before any provider sees it.
    it.each([
      ['an empty bearer', 'Bearer '],
      ['a bearer scheme with no token', 'Bearer'],
      ['a bearer of spaces', 'Bearer    '],
      ['two tokens', 'Bearer reader writer'],
      ['two tokens after two spaces', 'Bearer  reader  writer'],
      ['a tab instead of the space', 'Bearer\treader'],
      ['a comma list of tokens', 'Bearer reader,writer'],
      ['a comma list of credentials', 'Bearer reader, Bearer writer'],
      ['"=" inside the token', 'Bearer rea=der'],
      ['a quoted token', 'Bearer "reader"'],
      ['an auth-param instead of a token', 'Bearer token="reader"'],
      ['a non-ASCII character', 'Bearer reader\u00e9'],
      ['an empty Authorization header', ''],
    ])('for %s', async (_name, value) => {
      const res = await get('/docs', [['authorization', value]]);
      expect(res.status).toBe(400);
      expect(res.headers['www-authenticate']).toBe(
        `${invalidRequest}, error_description="The credentials are malformed"`,
      );
      expect(res.json).toEqual({
        statusCode: 400,
        error: 'Bad Request',
        message: 'The credentials are malformed',
        reason: 'CREDENTIALS_MALFORMED',
      });
      expect(callLog.calls).toEqual([]);
      expect(handlerCalls.count).toBe(0);
    });

    it('for two Authorization headers, even when both are valid', async () => {
      const res = await get('/docs', [
        ['authorization', 'Bearer reader'],
        ['Authorization', 'Bearer writer'],
      ]);
      expect(res.status).toBe(400);
      expect(res.headers['www-authenticate']).toContain(invalidRequest);
      expect(res.json).toMatchObject({ reason: 'CREDENTIALS_AMBIGUOUS' });
      expect(callLog.calls).toEqual([]);
    });

    it('for a token in both the header and the query', async () => {
      const res = await get('/docs?access_token=writer', bearer('reader'));
      expect(res.status).toBe(400);
      expect(res.headers['www-authenticate']).toContain(invalidRequest);
      expect(res.text).not.toContain('writer');
    });

    it('ignores a query token when query tokens are not accepted (the default)', async () => {
      const res = await get('/docs?access_token=reader');
      expect(res.status).toBe(401);
      expect(res.headers['www-authenticate']).toBe(REALM);
    });
  });

  describe('DENY: authenticated, not permitted', () => {
    it('answers 403 insufficient_scope naming the missing scope', async () => {
      const res = await send(started.url, 'POST', '/docs', bearer('admin'));
      expect(res.status).toBe(403);
      expect(res.headers['www-authenticate']).toContain('error="insufficient_scope"');
      expect(res.headers['www-authenticate']).toContain('scope="docs:write"');
      expect(res.json).toEqual({
        statusCode: 403,
        error: 'Forbidden',
        message: 'The access token lacks a required scope',
        reason: 'INSUFFICIENT_SCOPE',
      });
      expect(handlerCalls.count).toBe(0);
    });

    it('answers 403 without a scope attribute for a missing role', async () => {
      const res = await send(started.url, 'DELETE', '/docs/1', bearer('reader'));
      expect(res.status).toBe(403);
      expect(res.headers['www-authenticate']).toBe(
        `${REALM}, error="insufficient_scope", error_description="The caller lacks a required role"`,
      );
      expect(res.json).toMatchObject({ reason: 'INSUFFICIENT_ROLE' });
      expect((await send(started.url, 'DELETE', '/docs/1', bearer('admin'))).status).toBe(200);
    });

    it('never echoes claim content in a denial', async () => {
      const res = await send(started.url, 'DELETE', '/docs/1', bearer('reader'));
      expect(res.text).not.toMatch(/alice|acme\.test|docs:read/);
    });
  });

  describe('dynamic references', () => {
    it('compares the caller tenant with a route parameter', async () => {
      expect((await get('/tenants/acme/items', bearer('reader'))).status).toBe(200);
      const other = await get('/tenants/globex/items', bearer('reader'));
      expect(other.status).toBe(403);
      expect(other.json).toMatchObject({ reason: 'TENANT_MISMATCH' });
    });

    it('is exact: no case folding, no prefix match', async () => {
      expect((await get('/tenants/ACME/items', bearer('reader'))).status).toBe(403);
      expect((await get('/tenants/acm/items', bearer('reader'))).status).toBe(403);
    });

    it('denies a caller without a tenant', async () => {
      expect((await get('/tenants/acme/items', bearer('noTenant'))).status).toBe(403);
    });

    it('reads a nested body field', async () => {
      const ok = await send(started.url, 'POST', '/tenants/x/items', bearer('reader'), {
        owner: { tenant: 'acme' },
      });
      expect(ok.status).toBe(201);
      const other = await send(started.url, 'POST', '/tenants/x/items', bearer('reader'), {
        owner: { tenant: 'globex' },
      });
      expect(other.status).toBe(403);
    });

    it('denies when the reference does not resolve (missing, wrong type, inherited property)', async () => {
      for (const payload of [
        {},
        { owner: { tenant: ['acme'] } },
        { owner: 'acme' },
        { owner: { tenant: '' } },
      ]) {
        const res = await send(started.url, 'POST', '/tenants/x/items', bearer('reader'), payload);
        expect(res.status).toBe(403);
        expect(res.json).toMatchObject({ reason: 'REFERENCE_UNRESOLVED' });
      }
      expect(handlerCalls.count).toBe(0);
    });

    it('reads a query parameter, and refuses a repeated one', async () => {
      expect((await get('/tenants/x/by-query?tenant=acme', bearer('reader'))).status).toBe(200);
      const repeated = await get('/tenants/x/by-query?tenant=acme&tenant=acme', bearer('reader'));
      expect(repeated.status).toBe(403);
      expect(repeated.json).toMatchObject({ reason: 'REFERENCE_UNRESOLVED' });
    });

    it('passes the resolved resource to the permission and relation checkers', async () => {
      expect((await get('/resources/7', bearer('admin'))).status).toBe(200);
      expect((await get('/resources/8', bearer('admin'))).status).toBe(403);
      expect((await get('/resources/7/relation', bearer('admin'))).status).toBe(200);
      expect((await get('/resources/8/relation', bearer('admin'))).json).toMatchObject({
        reason: 'RELATION_DENIED',
      });
      expect(callLog.calls.filter((c) => !c.startsWith('authenticate'))).toEqual([
        'permission resource:read@resource/7',
        'permission resource:read@resource/8',
        'relation viewer@resource/7',
        'relation viewer@resource/8',
      ]);
    });

    it('passes no resource to the permission checker when the decorator names none', async () => {
      const res = await get('/resources/7/listing', bearer('admin'));
      expect(res.status).toBe(403);
      expect(res.json).toMatchObject({ reason: 'PERMISSION_DENIED' });
      expect(callLog.calls).toContain('permission resource:list');
      expect(handlerCalls.count).toBe(0);
    });

    it('gives the policy evaluator the invocation', async () => {
      expect((await get('/resources/9/admin-policy', bearer('admin'))).status).toBe(200);
      const recorded = callLog.calls.find((c) => c.startsWith('policy admins-only '))!;
      const invocation = JSON.parse(recorded.slice('policy admins-only '.length));
      // Serialisable as policy input, and carrying nothing but these fields (no headers, no token).
      expect(Object.keys(invocation).filter((k) => k !== 'body')).toEqual([
        'transport',
        'handler',
        'params',
        'query',
      ]);
      expect(invocation).toMatchObject({
        transport: 'http',
        handler: 'ResourceController#adminPolicy',
        params: { id: '9' },
        query: {},
      });
      expect(recorded).not.toMatch(/authorization|Bearer/i);
      expect((await get('/resources/9/admin-policy', bearer('reader'))).json).toMatchObject({
        reason: 'POLICY_DENIED',
      });
    });
  });

  describe('ERROR: a dependency failed (503, never access, never a bad token)', () => {
    const expect503 = (res: Awaited<ReturnType<typeof get>>, reason: string) => {
      expect(res.status).toBe(503);
      expect(res.headers['www-authenticate']).toBeUndefined();
      expect(res.json).toEqual({
        statusCode: 503,
        error: 'Service Unavailable',
        message: 'Authorization is temporarily unavailable',
        reason,
      });
      expect(handlerCalls.count).toBe(0);
    };

    it('when the authentication provider reports its backend down', async () => {
      expect503(await get('/docs', bearer(SPECIAL_TOKENS.down)), 'DEPENDENCY_UNAVAILABLE');
    });

    it('when the authentication provider throws, without leaking the error', async () => {
      const res = await get('/docs', bearer(SPECIAL_TOKENS.throws));
      expect503(res, 'PROVIDER_FAILED');
      expect(res.text).not.toContain('jwks exploded');
    });

    it('when the authentication provider returns something that is not a context', async () => {
      expect503(await get('/docs', bearer(SPECIAL_TOKENS.garbage)), 'PROVIDER_CONTRACT_VIOLATION');
      expect503(
        await get('/docs', bearer(SPECIAL_TOKENS.allowWithoutContext)),
        'PROVIDER_CONTRACT_VIOLATION',
      );
    });

    it('when a policy engine is down, throws, or returns a non-decision', async () => {
      expect503(await get('/resources/1/engine-down', bearer('admin')), 'DEPENDENCY_UNAVAILABLE');
      expect503(await get('/resources/1/policy-throws', bearer('admin')), 'PROVIDER_FAILED');
      expect503(
        await get('/resources/1/policy-contract', bearer('admin')),
        'PROVIDER_CONTRACT_VIOLATION',
      );
    });
  });
});

describe.each(PLATFORMS)('logs on $name', (platform) => {
  const logger = new CapturingLogger();
  let started: StartedApp;
  beforeAll(async () => {
    started = await startApp(platform, GuardScenarioModule, logger);
  });
  afterAll(() => started.app.close());

  it('never contain the presented token, whatever the outcome', async () => {
    const tokens = [
      'reader',
      SPECIAL_TOKENS.throws,
      SPECIAL_TOKENS.garbage,
      'unknown-token-9f8e7d',
    ];
    for (const token of tokens) {
      await send(started.url, 'GET', '/docs', bearer(token));
      await send(started.url, 'GET', '/resources/1/policy-throws', bearer(token));
    }
    await send(started.url, 'GET', '/docs', [
      ['authorization', 'Bearer dup-token-1a2b'],
      ['authorization', 'Bearer dup-token-1a2b'],
    ]);
    const failures = logger.lines.filter((line) => line.includes('refused (503)'));
    expect(failures.length).toBeGreaterThanOrEqual(3);
    for (const token of [...tokens, 'dup-token-1a2b']) {
      expect(logger.lines.filter((line) => line.includes(token))).toEqual([]);
    }
  });
});

describe.each(PLATFORMS)('module options on $name', (platform) => {
  describe('acceptQueryToken: true', () => {
    let started: StartedApp;
    beforeAll(async () => {
      started = await startApp(platform, QueryTokenScenarioModule);
    });
    afterAll(() => started.app.close());

    it('accepts a token in the access_token query parameter', async () => {
      expect((await send(started.url, 'GET', '/docs?access_token=reader')).status).toBe(200);
    });

    it('still refuses a token in both places, and a repeated query token', async () => {
      expect(
        (await send(started.url, 'GET', '/docs?access_token=reader', bearer('reader'))).status,
      ).toBe(400);
      expect(
        (await send(started.url, 'GET', '/docs?access_token=reader&access_token=reader')).status,
      ).toBe(400);
      expect((await send(started.url, 'GET', '/docs?access_token=')).status).toBe(400);
    });

    it.each([
      ['two tokens', 'reader%20writer'],
      ['two tokens ("+" is a space in a query)', 'reader+writer'],
      ['a comma list', 'reader%2Cwriter'],
      ['a tab', 'reader%09'],
    ])(
      'answers 400 invalid_request for a query token that is not a b64token (%s)',
      async (_n, v) => {
        const res = await send(started.url, 'GET', `/docs?access_token=${v}`);
        expect(res.status).toBe(400);
        expect(res.headers['www-authenticate']).toContain('error="invalid_request"');
        expect(res.json).toMatchObject({ reason: 'CREDENTIALS_MALFORMED' });
      },
    );
  });

  describe("defaultAccess: 'public'", () => {
    let started: StartedApp;
    beforeAll(async () => {
      started = await startApp(platform, DefaultPublicScenarioModule);
    });
    afterAll(() => started.app.close());

    it('makes undecorated routes public and keeps @Protected() routes protected', async () => {
      expect((await send(started.url, 'GET', '/whoami/no-decorator')).status).toBe(200);
      expect((await send(started.url, 'GET', '/whoami')).status).toBe(401);
      expect((await send(started.url, 'GET', '/whoami', bearer('reader'))).status).toBe(200);
    });
  });
});
