import type { AuthReasonCode } from './reason-codes.js';

/** Fixed, content-free messages per reason: refusals never echo token or claim content. */
export const DECISION_MESSAGES: Readonly<Record<AuthReasonCode, string>> = Object.freeze({
  ALLOWED: 'Allowed',
  CREDENTIALS_MISSING: 'Authentication required',
  CREDENTIALS_MALFORMED: 'The credentials are malformed',
  CREDENTIALS_AMBIGUOUS: 'More than one bearer token was sent',
  TOKEN_INVALID: 'The access token is invalid',
  TOKEN_EXPIRED: 'The access token has expired',
  SNAPSHOT_INVALID: 'The auth snapshot is invalid',
  SNAPSHOT_EXPIRED: 'The auth snapshot has expired',
  SNAPSHOT_REPLAYED: 'The auth snapshot was already used',
  INSUFFICIENT_SCOPE: 'The access token lacks a required scope',
  INSUFFICIENT_ROLE: 'The caller lacks a required role',
  PERMISSION_DENIED: 'The caller lacks a required permission',
  POLICY_DENIED: 'A policy denied the request',
  RELATION_DENIED: 'The caller lacks a required relation to the resource',
  TENANT_MISMATCH: 'The resource belongs to another tenant',
  REFERENCE_UNRESOLVED: 'The request does not identify the resource to authorize',
  DEPENDENCY_UNAVAILABLE: 'Authorization is temporarily unavailable',
  PROVIDER_FAILED: 'Authorization is temporarily unavailable',
  PROVIDER_CONTRACT_VIOLATION: 'Authorization is temporarily unavailable',
  ROUTE_NOT_REGISTERED: 'Authorization is temporarily unavailable',
  UNSUPPORTED_CONTEXT: 'Authorization is temporarily unavailable',
  GUARD_NOT_APPLIED: 'Authorization is temporarily unavailable',
});
