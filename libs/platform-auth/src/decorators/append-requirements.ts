import { requirePlatformAuthGuard } from '../enforcement/platform-auth-guard.assertion.js';
import type { AuthRequirement } from '../requirements/auth-requirement.js';
import { REQUIREMENTS_METADATA } from '../requirements/auth-metadata.constants.js';

/**
 * A class-or-method decorator that appends requirements to the target's own list.
 *
 * Appending (rather than `SetMetadata`, which overwrites) is deliberate: two `@RequireScope`
 * on one method must both apply, not the last one silently win. Like every platform-auth
 * decorator it also makes the target require the app-wide guard (`requirePlatformAuthGuard`).
 */
export function appendRequirements(
  ...requirements: AuthRequirement[]
): ClassDecorator & MethodDecorator {
  const frozen = requirements.map((requirement) => Object.freeze(requirement));
  return (target: object, _key?: string | symbol, descriptor?: PropertyDescriptor) => {
    const holder: object = descriptor?.value ?? target;
    const own: readonly AuthRequirement[] =
      Reflect.getOwnMetadata(REQUIREMENTS_METADATA, holder) ?? [];
    Reflect.defineMetadata(REQUIREMENTS_METADATA, Object.freeze([...own, ...frozen]), holder);
    requirePlatformAuthGuard(holder);
  };
}
