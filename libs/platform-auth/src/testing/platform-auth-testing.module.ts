import type { DynamicModule } from '@nestjs/common';
import type { ClaimsProfileName, ClaimsProfileOptions } from '../jwt/claims/claims-profile.js';
import { JwtAuthModule } from '../jwt/jwt-auth.module.js';
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
export class PlatformAuthTestingModule {
  static forRoot(options: PlatformAuthTestingOptions): DynamicModule {
    return {
      module: PlatformAuthTestingModule,
      imports: [
        PlatformAuthModule.forRoot(options.auth ?? {}),
        JwtAuthModule.forRoot({ issuers: [options.issuer.issuerOptions(options.claims)] }),
      ],
    };
  }
}
