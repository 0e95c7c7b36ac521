import { ConfigurableModuleBuilder } from '@nestjs/common';
import type { PlatformAuthModuleOptions } from './platform-auth.options.js';

/** Internal token of the validated options (`ResolvedPlatformAuthOptions`). */
export const PLATFORM_AUTH_OPTIONS = Symbol('platform-auth:options');

export const {
  ConfigurableModuleClass,
  MODULE_OPTIONS_TOKEN: RAW_PLATFORM_AUTH_OPTIONS,
  OPTIONS_TYPE,
  ASYNC_OPTIONS_TYPE,
} = new ConfigurableModuleBuilder<PlatformAuthModuleOptions>()
  .setClassMethodName('forRoot')
  .setExtras({ isGlobal: true }, (definition, extras) => ({
    ...definition,
    global: extras.isGlobal,
  }))
  .build();
