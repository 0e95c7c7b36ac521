import { Injectable, Logger } from '@nestjs/common';
import { AuthCapability } from '../capabilities/auth-capability.enum.js';
import type { AuthContext } from '../context/auth-context.interface.js';
import type { AuthInvocation } from '../context/auth-invocation.interface.js';
import { markAuthenticated } from '../context/authenticated-contexts.js';
import { isAuthContext } from '../context/create-auth-context.js';
import type { Credentials } from '../credentials/credentials.js';
import { AuthorizationDecision } from '../decisions/authorization-decision.js';
import { DecisionState } from '../decisions/decision-state.enum.js';
import type {
  AuthSnapshotVerifier,
  SnapshotVerifyOptions,
} from '../ports/auth-snapshot-verifier.port.js';
import type { AuthenticationProvider } from '../ports/authentication-provider.port.js';
import type { PermissionChecker } from '../ports/permission-checker.port.js';
import type { PolicyEvaluator } from '../ports/policy-evaluator.port.js';
import type { RelationChecker } from '../ports/relation-checker.port.js';
import type { ResourceRef } from '../ports/resource-ref.interface.js';
import type { RoleChecker } from '../ports/role-checker.port.js';
import type { ScopeChecker } from '../ports/scope-checker.port.js';
import type { AuthRequirement, ResourceRefSpec } from '../requirements/auth-requirement.js';
import { resolveRef } from '../requirements/dynamic-ref.js';
import type { RoutePlan } from '../requirements/route-plan.js';
import { AuthRouteRegistry } from '../routes/auth-route-registry.js';

/** The outcome of authorizing one invocation. */
export interface AuthorizationOutcome {
  readonly decision: AuthorizationDecision;
  /** The verified caller, when authentication succeeded (even if a requirement then denied). */
  readonly context?: AuthContext;
}

/**
 * Runs a protected route's plan through the ports (the guard lets public routes through before
 * reading credentials): authenticate, then each requirement in order (AND),
 * stopping at the first decision that is not `ALLOW`. Transport-neutral and fail-closed: a port
 * that throws is `ERROR(PROVIDER_FAILED)`; one that returns anything but a decision (or, for
 * authentication, a context made by `createAuthContext`) is `ERROR(PROVIDER_CONTRACT_VIOLATION)`.
 */
@Injectable()
export class RouteAuthorizer {
  private readonly logger = new Logger('PlatformAuth');

  constructor(private readonly registry: AuthRouteRegistry) {}

  /**
   * Authenticates the credentials (a `snapshot` through the `SnapshotVerify` provider with the
   * given use: binding and reuse rule; anything else through the `Authentication` provider),
   * then checks the plan.
   */
  async authorize(
    plan: RoutePlan,
    credentials: Credentials | undefined,
    invocation: AuthInvocation,
    snapshotUse?: SnapshotVerifyOptions,
  ): Promise<AuthorizationOutcome> {
    if (credentials === undefined)
      return { decision: AuthorizationDecision.challenge('CREDENTIALS_MISSING') };

    const authenticated =
      credentials.scheme === 'snapshot'
        ? await this.verifySnapshot(plan, credentials, snapshotUse)
        : await this.authenticate(plan, credentials, invocation);
    if (authenticated instanceof AuthorizationDecision) return { decision: authenticated };
    return this.authorizeContext(plan, authenticated, invocation);
  }

  /** Checks the plan's requirements for a caller authenticated earlier (a WebSocket handshake). */
  async authorizeContext(
    plan: RoutePlan,
    authenticated: AuthContext,
    invocation: AuthInvocation,
  ): Promise<AuthorizationOutcome> {
    for (const requirement of plan.requirements) {
      const decision = await this.check(plan, requirement, authenticated, invocation);
      if (!decision.allowed) return { decision, context: authenticated };
    }
    return { decision: AuthorizationDecision.allow(), context: authenticated };
  }

  private async authenticate(
    plan: RoutePlan,
    credentials: Credentials,
    invocation: AuthInvocation,
  ): Promise<AuthContext | AuthorizationDecision> {
    const provider = this.registry.providerOf<AuthenticationProvider>(
      AuthCapability.Authentication,
    );
    const result = await this.call(plan, AuthCapability.Authentication, () =>
      provider!.authenticate(credentials, invocation),
    );
    return this.established(plan, AuthCapability.Authentication, result);
  }

  private async verifySnapshot(
    plan: RoutePlan,
    credentials: Credentials,
    use: SnapshotVerifyOptions | undefined,
  ): Promise<AuthContext | AuthorizationDecision> {
    const verifier = this.registry.providerOf<AuthSnapshotVerifier>(AuthCapability.SnapshotVerify);
    if (verifier === undefined) {
      return this.violation(plan, AuthCapability.SnapshotVerify, 'nothing (no provider at boot)');
    }
    const result = await this.call(plan, AuthCapability.SnapshotVerify, () =>
      verifier.verify(credentials.value, use ?? {}),
    );
    return this.established(plan, AuthCapability.SnapshotVerify, result);
  }

