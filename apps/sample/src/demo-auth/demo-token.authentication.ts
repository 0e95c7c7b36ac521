import { timingSafeEqual } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import {
  AuthCapability,
  AuthProvider,
  AuthorizationDecision,
  type AuthContext,
  type AuthenticationProvider,
  type Credentials,
} from '@platform/auth';
import type { DemoPrincipal } from './demo-principals.js';

export const DEMO_PRINCIPALS = Symbol('DEMO_PRINCIPALS');

/**
 * A custom `AuthenticationProvider`: looks the bearer token up among the demo tokens. It shows
 * the port; a real deployment uses the JWT/OIDC provider.
 */
@Injectable()
@AuthProvider(AuthCapability.Authentication)
export class DemoTokenAuthentication implements AuthenticationProvider {
  constructor(@Inject(DEMO_PRINCIPALS) private readonly principals: Map<string, DemoPrincipal>) {}

  async authenticate(credentials: Credentials): Promise<AuthContext | AuthorizationDecision> {
    const presented = Buffer.from(credentials.value);
    for (const [token, principal] of this.principals) {
      const known = Buffer.from(token);
      if (known.length === presented.length && timingSafeEqual(known, presented))
        return principal.context;
    }
    return AuthorizationDecision.challenge('TOKEN_INVALID');
  }
}
