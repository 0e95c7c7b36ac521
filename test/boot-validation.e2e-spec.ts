import { beforeAll, describe, expect, it } from '@jest/globals';
import { Controller, Get, Injectable, Module, Scope } from '@nestjs/common';
import {
  AuthCapability,
  AuthorizationDecision,
  AuthProvider,
  AuthRouteRegistry,
  CapabilityValidationError,
  ConflictingAuthMetadataError,
  ContextRoleChecker,
  ContextScopeChecker,
  PlatformAuthModule,
  Protected,
  Public,
  RequireRole,
  RequireScope,
  ScopeChecker,
} from '@nest-platform/auth';
import { JwtAuthModule } from '@nest-platform/auth/jwt';
import { PlatformAuthTestingModule, TestIssuer } from '@nest-platform/auth/testing';
import { bearer, send } from './fixtures/http-client.js';
import {
  FakeAuthentication,
  FakeRoleChecker,
  FakeScopeChecker,
} from './fixtures/fake-providers.js';
import { bootError, PLATFORMS, startApp } from './fixtures/platforms.js';

@Controller('reports')
@RequireScope('reports:read')
class ReportsController {
  @Get()
  list() {
    return [];
  }

  @Get('admin')
  @RequireRole('admin')
  admin() {
    return [];
  }
}

@Controller('health')
class HealthController {
  @Get()
  @Public()
  health() {
    return { status: 'ok' };
  }
}

@Injectable()
@AuthProvider(AuthCapability.Authentication)
class SecondAuthentication extends FakeAuthentication {}

function appWith(
  controllers: Function[],
  providers: unknown[],
  options = {},
  imports: unknown[] = [PlatformAuthModule.forRoot(options)],
) {
  @Module({
    imports: imports as never[],
    controllers: controllers as never[],
    providers: providers as never[],
  })
  class ScenarioModule {}
  return ScenarioModule;
}

