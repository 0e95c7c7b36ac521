import { Injectable, type NestMiddleware } from '@nestjs/common';
import { runInAuthScope } from './auth-context.storage.js';

/**
 * Enters a fresh auth scope for every HTTP request, ahead of Nest's guards, interceptors and
 * handler, so that `getCurrentAuthContext()` and `AuthContextAccessor` read the caller the
 * guard authenticated anywhere in the request's call tree. Applied to every route by
 * `PlatformAuthModule` (Express and Fastify alike).
 */
@Injectable()
export class AuthScopeMiddleware implements NestMiddleware {
  use(request: unknown, response: unknown, next: (error?: unknown) => void): void {
    enterAuthScope(request, response, next);
  }
}

/** The same as a plain connect-style middleware (what `PlatformAuthModule` puts on Express). */
export function enterAuthScope(
  _request: unknown,
  _response: unknown,
  next: (error?: unknown) => void,
): void {
  runInAuthScope(next);
}
