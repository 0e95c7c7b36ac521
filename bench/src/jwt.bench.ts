/**
 * JWT provider benchmark (issue: ≥ 0.90 of the public route with one token reused, ≥ 0.65 with
 * a distinct token per request, Express). Real RS256/ES256 tokens from the testing kit's issuer,
 * keys handed to the app in memory, so no network is involved. A distinct-token scenario hands
 * out every token of its pool once (the run fails if a pool runs out), so each of those requests
 * is a token the provider has never seen: a full verification, never a cache hit.
 * `/reference` is the comparison the issue gives for scale, a minimal hand-written jose guard,
 * measured in the same run, next to a lower bound: `jose`'s bare `compactVerify` as a guard.
 * App 2 puts that same bare check behind the platform guard as the only work of its
 * authentication provider (the least any provider can cost in the pipeline); app 3 has the
 * verification cache off. Apps 2 and 3 are separate processes, so their rows are ratios to their
 * own public route.
 * `npm run bench:jwt`.
 */
import { TestIssuer } from '@nest-platform/auth/testing';
import { DURATION_S, ROUNDS, runScenarios, type Scenario, startServer } from './harness.js';

/** Tokens per distinct-token pool: enough for the warm-up and every round at 4000 req/s. */
const POOL = Number(process.env.BENCH_TOKEN_POOL ?? (ROUNDS + 1) * DURATION_S * 4000);
const AUDIENCE = 'urn:bench-api';

const rs256 = await TestIssuer.create({ issuer: 'https://rs256.bench', audience: AUDIENCE });
const es256 = await TestIssuer.create({
  issuer: 'https://es256.bench',
  audience: AUDIENCE,
  algorithm: 'ES256',
});
const forger = await TestIssuer.create({ issuer: 'https://rs256.bench', audience: AUDIENCE });

const mint = (issuer: TestIssuer, index: number) =>
  issuer.sign({ sub: `user-${index}`, scope: 'bench:read' }, { expiresInS: 3600 });
async function pool(issuer: TestIssuer): Promise<string[]> {
  const tokens: string[] = [];
  while (tokens.length < POOL) {
    const batch = Math.min(500, POOL - tokens.length);
    const offset = tokens.length;
    tokens.push(
      ...(await Promise.all(Array.from({ length: batch }, (_, i) => mint(issuer, offset + i)))),
    );
  }
  return tokens;
}
const started = Date.now();
const rsPool = await pool(rs256);
const esPool = await pool(es256);
console.log(`minted ${2 * POOL} tokens in ${Math.round((Date.now() - started) / 1000)} s`);

/** Headers with the next unused token of `tokens` for every request; fails the run when none is left. */
function distinct(tokens: readonly string[], label: string) {
  let next = 0;
  return {
    headers: () => ({ authorization: `Bearer ${tokens[next++ % tokens.length]}` }),
    afterRun: () => {
      if (next > tokens.length) {
        throw new Error(
          `${label}: ${next} requests used up the pool of ${tokens.length} tokens; set BENCH_TOKEN_POOL higher`,
        );
      }
    },
  };
}
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

const entry = new URL('./jwt-bench.app.js', import.meta.url);
const issuers = JSON.stringify([rs256.issuerOptions(), es256.issuerOptions()]);
const server = await startServer(entry, { BENCH_ISSUERS: issuers });
const uncached = await startServer(entry, { BENCH_ISSUERS: issuers, BENCH_CACHE: 'off' });
const bareProvider = await startServer(entry, {
  BENCH_ISSUERS: issuers,
  BENCH_PROVIDER: 'signature-only',
});
const rsToken = await mint(rs256, 0);
const esToken = await mint(es256, 0);
const forged = await forger.sign({ scope: 'bench:read' }, { header: { kid: rs256.kid } });

const scenarios: Scenario[] = [
  { name: 'public route', server, path: '/public', expectStatus: 200 },
  {
    name: 'protected, RS256, one token reused',
    server,
    path: '/protected',
    headers: bearer(rsToken),
    expectStatus: 200,
  },
  {
    name: 'protected, ES256, one token reused',
    server,
    path: '/protected',
    headers: bearer(esToken),
    expectStatus: 200,
  },
  {
    name: 'scope-checked, RS256, one token reused',
    server,
    path: '/scoped',
    headers: bearer(rsToken),
    expectStatus: 200,
  },
  {
    name: 'protected, RS256, distinct token per request',
    server,
    path: '/protected',
    ...distinct(rsPool, 'RS256 pool, /protected'),
    expectStatus: 200,
  },
  {
    name: 'reference: minimal jose guard, RS256, distinct',
    server,
    path: '/reference',
    // Its own pass over the RS256 pool: the reference guard keeps nothing between requests.
    ...distinct(rsPool, 'RS256 pool, /reference'),
    expectStatus: 200,
  },
  {
    name: 'lower bound: jose compactVerify only, RS256, distinct',
    server,
    path: '/reference/signature-only',
    ...distinct(rsPool, 'RS256 pool, /reference/signature-only'),
    expectStatus: 200,
  },
  { name: 'public route, app 2', server: bareProvider, path: '/public', expectStatus: 200 },
  {
    name: 'app 2 (provider: compactVerify only), RS256, distinct',
    server: bareProvider,
    path: '/protected',
    ...distinct(rsPool, 'RS256 pool, app 2'),
    expectStatus: 200,
    baseline: 'public route, app 2',
  },
  {
    name: 'protected, ES256, distinct token per request',
    server,
    path: '/protected',
    ...distinct(esPool, 'ES256 pool, /protected'),
    expectStatus: 200,
  },
  {
    name: 'rejection, bad signature (401)',
    server,
    path: '/protected',
    headers: bearer(forged),
    expectStatus: 401,
  },
  { name: 'public route, app 3', server: uncached, path: '/public', expectStatus: 200 },
  {
    name: 'app 3 (verification cache off), RS256, reused',
    server: uncached,
    path: '/protected',
    headers: bearer(rsToken),
    expectStatus: 200,
    baseline: 'public route, app 3',
  },
];
try {
  await runScenarios('JWT provider (Express)', scenarios, 'public route');
} finally {
  server.stop();
  uncached.stop();
  bareProvider.stop();
}
