import { setAuthMetadata } from './auth-metadata.decorator.js';
import { PUBLIC_METADATA } from '../requirements/auth-metadata.constants.js';

/**
 * Marks a route (or every route of a controller) as public: no credentials are read or checked.
 * Combining it with `@Protected()` or any `@Require*` on the same route fails boot with
 * `ConflictingAuthMetadataError`. Without `PlatformAuthModule` the app fails boot: undecorated
 * routes are protected by default only when its guard is installed.
 *
 * @example
 * ```ts
 * @Public()
 * @Get('health')
 * health() { return { status: 'ok' }; }
 * ```
 */
export const Public = (): ClassDecorator & MethodDecorator =>
  setAuthMetadata(PUBLIC_METADATA, true);
