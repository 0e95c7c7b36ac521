import type { TestingModuleBuilder } from '@nestjs/testing';
import type { ClaimsProfileName, ClaimsProfileOptions } from '../jwt/claims/claims-profile.js';
import { JWT_AUTH_OPTIONS, RAW_JWT_AUTH_OPTIONS } from '../jwt/jwt-auth.module-definition.js';
import { type JwtAuthModuleOptions, resolveJwtAuthOptions } from '../jwt/jwt-auth.options.js';
import type { TestIssuer } from './test-issuer.js';

/** Options of {@link useTestIssuer}. */
export interface UseTestIssuerOptions {
  /** The issuer whose tokens the app accepts instead of its configured ones (keys in memory). */
  readonly issuer: TestIssuer;
  /**
   * Claim profile of the issuer's tokens.
   * @default the profile of the app's first configured issuer (`generic` when it names none)
   */
  readonly claims?: ClaimsProfileName | ClaimsProfileOptions;
}

/**
 * Makes the app's own `JwtAuthModule` trust a {@link TestIssuer}, for an e2e test of the real
 * `AppModule`: the app keeps every module, guard, checker and option it has, only its issuers
 * are replaced by the test issuer (keys handed over in memory, no network). Works with
 * `forRoot` and `forRootAsync` (the app's options factory still runs, so give it the
 * configuration it needs).
 *
 * Nest's `overrideModule(JwtAuthModule)` cannot do this: it matches the exact object in
 * `imports`, and `JwtAuthModule.forRoot()` returns a new one. Importing
 * `PlatformAuthTestingModule` beside an `AppModule` that already has the auth modules registers
 * every capability twice, which boot validation refuses.
 *
 * @example
 * ```ts
 * const issuer = await TestIssuer.create();
 * const moduleRef = await useTestIssuer(
 *   Test.createTestingModule({ imports: [AppModule] }),
 *   { issuer },
 * ).compile();
 * const app = await moduleRef.createNestApplication().init();
 * await request(app.getHttpServer())
 *   .get('/documents')
 *   .auth(await issuer.token({ scopes: ['documents:read'] }), { type: 'bearer' })
 *   .expect(200);
 * ```
 */
export function useTestIssuer(
  builder: TestingModuleBuilder,
  options: UseTestIssuerOptions,
): TestingModuleBuilder {
  const { issuer, claims } = options;
  return builder.overrideProvider(JWT_AUTH_OPTIONS).useFactory({
    factory: (app: JwtAuthModuleOptions) =>
      resolveJwtAuthOptions({
        ...app,
        issuers: [issuer.issuerOptions(claims ?? app.issuers?.[0]?.claims)],
      }),
    inject: [RAW_JWT_AUTH_OPTIONS],
  });
}
