import { type DynamicModule, Module } from '@nestjs/common';
import { PlatformAuthModule, type PlatformAuthModuleOptions } from '@nest-platform/auth';
import {
  JwtAuthModule,
  type JwtAuthModuleExtras,
  type JwtAuthModuleOptions,
} from '@nest-platform/auth/jwt';
import type { PlatformClientOptions } from './http/platform-client.options.js';
import { PlatformClientModule } from './platform-client.module.js';
import type { PlatformClientModuleExtras } from './platform-client.module-definition.js';

/** Options of {@link PlatformModule.forRoot}: each part is optional, at least one is required. */
export interface PlatformModuleOptions {
  /** Inbound auth (`PlatformAuthModule.forRoot`); omit it to leave inbound auth out. */
  auth?: PlatformAuthModuleOptions & { isGlobal?: boolean };
  /** The built-in JWT/OIDC authentication (`JwtAuthModule.forRoot`); needs `auth`. */
  jwt?: JwtAuthModuleOptions & JwtAuthModuleExtras;
  /** The default outbound client (`PlatformClientModule.forRoot`); omit it to leave it out. */
  client?: PlatformClientOptions & PlatformClientModuleExtras;
}

/** Options of {@link PlatformModule.forRootAsync}: the async options of each part. */
export interface PlatformModuleAsyncOptions {
  auth?: Parameters<typeof PlatformAuthModule.forRootAsync>[0];
  jwt?: Parameters<typeof JwtAuthModule.forRootAsync>[0];
  client?: Parameters<typeof PlatformClientModule.forRootAsync>[0];
}

/**
 * Inbound auth and the outbound client in one import: composes `PlatformAuthModule` (plus
 * `JwtAuthModule` when `jwt` is given) and `PlatformClientModule` (both global by default) and re-exports them. Either part may be
 * left out; each module also stays usable on its own. Further named clients are imported with
 * `PlatformClientModule.forRoot({ name, … })` next to it.
 *
 * @example
 * ```ts
 * @Module({
 *   imports: [
 *     PlatformModule.forRoot({
 *       auth: { realm: 'orders' },
 *       client: { baseUrl: 'https://billing.example.com', token: { provider: { grant: 'client_credentials', … } } },
 *     }),
 *   ],
 *   providers: [{ provide: AuthenticationProvider, useClass: MyAuthentication }],
 * })
 * export class AppModule {}
 * ```
 */
@Module({})
export class PlatformModule {
  /**
   * @throws TypeError when neither `auth` nor `client` is given, or naming an invalid option
   */
  static forRoot(options: PlatformModuleOptions): DynamicModule {
    const parts = checkParts(options, 'forRoot');
    const imports: DynamicModule[] = [];
    if (parts.auth) imports.push(PlatformAuthModule.forRoot(options.auth ?? {}));
    if (parts.jwt) imports.push(JwtAuthModule.forRoot(options.jwt!));
    if (parts.client) imports.push(PlatformClientModule.forRoot(options.client!));
    return { module: PlatformModule, imports, exports: imports };
  }

  /**
   * Each part's options come from its own factory, class or existing provider.
   * @throws TypeError when neither `auth` nor `client` is given
   */
  static forRootAsync(options: PlatformModuleAsyncOptions): DynamicModule {
    const parts = checkParts(options, 'forRootAsync');
    const imports: DynamicModule[] = [];
    if (parts.auth) imports.push(PlatformAuthModule.forRootAsync(options.auth!));
    if (parts.jwt) imports.push(JwtAuthModule.forRootAsync(options.jwt!));
    if (parts.client) imports.push(PlatformClientModule.forRootAsync(options.client!));
    return { module: PlatformModule, imports, exports: imports };
  }
}

function checkParts(
  options: PlatformModuleOptions | PlatformModuleAsyncOptions,
  method: string,
): { auth: boolean; jwt: boolean; client: boolean } {
  if (typeof options !== 'object' || options === null) {
    throw new TypeError(`PlatformModule.${method}: options must be an object.`);
  }
  for (const key of Object.keys(options)) {
    if (key !== 'auth' && key !== 'jwt' && key !== 'client') {
      throw new TypeError(
        `PlatformModule.${method}: unknown option "${key}" (known: auth, jwt, client).`,
      );
    }
  }
  const parts = {
    auth: options.auth !== undefined,
    jwt: options.jwt !== undefined,
    client: options.client !== undefined,
  };
  if (parts.jwt && !parts.auth) {
    throw new TypeError(`PlatformModule.${method}: "jwt" needs "auth" (the guard it plugs into).`);
  }
  if (!parts.auth && !parts.client) {
    throw new TypeError(
      `PlatformModule.${method}: give "auth", "client" or both (or import PlatformAuthModule / PlatformClientModule directly).`,
    );
  }
  return parts;
}
