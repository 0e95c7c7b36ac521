import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { authContextOfExecution } from '../context/auth-context.storage.js';

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
export const CurrentAuth = createParamDecorator((_data: unknown, context: ExecutionContext) =>
  authContextOfExecution(context),
);
