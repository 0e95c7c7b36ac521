/**
 * A capability that the auth framework needs from some provider. Boot validation counts the
 * providers that declare each needed capability and requires exactly one.
 */
export enum AuthCapability {
  /** Turns credentials into an {@link AuthContext}. Needed by every protected route. */
  Authentication = 'Authentication',
  /** Checks scopes. Needed by `@RequireScope` / `@RequireAnyScope`. */
  ScopeCheck = 'ScopeCheck',
  /** Checks roles. Needed by `@RequireRole` / `@RequireAnyRole`. */
  RoleCheck = 'RoleCheck',
  /** Checks a permission, optionally on a resource. Needed by `@RequirePermission`. */
  PermissionCheck = 'PermissionCheck',
  /** Evaluates a named policy. Needed by `@RequirePolicy`. */
  PolicyEvaluation = 'PolicyEvaluation',
  /** Checks a relation between the caller and an object. Needed by `@RequireRelation`. */
  RelationCheck = 'RelationCheck',
  /** Signs auth-context snapshots. Needed when snapshot propagation is enabled. */
  SnapshotSign = 'SnapshotSign',
  /** Verifies auth-context snapshots. Needed when snapshot propagation is enabled. */
  SnapshotVerify = 'SnapshotVerify',
}

/** Every capability, in declaration order. */
export const ALL_AUTH_CAPABILITIES: readonly AuthCapability[] = Object.freeze(
  Object.values(AuthCapability),
);