describe.each(PLATFORMS)('boot-time capability validation on $name', (platform) => {
  describe('refuses to boot', () => {
    it('when no provider supplies the needed capabilities, listing every one at once', async () => {
      const error = await bootError(platform, appWith([ReportsController, HealthController], []));
      expect(error).toBeInstanceOf(CapabilityValidationError);
      const validation = error as CapabilityValidationError;
      expect(validation.code).toBe('CAPABILITY_VALIDATION_FAILED');
      expect(validation.problems).toEqual([
        {
          capability: 'Authentication',
          neededBy: ['ReportsController#list', 'ReportsController#admin'],
          providers: [],
          origins: [],
        },
        {
          capability: 'ScopeCheck',
          neededBy: ['ReportsController#list', 'ReportsController#admin'],
          providers: [],
          origins: [],
        },
        {
          capability: 'RoleCheck',
          neededBy: ['ReportsController#admin'],
          providers: [],
          origins: [],
        },
      ]);
      expect(validation.message).toBe(
        [
          'Auth capability validation failed (3 problem(s)):',
          '  - Authentication: needed by ReportsController#list, ReportsController#admin',
          '      found no provider.',
          '      Fix: register a provider that implements AuthenticationProvider and is decorated with @AuthProvider(AuthCapability.Authentication), e.g. { provide: AuthenticationProvider, useClass: MyImplementation }.',
          '  - ScopeCheck: needed by ReportsController#list, ReportsController#admin',
          '      found no provider.',
          '      Fix: register a provider that implements ScopeChecker and is decorated with @AuthProvider(AuthCapability.ScopeCheck), e.g. { provide: ScopeChecker, useClass: MyImplementation }.',
          '  - RoleCheck: needed by ReportsController#admin',
          '      found no provider.',
          '      Fix: register a provider that implements RoleChecker and is decorated with @AuthProvider(AuthCapability.RoleCheck), e.g. { provide: RoleChecker, useClass: MyImplementation }.',
        ].join('\n'),
      );
    });

    it('when two providers supply the same capability, naming both', async () => {
      const error = await bootError(
        platform,
        appWith(
          [ReportsController],
          [FakeAuthentication, SecondAuthentication, FakeScopeChecker, FakeRoleChecker],
        ),
      );
      expect(error).toBeInstanceOf(CapabilityValidationError);
      const own = { module: 'ScenarioModule', library: false };
      expect((error as CapabilityValidationError).problems).toEqual([
        {
          capability: 'Authentication',
          neededBy: ['ReportsController#list', 'ReportsController#admin'],
          providers: ['FakeAuthentication', 'SecondAuthentication'],
          origins: [own, own],
        },
      ]);
      expect((error as Error).message).toContain(
        'found 2 providers: FakeAuthentication, ScenarioModule providers; SecondAuthentication, ScenarioModule providers.\n      Fix: keep exactly one provider for Authentication',
      );
    });

    describe('when a library module registers a provider the app registers too, saying where each came from', () => {
      let issuer: TestIssuer;
      const jwtModule = () => JwtAuthModule.forRoot({ issuers: [issuer.issuerOptions()] });
      const problemOf = (error: unknown, capability: string) =>
        (error as CapabilityValidationError).problems.find((p) => p.capability === capability);

      beforeAll(async () => {
        issuer = await TestIssuer.create();
      });

      it("JwtAuthModule's checkers beside the same checkers in the app's providers (the README's two examples combined)", async () => {
        const error = await bootError(
          platform,
          appWith([ReportsController], [ContextScopeChecker, ContextRoleChecker], {}, [
            PlatformAuthModule.forRoot(),
            jwtModule(),
          ]),
        );
        expect(error).toMatchObject({ code: 'CAPABILITY_VALIDATION_FAILED' });
        expect(problemOf(error, 'ScopeCheck')).toEqual({
          capability: 'ScopeCheck',
          neededBy: ['ReportsController#list', 'ReportsController#admin'],
          providers: ['ContextScopeChecker', 'ContextScopeChecker'],
          origins: expect.arrayContaining([
            { module: 'ScenarioModule', library: false },
            { module: 'JwtAuthModule', library: true },
          ]),
        });
        const message = (error as Error).message;
        expect(message).toContain('ContextScopeChecker, registered by JwtAuthModule');
        expect(message).toContain('ContextScopeChecker, ScenarioModule providers');
        expect(message).toContain('ContextRoleChecker, registered by JwtAuthModule');
        expect(message).toContain(
          'Fix: JwtAuthModule already registers a claim-based ScopeChecker: remove ContextScopeChecker from ScenarioModule providers, or pass checkers: false to JwtAuthModule.forRoot() to supply your own ScopeChecker instead.',
        );
        expect(
          await bootError(
            platform,
            appWith([ReportsController], [], {}, [PlatformAuthModule.forRoot(), jwtModule()]),
          ),
        ).toBeUndefined();
      });

      it('an Authentication provider of the app beside JwtAuthModule', async () => {
        const error = await bootError(
          platform,
          appWith([ReportsController], [FakeAuthentication], {}, [
            PlatformAuthModule.forRoot(),
            jwtModule(),
          ]),
        );
        expect((error as Error).message).toContain(
          'Fix: JwtAuthModule already supplies Authentication: remove FakeAuthentication from ScenarioModule providers, or do not import JwtAuthModule.',
        );
      });

      it('JwtAuthModule imported beside PlatformAuthTestingModule', async () => {
        const error = await bootError(
          platform,
          appWith([ReportsController], [], {}, [
            PlatformAuthTestingModule.forRoot({ issuer }),
            jwtModule(),
          ]),
        );
        for (const capability of ['Authentication', 'ScopeCheck', 'RoleCheck']) {
          expect(problemOf(error, capability)?.origins).toEqual(
            expect.arrayContaining([
              { module: 'JwtAuthModule', library: true },
              { module: 'JwtAuthModule', library: true, importedBy: 'PlatformAuthTestingModule' },
            ]),
          );
        }
        const message = (error as Error).message;
        expect(message).toContain(
          'JwtAuthenticationProvider, registered by JwtAuthModule (imported by PlatformAuthTestingModule)',
        );
        expect(message).toMatch(/JwtAuthenticationProvider, registered by JwtAuthModule[;.]/);
        expect(message).toContain(
          'Fix: PlatformAuthTestingModule already imports PlatformAuthModule and JwtAuthModule: do not import JwtAuthModule beside it',
        );
      });

      it("PlatformAuthTestingModule's checkers beside the app's", async () => {
        const error = await bootError(
          platform,
          appWith([ReportsController], [ContextScopeChecker], {}, [
            PlatformAuthTestingModule.forRoot({ issuer }),
          ]),
        );
        expect((error as Error).message).toContain(
          'Fix: PlatformAuthTestingModule (through JwtAuthModule) already registers a claim-based ScopeChecker: remove ContextScopeChecker from ScenarioModule providers.',
        );
      });

      it('JwtAuthModule imported twice', async () => {
        const other = await TestIssuer.create({ issuer: 'https://other.test' });
        const error = await bootError(
          platform,
          appWith([ReportsController], [], {}, [
            PlatformAuthModule.forRoot(),
            jwtModule(),
            JwtAuthModule.forRoot({ issuers: [other.issuerOptions()] }),
          ]),
        );
        expect((error as Error).message).toContain(
          'Fix: JwtAuthModule is imported 2 times: import it once, in the root module.',
        );
      });
    });

    it('when a provider is request-scoped', async () => {
      @Injectable({ scope: Scope.REQUEST })
      @AuthProvider(AuthCapability.Authentication)
      class PerRequestAuthentication extends FakeAuthentication {}
      const error = await bootError(
        platform,
        appWith([HealthController, WhoCaresController], [PerRequestAuthentication]),
      );
      expect((error as CapabilityValidationError).problems).toEqual([
        {
          capability: 'Authentication',
          neededBy: ['WhoCaresController#get'],
          providers: ['PerRequestAuthentication (request-scoped or transient: not supported)'],
          origins: [{ module: 'ScenarioModule', library: false }],
        },
      ]);
    });

    it('when snapshots are enabled without a signer and a verifier', async () => {
      const error = await bootError(
        platform,
        appWith([HealthController], [], { snapshots: { enabled: true } }),
      );
      expect(
        (error as CapabilityValidationError).problems.map((p) => [p.capability, p.neededBy]),
      ).toEqual([
        ['SnapshotSign', ['snapshots (PlatformAuthModule option snapshots.enabled)']],
        ['SnapshotVerify', ['snapshots (PlatformAuthModule option snapshots.enabled)']],
      ]);
    });

    it('when @Public() meets a requirement or @Protected() on the same route, listing every route', async () => {
      @Controller('mixed')
      @Public()
      class PublicWithScopedMethod {
        @Get()
        @RequireScope('a:read')
        @RequireRole('auditor')
        scoped() {
          return 1;
        }

        @Get('fine')
        fine() {
          return 1;
        }
      }

      @Controller('other')
      @RequireRole('admin')
      class ScopedWithPublicMethod {
        @Get()
        @Public()
        open() {
          return 1;
        }

        @Get('protected')
        @Public()
        @Protected()
        both() {
          return 1;
        }
      }

      const error = await bootError(
        platform,
        appWith([PublicWithScopedMethod, ScopedWithPublicMethod], [FakeAuthentication]),
      );
      expect(error).toBeInstanceOf(ConflictingAuthMetadataError);
      const conflict = error as ConflictingAuthMetadataError;
      expect(conflict.code).toBe('CONFLICTING_AUTH_METADATA');
      expect(conflict.conflicts).toEqual([
        {
          route: 'PublicWithScopedMethod#scoped',
          detail: "@Public() with @RequireScope('a:read'), @RequireRole('auditor')",
        },
        { route: 'ScopedWithPublicMethod#open', detail: "@Public() with @RequireRole('admin')" },
        {
          route: 'ScopedWithPublicMethod#both',
          detail: "@Public() with @Protected(), @RequireRole('admin')",
        },
      ]);
      expect(conflict.message).toContain('(3 route(s))');
      expect(conflict.message).toContain(
        "  - ScopedWithPublicMethod#open: @Public() with @RequireRole('admin')",
      );
      expect(conflict.message).toContain('Potential solutions:');
    });
  });

  describe('boots', () => {
    it('with only public routes and no provider at all', async () => {
      expect(await bootError(platform, appWith([HealthController], []))).toBeUndefined();
    });

    it('when an unneeded capability has two providers', async () => {
      @Injectable()
      @AuthProvider(AuthCapability.RoleCheck)
      class SecondRoleChecker extends FakeRoleChecker {}
      expect(
        await bootError(
          platform,
          appWith([HealthController], [FakeRoleChecker, SecondRoleChecker]),
        ),
      ).toBeUndefined();
    });

    it('counts a provider registered under the port token, and one instance under two tokens once', async () => {
      // A plain object: only the port token says it is a ScopeChecker.
      const scopeChecker: ScopeChecker = { checkScopes: async () => AuthorizationDecision.allow() };
      const error = await bootError(
        platform,
        appWith(
          [ReportsController],
          [
            FakeAuthentication,
            { provide: ScopeChecker, useValue: scopeChecker },
            FakeRoleChecker,
            { provide: 'roles-alias', useExisting: FakeRoleChecker },
          ],
        ),
      );
      expect(error).toBeUndefined();
    });
  });
});

