import type { AuthContext } from '../context/auth-context.interface.js';
import type { AuthInvocation } from '../context/auth-invocation.interface.js';
import type { Credentials } from '../credentials/credentials.js';
import type { AuthorizationDecision } from '../decisions/authorization-decision.js';

/**
 * Port: turns presented credentials into a verified {@link AuthContext}, or explains why not
 * with a `CHALLENGE` (bad credentials) or `ERROR` (a dependency is down) decision.
 * Capability: `AuthCapability.Authentication`.
 *
 * Build the context with `createAuthContext()`; anything else is refused (fail closed).
 * A thrown error is treated as `ERROR(PROVIDER_FAILED)`, never as access.
 *
 * @example
 * ```ts
 * @Injectable()
 * @AuthProvider(AuthCapability.Authentication)
 * export class ApiKeyAuthentication implements AuthenticationProvider {
 *   async authenticate(credentials: Credentials) {
 *     const key = await this.keys.find(credentials.value);
 *     return key
 *       ? createAuthContext({ subject: key.owner, issuer: 'urn:api-keys', principalType: 'client' })
 *       : AuthorizationDecision.challenge('TOKEN_INVALID');
 *   }
 * }
 * ```
 */
export abstract class AuthenticationProvider {
  abstract authenticate(
    credentials: Credentials,
    invocation: AuthInvocation,
  ): Promise<AuthContext | AuthorizationDecision>;
}
