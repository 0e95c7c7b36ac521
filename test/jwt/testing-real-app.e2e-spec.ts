import { afterEach, describe, expect, it } from '@jest/globals';
import { Controller, Get, type INestApplication, Module } from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import { Test } from '@nestjs/testing';
import {
  type AuthContext,
  CurrentAuth,
  PlatformAuthModule,
  Public,
  RequireRole,
  RequireScope,
} from '@nest-platform/auth';
import { JwtAuthModule } from '@nest-platform/auth/jwt';
import { PlatformAuthTestingModule, TestIssuer, useTestIssuer } from '@nest-platform/auth/testing';
import request from 'supertest';
import { PLATFORMS, type Platform } from '../fixtures/platforms.js';

@Controller()
class DocumentsController {
  @Get('health')
  @Public()
  health() {
    return { status: 'ok' };
  }

  @Get('documents')
  @RequireScope('documents:read')
  list(@CurrentAuth() auth: AuthContext) {
    return { owner: auth.subject, roles: auth.roles };
  }

  @Get('admin')
  @RequireRole('admin')
  admin() {
    return { ok: true };
  }
}

/**
 * A user's real root module: configuration from the environment, a Keycloak issuer that is
 * not reachable from the test, and the claim profile the app relies on.
 */
@Module({
  imports: [
    ConfigModule.forRoot({
      isGlobal: true,
      ignoreEnvFile: true,
      load: [() => ({ ISSUER: 'https://idp.example.invalid/realms/acme' })],
    }),
    PlatformAuthModule.forRoot({ realm: 'documents' }),
    JwtAuthModule.forRootAsync({
      inject: [ConfigService],
      useFactory: (config: ConfigService) => ({
        issuers: [
          {
            issuer: config.getOrThrow<string>('ISSUER'),
            audience: 'documents-api',
            claims: { profile: 'keycloak', keycloakClientId: 'documents-api' },
          },
        ],
        clockToleranceS: 5,
      }),
    }),
  ],
  controllers: [DocumentsController],
})
class AppModule {}

/** The same app as the README's example writes it: `JwtAuthModule.forRoot()` with static options. */
@Module({
  imports: [
    PlatformAuthModule.forRoot({ realm: 'documents' }),
    JwtAuthModule.forRoot({
      issuers: [
        {
          issuer: 'https://idp.example.invalid/realms/acme',
          audience: 'documents-api',
          claims: { profile: 'keycloak', keycloakClientId: 'documents-api' },
        },
      ],
    }),
  ],
  controllers: [DocumentsController],
})
class StaticAppModule {}

const keycloakToken = (issuer: TestIssuer, scope: string, realmRoles: string[] = []) =>
  issuer.sign({
    sub: 'alice',
    azp: 'documents-web',
    client_id: undefined,
    scope,
    realm_access: { roles: realmRoles },
  });

async function boot(platform: Platform, builder: ReturnType<typeof Test.createTestingModule>) {
  const moduleRef = await builder.compile();
  const app = moduleRef.createNestApplication(platform.adapter(), { logger: false });
  await app.init();
  if (platform.name === 'fastify') {
    await (app.getHttpAdapter().getInstance() as { ready(): Promise<unknown> }).ready();
  }
  return app;
}

describe.each(PLATFORMS)('testing the real AppModule with useTestIssuer ($name)', (platform) => {
  let app: INestApplication | undefined;
  afterEach(async () => {
    await app?.close();
    app = undefined;
  });

  it('accepts the test issuer’s tokens, read with the app’s own claim profile', async () => {
    const issuer = await TestIssuer.create({ audience: 'documents-api' });
    app = await boot(
      platform,
      useTestIssuer(Test.createTestingModule({ imports: [AppModule] }), { issuer }),
    );
    const server = app.getHttpServer();
    await request(server).get('/health').expect(200);
    await request(server).get('/documents').expect(401);
    await request(server)
      .get('/documents')
      .auth(await keycloakToken(issuer, 'documents:read', ['admin']), { type: 'bearer' })
      .expect(200, { owner: 'alice', roles: ['admin'] });
    await request(server)
      .get('/admin')
      .auth(await keycloakToken(issuer, 'documents:read'), { type: 'bearer' })
      .expect(403);
  });

  it('works on an app whose JwtAuthModule uses forRoot()', async () => {
    const issuer = await TestIssuer.create({ audience: 'documents-api' });
    app = await boot(
      platform,
      useTestIssuer(Test.createTestingModule({ imports: [StaticAppModule] }), { issuer }),
    );
    await request(app.getHttpServer()).get('/documents').expect(401);
    await request(app.getHttpServer())
      .get('/documents')
      .auth(await keycloakToken(issuer, 'documents:read', ['admin']), { type: 'bearer' })
      .expect(200, { owner: 'alice', roles: ['admin'] });
  });

  it('keeps the app’s other options (its clock tolerance)', async () => {
    const issuer = await TestIssuer.create({ audience: 'documents-api' });
    app = await boot(
      platform,
      useTestIssuer(Test.createTestingModule({ imports: [AppModule] }), { issuer }),
    );
    const expiredTenSecondsAgo = await issuer.sign(
      { scope: 'documents:read' },
      { issuedAt: Math.floor(Date.now() / 1000) - 310, expiresInS: 300 },
    );
    await request(app.getHttpServer())
      .get('/documents')
      .auth(expiredTenSecondsAgo, { type: 'bearer' })
      .expect(401);
  });

  it('uses the claim profile it is given instead of the app’s', async () => {
    const issuer = await TestIssuer.create({ audience: 'documents-api' });
    app = await boot(
      platform,
      useTestIssuer(Test.createTestingModule({ imports: [AppModule] }), {
        issuer,
        claims: 'generic',
      }),
    );
    await request(app.getHttpServer())
      .get('/admin')
      .auth(await issuer.token({ scopes: ['documents:read'], roles: ['admin'] }), {
        type: 'bearer',
      })
      .expect(200);
  });

  describe('without it', () => {
    it('the app does not trust the test issuer', async () => {
      const issuer = await TestIssuer.create({ audience: 'documents-api' });
      app = await boot(platform, Test.createTestingModule({ imports: [AppModule] }));
      const response = await request(app.getHttpServer())
        .get('/documents')
        .auth(await keycloakToken(issuer, 'documents:read'), { type: 'bearer' });
      // The test issuer is https://issuer.test, not the app's: a token from an unknown issuer.
      expect(response.status).toBe(401);
    });

    it('overrideModule(JwtAuthModule) matches nothing: the test issuer stays untrusted', async () => {
      const issuer = await TestIssuer.create({ audience: 'documents-api' });
      app = await boot(
        platform,
        Test.createTestingModule({ imports: [StaticAppModule] })
          .overrideModule(JwtAuthModule)
          .useModule(PlatformAuthTestingModule.forRoot({ issuer })),
      );
      await request(app.getHttpServer())
        .get('/documents')
        .auth(await keycloakToken(issuer, 'documents:read'), { type: 'bearer' })
        .expect(401);
    });

    it('PlatformAuthTestingModule beside the app’s own auth modules fails boot', async () => {
      const issuer = await TestIssuer.create({ audience: 'documents-api' });
      await expect(
        boot(
          platform,
          Test.createTestingModule({
            imports: [AppModule, PlatformAuthTestingModule.forRoot({ issuer })],
          }),
        ),
      ).rejects.toThrow(
        /Authentication: needed by[\s\S]*registered by JwtAuthModule[\s\S]*use useTestIssuer\(/,
      );
    });
  });
});
