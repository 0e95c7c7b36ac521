import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Controller, Get, Injectable, Module } from '@nestjs/common';
import {
  type AuthContext,
  AuthorizationDecision,
  AuthProvider,
  AuthCapability,
  AuthTransport,
  type AuthInvocation,
  CapabilityValidationError,
  CurrentAuth,
  PlatformAuthGuard,
  PlatformAuthModule,
  RequireAny,
  RequireScope,
  role,
  scope,
} from '@nest-platform/auth';
import type { ExecutionContext } from '@nestjs/common';
import { bearer, send } from './fixtures/http-client.js';
import { FakeAuthentication, FakeScopeChecker } from './fixtures/fake-providers.js';
import { bootError, PLATFORMS, startApp, type StartedApp } from './fixtures/platforms.js';

@Controller('docs')
class DocsController {
  @Get()
  @RequireScope('docs:read')
  list(@CurrentAuth() auth: AuthContext) {
    return { subject: auth.subject };
  }
}

/** A guard that audits every authorization and refuses a blocked subject whatever it holds. */
const audit: string[] = [];
@Injectable()
class AuditingGuard extends PlatformAuthGuard {
  protected override async authorize(
    plan: Parameters<PlatformAuthGuard['authorize']>[0],
    caller: AuthContext,
    invocation: AuthInvocation,
  ): Promise<AuthorizationDecision> {
    const decision = await super.authorize(plan, caller, invocation);
    audit.push(`${invocation.handler} ${caller.subject} ${decision}`);
    return caller.subject === 'svc-writer' ? AuthorizationDecision.deny('POLICY_DENIED') : decision;
  }
}

@Module({
  imports: [PlatformAuthModule.forRoot({ guard: AuditingGuard })],
  controllers: [DocsController],
  providers: [FakeAuthentication, FakeScopeChecker],
})
class AuditedModule {}

describe.each(PLATFORMS)('the request pipeline on $name', (platform) => {
  describe('a guard subclass passed as `guard`', () => {
    let started: StartedApp;
    beforeAll(async () => {
      started = await startApp(platform, AuditedModule);
    });
    afterAll(() => started.app.close());

    it('runs instead of PlatformAuthGuard, with its overridden step', async () => {
      audit.length = 0;
      expect((await send(started.url, 'GET', '/docs', bearer('reader'))).status).toBe(200);
      expect((await send(started.url, 'GET', '/docs', bearer('writer'))).status).toBe(403);
      expect((await send(started.url, 'GET', '/docs')).status).toBe(401);
      expect(audit).toEqual([
        'DocsController#list alice ALLOW(ALLOWED)',
        'DocsController#list svc-writer ALLOW(ALLOWED)',
      ]);
    });
  });

  describe('refused at boot', () => {
    it('a @RequireAny alternative whose capability no provider supplies', async () => {
      @Controller('any')
      class AnyController {
        @Get()
        @RequireAny(scope('docs:admin'), role('admin'))
        run() {}
      }
      @Module({
        imports: [PlatformAuthModule.forRoot()],
        controllers: [AnyController],
        providers: [FakeAuthentication, FakeScopeChecker],
      })
      class NoRoleChecker {}
      const error = await bootError(platform, NoRoleChecker);
      expect(error).toBeInstanceOf(CapabilityValidationError);
      expect((error as CapabilityValidationError).problems).toMatchObject([
        { capability: 'RoleCheck', neededBy: ['AnyController#run'], providers: [] },
      ]);
    });

    it('a provider that declares a capability but lacks the port method', async () => {
      @Injectable()
      @AuthProvider(AuthCapability.ScopeCheck)
      class Hollow {}
      @Module({
        imports: [PlatformAuthModule.forRoot()],
        controllers: [DocsController],
        providers: [FakeAuthentication, Hollow],
      })
      class HollowModule {}
      const error = await bootError(platform, HollowModule);
      expect(error).toBeInstanceOf(CapabilityValidationError);
      expect((error as Error).message).toContain('Hollow, which has no checkScopes() method');
    });

    it('two transports for one context type', async () => {
      @Injectable()
      class SecondHttp extends AuthTransport {
        readonly type = 'http';
        read(): AuthorizationDecision {
          return AuthorizationDecision.challenge('CREDENTIALS_MISSING');
        }
        bind(): void {}
        refuse(_context: ExecutionContext, decision: AuthorizationDecision): never {
          throw new Error(`${decision}`);
        }
      }
      @Module({
        imports: [PlatformAuthModule.forRoot()],
        controllers: [DocsController],
        providers: [FakeAuthentication, FakeScopeChecker, SecondHttp],
      })
      class TwoTransports {}
      const error = await bootError(platform, TwoTransports);
      expect(error).toMatchObject({ code: 'TRANSPORT_CONFLICT' });
      expect((error as Error).message).toMatch(
        /SecondHttp and HttpAuthTransport|HttpAuthTransport and SecondHttp/,
      );
    });
  });
});

describe('the guard option', () => {
  it('refuses a class that does not extend PlatformAuthGuard', () => {
    class NotAGuard {}
    expect(() => PlatformAuthModule.forRoot({ guard: NotAGuard as never })).toThrow(
      'option "guard" must be PlatformAuthGuard or a class that extends it',
    );
  });
});
