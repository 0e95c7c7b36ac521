import { requirePlatformAuthGuard } from '../enforcement/platform-auth-guard.assertion.js';

/**
 * `SetMetadata(key, value)` that also makes the target require the app-wide guard, as every
 * platform-auth decorator does: decorated handlers fail boot without `PlatformAuthModule`.
 */
export function setAuthMetadata(key: string, value: unknown): ClassDecorator & MethodDecorator {
  return (target: object, _property?: string | symbol, descriptor?: PropertyDescriptor) => {
    const holder: object = descriptor?.value ?? target;
    Reflect.defineMetadata(key, value, holder);
    requirePlatformAuthGuard(holder);
  };
}
