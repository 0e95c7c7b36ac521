import {
  type DynamicModule,
  type MiddlewareConsumer,
  Module,
  type NestModule,
  RequestMethod,
  SetMetadata,
} from '@nestjs/common';
import { DiscoveryModule, HttpAdapterHost } from '@nestjs/core';
import { AuthContextAccessor } from './context/auth-context.accessor.js';
import { AuthScopeMiddleware, enterAuthScope } from './context/auth-scope.middleware.js';
import { MessageGuardCoverage } from './enforcement/message-guard-coverage.js';
import { MessageGuardProbe } from './enforcement/message-guard-probe.controller.js';
import {
  ConfigurableModuleClass,
  type OPTIONS_TYPE,
  RAW_PLATFORM_AUTH_OPTIONS,
} from './platform-auth.module-definition.js';
import { PLATFORM_AUTH_OPTIONS } from './platform-auth.tokens.js';
import {
  type PlatformAuthModuleOptions,
  resolvePlatformAuthOptions,
} from './platform-auth.options.js';
import { AuthPorts } from './pipeline/auth-ports.js';
import { Authenticator } from './pipeline/authenticator.js';
import { Authorizer } from './pipeline/authorizer.js';
import { DpopBinding } from './dpop/dpop.service.js';
import { AuthRouteRegistry } from './routes/auth-route-registry.js';
import { AuthTransports } from './transports/auth-transports.js';
import { HttpAuthTransport } from './transports/http/http.transport.js';
import { RpcAuthTransport } from './transports/rpc/rpc.transport.js';
import { WsAuthTransport } from './transports/ws/ws.transport.js';
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
    AuthPorts,
    DpopBinding,
    Authenticator,
    Authorizer,
    AuthTransports,
    HttpAuthTransport,
    RpcAuthTransport,
    WsAuthTransport,
    AuthContextAccessor,
    HandshakeAuthenticator,
    MessageGuardCoverage,
  ],
  exports: [
    AuthContextAccessor,
    AuthRouteRegistry,
    HandshakeAuthenticator,
    // For the opt-in transports' modules (`@nest-platform/auth/graphql`).
    PLATFORM_AUTH_OPTIONS,
    Authenticator,
    Authorizer,
  ],
})
export class PlatformAuthModule extends ConfigurableModuleClass implements NestModule {
  constructor(private readonly adapterHost: HttpAdapterHost) {
    super();
  }

  /**
   * Configures the module with static options, validated immediately.
   * @throws TypeError naming the offending option.
   */
  static override forRoot(options: typeof OPTIONS_TYPE = {}): DynamicModule {
    resolvePlatformAuthOptions(withoutExtras(options));
    return super.forRoot(
      options.resourceMetadata !== undefined && options.serveResourceMetadata === undefined
        ? { ...options, serveResourceMetadata: options.resourceMetadata.resource }
        : options,
    );
  }

  /**
   * Every HTTP request runs in its own auth scope, which the guard fills (`AuthScopeMiddleware`).
   * On Express it is a plain `app.use()` layer, registered here, after the body parsers and before
   * every route. Measured: a Nest middleware bound to `*` (path matching and Nest's proxy around
   * it) cost a public route about 6 % of its throughput (this layer ÷ that middleware, alternating
   * 2 s slices on Node 20: median 1.06, IQR 1.00–1.19).
   * Fastify keeps the Nest middleware (middie's `onRequest` hook either way).
   */
  configure(consumer: MiddlewareConsumer): void {
    const adapter = this.adapterHost.httpAdapter as HttpAdapterHost['httpAdapter'] | undefined;
    if (adapter?.getType() === 'express') {
      adapter.use(enterAuthScope);
      return;
    }
    consumer.apply(AuthScopeMiddleware).forRoutes({ path: '*', method: RequestMethod.ALL });
  }
}

function withoutExtras(options: typeof OPTIONS_TYPE): PlatformAuthModuleOptions {
  const rest: Partial<typeof OPTIONS_TYPE> = { ...options };
  delete rest.isGlobal;
  delete rest.guard;
  delete rest.serveResourceMetadata;
  return rest;
}
