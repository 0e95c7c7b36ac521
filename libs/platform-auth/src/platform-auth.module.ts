import { type DynamicModule, Module, SetMetadata } from '@nestjs/common';
import { APP_GUARD, APP_INTERCEPTOR, DiscoveryModule } from '@nestjs/core';
import { RouteAuthorizer } from './authorization/route-authorizer.js';
import { AuthContextAccessor } from './context/auth-context.accessor.js';
import { AuthContextInterceptor } from './context/auth-context.interceptor.js';
import { MessageGuardCoverage } from './enforcement/message-guard-coverage.js';
import { MessageGuardProbe } from './enforcement/message-guard-probe.controller.js';
import { PlatformAuthGuard } from './guards/platform-auth.guard.js';
import {
  ConfigurableModuleClass,
  type OPTIONS_TYPE,
  PLATFORM_AUTH_OPTIONS,
  RAW_PLATFORM_AUTH_OPTIONS,
} from './platform-auth.module-definition.js';
import {
  type PlatformAuthModuleOptions,
  resolvePlatformAuthOptions,
} from './platform-auth.options.js';
import { AuthRouteRegistry } from './routes/auth-route-registry.js';
import { LIBRARY_MODULE_METADATA } from './modules/provider-origin.js';
import { HandshakeAuthenticator } from './websockets/handshake.authenticator.js';

/**
 * Inbound auth for a Nest application: registers the app-wide guard, validates at boot that
 * every needed capability has exactly one provider, refuses to start a microservice whose
 * message handlers the guard does not reach (connect it with `{ inheritAppConfig: true }`), and
 * exposes `AuthContextAccessor` and `AuthRouteRegistry`. Import it once, in the root module.
 * Global by default (`isGlobal`).
 *
 * @example
 * ```ts
 * @Module({
 *   imports: [PlatformAuthModule.forRoot({ realm: 'documents' })],
 *   providers: [{ provide: AuthenticationProvider, useClass: MyAuthentication }],
 * })
 * export class AppModule {}
 * ```
 */
@SetMetadata(LIBRARY_MODULE_METADATA, true)
@Module({
  imports: [DiscoveryModule],
  // Registered on every microservice of the app, removed before any starts (MessageGuardCoverage).
  controllers: [MessageGuardProbe],
  providers: [
    {
      provide: PLATFORM_AUTH_OPTIONS,
      useFactory: (options: PlatformAuthModuleOptions) => resolvePlatformAuthOptions(options),
      inject: [RAW_PLATFORM_AUTH_OPTIONS],
    },
    AuthRouteRegistry,
    RouteAuthorizer,
    AuthContextAccessor,
    HandshakeAuthenticator,
    MessageGuardCoverage,
    { provide: APP_GUARD, useClass: PlatformAuthGuard },
    { provide: APP_INTERCEPTOR, useClass: AuthContextInterceptor },
  ],
  exports: [AuthContextAccessor, AuthRouteRegistry, HandshakeAuthenticator],
})
export class PlatformAuthModule extends ConfigurableModuleClass {
  /**
   * Configures the module with static options, validated immediately.
   * @throws TypeError naming the offending option.
   */
  static override forRoot(options: typeof OPTIONS_TYPE = {}): DynamicModule {
    resolvePlatformAuthOptions(withoutExtras(options));
    return super.forRoot(options);
  }
}

function withoutExtras(options: typeof OPTIONS_TYPE): PlatformAuthModuleOptions {
  const rest: Partial<typeof OPTIONS_TYPE> = { ...options };
  delete rest.isGlobal;
  return rest;
}
