import { Inject, Injectable } from '@nestjs/common';
import { AuthCapability } from '../capabilities/auth-capability.enum.js';
import type { AuthContext } from '../context/auth-context.interface.js';
import type { AuthInvocation } from '../context/auth-invocation.interface.js';
import { AuthorizationDecision } from '../decisions/authorization-decision.js';
import { DecisionState } from '../decisions/decision-state.enum.js';
import type { ResourceRef } from '../ports/resource-ref.interface.js';
import type {
  AnyOfRequirement,
  AuthRequirement,
  ResourceRefSpec,
  SingleRequirement,
} from '../requirements/auth-requirement.js';
import { resolveRef } from '../requirements/dynamic-ref.js';
import type { RoutePlan } from '../requirements/route-plan.js';
import { isDpopVerified } from '../dpop/dpop-presentation.js';
import { PLATFORM_AUTH_OPTIONS } from '../platform-auth.tokens.js';
import type { ResolvedPlatformAuthOptions } from '../platform-auth.options.js';
import type { AuthenticationRequirement } from '../requirements/auth-requirement.js';
import { AuthPorts } from './auth-ports.js';
import { callPort, contractViolation } from './port-calls.js';

const ALLOW = AuthorizationDecision.allow();
const UNRESOLVED = AuthorizationDecision.deny('REFERENCE_UNRESOLVED');
const TENANT_MISMATCH = AuthorizationDecision.deny('TENANT_MISMATCH');
const DPOP_REQUIRED = AuthorizationDecision.challenge('DPOP_REQUIRED');

/**
 * Plan × caller × invocation → decision: each requirement of the plan in order (AND), stopping
 * at the first that does not allow; `@RequireAny` alternatives in order (OR). Transport-neutral
 * and fail-closed: a checker that throws is `ERROR(PROVIDER_FAILED)`, one that answers anything
 * but a decision (or is missing) is `ERROR(PROVIDER_CONTRACT_VIOLATION)`.
 */
@Injectable()
export class Authorizer {
  constructor(
    private readonly ports: AuthPorts,
    @Inject(PLATFORM_AUTH_OPTIONS) private readonly options: ResolvedPlatformAuthOptions,
  ) {}

  async authorize(
    plan: RoutePlan,
    context: AuthContext,
    invocation: AuthInvocation,
  ): Promise<AuthorizationDecision> {
    for (const requirement of plan.requirements) {
      const decision = await this.check(plan.route, requirement, context, invocation);
      if (!decision.allowed) return decision;
    }
    return ALLOW;
  }

  private check(
    route: string,
    requirement: AuthRequirement,
    context: AuthContext,
    invocation: AuthInvocation,
  ): Promise<AuthorizationDecision> | AuthorizationDecision {
    switch (requirement.kind) {
      case 'any':
        return this.checkAny(route, requirement, context, invocation);
      case 'dpop':
        return isDpopVerified(invocation) ? ALLOW : DPOP_REQUIRED;
      case 'authentication':
        return this.checkAuthentication(requirement, context);
      default:
        return this.checkOne(route, requirement, context, invocation);
    }
  }

  /**
   * RFC 9470: the token's `acr` is one of the required values, and its `auth_time` (seconds) is
   * at most `maxAgeS` old. A missing or malformed claim fails (closed): 401
   * `insufficient_user_authentication` with what the route requires.
   */
  private checkAuthentication(
    requirement: AuthenticationRequirement,
    context: AuthContext,
  ): AuthorizationDecision {
    const { acr, auth_time: authTime } = context.claims;
    const acrMet =
      requirement.acr === undefined || (typeof acr === 'string' && requirement.acr.includes(acr));
    const ageMet =
      requirement.maxAgeS === undefined ||
      (typeof authTime === 'number' &&
        Number.isFinite(authTime) &&
        this.options.now() / 1000 - authTime <= requirement.maxAgeS);
    if (acrMet && ageMet) return ALLOW;
    return AuthorizationDecision.stepUp({
      ...(requirement.acr && { acrValues: requirement.acr }),
      ...(requirement.maxAgeS !== undefined && { maxAgeS: requirement.maxAgeS }),
    });
  }

