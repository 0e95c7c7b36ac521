import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import { ExpressAdapter } from '@nestjs/platform-express';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import { createClient } from 'graphql-ws';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import WebSocket from 'ws';
import { AuthRouteRegistry } from '@nest-platform/auth';
import type { JwtAuthModuleOptions } from '@nest-platform/auth/jwt';
import { TestIssuer } from '@nest-platform/auth/testing';
import { type Driver, graphqlScenario } from './graphql-scenario.js';

const GRAPHQL_RESPONSE = 'application/graphql-response+json';

interface GqlResponse {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
  readonly body: {
    data?: Record<string, unknown> | null;
    errors?: Array<{ message: string; path?: unknown[]; extensions?: Record<string, unknown> }>;
  };
}

/** The drivers, each on its platform: Apollo on Express, Mercurius on Fastify. */
const DRIVERS = [
  { driver: 'apollo' as Driver, adapter: () => new ExpressAdapter() },
  { driver: 'mercurius' as Driver, adapter: () => new FastifyAdapter() },
];

async function start(
  driver: (typeof DRIVERS)[number],
  jwt: JwtAuthModuleOptions,
  options: { sharedContext?: object } = {},
): Promise<{ app: INestApplication; url: string }> {
  const moduleRef = await Test.createTestingModule({
    imports: [graphqlScenario(driver.driver, jwt, options)],
  }).compile();
  const app = moduleRef.createNestApplication(driver.adapter(), { logger: false });
  await app.listen(0, '127.0.0.1');
  const { port } = app.getHttpServer().address() as AddressInfo;
  return { app, url: `http://127.0.0.1:${port}` };
}

async function gql(
  url: string,
  query: string,
  options: { token?: string; authorization?: string; accept?: string; variables?: object } = {},
): Promise<GqlResponse> {
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    accept: options.accept ?? `${GRAPHQL_RESPONSE}, application/json;q=0.9`,
  };
  if (options.token !== undefined) headers.authorization = `Bearer ${options.token}`;
  if (options.authorization !== undefined) headers.authorization = options.authorization;
  const response = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers,
    body: JSON.stringify({ query, variables: options.variables }),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, text, body: JSON.parse(text) };
}

function codes(response: GqlResponse): unknown[] {
  return (response.body.errors ?? []).map((error) => error.extensions?.code);
}

/** A request refused as a whole: status, code, reason, challenge; nothing served. */
function expectRequestRefused(
  response: GqlResponse,
  status: number,
  code: string,
  reason: string,
  challenge: RegExp | undefined,
): void {
  expect(response.status).toBe(status);
  expect(response.body.data ?? null).toBeNull();
  expect(response.body.errors).toHaveLength(1);
  expect(response.body.errors![0].extensions).toMatchObject({ code, reason });
  expect(response.body.errors![0].extensions).not.toHaveProperty('http');
  if (challenge === undefined) expect(response.headers.get('www-authenticate')).toBeNull();
  else expect(response.headers.get('www-authenticate')).toMatch(challenge);
}

