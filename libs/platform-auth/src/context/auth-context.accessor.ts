import { Injectable } from '@nestjs/common';
import { AuthContextUnavailableError } from '../errors/auth-context-unavailable.error.js';
import type { AuthContext } from './auth-context.interface.js';
import { boundAuthContext, getCurrentAuthContext } from './auth-context.storage.js';

/**
 * Reads the current request's verified `AuthContext` from anywhere in its call tree (services,
 * repositories), without passing it down by hand. Backed by AsyncLocalStorage.
 *
 * @example
 * ```ts
 * @Injectable()
 * export class AuditService {
 *   constructor(private readonly auth: AuthContextAccessor) {}
 *   record(action: string) { return { action, by: this.auth.require().subject }; }
 * }
 * ```
 */
@Injectable()
export class AuthContextAccessor {
  /** The current context, or `undefined` outside an authenticated request. */
  get(): AuthContext | undefined {
    return getCurrentAuthContext();
  }

  /**
   * The context the guard established for a request object. For code that runs after the
   * guard but outside the handler's call tree: another guard (a rate limiter keyed by subject),
   * an exception filter.
   */
  forRequest(request: object): AuthContext | undefined {
    return boundAuthContext(request);
  }

  /**
   * The current context.
   * @throws AuthContextUnavailableError outside an authenticated request.
   */
  require(): AuthContext {
    const context = getCurrentAuthContext();
    if (context === undefined) throw new AuthContextUnavailableError();
    return context;
  }
}
