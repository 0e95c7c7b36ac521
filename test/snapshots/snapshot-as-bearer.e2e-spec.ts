import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Controller, Get, Module } from '@nestjs/common';
import { type AuthContext, CurrentAuth, Protected } from '@nest-platform/auth';
import { PlatformAuthTestingModule, TestIssuer } from '@nest-platform/auth/testing';
import { bearer, send } from '../fixtures/http-client.js';
import { PLATFORMS, startApp, type StartedApp } from '../fixtures/platforms.js';

@Controller('me')
class MeController {
  @Get()
  @Protected()
  me(@CurrentAuth() auth: AuthContext) {
    return { subject: auth.subject };
  }
}

/**
 * Only the generic (RFC 9068) profile requires `typ: at+jwt`; the JWT provider refuses the
 * snapshot `typ` under every profile, so a snapshot is never a bearer token.
 */
describe.each(['auth0'] as const)(
  'a token typed as a snapshot, under the %s profile',
  (profile) => {
    let issuer: TestIssuer;
    let app: StartedApp;

    beforeAll(async () => {
      issuer = await TestIssuer.create();
      @Module({
        imports: [PlatformAuthTestingModule.forRoot({ issuer, claims: profile })],
        controllers: [MeController],
      })
      class ProfileModule {}
      app = await startApp(PLATFORMS[0], ProfileModule);
    });
    afterAll(() => app?.app.close());

    it('is accepted with a typ the profile allows (control)', async () => {
      const token = await issuer.sign({ sub: 'alice' }, { header: { typ: 'JWT' } });
      expect((await send(app.url, 'GET', '/me', bearer(token))).status).toBe(200);
    });

    it.each(['auth-snapshot+jwt', 'Auth-Snapshot+JWT', 'application/auth-snapshot+jwt'])(
      'is refused as a bearer token with typ %s',
      async (typ) => {
        const token = await issuer.sign({ sub: 'alice' }, { header: { typ } });
        const response = await send(app.url, 'GET', '/me', bearer(token));
        expect(response.status).toBe(401);
        expect((response.json as { reason: string }).reason).toBe('TOKEN_INVALID');
      },
    );
  },
);