@Controller('who-cares')
class WhoCaresController {
  @Get()
  get() {
    return 1;
  }
}

describe.each(PLATFORMS)('the resolved route table on $name', (platform) => {
  it('lists each route with its requirements and providers, and the app serves them', async () => {
    const { app, url } = await startApp(
      platform,
      appWith(
        [ReportsController, HealthController],
        [FakeAuthentication, FakeScopeChecker, FakeRoleChecker],
      ),
    );
    try {
      const registry = app.get(AuthRouteRegistry);
      expect(registry.describe()).toEqual([
        {
          route: 'ReportsController#list',
          endpoint: 'GET /reports',
          access: 'protected',
          requirements: ["@RequireScope('reports:read')"],
          providers: { Authentication: 'FakeAuthentication', ScopeCheck: 'FakeScopeChecker' },
        },
        {
          route: 'ReportsController#admin',
          endpoint: 'GET /reports/admin',
          access: 'protected',
          requirements: ["@RequireScope('reports:read')", "@RequireRole('admin')"],
          providers: {
            Authentication: 'FakeAuthentication',
            ScopeCheck: 'FakeScopeChecker',
            RoleCheck: 'FakeRoleChecker',
          },
        },
        {
          route: 'HealthController#health',
          endpoint: 'GET /health',
          access: 'public',
          requirements: [],
          providers: {},
        },
      ]);
      expect(registry.format().split('\n')).toEqual([
        expect.stringMatching(/^ENDPOINT +HANDLER +REQUIREMENTS +PROVIDERS$/),
        expect.stringMatching(
          /^GET \/reports +ReportsController#list +authenticated AND @RequireScope\('reports:read'\) +Authentication=FakeAuthentication, ScopeCheck=FakeScopeChecker$/,
        ),
        expect.stringMatching(
          /^GET \/reports\/admin +ReportsController#admin +authenticated AND @RequireScope\('reports:read'\) AND @RequireRole\('admin'\) +Authentication=FakeAuthentication, ScopeCheck=FakeScopeChecker, RoleCheck=FakeRoleChecker$/,
        ),
        expect.stringMatching(/^GET \/health +HealthController#health +public$/),
      ]);
      expect((await send(url, 'GET', '/health')).status).toBe(200);
      expect((await send(url, 'GET', '/reports', bearer('admin'))).status).toBe(403);
    } finally {
      await app.close();
    }
  });
});