  /**
   * The first alternative that allows wins. Otherwise a failure of any is `ERROR` (it might
   * have allowed: 503, not a refusal the caller should believe), else a `DENY` naming every
   * scope an alternative required, or the first alternative's reason.
   */
  private async checkAny(
    route: string,
    requirement: AnyOfRequirement,
    context: AuthContext,
    invocation: AuthInvocation,
  ): Promise<AuthorizationDecision> {
    let failure: AuthorizationDecision | undefined;
    let firstDeny: AuthorizationDecision | undefined;
    const scopes: string[] = [];
    for (const alternative of requirement.alternatives) {
      const decision = await this.checkOne(route, alternative, context, invocation);
      if (decision.allowed) return decision;
      if (decision.state === DecisionState.Error) failure ??= decision;
      else {
        firstDeny ??= decision;
        if (decision.reason === 'INSUFFICIENT_SCOPE') scopes.push(...decision.requiredScopes);
      }
    }
    if (failure !== undefined) return failure;
    return scopes.length > 0
      ? AuthorizationDecision.deny('INSUFFICIENT_SCOPE', [...new Set(scopes)])
      : firstDeny!;
  }

  private checkOne(
    route: string,
    requirement: SingleRequirement,
    context: AuthContext,
    invocation: AuthInvocation,
  ): Promise<AuthorizationDecision> | AuthorizationDecision {
    const { ports } = this;
    switch (requirement.kind) {
      case 'scope':
        return this.decide(route, AuthCapability.ScopeCheck, ports.scopes, async (checker) => {
          const decision = await checker.checkScopes(
            context,
            requirement.values,
            requirement.match,
          );
          // Name the scopes that satisfy the route (RFC 6750 §3 `scope`), whatever the checker said.
          return decision instanceof AuthorizationDecision && decision.state === DecisionState.Deny
            ? AuthorizationDecision.deny('INSUFFICIENT_SCOPE', requirement.values)
            : decision;
        });
      case 'role':
        return this.decide(route, AuthCapability.RoleCheck, ports.roles, (checker) =>
          checker.checkRoles(context, requirement.values, requirement.match),
        );
      case 'tenant': {
        const tenant = resolveRef(requirement.tenant, invocation);
        if (tenant === undefined) return UNRESOLVED;
        return context.tenant === tenant ? ALLOW : TENANT_MISMATCH;
      }
      case 'permission': {
        const resource = requirement.resource && resolveResource(requirement.resource, invocation);
        if (resource === null) return UNRESOLVED;
        return this.decide(route, AuthCapability.PermissionCheck, ports.permissions, (checker) =>
          checker.checkPermission(context, requirement.permission, resource),
        );
      }
      case 'relation': {
        const object = resolveResource(requirement.object, invocation);
        if (object === null) return UNRESOLVED;
        return this.decide(route, AuthCapability.RelationCheck, ports.relations, (checker) =>
          checker.checkRelation(context, requirement.relation, object),
        );
      }
      case 'policy':
        return this.decide(route, AuthCapability.PolicyEvaluation, ports.policies, (evaluator) =>
          evaluator.evaluate(requirement.policy, context, invocation),
        );
    }
  }

  /** Calls a checker port and insists on a decision back. */
  private async decide<P>(
    route: string,
    capability: AuthCapability,
    port: P | undefined,
    call: (port: P) => Promise<unknown>,
  ): Promise<AuthorizationDecision> {
    if (port === undefined) return contractViolation(route, capability, 'nothing (no provider)');
    const result = await callPort(route, capability, () => call(port));
    return result instanceof AuthorizationDecision
      ? result
      : contractViolation(route, capability, 'something other than an AuthorizationDecision');
  }
}

/** A resolved `{ type, id }`, or `null` when the id does not resolve from the invocation. */
function resolveResource(spec: ResourceRefSpec, invocation: AuthInvocation): ResourceRef | null {
  const id = resolveRef(spec.id, invocation);
  return id === undefined ? null : { type: spec.type, id };
}
