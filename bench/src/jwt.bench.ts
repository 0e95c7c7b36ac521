/**
 * JWT provider benchmark (issue: ≥ 0.90 of the public route with one token reused, ≥ 0.65 with
 * a distinct token per request, Express). Real RS256/ES256 tokens from the testing kit's issuer,
 * keys handed to the app in memory, so no network is involved. The distinct-token pool is
 * larger than the verification cache, so every one of those requests is a full verification.
 * `/reference` is the issue's yardstick, a minimal hand-written jose guard, measured in the same run.
 * `npm run bench:jwt`.
 */
import { TestIssuer } from '@platform/auth/testing';
import { runScenarios, type Scenario, startServer } from './harness.js';

const POOL = Number(process.env.BENCH_TOKEN_POOL ?? 12_000);
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
  for (let index = 0; index < POOL; index += 1) tokens.push(await mint(issuer, index));
  return tokens;
}
const started = Date.now();
const rsPool = await pool(rs256);
const esPool = await pool(es256);
console.log(`minted ${2 * POOL} tokens in ${Math.round((Date.now() - started) / 1000)} s`);

const cycle = (tokens: string[]) => {
  let next = 0;
  return () => ({ authorization: `Bearer ${tokens[next++ % tokens.length]}` });
};
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

const entry = new URL('./jwt-bench.app.js', import.meta.url);
const issuers = JSON.stringify([rs256.issuerOptions(), es256.issuerOptions()]);
const server = await startServer(entry, { BENCH_ISSUERS: issuers });
const uncached = await startServer(entry, { BENCH_ISSUERS: issuers, BENCH_CACHE: 'off' });
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
    headers: cycle(rsPool),
    expectStatus: 200,
  },
  {
    name: 'reference: minimal jose guard, RS256, distinct',
    server,
    path: '/reference',
    headers: cycle(rsPool),
    expectStatus: 200,
  },
  {
    name: 'protected, ES256, distinct token per request',
    server,
    path: '/protected',
    headers: cycle(esPool),
    expectStatus: 200,
  },
  {
    name: 'rejection, bad signature (401)',
    server,
    path: '/protected',
    headers: bearer(forged),
    expectStatus: 401,
  },
  {
    name: 'protected, RS256, reused, verification cache off',
    server: uncached,
    path: '/protected',
    headers: bearer(rsToken),
    expectStatus: 200,
  },
];
try {
  await runScenarios('JWT provider (Express)', scenarios, 'public route');
} finally {
  server.stop();
  uncached.stop();
}
