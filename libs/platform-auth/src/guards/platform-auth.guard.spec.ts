import { describe, expect, it, beforeAll, afterAll } from '@jest/globals';
import { Controller, Get, type INestApplication } from '@nestjs/common';
import { ExecutionContextHost } from '@nestjs/core/helpers/execution-context-host.js';
import { Test } from '@nestjs/testing';
import { Authenticator } from '../pipeline/authenticator.js';
import { Authorizer } from '../pipeline/authorizer.js';
import { AuthTransports } from '../transports/auth-transports.js';
import { AuthCapability } from '../capabilities/auth-capability.enum.js';
import { AuthProvider } from '../decorators/auth-provider.decorator.js';
import { createAuthContext } from '../context/create-auth-context.js';
import { RpcException } from '@nestjs/microservices';
import { WsException } from '@nestjs/websockets';
import { Public } from '../decorators/public.decorator.js';
import { AuthorizationFailedError } from '../errors/authorization-failed.error.js';
import type { AuthRefusalError } from '../messages/auth-refusal.js';
import { PlatformAuthModule } from '../platform-auth.module.js';
import type { AuthenticationProvider } from '../ports/authentication-provider.port.js';
import { AuthRouteRegistry } from '../routes/auth-route-registry.js';
import { PlatformAuthGuard } from './platform-auth.guard.js';

@AuthProvider(AuthCapability.Authentication)
class AcceptEverything implements AuthenticationProvider {
  async authenticate() {
    return createAuthContext({ subject: 's', issuer: 'https://i', principalType: 'client' });
  }
}

@Controller()
class MessagesController {
  @Get('protected')
  handle() {}

  @Get('public')
  @Public()
  open() {}

  notARoute() {}
}

function contextOf(type: string, handler: Function, args: unknown[] = [{}, {}]) {
  const host = new ExecutionContextHost(args, MessagesController, handler);
  host.setType(type);
  return host;
}

/**
 * The decision a refusal carries (`STATE(REASON)`), whether the guard threw synchronously or
 * rejected: `RpcException`/`WsException` on those transports, `AuthorizationFailedError` else.
 */
async function refusal(activate: () => unknown, type = 'graphql'): Promise<string> {
  const error = await Promise.resolve()
    .then(activate)
    .then(
      () => undefined,
      (e: unknown) => e,
    );
  if (type === 'rpc' || type === 'ws') {
    expect(error).toBeInstanceOf(type === 'rpc' ? RpcException : WsException);
    const body = (error as RpcException).getError() as AuthRefusalError;
    expect(Object.keys(body).sort()).toEqual([
      'message',
      'reason',
      'state',
      'status',
      'statusCode',
    ]);
    return `${body.state}(${body.reason})`;
  }
  expect(error).toBeInstanceOf(AuthorizationFailedError);
  return (error as AuthorizationFailedError).decision.toString();
}

describe('PlatformAuthGuard outside HTTP', () => {
  let app: INestApplication;
  let guard: PlatformAuthGuard;

  beforeAll(async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [PlatformAuthModule.forRoot()],
      controllers: [MessagesController],
      providers: [AcceptEverything],
    }).compile();
    app = moduleRef.createNestApplication({ logger: false });
    await app.init();
    guard = new PlatformAuthGuard(
      app.get(AuthRouteRegistry),
      app.get(AuthTransports),
      app.get(Authenticator),
      app.get(Authorizer),
    );
  });
  afterAll(() => app.close());

  it('denies an unknown context type, even on a public handler, as ERROR(UNSUPPORTED_CONTEXT)', async () => {
    for (const handler of [
      MessagesController.prototype.handle,
      MessagesController.prototype.open,
    ]) {
      const decision = await refusal(() => guard.canActivate(contextOf('graphql', handler)));
      expect(`${decision}`).toBe('ERROR(UNSUPPORTED_CONTEXT)');
    }
  });

  it.each(['rpc', 'ws'])(
    'denies a protected %s handler as a CHALLENGE and lets a public one through',
    async (type) => {
      const decision = await refusal(
        () => guard.canActivate(contextOf(type, MessagesController.prototype.handle)),
        type,
      );
      expect(`${decision}`).toBe('CHALLENGE(CREDENTIALS_MISSING)');
      expect(guard.canActivate(contextOf(type, MessagesController.prototype.open))).toBe(true);
    },
  );

  it('denies a handler that was not seen at boot as ERROR(ROUTE_NOT_REGISTERED)', async () => {
    const decision = await refusal(
      () => guard.canActivate(contextOf('rpc', MessagesController.prototype.notARoute)),
      'rpc',
    );
    expect(`${decision}`).toBe('ERROR(ROUTE_NOT_REGISTERED)');
  });

  it('denies an HTTP request object it cannot read as ERROR(UNSUPPORTED_CONTEXT), never as anonymous', async () => {
    const context = contextOf('http', MessagesController.prototype.handle, [{ headers: {} }, {}]);
    await expect(Promise.resolve().then(() => guard.canActivate(context))).rejects.toMatchObject({
      status: 503,
    });
  });
});
