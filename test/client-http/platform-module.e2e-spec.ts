import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Controller, Get, type INestApplication, type Type } from '@nestjs/common';
import { Module } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import {
  AuthContextAccessor,
  type AuthContext,
  AuthenticationProvider,
  CurrentAuth,
  Protected,
  Public,
} from '@nest-platform/auth';
import { PlatformClient, PlatformModule, type PlatformModuleOptions } from '@nest-platform/client';
import { TestIssuer } from '@nest-platform/auth/testing';
import { FakeAuthentication } from '../fixtures/fake-providers.js';
import { PLATFORMS, type Platform } from '../fixtures/platforms.js';

/** A free loopback port: the client's base URL must be known before the app listens. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

@Controller()
class ScenarioController {
  constructor(private readonly client: PlatformClient) {}

  @Protected()
  @Get('me')
  me(@CurrentAuth() auth: AuthContext) {
    return { subject: auth.subject };
  }

  /** Public route that calls the protected one through the injected PlatformClient. */
  @Public()
  @Get('relay')
  async relay() {
    return this.client.getJson<{ subject: string }>('/me');
  }

  @Public()
  @Get('relay-anonymous')
  async relayAnonymous() {
    try {
      await this.client.get('/me', { authenticate: false });
      return { code: null };
    } catch (error) {
      return { code: (error as { code?: string }).code };
    }
  }
}

const authProviders = [{ provide: AuthenticationProvider, useClass: FakeAuthentication }];

function scenario(platformModule: ReturnType<typeof PlatformModule.forRoot>): Type {
  @Module({
    imports: [platformModule],
    controllers: [ScenarioController],
    providers: authProviders,
  })
  class ScenarioModule {}
  return ScenarioModule;
}

async function start(platform: Platform, module: Type, port: number): Promise<INestApplication> {
  const moduleRef = await Test.createTestingModule({ imports: [module] }).compile();
  const app = moduleRef.createNestApplication(platform.adapter(), { logger: false });
  await app.listen(port, '127.0.0.1');
  return app;
}

describe.each(PLATFORMS)('PlatformModule on $name', (platform) => {
  describe.each([
    [
      'forRoot',
      (baseUrl: string) =>
        PlatformModule.forRoot({
          auth: { realm: 'scenario' },
          client: { baseUrl, allowHttp: true, token: () => 'reader' },
        }),
    ],
    [
      'forRootAsync',
      (baseUrl: string) =>
        PlatformModule.forRootAsync({
          auth: { useFactory: () => ({ realm: 'scenario' }) },
          client: { useFactory: async () => ({ baseUrl, allowHttp: true, token: () => 'reader' }) },
        }),
    ],
  ])('%s with auth and client', (_name, build) => {
    let app: INestApplication;
    let url: string;

    beforeAll(async () => {
      const port = await freePort();
      url = `http://127.0.0.1:${port}`;
      app = await start(platform, scenario(build(url)), port);
    });
    afterAll(() => app.close());

    it('protects a route with the fake provider (401 without a token)', async () => {
      const res = await fetch(`${url}/me`);
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toBe('Bearer realm="scenario"');
    });

    it('lets the injected PlatformClient call the protected route with its token', async () => {
      const res = await fetch(`${url}/relay`);
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ subject: 'alice' });
    });

    it('the same call without the token is rejected: HTTP_UNAUTHORIZED', async () => {
      const res = await fetch(`${url}/relay-anonymous`);
      expect(await res.json()).toEqual({ code: 'HTTP_UNAUTHORIZED' });
    });
  });
});

describe('PlatformModule parts', () => {
  it('client only: a PlatformClient and no inbound auth', async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [
        PlatformModule.forRoot({
          client: { baseUrl: 'https://api.example.test', token: () => 't' },
        }),
      ],
    }).compile();
    expect(moduleRef.get(PlatformClient)).toBeInstanceOf(PlatformClient);
    expect(() => moduleRef.get(AuthContextAccessor, { strict: false })).toThrow();
    await moduleRef.close();
  });

  it('auth only: inbound auth and no PlatformClient', async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [PlatformModule.forRoot({ auth: {} })],
      providers: authProviders,
    }).compile();
    expect(moduleRef.get(AuthContextAccessor, { strict: false })).toBeInstanceOf(
      AuthContextAccessor,
    );
    expect(() => moduleRef.get(PlatformClient, { strict: false })).toThrow();
    await moduleRef.close();
  });

  it.each([
    [{}, /give "auth", "client" or both/],
    [{ clients: {} }, /unknown option "clients"/],
    [{ client: { baseUrl: 'http://api.example.test' } }, /"baseUrl" is http:\/\//],
    [{ auth: { realm: 'bad"realm' } }, /"realm"/],
    [{ jwt: { issuers: [] } }, /"jwt" needs "auth"/],
  ])('forRoot(%j) throws a TypeError', (options, message) => {
    expect(() => PlatformModule.forRoot(options as PlatformModuleOptions)).toThrow(message);
  });

  it('forRootAsync needs a part too', () => {
    expect(() => PlatformModule.forRootAsync({})).toThrow(TypeError);
  });

  describe.each(PLATFORMS)('with JWT authentication on $name', (platform) => {
    let issuer: TestIssuer;
    let app: INestApplication;
    let mints = 0;

    beforeAll(async () => {
      issuer = await TestIssuer.create({ audience: 'urn:orders-api' });
      const port = await freePort();
      @Module({
        imports: [
          PlatformModule.forRoot({
            auth: {},
            jwt: { issuers: [issuer.issuerOptions()] },
            client: {
              baseUrl: `http://127.0.0.1:${port}`,
              allowHttp: true,
              // A custom token function: the outbound half gets its token from the test issuer.
              token: () => {
                mints += 1;
                return issuer.token({ subject: 'orders-service', clientId: 'orders-service' });
              },
            },
          }),
        ],
        controllers: [ScenarioController],
      })
      class JwtPlatformModule {}
      app = await start(platform, JwtPlatformModule, port);
    });

    afterAll(() => app?.close());

    it('one import protects the route with JWTs and calls it with a managed token', async () => {
      const address = app.getHttpServer().address() as AddressInfo;
      const first = await fetch(`http://127.0.0.1:${address.port}/relay`);
      const second = await fetch(`http://127.0.0.1:${address.port}/relay`);
      expect(await first.json()).toEqual({ subject: 'orders-service' });
      expect(await second.json()).toEqual({ subject: 'orders-service' });
      expect(mints).toBe(1);
      const direct = await fetch(`http://127.0.0.1:${address.port}/me`);
      expect(direct.status).toBe(401);
    });
  });
});
