import { PlatformAuthError } from './platform-auth.error.js';

const MAX_LISTED = 10;

/**
 * Thrown at boot when handlers carry platform-auth decorators, or auth providers are
 * registered, but `PlatformAuthModule` (the app-wide guard that enforces them) is not imported:
 * every route would be served to anyone. Names what was found and what to import.
 */
export class AuthGuardMissingError extends PlatformAuthError<'AUTH_GUARD_MISSING'> {
  override readonly name = 'AuthGuardMissingError';

  constructor(
    /** `Controller` (a class-level decorator) or `Controller#method`, in discovery order. */
    readonly routes: readonly string[],
    /** `Name, registered by JwtAuthModule` or `Name, AppModule providers`. */
    readonly providers: readonly string[],
  ) {
    super('AUTH_GUARD_MISSING', formatMessage(routes, providers));
  }
}

function formatMessage(routes: readonly string[], providers: readonly string[]): string {
  const list = (items: readonly string[]) =>
    items.slice(0, MAX_LISTED).join('; ') +
    (items.length > MAX_LISTED ? ` and ${items.length - MAX_LISTED} more` : '');
  return [
    'PlatformAuthModule is not imported, so no guard enforces the auth decorators and providers ' +
      'below: every route would be served to anyone.',
    ...(routes.length > 0 ? [`  - handlers with auth decorators: ${list(routes)}`] : []),
    ...(providers.length > 0 ? [`  - auth providers: ${list(providers)}`] : []),
    'Fix: import PlatformAuthModule.forRoot() once, in the root module (PlatformModule.forRoot({ auth }) ' +
      'and, in tests, PlatformAuthTestingModule.forRoot({ issuer }) include it).',
  ].join('\n');
}
