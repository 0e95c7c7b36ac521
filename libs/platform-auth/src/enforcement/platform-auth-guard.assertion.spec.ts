import { beforeAll, describe, expect, it } from '@jest/globals';
import { Controller, Get, ServiceUnavailableException, UseGuards } from '@nestjs/common';
import { GUARDS_METADATA } from '@nestjs/common/constants.js';
import { ModulesContainer } from '@nestjs/core';
import { ExecutionContextHost } from '@nestjs/core/helpers/execution-context-host.js';
import { RpcException } from '@nestjs/microservices';
import { WsException } from '@nestjs/websockets';
import { AuthProvider } from '../decorators/auth-provider.decorator.js';
import { AuthCapability } from '../capabilities/auth-capability.enum.js';
import { CurrentAuth } from '../decorators/current-auth.decorator.js';
import { Protected } from '../decorators/protected.decorator.js';
import { Public } from '../decorators/public.decorator.js';
import { RequirePermission } from '../decorators/require-permission.decorator.js';
import { RequirePolicy } from '../decorators/require-policy.decorator.js';
import { RequireRelation } from '../decorators/require-relation.decorator.js';
import { RequireAnyRole, RequireRole } from '../decorators/require-role.decorator.js';
import { RequireAnyScope, RequireScope } from '../decorators/require-scope.decorator.js';
import { RequireTenant } from '../decorators/require-tenant.decorator.js';
import { AuthorizationFailedError } from '../errors/authorization-failed.error.js';
import { loadTransportRefusals } from '../messages/transport-refusals.js';
import { fromParam } from '../requirements/dynamic-ref.js';
import { AcceptSnapshot } from '../decorators/accept-snapshot.decorator.js';
import { markAuthorizedByGuard } from './guard-marks.js';
import { PlatformAuthGuardAssertion } from './platform-auth-guard.assertion.js';

class Handlers {
  handle() {
    return 1;
  }
}

function invocation(type: string): ExecutionContextHost {
  const context = new ExecutionContextHost([{}, {}], Handlers, Handlers.prototype.handle);
  context.setType(type);
  return context;
}

const guardsOf = (holder: object): unknown[] => Reflect.getMetadata(GUARDS_METADATA, holder) ?? [];

describe('PlatformAuthGuardAssertion', () => {
  const assertion = new PlatformAuthGuardAssertion(new ModulesContainer());
  // What its (or PlatformAuthModule's) bootstrap does before any message can arrive.
  beforeAll(() => loadTransportRefusals());

  it('lets through an invocation the app-wide guard let through', () => {
    for (const type of ['http', 'rpc', 'ws']) {
      const context = invocation(type);
      markAuthorizedByGuard(context);
      expect(assertion.canActivate(context)).toBe(true);
    }
  });

  describe('refuses, as ERROR(GUARD_NOT_APPLIED), an invocation the guard never saw', () => {
    it('over HTTP: 503, no challenge', () => {
      const refusal = (() => {
        try {
          assertion.canActivate(invocation('http'));
        } catch (error) {
          return error;
        }
      })();
      expect(refusal).toBeInstanceOf(ServiceUnavailableException);
      expect((refusal as ServiceUnavailableException).getResponse()).toEqual({
        statusCode: 503,
        error: 'Service Unavailable',
        message: 'Authorization is temporarily unavailable',
        reason: 'GUARD_NOT_APPLIED',
      });
    });

    it('on a message handler and a gateway', () => {
      expect(() => assertion.canActivate(invocation('rpc'))).toThrow(RpcException);
      try {
        assertion.canActivate(invocation('rpc'));
      } catch (error) {
        expect((error as RpcException).getError()).toMatchObject({
          state: 'ERROR',
          reason: 'GUARD_NOT_APPLIED',
          statusCode: 503,
        });
      }
      expect(() => assertion.canActivate(invocation('ws'))).toThrow(WsException);
    });

    it('on any other context type', () => {
      expect(() => assertion.canActivate(invocation('graphql'))).toThrow(AuthorizationFailedError);
    });

    it('even when another invocation of the same handler was let through', () => {
      markAuthorizedByGuard(invocation('http'));
      expect(() => assertion.canActivate(invocation('http'))).toThrow(ServiceUnavailableException);
    });
  });
});

describe('every platform-auth decorator makes what it decorates require the app-wide guard', () => {
  it.each([
    ['@Public()', Public()],
    ['@Protected()', Protected()],
    ['@RequireScope()', RequireScope('a')],
    ['@RequireAnyScope()', RequireAnyScope('a')],
    ['@RequireRole()', RequireRole('a')],
    ['@RequireAnyRole()', RequireAnyRole('a')],
    ['@RequirePermission()', RequirePermission('a')],
    ['@RequirePolicy()', RequirePolicy('a')],
    ['@RequireRelation()', RequireRelation('a', { type: 't', id: fromParam('id') })],
    ['@RequireTenant()', RequireTenant(fromParam('id'))],
    ['@AcceptSnapshot()', AcceptSnapshot()],
  ])('%s on a method and on a class', (_name, decorator) => {
    class OnMethod {
      @decorator
      handle() {}
    }
    @decorator
    class OnClass {}
    expect(guardsOf(OnMethod.prototype.handle)).toEqual([PlatformAuthGuardAssertion]);
    expect(guardsOf(OnClass)).toEqual([PlatformAuthGuardAssertion]);
  });

  it('@CurrentAuth() on a parameter: its method', () => {
    class WithParam {
      handle(@CurrentAuth() _auth: unknown) {}
    }
    expect(guardsOf(WithParam.prototype.handle)).toEqual([PlatformAuthGuardAssertion]);
  });

  it('@AuthProvider() on a provider class', () => {
    @AuthProvider(AuthCapability.RoleCheck)
    class Checker {}
    expect(guardsOf(Checker)).toEqual([PlatformAuthGuardAssertion]);
  });

  it('once, after the guards already there, inherited ones included', () => {
    class OwnGuard {
      canActivate() {
        return true;
      }
    }
    @Controller()
    @UseGuards(OwnGuard)
    class Base {}
    @RequireScope('a')
    @RequireRole('b')
    class Derived extends Base {
      @Get()
      @RequireScope('c')
      @Protected()
      @UseGuards(OwnGuard)
      handle() {}
    }
    expect(guardsOf(Derived)).toEqual([OwnGuard, PlatformAuthGuardAssertion]);
    expect(guardsOf(Base)).toEqual([OwnGuard]);
    expect(guardsOf(Derived.prototype.handle)).toEqual([OwnGuard, PlatformAuthGuardAssertion]);
  });
});
