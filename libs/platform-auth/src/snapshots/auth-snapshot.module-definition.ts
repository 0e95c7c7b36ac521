import { ConfigurableModuleBuilder } from '@nestjs/common';
import type { AuthSnapshotModuleOptions } from './auth-snapshot.options.js';

/** Internal token of the validated options (`ResolvedAuthSnapshotOptions`). */
export const AUTH_SNAPSHOT_OPTIONS = Symbol('platform-auth:snapshot-options');

/** Internal token of the imported keys (`SnapshotKeyring`). */
export const AUTH_SNAPSHOT_KEYRING = Symbol('platform-auth:snapshot-keyring');

/** Internal token of the replay store in use (`ReplayStore`, or `null` when replay protection is off). */
export const AUTH_SNAPSHOT_REPLAY_STORE = Symbol('platform-auth:snapshot-replay-store');

export const {
  ConfigurableModuleClass,
  MODULE_OPTIONS_TOKEN: RAW_AUTH_SNAPSHOT_OPTIONS,
  OPTIONS_TYPE,
  ASYNC_OPTIONS_TYPE,
} = new ConfigurableModuleBuilder<AuthSnapshotModuleOptions>()
  .setClassMethodName('forRoot')
  .setExtras({ isGlobal: true }, (definition, extras) => ({
    ...definition,
    global: extras.isGlobal,
  }))
  .build();
