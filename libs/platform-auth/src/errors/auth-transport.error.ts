import { PlatformAuthError } from './platform-auth.error.js';

/**
 * Thrown at boot when the guard could not serve a transport: two transports claim one context
 * type (`TRANSPORT_CONFLICT`), or handlers exist on a transport nothing serves
 * (`TRANSPORT_MISSING`, e.g. GraphQL resolvers without `@nest-platform/auth/graphql`).
 */
export class AuthTransportError extends PlatformAuthError<
  'TRANSPORT_CONFLICT' | 'TRANSPORT_MISSING'
> {
  override readonly name = 'AuthTransportError';

  constructor(code: 'TRANSPORT_CONFLICT' | 'TRANSPORT_MISSING', message: string) {
    super(code, message);
  }
}
