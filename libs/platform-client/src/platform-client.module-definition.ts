import { ConfigurableModuleBuilder, Logger, type Provider } from '@nestjs/common';
import { AuthSnapshotSigner } from '@nest-platform/auth';
import { createPlatformClient } from './http/create-platform-client.js';
import type { PlatformClientOptions } from './http/platform-client.options.js';
import { getPlatformClientToken, PLATFORM_CLIENT_INSTANCE } from './platform-client.constants.js';

/** Extras of `PlatformClientModule.forRoot()` / `forRootAsync()`, beside the client options. */
export interface PlatformClientModuleExtras {
  /**
   * Register the client globally (injectable in every module).
   * @default true
   */
  isGlobal?: boolean;
  /**
   * Name of the client: import the module once per API with a distinct name and inject each
   * with `@InjectPlatformClient(name)`. Unnamed, it is the default client (`PlatformClient`).
   */
  name?: string;
}

/** Internal token of one import's raw client options. */
export const PLATFORM_CLIENT_MODULE_OPTIONS = Symbol('platform-client:options');

export const { ConfigurableModuleClass, OPTIONS_TYPE, ASYNC_OPTIONS_TYPE } =
  new ConfigurableModuleBuilder<PlatformClientOptions>({
    optionsInjectionToken: PLATFORM_CLIENT_MODULE_OPTIONS,
  })
    .setClassMethodName('forRoot')
    .setFactoryMethodName('createPlatformClientOptions')
    .setExtras<PlatformClientModuleExtras>(
      { isGlobal: true, name: undefined },
      (definition, extras) => {
        const token = getPlatformClientToken(extras.name);
        const context =
          extras.name === undefined ? 'PlatformClient' : `PlatformClient:${extras.name}`;
        const instance: Provider = {
          provide: PLATFORM_CLIENT_INSTANCE,
          useFactory: (options: PlatformClientOptions, snapshotSigner?: AuthSnapshotSigner) =>
            createPlatformClient(options, {
              logger: new Logger(context),
              ...(snapshotSigner ? { snapshotSigner } : {}),
            }),
          inject: [PLATFORM_CLIENT_MODULE_OPTIONS, { token: AuthSnapshotSigner, optional: true }],
        };
        const alias: Provider = { provide: token, useExisting: PLATFORM_CLIENT_INSTANCE };
        return {
          ...definition,
          global: extras.isGlobal,
          providers: [...(definition.providers ?? []), instance, alias],
          exports: [...(definition.exports ?? []), token],
        };
      },
    )
    .build();
