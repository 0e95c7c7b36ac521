import type { ResourceRefSpec } from '../requirements/auth-requirement.js';
import { appendRequirements } from './append-requirements.js';
import { assertName, assertResource } from './validate-arguments.js';

/**
 * Requires the caller to have a relation to an object (Zanzibar-style). Needs a
 * `RelationChecker` provider.
 *
 * @example `@RequireRelation('viewer', { type: 'document', id: fromParam('id') })`
 * @throws TypeError for a blank relation or a malformed object reference.
 */
export function RequireRelation(
  relation: string,
  object: ResourceRefSpec,
): ClassDecorator & MethodDecorator {
  assertName('@RequireRelation()', relation, 'relation');
  assertResource('@RequireRelation()', object, 'object');
  return appendRequirements({
    kind: 'relation',
    relation,
    object: Object.freeze({ type: object.type, id: object.id }),
  });
}
