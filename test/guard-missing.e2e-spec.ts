import { beforeAll, describe, expect, it } from '@jest/globals';
import { Controller, Get, Module } from '@nestjs/common';
import {
  AuthGuardMissingError,
  CurrentAuth,
  PlatformAuthModule,
  Protected,
  Public,
  RequirePermission,
  RequireScope,
} from '@nest-platform/auth';
import { JwtAuthModule } from '@nest-platform/auth/jwt';
import { AcceptSnapshot, AuthSnapshotModule } from '@nest-platform/auth/snapshots';
import { TestIssuer } from '@nest-platform/auth/testing';
import { send } from './fixtures/http-client.js';
import { FakeAuthentication } from './fixtures/fake-providers.js';
import { bootError, PLATFORMS, startApp } from './fixtures/platforms.js';
import { serviceKey } from './snapshots/snapshot-keys.js';

@Controller('reports')
class ReportsController {
  @Get()
  @Protected()
  list() {
    return ['open to anyone'];
  }

  @Get('scoped')
  @RequireScope('reports:read')
  scoped() {
    return ['open to anyone'];
  }

  @Get('permitted')
  @RequirePermission('reports:export')
  permitted() {
    return ['open to anyone'];
  }

  @Get('plain')
  plain() {
    return ['open to anyone'];
  }
}

@Controller('ledger')
@RequireScope('ledger:read')
class LedgerController {
  @Get()
  list() {
    return ['open to anyone'];
  }
}

@Controller('health')
class HealthController {
  @Get()
  @Public()
  health() {
    return { status: 'ok' };
  }

  /** Undecorated: "protected by default" holds only with PlatformAuthModule's guard. */
  @Get('internal')
  internal() {
    return { secret: true };
  }
}

@Controller('me')
class MeController {
  @Get()
  me(@CurrentAuth() auth: unknown) {
    return { auth: auth ?? null };
  }
}

@Controller('orders')
class OrdersController {
  @Get()
  @AcceptSnapshot()
  list() {
    return [];
  }
}

@Controller('plain')
class PlainController {
  @Get()
  get() {
    return { plain: true };
  }
}

function appWith(imports: unknown[], controllers: Function[], providers: unknown[] = []) {
  @Module({
    imports: imports as never[],
    controllers: controllers as never[],
    providers: providers as never[],
  })
  class ScenarioModule {}
  return ScenarioModule;
}

const FIX = 'Fix: import PlatformAuthModule.forRoot() once, in the root module';

describe.each(PLATFORMS)('without PlatformAuthModule, on $name', (platform) => {
  let issuer: TestIssuer;
  beforeAll(async () => {
    issuer = await TestIssuer.create();
  });

  async function refused(module: Function): Promise<AuthGuardMissingError> {
    const error = await bootError(platform, module as never);
    expect(error).toBeInstanceOf(AuthGuardMissingError);
    expect(error).toMatchObject({ code: 'AUTH_GUARD_MISSING' });
    expect((error as Error).message).toContain(FIX);
    return error as AuthGuardMissingError;
  }

  describe('refuses to boot, saying what to import', () => {
    it('with JwtAuthModule and @Protected(), @RequireScope() and @RequirePermission() routes', async () => {
      const error = await refused(
        appWith(
          [JwtAuthModule.forRoot({ issuers: [issuer.issuerOptions()] })],
          [ReportsController],
        ),
      );
      expect(error.routes).toEqual([
        'ReportsController#list',
        'ReportsController#scoped',
        'ReportsController#permitted',
      ]);
      expect(error.providers).toEqual([
        'JwtAuthenticationProvider, registered by JwtAuthModule',
        'ContextScopeChecker, registered by JwtAuthModule',
        'ContextRoleChecker, registered by JwtAuthModule',
      ]);
      expect(error.message).toContain(
        'PlatformAuthModule is not imported, so no guard enforces the auth decorators and providers below',
      );
    });

    it('with JwtAuthModule alone, and no decorated route', async () => {
      const error = await refused(
        appWith([JwtAuthModule.forRoot({ issuers: [issuer.issuerOptions()] })], [PlainController]),
      );
      expect(error.routes).toEqual([]);
      expect(error.providers).toContain('JwtAuthenticationProvider, registered by JwtAuthModule');
    });

    it('with AuthSnapshotModule', async () => {
      const key = await serviceKey('k');
      const error = await refused(
        appWith(
          [
            AuthSnapshotModule.forRoot({
              trustDomain: 'urn:test:d',
              issuer: 'a',
              signingKey: { kid: key.kid, privateKey: key.privateKey },
              verificationKeys: { keys: [key.publicJwk] },
            }),
          ],
          [OrdersController],
        ),
      );
      expect(error.routes).toEqual(['OrdersController#list']);
      expect(error.providers).toEqual([
        'JoseAuthSnapshotSigner, registered by AuthSnapshotModule',
        'JoseAuthSnapshotVerifier, registered by AuthSnapshotModule',
      ]);
    });

    it("with an app's own @AuthProvider and none of the library's modules", async () => {
      const error = await refused(appWith([], [PlainController], [FakeAuthentication]));
      expect(error.providers).toEqual(['FakeAuthentication, ScenarioModule providers']);
    });

    it("with decorated routes and none of the library's modules or providers", async () => {
      const error = await refused(appWith([], [ReportsController, LedgerController]));
      expect(error.routes).toEqual([
        'ReportsController#list',
        'ReportsController#scoped',
        'ReportsController#permitted',
        'LedgerController',
      ]);
      expect(error.providers).toEqual([]);
    });

    it('with @Public() routes only (the undecorated ones would not be protected by default)', async () => {
      const error = await refused(appWith([], [HealthController]));
      expect(error.routes).toEqual(['HealthController#health']);
    });

    it('with @CurrentAuth() alone', async () => {
      expect((await refused(appWith([], [MeController]))).routes).toEqual(['MeController#me']);
    });
  });

  describe('boots', () => {
    it('an app with none of the decorators or providers (nothing to guard)', async () => {
      const { app, url } = await startApp(platform, appWith([], [PlainController]));
      try {
        expect((await send(url, 'GET', '/plain')).status).toBe(200);
      } finally {
        await app.close();
      }
    });

    it('the same app with PlatformAuthModule, and then nothing decorated is open', async () => {
      const { app, url } = await startApp(
        platform,
        appWith(
          [
            PlatformAuthModule.forRoot(),
            JwtAuthModule.forRoot({ issuers: [issuer.issuerOptions()] }),
          ],
          [LedgerController, HealthController, MeController],
        ),
      );
      try {
        for (const path of ['/ledger', '/health/internal', '/me']) {
          expect((await send(url, 'GET', path)).status).toBe(401);
        }
        expect((await send(url, 'GET', '/health')).status).toBe(200);
      } finally {
        await app.close();
      }
    });
  });
});
