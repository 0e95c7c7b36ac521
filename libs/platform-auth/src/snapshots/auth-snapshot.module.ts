import { type DynamicModule, Module, SetMetadata } from '@nestjs/common';
import { LIBRARY_MODULE_METADATA } from '../modules/provider-origin.js';
import { AuthSnapshotSigner } from '../ports/auth-snapshot-signer.port.js';
import { AuthSnapshotVerifier } from '../ports/auth-snapshot-verifier.port.js';
import { AuthSnapshotMessenger } from './auth-snapshot.messenger.js';
import {
  AUTH_SNAPSHOT_KEYRING,
  AUTH_SNAPSHOT_OPTIONS,
  AUTH_SNAPSHOT_REPLAY_STORE,
  ConfigurableModuleClass,
  type OPTIONS_TYPE,
  RAW_AUTH_SNAPSHOT_OPTIONS,
} from './auth-snapshot.module-definition.js';
import {
  type AuthSnapshotModuleOptions,
  type ResolvedAuthSnapshotOptions,
  resolveAuthSnapshotOptions,
} from './auth-snapshot.options.js';
import { JoseAuthSnapshotSigner } from './jose-auth-snapshot.signer.js';
import { JoseAuthSnapshotVerifier } from './jose-auth-snapshot.verifier.js';
import { MemoryReplayStore } from './memory-replay.store.js';
import { createSnapshotKeyring } from './snapshot-keyring.js';

/**
 * The built-in snapshot signer and verifier (capabilities `SnapshotSign` and `SnapshotVerify`)
 * on `jose`, plus `AuthSnapshotMessenger`. Use it beside `PlatformAuthModule` with
 * `snapshots: { enabled: true }`. Keys are imported at boot (a key that cannot be used fails
 * boot). Global by default.
 *
 * @example
 * ```ts
 * AuthSnapshotModule.forRoot({
 *   trustDomain: 'urn:acme:payments',
 *   issuer: 'orders-service',
 *   trustedIssuers: { 'orders-service': ['orders-2026-11'], gateway: ['gw-2026-11'] },
 *   signingKey: { kid: 'orders-2026-11', privateKey, algorithm: 'ES256' },
 *   verificationKeys: trustDomainJwks,
 * })
 * ```
 */
@SetMetadata(LIBRARY_MODULE_METADATA, true)
@Module({
  providers: [
    {
      provide: AUTH_SNAPSHOT_OPTIONS,
      useFactory: (options: AuthSnapshotModuleOptions) => resolveAuthSnapshotOptions(options),
      inject: [RAW_AUTH_SNAPSHOT_OPTIONS],
    },
    {
      provide: AUTH_SNAPSHOT_KEYRING,
      useFactory: (options: ResolvedAuthSnapshotOptions) => createSnapshotKeyring(options),
      inject: [AUTH_SNAPSHOT_OPTIONS],
    },
    {
      provide: AUTH_SNAPSHOT_REPLAY_STORE,
      useFactory: ({ replay, now }: ResolvedAuthSnapshotOptions) =>
        replay === false
          ? null
          : (replay.store ??
            new MemoryReplayStore({
              now,
              ...(replay.maxEntries !== undefined && { maxEntries: replay.maxEntries }),
            })),
      inject: [AUTH_SNAPSHOT_OPTIONS],
    },
    JoseAuthSnapshotSigner,
    JoseAuthSnapshotVerifier,
    { provide: AuthSnapshotSigner, useExisting: JoseAuthSnapshotSigner },
    { provide: AuthSnapshotVerifier, useExisting: JoseAuthSnapshotVerifier },
    AuthSnapshotMessenger,
  ],
  exports: [AuthSnapshotSigner, AuthSnapshotVerifier, AuthSnapshotMessenger],
})
export class AuthSnapshotModule extends ConfigurableModuleClass {
  /**
   * Configures the module with static options, validated immediately.
   * @throws TypeError naming the offending option.
   */
  static override forRoot(options: typeof OPTIONS_TYPE): DynamicModule {
    const rest: Partial<typeof OPTIONS_TYPE> = { ...options };
    delete rest.isGlobal;
    resolveAuthSnapshotOptions(rest as AuthSnapshotModuleOptions);
    return super.forRoot(options);
  }
}
