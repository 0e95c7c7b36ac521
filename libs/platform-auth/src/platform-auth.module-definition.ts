import { ConfigurableModuleBuilder, type Type } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { PlatformAuthGuard } from './guards/platform-auth.guard.js';
import type { PlatformAuthModuleOptions } from './platform-auth.options.js';
import {
  protectedResourceMetadataController,
  resourceMetadataPath,
} from './metadata/protected-resource-metadata.controller.js';

/** Static extras of `PlatformAuthModule.forRoot()` / `forRootAsync()`. */
export interface PlatformAuthModuleExtras {
  /** Register the module globally. @default true */
  isGlobal?: boolean;
  /**
   * The app-wide guard: `PlatformAuthGuard` or a subclass of it that overrides some of its
   * `protected` steps (`readCredentials`, `authenticate`, `authorize`, `bind`, `refuse`).
   * @default PlatformAuthGuard
   */
  guard?: Type<PlatformAuthGuard>;
  /**
   * Register the RFC 9728 metadata route: `true` for a resource identifier without a path
   * (`/.well-known/oauth-protected-resource`), or the resource identifier itself (its path is
   * inserted: `/.well-known/oauth-protected-resource/<path>`). `forRoot()` sets it from the
   * option `resourceMetadata.resource`; give it to `forRootAsync()` when its factory returns
   * `resourceMetadata` (routes are registered before the factory runs). Boot fails when the
   * registered path is not the configured resource's.
   */
  serveResourceMetadata?: boolean | string;
}

export const {
  ConfigurableModuleClass,
  MODULE_OPTIONS_TOKEN: RAW_PLATFORM_AUTH_OPTIONS,
  OPTIONS_TYPE,
  ASYNC_OPTIONS_TYPE,
} = new ConfigurableModuleBuilder<PlatformAuthModuleOptions>()
  .setClassMethodName('forRoot')
  .setExtras<PlatformAuthModuleExtras>(
    { isGlobal: true, guard: PlatformAuthGuard, serveResourceMetadata: undefined },
    (definition, extras) => ({
      ...definition,
      global: extras.isGlobal,
      ...(extras.serveResourceMetadata && {
        controllers: [
          ...(definition.controllers ?? []),
          protectedResourceMetadataController(
            typeof extras.serveResourceMetadata === 'string'
              ? resourceMetadataPath(extras.serveResourceMetadata)
              : '/.well-known/oauth-protected-resource',
          ),
        ],
      }),
      providers: [
        ...(definition.providers ?? []),
        { provide: APP_GUARD, useClass: guardClass(extras.guard) },
      ],
    }),
  )
  .build();

/** @throws TypeError unless `guard` is `PlatformAuthGuard` or a subclass of it. */
function guardClass(guard: unknown): Type<PlatformAuthGuard> {
  if (
    typeof guard !== 'function' ||
    (guard !== PlatformAuthGuard && !(guard.prototype instanceof PlatformAuthGuard))
  ) {
    throw new TypeError(
      'PlatformAuthModule: option "guard" must be PlatformAuthGuard or a class that extends it.',
    );
  }
  return guard as Type<PlatformAuthGuard>;
}
