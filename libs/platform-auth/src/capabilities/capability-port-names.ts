import { AuthCapability } from './auth-capability.enum.js';

/** The name of the port (abstract class) that supplies each capability, for messages. */
export const CAPABILITY_PORT_NAMES: Readonly<Record<AuthCapability, string>> = Object.freeze({
  [AuthCapability.Authentication]: 'AuthenticationProvider',
  [AuthCapability.ScopeCheck]: 'ScopeChecker',
  [AuthCapability.RoleCheck]: 'RoleChecker',
  [AuthCapability.PermissionCheck]: 'PermissionChecker',
  [AuthCapability.PolicyEvaluation]: 'PolicyEvaluator',
  [AuthCapability.RelationCheck]: 'RelationChecker',
  [AuthCapability.SnapshotSign]: 'AuthSnapshotSigner',
  [AuthCapability.SnapshotVerify]: 'AuthSnapshotVerifier',
});
