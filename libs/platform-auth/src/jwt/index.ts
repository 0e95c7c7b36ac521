/**
 * `@nest-platform/auth/jwt`: JWT/OIDC authentication on `jose` and `openid-client` (RFC 9068
 * access tokens, JWKS or OIDC discovery, claim profiles per identity provider).
 */
export * from './claims/index.js';
export { JwtAuthModule } from './jwt-auth.module.js';
export type { JwtAuthModuleExtras } from './jwt-auth.module-definition.js';
export {
  DEFAULT_JWT_ALGORITHMS,
  JWT_ALGORITHMS,
  type JwtAlgorithm,
  type JwtAuthModuleOptions,
  type JwtIssuerOptions,
} from './jwt-auth.options.js';
export { JwtAuthenticationProvider, type JwtIssuerStatus } from './jwt-authentication.provider.js';
export type { KeySetStatus } from './keys/issuer-key-set.js';
export type { RemoteFetchFailure } from './keys/bounded-fetch.js';
