import { Injectable } from '@nestjs/common';
import type { AuthSnapshotVerifier } from '../ports/auth-snapshot-verifier.port.js';
import type { AuthenticationProvider } from '../ports/authentication-provider.port.js';
import type { PermissionChecker } from '../ports/permission-checker.port.js';
import type { PolicyEvaluator } from '../ports/policy-evaluator.port.js';
import type { RelationChecker } from '../ports/relation-checker.port.js';
import type { RoleChecker } from '../ports/role-checker.port.js';
import type { ScopeChecker } from '../ports/scope-checker.port.js';

/** The port instances boot validation found, one per capability some route needs. */
export interface ValidatedPorts {
  readonly authentication?: AuthenticationProvider;
  readonly snapshotVerifier?: AuthSnapshotVerifier;
  readonly scopes?: ScopeChecker;
  readonly roles?: RoleChecker;
  readonly permissions?: PermissionChecker;
  readonly policies?: PolicyEvaluator;
  readonly relations?: RelationChecker;
}

/**
 * The ports the request pipeline calls, as boot validation resolved them: exactly one provider
 * per needed capability, whether it is registered under the port's token
 * (`{ provide: ScopeChecker, useClass: … }`) or declared with `@AuthProvider(…)` on its own
 * class. `AuthRouteRegistry` installs them once, at bootstrap; nothing is looked up per
 * request, and a capability no route needs stays `undefined` (the pipeline then refuses, 503).
 */
@Injectable()
export class AuthPorts implements ValidatedPorts {
  #ports: ValidatedPorts = {};

  get authentication(): AuthenticationProvider | undefined {
    return this.#ports.authentication;
  }
  get snapshotVerifier(): AuthSnapshotVerifier | undefined {
    return this.#ports.snapshotVerifier;
  }
  get scopes(): ScopeChecker | undefined {
    return this.#ports.scopes;
  }
  get roles(): RoleChecker | undefined {
    return this.#ports.roles;
  }
  get permissions(): PermissionChecker | undefined {
    return this.#ports.permissions;
  }
  get policies(): PolicyEvaluator | undefined {
    return this.#ports.policies;
  }
  get relations(): RelationChecker | undefined {
    return this.#ports.relations;
  }

  /** Called once by boot validation. */
  install(ports: ValidatedPorts): void {
    this.#ports = Object.freeze({ ...ports });
  }
}
