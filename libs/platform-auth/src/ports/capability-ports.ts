import type { Abstract } from '@nestjs/common';
import { AuthSnapshotSigner } from './auth-snapshot-signer.port.js';
import { AuthSnapshotVerifier } from './auth-snapshot-verifier.port.js';
import { AuthenticationProvider } from './authentication-provider.port.js';
import { PermissionChecker } from './permission-checker.port.js';
import { PolicyEvaluator } from './policy-evaluator.port.js';
import { RelationChecker } from './relation-checker.port.js';
import { RoleChecker } from './role-checker.port.js';
import { ScopeChecker } from './scope-checker.port.js';
import { AuthCapability } from '../capabilities/auth-capability.enum.js';

/** The port (abstract class and injection token) that supplies each capability. */
export const CAPABILITY_PORTS: Readonly<Record<AuthCapability, Abstract<unknown>>> = Object.freeze({
  [AuthCapability.Authentication]: AuthenticationProvider,
  [AuthCapability.ScopeCheck]: ScopeChecker,
  [AuthCapability.RoleCheck]: RoleChecker,
  [AuthCapability.PermissionCheck]: PermissionChecker,
  [AuthCapability.PolicyEvaluation]: PolicyEvaluator,
  [AuthCapability.RelationCheck]: RelationChecker,
  [AuthCapability.SnapshotSign]: AuthSnapshotSigner,
  [AuthCapability.SnapshotVerify]: AuthSnapshotVerifier,
});

/** The method each port declares: boot validation checks the provider found has it. */
export const CAPABILITY_METHODS: Readonly<Record<AuthCapability, string>> = Object.freeze({
  [AuthCapability.Authentication]: 'authenticate',
  [AuthCapability.ScopeCheck]: 'checkScopes',
  [AuthCapability.RoleCheck]: 'checkRoles',
  [AuthCapability.PermissionCheck]: 'checkPermission',
  [AuthCapability.PolicyEvaluation]: 'evaluate',
  [AuthCapability.RelationCheck]: 'checkRelation',
  [AuthCapability.SnapshotSign]: 'sign',
  [AuthCapability.SnapshotVerify]: 'verify',
});
