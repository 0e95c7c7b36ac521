import { Inject } from '@nestjs/common';
import { getPlatformClientToken } from './platform-client.constants.js';

/**
 * Injects the `PlatformClient` registered by `PlatformClientModule.forRoot({ name })`, or the
 * default client when `name` is omitted (the same as a plain `PlatformClient` parameter type).
 *
 * @example
 * ```ts
 * constructor(@InjectPlatformClient('billing') private readonly billing: PlatformClient) {}
 * ```
 * @throws TypeError at import time when `name` is invalid
 */
export function InjectPlatformClient(name?: string): PropertyDecorator & ParameterDecorator {
  return Inject(getPlatformClientToken(name));
}
