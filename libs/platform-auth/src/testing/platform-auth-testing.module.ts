import { type DynamicModule, SetMetadata } from '@nestjs/common';
import type { ClaimsProfileName, ClaimsProfileOptions } from '../jwt/claims/claims-profile.js';
import { JwtAuthModule } from '../jwt/jwt-auth.module.js';
import { IMPORTED_BY, LIBRARY_MODULE_METADATA } from '../modules/provider-origin.js';
import { PlatformAuthModule } from '../platform-auth.module.js';
import type { PlatformAuthModuleOptions } from '../platform-auth.options.js';
import type { TestIssuer } from './test-issuer.js';

/** Options of {@link PlatformAuthTestingModule.forRoot}. */
export interface PlatformAuthTestingOptions {
  /** The issuer whose tokens the app accepts (its keys are handed over in memory). */
  issuer: TestIssuer;
  /** Claim profile of the issuer's tokens. @default 'generic' */
  claims?: ClaimsProfileName | ClaimsProfileOptions;
  /** Options of `PlatformAuthModule` (realm, defaultAccess, …). */
  auth?: PlatformAuthModuleOptions;
}

/**
 * `PlatformAuthModule` + `JwtAuthModule` trusting a {@link TestIssuer}, for e2e tests of
 * protected routes with real tokens and no network.
 *
 * @example
 * ```ts
 * const issuer = await TestIssuer.create();
 * const moduleRef = await Test.createTestingModule({
 *   imports: [PlatformAuthTestingModule.forRoot({ issuer }), DocumentsModule],
 * }).compile();
 * const app = await moduleRef.createNestApplication().init();
 * await request(app.getHttpServer())
 *   .get('/documents')
 *   .auth(await issuer.token({ scopes: ['documents:read'] }), { type: 'bearer' })
 *   .expect(200);
 * ```
 */
@SetMetadata(LIBRARY_MODULE_METADATA, true)
export class PlatformAuthTestingModule {
  static forRoot(options: PlatformAuthTestingOptions): DynamicModule {
    const jwt = JwtAuthModule.forRoot({ issuers: [options.issuer.issuerOptions(options.claims)] });
    return {
      module: PlatformAuthTestingModule,
      imports: [
        PlatformAuthModule.forRoot(options.auth ?? {}),
        // Tagged, so that a boot error about its providers says they came through this module.
        {
          ...jwt,
          providers: [
            ...(jwt.providers ?? []),
            { provide: IMPORTED_BY, useValue: PlatformAuthTestingModule.name },
          ],
        },
      ],
    };
  }
}
