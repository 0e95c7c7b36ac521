import { createAuthContext } from '@nest-platform/auth';

/** The one caller the benchmark's stand-in authentication providers return (scope `bench:read`). */
export const BENCH_CALLER = createAuthContext({
  subject: 'bench',
  issuer: 'urn:bench',
  principalType: 'client',
  scopes: ['bench:read'],
});