/** A key host that fails: the JWKS is unreachable (500). */
async function failingKeyHost(): Promise<{ url: string; close: () => Promise<void> }> {
  const server: Server = createServer((_req, res) => {
    res.writeHead(500);
    res.end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

describe.each(DRIVERS)('GraphQL auth ($driver)', (driver) => {
  let issuer: TestIssuer;
  let url: string;
  let outageUrl: string;
  const apps: INestApplication[] = [];
  let keyHost: { url: string; close: () => Promise<void> };

  const token = (scopes: string[], claims: Record<string, unknown> = {}) =>
    issuer.token({ subject: 'alice', scopes, claims });

  beforeAll(async () => {
    issuer = await TestIssuer.create({ audience: 'urn:books' });
    const started = await start(driver, {
      issuers: [issuer.issuerOptions({ profile: 'generic', tenant: 'tenant_id' })],
    });
    apps.push(started.app);
    url = started.url;
    keyHost = await failingKeyHost();
    const outage = await start(driver, {
      issuers: [
        { issuer: issuer.issuer, audience: issuer.audience, jwksUri: `${keyHost.url}/jwks` },
      ],
      allowHttp: true,
      jwks: { timeoutMs: 300 },
    });
    apps.push(outage.app);
    outageUrl = outage.url;
  });

  afterAll(async () => {
    await Promise.all(apps.map((app) => app.close()));
    await keyHost?.close();
  });

  describe('a protected query', () => {
    const query = '{ books { id title } }';

    it('serves a caller with the scope', async () => {
      const response = await gql(url, query, { token: await token(['books:read']) });
      expect(response.status).toBe(200);
      expect(response.body.errors).toBeUndefined();
      expect(response.body.data).toEqual({
        books: [
          { id: '1', title: 'Public One' },
          { id: '2', title: 'Public Two' },
        ],
      });
    });

    it('refuses an anonymous request: 401 UNAUTHENTICATED with a bare challenge', async () => {
      expectRequestRefused(
        await gql(url, query),
        401,
        'UNAUTHENTICATED',
        'CREDENTIALS_MISSING',
        /^Bearer realm="books"$/,
      );
    });

    it('refuses an invalid token: 401 invalid_token, the token never echoed', async () => {
      const valid = await token(['books:read']);
      const tampered = `${valid.slice(0, -4)}AAAA`;
      const response = await gql(url, query, { token: tampered });
      expectRequestRefused(
        response,
        401,
        'UNAUTHENTICATED',
        'TOKEN_INVALID',
        /error="invalid_token"/,
      );
      expect(response.text).not.toContain(tampered.split('.')[1]);
    });

    it('refuses malformed credentials: 400 BAD_REQUEST', async () => {
      expectRequestRefused(
        await gql(url, query, { authorization: 'Bearer two tokens' }),
        400,
        'BAD_REQUEST',
        'CREDENTIALS_MALFORMED',
        /error="invalid_request"/,
      );
    });

    it('refuses an insufficient scope: 403 FORBIDDEN naming the scope', async () => {
      expectRequestRefused(
        await gql(url, query, { token: await token(['books:write']) }),
        403,
        'FORBIDDEN',
        'INSUFFICIENT_SCOPE',
        /error="insufficient_scope".*scope="books:read"/,
      );
    });

    it('answers 503 SERVICE_UNAVAILABLE when the key set cannot be fetched (never 401)', async () => {
      expectRequestRefused(
        await gql(outageUrl, query, { token: await token(['books:read']) }),
        503,
        'SERVICE_UNAVAILABLE',
        'DEPENDENCY_UNAVAILABLE',
        undefined,
      );
    });

    it('answers a client that accepts only application/json with 200 and a field error', async () => {
      const response = await gql(url, query, { accept: 'application/json' });
      expect(response.status).toBe(200);
      expect(response.body.data).toEqual({ books: null });
      expect(response.body.errors).toHaveLength(1);
      expect(response.body.errors![0]).toMatchObject({
        path: ['books'],
        extensions: { code: 'UNAUTHENTICATED', reason: 'CREDENTIALS_MISSING' },
      });
    });

    it('refuses only the protected field when a public one is selected beside it (200)', async () => {
      const response = await gql(url, '{ hello books { id } }');
      expect(response.status).toBe(200);
      expect(response.body.data).toEqual({ hello: 'hi', books: null });
      expect(codes(response)).toEqual(['UNAUTHENTICATED']);
    });
  });

  describe('a protected mutation', () => {
    const mutation = 'mutation { addBook(title: "New") { id title } }';

    it('runs for a caller with the scope', async () => {
      const response = await gql(url, mutation, { token: await token(['books:write']) });
      expect(response.status).toBe(200);
      expect(response.body.data).toEqual({ addBook: { id: '3', title: 'New' } });
    });

    it('is refused before it runs: 401 anonymous, 403 without the scope', async () => {
      expectRequestRefused(
        await gql(url, mutation),
        401,
        'UNAUTHENTICATED',
        'CREDENTIALS_MISSING',
        /^Bearer/,
      );
      expectRequestRefused(
        await gql(url, mutation, { token: await token(['books:read']) }),
        403,
        'FORBIDDEN',
        'INSUFFICIENT_SCOPE',
        /scope="books:write"/,
      );
    });
  });

  describe('a protected field on a public type', () => {
    const query = '{ catalogue { id title secret } }';

    it('is null with a FORBIDDEN error per item, and its value never leaks', async () => {
      const response = await gql(url, query, { token: await token(['books:read']) });
      expect(response.status).toBe(200);
      expect(response.body.data).toEqual({
        catalogue: [
          { id: '1', title: 'Public One', secret: null },
          { id: '2', title: 'Public Two', secret: null },
        ],
      });
      // Mercurius (graphql-jit) writes list indexes in paths as strings.
      const paths = response.body.errors?.map((error) => [
        error.path?.map(String),
        error.extensions?.code,
      ]);
      expect(paths).toEqual([
        [['catalogue', '0', 'secret'], 'FORBIDDEN'],
        [['catalogue', '1', 'secret'], 'FORBIDDEN'],
      ]);
      expect(response.text).not.toContain('SECRET-VALUE');
    });

    it('is null with UNAUTHENTICATED for an anonymous caller, the public fields served', async () => {
      const response = await gql(url, query);
      expect(response.status).toBe(200);
      expect(response.body.data).toMatchObject({ catalogue: [{ secret: null }, { secret: null }] });
      expect(codes(response)).toEqual(['UNAUTHENTICATED', 'UNAUTHENTICATED']);
      expect(response.headers.get('www-authenticate')).toBe('Bearer realm="books"');
      expect(response.text).not.toContain('SECRET-VALUE');
    });

    it('is served to a caller with the scope', async () => {
      const response = await gql(url, query, { token: await token(['books:secret']) });
      expect(response.body.errors).toBeUndefined();
      expect(response.body.data).toEqual({
        catalogue: [
          { id: '1', title: 'Public One', secret: 'SECRET-VALUE-1' },
          { id: '2', title: 'Public Two', secret: 'SECRET-VALUE-2' },
        ],
      });
    });
  });

  it("never hands one request's caller to the next through a static context object", async () => {
    const shared = await start(
      driver,
      { issuers: [issuer.issuerOptions({ profile: 'generic', tenant: 'tenant_id' })] },
      { sharedContext: { tenantLabel: 'static' } },
    );
    apps.push(shared.app);
    const alice = await gql(shared.url, '{ defaultProtected }', { token: await token([]) });
    expect(alice.body).toEqual({ data: { defaultProtected: 'alice' } });
    // application/json: no request-level check, the guard alone decides.
    const anonymous = await gql(shared.url, '{ defaultProtected }', { accept: 'application/json' });
    expect(anonymous.text).not.toContain('alice');
    if (driver.driver === 'apollo') {
      // Apollo's driver copies a static context per request.
      expect(codes(anonymous)).toEqual(['UNAUTHENTICATED']);
    } else {
      // @nestjs/mercurius 14.0.0 keeps the first request's req on a shared context object:
      // no later request can be attributed to a caller, so each is refused (fail closed).
      expect(codes(anonymous)).toEqual(['SERVICE_UNAVAILABLE']);
      const bob = await gql(shared.url, '{ defaultProtected }', {
        token: await issuer.token({ subject: 'bob' }),
        accept: 'application/json',
      });
      expect(bob.text).not.toContain('alice');
      expect(codes(bob)).toEqual(['SERVICE_UNAVAILABLE']);
    }
  });

  it('protects a resolver registered with useFactory', async () => {
    expectRequestRefused(
      await gql(url, '{ authors }'),
      401,
      'UNAUTHENTICATED',
      'CREDENTIALS_MISSING',
      /^Bearer/,
    );
    const response = await gql(url, '{ authors }', { token: await token(['authors:read']) });
    expect(response.body).toEqual({ data: { authors: ['Ursula'] } });
  });

  it('protects an undecorated resolver by default', async () => {
    expectRequestRefused(
      await gql(url, '{ defaultProtected }'),
      401,
      'UNAUTHENTICATED',
      'CREDENTIALS_MISSING',
      /^Bearer/,
    );
    const response = await gql(url, '{ defaultProtected }', { token: await token([]) });
    expect(response.body).toEqual({ data: { defaultProtected: 'alice' } });
  });

  it('hands the resolver the caller through @CurrentAuth() and AuthContextAccessor (@RequireAny)', async () => {
    const response = await gql(url, '{ me { subject scopes viaAccessor } }', {
      token: await token(['books:admin']),
    });
    expect(response.body).toEqual({
      data: { me: { subject: 'alice', scopes: ['books:admin'], viaAccessor: 'alice' } },
    });
    const librarian = await issuer.token({ subject: 'bob', roles: ['librarian'] });
    const byRole = await gql(url, '{ me { subject } }', { token: librarian });
    expect(byRole.body).toEqual({ data: { me: { subject: 'bob' } } });
  });

  it('resolves fromArgs() references from the field arguments (decided per field)', async () => {
    const query = 'query($t: String!) { tenantReport(tenantId: $t) }';
    const own = await gql(url, query, {
      token: await token([], { tenant_id: 'acme' }),
      variables: { t: 'acme' },
    });
    expect(own.body).toEqual({ data: { tenantReport: 'report of acme' } });
    const other = await gql(url, query, {
      token: await token([], { tenant_id: 'acme' }),
      variables: { t: 'globex' },
    });
    expect(other.status).toBe(200);
    expect(other.body.data).toEqual({ tenantReport: null });
    expect(other.body.errors?.[0].extensions).toMatchObject({
      code: 'FORBIDDEN',
      reason: 'TENANT_MISMATCH',
    });
  });

  describe('a subscription over graphql-ws', () => {
    interface Outcome {
      events: unknown[];
      errors: unknown[];
      closeCode?: number;
    }

    function subscribe(
      connectionParams: Record<string, unknown> | undefined,
      base = url,
    ): Promise<Outcome> {
      return subscribeLater(connectionParams, 0, base);
    }

    /** Connects (connection_init), waits `delayMs`, then subscribes. */
    async function subscribeLater(
      connectionParams: Record<string, unknown> | undefined,
      delayMs: number,
      base = url,
    ): Promise<Outcome> {
      const outcome: Outcome = { events: [], errors: [] };
      let connected!: () => void;
      const acknowledged = new Promise<void>((resolve) => (connected = resolve));
      const client = createClient({
        url: `${base.replace('http', 'ws')}/graphql`,
        webSocketImpl: WebSocket,
        connectionParams,
        retryAttempts: 0,
        lazy: delayMs === 0,
        on: {
          connected: () => connected(),
          closed: (event) => {
            outcome.closeCode ??= (event as { code?: number }).code;
          },
        },
      });
      try {
        if (delayMs > 0) {
          await acknowledged;
          await new Promise((resolve) => setTimeout(resolve, delayMs));
        }
        await new Promise<void>((resolve) => {
          client.subscribe(
            { query: 'subscription { ticks }' },
            {
              next: (value) => {
                if (value.errors) outcome.errors.push(...value.errors);
                else outcome.events.push(value.data);
              },
              error: (error) => {
                outcome.errors.push(...(Array.isArray(error) ? error : [error]));
                resolve();
              },
              complete: resolve,
            },
          );
        });
      } finally {
        await client.dispose();
      }
      return outcome;
    }

    it('is refused at connection_init without a token', async () => {
      const outcome = await subscribe(undefined);
      expect(outcome.events).toEqual([]);
      expect(outcome.closeCode).toBe(4401);
    });

    it('is refused at connection_init with an invalid token', async () => {
      const valid = await token(['books:watch']);
      const outcome = await subscribe({ authorization: `Bearer ${valid.slice(0, -4)}AAAA` });
      expect(outcome.events).toEqual([]);
      expect(outcome.closeCode).toBe(4401);
    });

    it('closes with 4400 for malformed credentials and 1013 when the key set is down', async () => {
      expect((await subscribe({ authorization: 'Bearer two tokens' })).closeCode).toBe(4400);
      const outage = await subscribe(
        { authorization: `Bearer ${await token(['books:watch'])}` },
        outageUrl,
      );
      expect(outage.events).toEqual([]);
      expect(outage.closeCode).toBe(1013);
    });

    it('is refused per operation without the scope', async () => {
      const outcome = await subscribe({ authorization: `Bearer ${await token(['books:read'])}` });
      expect(outcome.events).toEqual([]);
      expect(outcome.errors).toHaveLength(1);
      expect((outcome.errors[0] as { extensions?: unknown }).extensions).toMatchObject({
        code: 'FORBIDDEN',
        reason: 'INSUFFICIENT_SCOPE',
      });
    });

    it('streams to a caller with the scope', async () => {
      const outcome = await subscribe({ authorization: `Bearer ${await token(['books:watch'])}` });
      expect(outcome.errors).toEqual([]);
      expect(outcome.events).toEqual([{ ticks: 't1 for alice' }, { ticks: 't2 for alice' }]);
    });

    it('refuses an operation once the connection token has expired (TOKEN_EXPIRED)', async () => {
      const shortLived = await issuer.sign(
        { sub: 'alice', scope: 'books:watch' },
        { expiresInS: 1 },
      );
      const outcome = await subscribeLater({ authorization: `Bearer ${shortLived}` }, 1500);
      expect(outcome.events).toEqual([]);
      expect(outcome.errors).toHaveLength(1);
      expect((outcome.errors[0] as { extensions?: unknown }).extensions).toMatchObject({
        code: 'UNAUTHENTICATED',
        reason: 'TOKEN_EXPIRED',
      });
    });
  });

  it('lists every resolver in the route table with its requirements', () => {
    const table = apps[0].get(AuthRouteRegistry).format();
    const row = (endpoint: string) =>
      table.split('\n').find((line) => line.startsWith(`${endpoint} `));
    expect(row('Query.hello')).toMatch(/BooksResolver#hello\s+public/);
    expect(row('Query.books')).toMatch(/authenticated AND @RequireScope\('books:read'\)/);
    expect(row('Query.defaultProtected')).toMatch(
      /BooksResolver#defaultProtected\s+authenticated\s/,
    );
    expect(row('Mutation.addBook')).toMatch(/@RequireScope\('books:write'\)/);
    expect(row('Book.secret')).toMatch(
      /BooksResolver#secret\s+authenticated AND @RequireScope\('books:secret'\)/,
    );
    expect(row('Subscription.ticks')).toMatch(/@RequireScope\('books:watch'\)/);
    expect(row('Query.tenantReport')).toMatch(/fromArgs\('tenantId'\)/);
    expect(row('Query.authors')).toMatch(/AuthorsResolver#authors\s+authenticated AND/);
  });
});
