import { PlatformAuthError } from './platform-auth.error.js';

/**
 * Thrown by `AuthContextAccessor.require()` outside an authenticated request (a public route,
 * a background job, or code that runs before the guard).
 */
export class AuthContextUnavailableError extends PlatformAuthError<'AUTH_CONTEXT_UNAVAILABLE'> {
  override readonly name = 'AuthContextUnavailableError';

  constructor() {
    super(
      'AUTH_CONTEXT_UNAVAILABLE',
      'No AuthContext in this call tree: the code is not running inside an authenticated request.',
    );
  }
}
