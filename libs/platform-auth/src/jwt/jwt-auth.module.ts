import { type DynamicModule, Module, SetMetadata } from '@nestjs/common';
import { LIBRARY_MODULE_METADATA } from '../modules/provider-origin.js';
import {
  ConfigurableModuleClass,
  JWT_AUTH_OPTIONS,
  type OPTIONS_TYPE,
  RAW_JWT_AUTH_OPTIONS,
} from './jwt-auth.module-definition.js';
import { type JwtAuthModuleOptions, resolveJwtAuthOptions } from './jwt-auth.options.js';
import { JwtAuthenticationProvider } from './jwt-authentication.provider.js';

/**
 * The built-in JWT/OIDC authentication: registers `JwtAuthenticationProvider` (capability
 * `Authentication`) and, unless `checkers: false`, the claim-based scope and role checkers.
 * Use it beside `PlatformAuthModule`. Global by default.
 *
 * @example
 * ```ts
 * @Module({
 *   imports: [
 *     PlatformAuthModule.forRoot(),
 *     JwtAuthModule.forRoot({
 *       issuers: [{ issuer: 'https://idp.example.com/realms/acme', audience: 'documents-api',
 *                   claims: { profile: 'keycloak', keycloakClientId: 'documents-api' } }],
 *     }),
 *   ],
 * })
 * export class AppModule {}
 * ```
 */
@SetMetadata(LIBRARY_MODULE_METADATA, true)
@Module({
  providers: [
    {
      provide: JWT_AUTH_OPTIONS,
      useFactory: (options: JwtAuthModuleOptions) => resolveJwtAuthOptions(options),
      inject: [RAW_JWT_AUTH_OPTIONS],
    },
    JwtAuthenticationProvider,
  ],
  exports: [JwtAuthenticationProvider],
})
export class JwtAuthModule extends ConfigurableModuleClass {
  /**
   * Configures the module with static options, validated immediately.
   * @throws TypeError naming the offending option.
   */
  static override forRoot(options: typeof OPTIONS_TYPE): DynamicModule {
    const rest: Partial<typeof OPTIONS_TYPE> = { ...options };
    delete rest.isGlobal;
    delete rest.checkers;
    resolveJwtAuthOptions(rest as JwtAuthModuleOptions);
    return super.forRoot(options);
  }
}
