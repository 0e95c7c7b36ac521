import { Injectable } from '@nestjs/common';
import { AuthCapability } from '../capabilities/auth-capability.enum.js';
import type { AuthContext } from '../context/auth-context.interface.js';
import type { AuthInvocation } from '../context/auth-invocation.interface.js';
import { markAuthenticated } from '../context/authenticated-contexts.js';
import { isAuthContext } from '../context/create-auth-context.js';
import type { Credentials } from '../credentials/credentials.js';
import { AuthorizationDecision } from '../decisions/authorization-decision.js';
import type { SnapshotVerifyOptions } from '../ports/auth-snapshot-verifier.port.js';
import { DpopBinding } from '../dpop/dpop.service.js';
import type { DpopPresentation } from '../dpop/dpop-presentation.js';
import { AuthPorts } from './auth-ports.js';
import { callPort, contractViolation } from './port-calls.js';

const MISSING = AuthorizationDecision.challenge('CREDENTIALS_MISSING');

/**
 * Credentials → the caller, or a decision. A `snapshot` goes to the `SnapshotVerify` provider
 * with its use (binding, reuse rule), anything else to the `Authentication` provider.
 * Transport-neutral and fail-closed: a provider that throws is `ERROR(PROVIDER_FAILED)`; one
 * that answers `ALLOW`, or a context not made by `createAuthContext()`, is
 * `ERROR(PROVIDER_CONTRACT_VIOLATION)`. A context it returns is marked as vouched for, so it may
 * be propagated as a snapshot (see the signer).
 */
@Injectable()
export class Authenticator {
  constructor(
    private readonly ports: AuthPorts,
    private readonly dpop: DpopBinding,
  ) {}

  /**
   * @param dpop the request's DPoP proof, for `DPoP`-scheme credentials: after the provider
   *   verified the token, the proof is checked against it ({@link DpopBinding}), every time.
   */
  async authenticate(
    credentials: Credentials | undefined,
    invocation: AuthInvocation,
    snapshotUse: SnapshotVerifyOptions = {},
    dpop?: DpopPresentation,
  ): Promise<AuthContext | AuthorizationDecision> {
    if (credentials === undefined) return MISSING;
    const route = invocation.handler;
    if (credentials.scheme === 'snapshot') {
      const verifier = this.ports.snapshotVerifier;
      if (verifier === undefined) {
        return contractViolation(route, AuthCapability.SnapshotVerify, 'nothing (no provider)');
      }
      return this.established(
        route,
        AuthCapability.SnapshotVerify,
        await callPort(route, AuthCapability.SnapshotVerify, () =>
          verifier.verify(credentials.value, snapshotUse),
        ),
      );
    }
    const provider = this.ports.authentication;
    if (provider === undefined) {
      return contractViolation(route, AuthCapability.Authentication, 'nothing (no provider)');
    }
    const caller = this.established(
      route,
      AuthCapability.Authentication,
      await callPort(route, AuthCapability.Authentication, () =>
        provider.authenticate(credentials, invocation),
      ),
    );
    if (caller instanceof AuthorizationDecision) return caller;
    return this.dpop.check(credentials, caller, invocation, dpop);
  }

  private established(
    route: string,
    capability: AuthCapability,
    result: unknown,
  ): AuthContext | AuthorizationDecision {
    if (result instanceof AuthorizationDecision) {
      return result.allowed ? contractViolation(route, capability, 'an ALLOW decision') : result;
    }
    if (!isAuthContext(result)) {
      return contractViolation(route, capability, 'a value not made by createAuthContext()');
    }
    markAuthenticated(result);
    return result;
  }
}
