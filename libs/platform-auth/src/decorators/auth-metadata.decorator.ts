import { SetMetadata } from '@nestjs/common';
import { requirePlatformAuthGuard } from '../enforcement/platform-auth-guard.assertion.js';

/**
 * `SetMetadata(key, value)` that also makes the target require the app-wide guard, as every
 * platform-auth decorator does: decorated handlers fail boot without `PlatformAuthModule`.
 */
export function setAuthMetadata(key: string, value: unknown): ClassDecorator & MethodDecorator {
  const set = SetMetadata(key, value);
  return (target: object, key?: string | symbol, descriptor?: PropertyDescriptor) => {
    set(target, key!, descriptor!);
    requirePlatformAuthGuard(descriptor?.value ?? target);
  };
}
