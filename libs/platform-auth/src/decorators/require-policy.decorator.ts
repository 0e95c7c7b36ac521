import { appendRequirements } from './append-requirements.js';
import { assertName } from './validate-arguments.js';

/**
 * Requires a named policy to allow the call. Needs a `PolicyEvaluator` provider, which receives
 * the caller's context and the invocation (params, query, body).
 *
 * @example `@RequirePolicy('documents.can-publish')`
 * @throws TypeError for a blank policy name.
 */
export function RequirePolicy(policy: string): ClassDecorator & MethodDecorator {
  assertName('@RequirePolicy()', policy, 'policy');
  return appendRequirements({ kind: 'policy', policy });
}
