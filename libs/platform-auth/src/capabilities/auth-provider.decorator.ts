import { SetMetadata } from '@nestjs/common';
import { ALL_AUTH_CAPABILITIES, type AuthCapability } from './auth-capability.enum.js';

/** Metadata key under which `@AuthProvider` stores the declared capabilities. */
export const AUTH_PROVIDER_CAPABILITIES = 'platform-auth:provider-capabilities';

/**
 * Declares which capabilities a provider class supplies. Boot validation counts these
 * declarations (and providers registered under a port token) per capability.
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
  return SetMetadata(AUTH_PROVIDER_CAPABILITIES, Object.freeze([...new Set(capabilities)]));
}
