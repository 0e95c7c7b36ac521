import { SetMetadata } from '@nestjs/common';
import { PUBLIC_METADATA } from '../requirements/auth-metadata.constants.js';

/**
 * Marks a route (or every route of a controller) as public: no credentials are read or checked.
 * Combining it with `@Protected()` or any `@Require*` on the same route fails boot with
 * `ConflictingAuthMetadataError`.
 *
 * @example
 * ```ts
 * @Public()
 * @Get('health')
 * health() { return { status: 'ok' }; }
 * ```
 */
export const Public = (): ClassDecorator & MethodDecorator => SetMetadata(PUBLIC_METADATA, true);
