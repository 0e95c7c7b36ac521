import { appendRequirements } from './append-requirements.js';
import { assertScopes } from './validate-arguments.js';

/**
 * Requires **every** listed scope (exact match). Class and method requirements add up (AND).
 * Needs a `ScopeChecker` provider. A caller without the scopes gets 403
 * `insufficient_scope` with the `scope` attribute (RFC 6750 §3.1).
 *
 * @example `@RequireScope('documents:read')`
 * @throws TypeError for an empty list or a value that is not a scope token.
 */
export function RequireScope(...scopes: string[]): ClassDecorator & MethodDecorator {
  assertScopes('@RequireScope()', scopes);
  return appendRequirements({ kind: 'scope', values: Object.freeze([...scopes]), match: 'all' });
}

/**
 * Requires **at least one** of the listed scopes.
 * @example `@RequireAnyScope('documents:read', 'documents:admin')`
 * @throws TypeError for an empty list or a value that is not a scope token.
 */
export function RequireAnyScope(...scopes: string[]): ClassDecorator & MethodDecorator {
  assertScopes('@RequireAnyScope()', scopes);
  return appendRequirements({ kind: 'scope', values: Object.freeze([...scopes]), match: 'any' });
}
