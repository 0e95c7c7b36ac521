/**
 * `@nest-platform/auth/testing`: mint real tokens and protect routes in tests, without a
 * network. Never import it from production code (`authenticatedContext` mints any identity).
 */
export {
  TestIssuer,
  type SignOptions,
  type TestIssuerOptions,
  type TestTokenOptions,
} from './test-issuer.js';
export {
  PlatformAuthTestingModule,
  type PlatformAuthTestingOptions,
} from './platform-auth-testing.module.js';
export { useTestIssuer, type UseTestIssuerOptions } from './use-test-issuer.js';
export { authenticatedContext } from './authenticated-context.js';
