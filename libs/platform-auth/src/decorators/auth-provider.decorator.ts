import { SetMetadata } from '@nestjs/common';
import { requirePlatformAuthGuard } from '../enforcement/platform-auth-guard.assertion.js';
import {
  ALL_AUTH_CAPABILITIES,
  type AuthCapability,
} from '../capabilities/auth-capability.enum.js';

/** Metadata key under which `@AuthProvider` stores the declared capabilities. */
export const AUTH_PROVIDER_CAPABILITIES = 'platform-auth:provider-capabilities';

/**
 * Declares which capabilities a provider class supplies. Boot validation counts these
 * declarations (and providers registered under a port token) per capability. A class provider
 * declared so fails boot in an app that does not import `PlatformAuthModule` (the guard that
 * would use it).
 *
 * @example
 * ```ts
 * @Injectable()
 * @AuthProvider(AuthCapability.RoleCheck)
 * export class DirectoryRoleChecker implements RoleChecker { ... }
 * ```
 * @throws TypeError when no capability, or an unknown one, is given.
 */
export function AuthProvider(...capabilities: AuthCapability[]): ClassDecorator {
  if (capabilities.length === 0) {
    throw new TypeError('@AuthProvider() needs at least one AuthCapability.');
  }
  for (const capability of capabilities) {
    if (!ALL_AUTH_CAPABILITIES.includes(capability)) {
      throw new TypeError(`@AuthProvider(): unknown capability ${JSON.stringify(capability)}.`);
    }
  }
  const declare = SetMetadata(
    AUTH_PROVIDER_CAPABILITIES,
    Object.freeze([...new Set(capabilities)]),
  );
  return (target) => {
    declare(target);
    // Nest instantiates a provider class's guards in its module, which is what runs the boot
    // check there; a provider never runs them as guards.
    requirePlatformAuthGuard(target);
  };
}