  /**
   * What an authentication or snapshot provider returned: a refusal passes through; an ALLOW
   * decision or a context not made by `createAuthContext()` is a contract violation. A valid
   * context is marked as vouched for, so it may be propagated as a snapshot (see the signer).
   */
  private established(
    plan: RoutePlan,
    capability: AuthCapability.Authentication | AuthCapability.SnapshotVerify,
    result: unknown,
  ): AuthContext | AuthorizationDecision {
    if (result instanceof AuthorizationDecision) {
      return result.allowed ? this.violation(plan, capability, 'an ALLOW decision') : result;
    }
    if (!isAuthContext(result)) {
      return this.violation(plan, capability, 'a value not made by createAuthContext()');
    }
    markAuthenticated(result);
    return result;
  }

  private check(
    plan: RoutePlan,
    requirement: AuthRequirement,
    context: AuthContext,
    invocation: AuthInvocation,
  ): Promise<AuthorizationDecision> | AuthorizationDecision {
    switch (requirement.kind) {
      case 'scope':
        return this.decide(plan, AuthCapability.ScopeCheck, async () => {
          const decision = await this.registry
            .providerOf<ScopeChecker>(AuthCapability.ScopeCheck)!
            .checkScopes(context, requirement.values, requirement.match);
          // Name the scopes that satisfy the route (RFC 6750 §3 `scope`), whatever the checker said.
          return decision instanceof AuthorizationDecision && decision.state === DecisionState.Deny
            ? AuthorizationDecision.deny('INSUFFICIENT_SCOPE', requirement.values)
            : decision;
        });
      case 'role':
        return this.decide(plan, AuthCapability.RoleCheck, () =>
          this.registry
            .providerOf<RoleChecker>(AuthCapability.RoleCheck)!
            .checkRoles(context, requirement.values, requirement.match),
        );
      case 'tenant': {
        const tenant = resolveRef(requirement.tenant, invocation);
        if (tenant === undefined) return AuthorizationDecision.deny('REFERENCE_UNRESOLVED');
        return context.tenant === tenant
          ? AuthorizationDecision.allow()
          : AuthorizationDecision.deny('TENANT_MISMATCH');
      }
      case 'permission': {
        const resource = requirement.resource && resolveResource(requirement.resource, invocation);
        if (resource === null) return AuthorizationDecision.deny('REFERENCE_UNRESOLVED');
        return this.decide(plan, AuthCapability.PermissionCheck, () =>
          this.registry
            .providerOf<PermissionChecker>(AuthCapability.PermissionCheck)!
            .checkPermission(context, requirement.permission, resource),
        );
      }
      case 'relation': {
        const object = resolveResource(requirement.object, invocation);
        if (object === null) return AuthorizationDecision.deny('REFERENCE_UNRESOLVED');
        return this.decide(plan, AuthCapability.RelationCheck, () =>
          this.registry
            .providerOf<RelationChecker>(AuthCapability.RelationCheck)!
            .checkRelation(context, requirement.relation, object),
        );
      }
      case 'policy':
        return this.decide(plan, AuthCapability.PolicyEvaluation, () =>
          this.registry
            .providerOf<PolicyEvaluator>(AuthCapability.PolicyEvaluation)!
            .evaluate(requirement.policy, context, invocation),
        );
    }
  }

  /** Calls a checker port and insists on a decision back. */
  private async decide(
    plan: RoutePlan,
    capability: AuthCapability,
    fn: () => Promise<unknown>,
  ): Promise<AuthorizationDecision> {
    const result = await this.call(plan, capability, fn);
    return result instanceof AuthorizationDecision
      ? result
      : this.violation(plan, capability, 'something other than an AuthorizationDecision');
  }

  /** Calls a port; a throw (or a rejected promise) becomes `ERROR(PROVIDER_FAILED)`. */
  private async call<T>(
    plan: RoutePlan,
    capability: AuthCapability,
    fn: () => Promise<T>,
  ): Promise<T | AuthorizationDecision> {
    try {
      return await fn();
    } catch (error) {
      this.logger.error(
        `${capability} provider failed for ${plan.route}: ${describeError(error)}; the request is refused (503).`,
      );
      return AuthorizationDecision.error('PROVIDER_FAILED', error);
    }
  }

  private violation(
    plan: RoutePlan,
    capability: AuthCapability,
    what: string,
  ): AuthorizationDecision {
    this.logger.error(
      `${capability} provider returned ${what} for ${plan.route}; the request is refused (503).`,
    );
    return AuthorizationDecision.error('PROVIDER_CONTRACT_VIOLATION');
  }
}

/** A resolved `{ type, id }`, or `null` when the id does not resolve from the invocation. */
function resolveResource(spec: ResourceRefSpec, invocation: AuthInvocation): ResourceRef | null {
  const id = resolveRef(spec.id, invocation);
  return id === undefined ? null : { type: spec.type, id };
}

function describeError(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return `${error.name}${typeof code === 'string' ? ` (${code})` : ''}: ${error.message}`;
  }
  return typeof error;
}
