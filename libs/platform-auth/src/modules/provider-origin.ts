import type { Module } from '@nestjs/core/injector/module.js';

/**
 * Metadata key marking platform-auth's own modules (`PlatformAuthModule`, `JwtAuthModule`,
 * `AuthSnapshotModule`, `PlatformAuthTestingModule`): what they hold, they registered on the
 * app's behalf.
 */
export const LIBRARY_MODULE_METADATA = 'platform-auth:library-module';

/**
 * Token of a value provider that a library module adds to a module it imports for the app
 * (`PlatformAuthTestingModule` to its `JwtAuthModule`), naming itself.
 */
export const IMPORTED_BY = Symbol('platform-auth:imported-by');

/** Where a provider was registered, for boot errors. */
export interface ProviderOrigin {
  /** The module whose providers hold it: `AppModule`, `JwtAuthModule`, … */
  readonly module: string;
  /** Whether that module is one of platform-auth's, which registered the provider itself. */
  readonly library: boolean;
  /** The library module that imported `module` for the app (`PlatformAuthTestingModule`). */
  readonly importedBy?: string;
}

/** The origin of a provider held by `host` (an `InstanceWrapper`'s `host`). */
export function originOf(host: Module | undefined): ProviderOrigin {
  const metatype = host?.metatype;
  const importedBy: unknown = host?.providers.get(IMPORTED_BY)?.instance;
  return {
    module: metatype?.name || 'an unnamed module',
    library:
      metatype !== undefined && Reflect.getMetadata(LIBRARY_MODULE_METADATA, metatype) === true,
    ...(typeof importedBy === 'string' && { importedBy }),
  };
}

/**
 * `registered by JwtAuthModule`, `registered by JwtAuthModule (imported by
 * PlatformAuthTestingModule)`, or `AppModule providers`.
 */
export function describeOrigin(origin: ProviderOrigin): string {
  if (!origin.library) return `${origin.module} providers`;
  const via = origin.importedBy === undefined ? '' : ` (imported by ${origin.importedBy})`;
  return `registered by ${origin.module}${via}`;
}
