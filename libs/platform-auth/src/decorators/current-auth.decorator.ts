import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { authContextOfExecution } from '../context/auth-context.storage.js';
import { requirePlatformAuthGuard } from '../enforcement/platform-auth-guard.assertion.js';

/**
 * Injects the caller's verified `AuthContext` into a handler parameter; `undefined` on a public
 * route.
 *
 * @example
 * ```ts
 * @Get('me')
 * me(@CurrentAuth() auth: AuthContext) { return auth; }
 * ```
 */
export const CurrentAuth = createParamDecorator(
  (_data: unknown, context: ExecutionContext) => authContextOfExecution(context),
  [
    // The handler it decorates requires the app-wide guard, which is what binds the context.
    (target: object, key: string | symbol | undefined) => {
      const method: unknown = key === undefined ? undefined : Reflect.get(target, key);
      if (typeof method === 'function') requirePlatformAuthGuard(method);
    },
  ],
);
