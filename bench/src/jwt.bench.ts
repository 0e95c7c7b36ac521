/**
 * JWT benchmark (issue #19), Express, RS256. Three server processes up at once, all on CPU 0:
 * a bare Nest app with no auth (the ceiling every ratio is taken against), the minimal jose
 * guard a team would write by hand (`jose-guard.app.ts`), and this project (`PlatformAuthModule`
 * + `JwtAuthModule`). Slices of 2 s alternate with the bare app's `/public` (the harness), and
 * each row is the median of its per-round ratios with the interquartile range.
 *
 * A never-seen scenario hands every request a token that server has not seen before (one pool,
 * a cursor per server; the run fails if a pool runs out, `BENCH_TOKEN_POOL` sizes it), so it is
 * a full verification, never a cache hit. Tokens are signed with `node:crypto` here only to mint
 * a large pool quickly; the servers verify them as usual.
 *
 * `npm run bench:jwt` (`BENCH_NODE=<node binary>` runs the servers on another Node line;
 * `npm run bench:jwt:lines` runs it on the machine's Node and on Node 26).
 */
import { createHash, generateKeyPairSync, randomUUID, sign } from 'node:crypto';
import { calculateJwkThumbprint, type JWK } from 'jose';
import { TestIssuer } from '@nest-platform/auth/testing';
import {
  DURATION_S,
  printTargets,
  ROUNDS,
  runInterleaved,
  type Scenario,
  startServer,
} from './harness.js';
import { rs256Minter, segment as b64 } from './rs256-tokens.js';

/** Tokens per pool: the warm-up and every round at up to 8000 req/s. */
const POOL = Number(process.env.BENCH_TOKEN_POOL ?? (ROUNDS + 1) * DURATION_S * 8000);
const AUDIENCE = 'urn:bench-api';
const ISSUER = 'https://rs256.bench';

const issuer = await TestIssuer.create({ issuer: ISSUER, audience: AUDIENCE });
const forger = await TestIssuer.create({ issuer: ISSUER, audience: AUDIENCE });
const { mint, pool: mintPool } = rs256Minter(issuer, ISSUER, AUDIENCE);

/** The DPoP client's key (ES256) and its RFC 7638 thumbprint, which the bound token carries. */
const dpopKey = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const dpopJwk = dpopKey.publicKey.export({ format: 'jwk' }) as JWK;
const dpopJkt = await calculateJwkThumbprint(dpopJwk);
const dpopHeader = b64({ alg: 'ES256', typ: 'dpop+jwt', jwk: dpopJwk });

/**
 * A fresh DPoP proof for `GET url` with this token (new `jti`, current `iat`), signed
 * synchronously with node:crypto: autocannon asks for headers synchronously, once per request.
 */
function dpopProof(url: string, accessToken: string): string {
  const payload = b64({
    htm: 'GET',
    htu: url,
    jti: randomUUID(),
    iat: Math.floor(Date.now() / 1000),
    ath: createHash('sha256').update(accessToken).digest('base64url'),
  });
  const input = `${dpopHeader}.${payload}`;
  const signature = sign('sha256', Buffer.from(input), {
    key: dpopKey.privateKey,
    dsaEncoding: 'ieee-p1363',
  });
  return `${input}.${signature.toString('base64url')}`;
}

const started = Date.now();
const pool = await mintPool(POOL);
console.log(`minted ${POOL} RS256 tokens in ${Math.round((Date.now() - started) / 1000)} s`);

/** Headers with the next token of the pool this server has not seen; fails when none is left. */
function neverSeen(label: string) {
  let next = 0;
  return {
    headers: () => ({ authorization: `Bearer ${pool[next++ % pool.length]}` }),
    afterRun: () => {
      if (next > pool.length) {
        throw new Error(
          `${label}: ${next} requests used up the pool of ${pool.length} tokens; set BENCH_TOKEN_POOL higher`,
        );
      }
    },
  };
}
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

const issuerOptions = issuer.issuerOptions();
const bare = await startServer(new URL('./bare.app.js', import.meta.url));
const jose = await startServer(new URL('./jose-guard.app.js', import.meta.url), {
  BENCH_ISSUER: JSON.stringify({ issuer: ISSUER, audience: AUDIENCE, jwks: issuerOptions.jwks }),
});
const project = await startServer(new URL('./jwt-bench.app.js', import.meta.url), {
  BENCH_ISSUERS: JSON.stringify([issuerOptions]),
});
const reused = await mint(-1);
const bound = await mint(-2, { cnf: { jkt: dpopJkt } });
const dpopUrl = `${project.url}/dpop`;
const forged = await forger.sign({ scope: 'bench:read' }, { header: { kid: issuer.kid } });

const baseline: Scenario = {
  name: 'bare Nest /public',
  server: bare,
  path: '/public',
  expectStatus: 200,
};
const scenarios: Scenario[] = [
  { name: 'jose guard: public', server: jose, path: '/public', expectStatus: 200 },
  {
    name: 'jose guard: reused token',
    server: jose,
    path: '/protected',
    headers: bearer(reused),
    expectStatus: 200,
  },
  {
    name: 'jose guard: never-seen token',
    server: jose,
    path: '/protected',
    ...neverSeen('jose guard'),
    expectStatus: 200,
  },
  { name: 'project: public', server: project, path: '/public', expectStatus: 200 },
  {
    name: 'project: reused token',
    server: project,
    path: '/protected',
    headers: bearer(reused),
    expectStatus: 200,
  },
  {
    name: 'project: never-seen token',
    server: project,
    path: '/protected',
    ...neverSeen('project'),
    expectStatus: 200,
  },
  {
    name: 'project: scope-checked, reused',
    server: project,
    path: '/scoped',
    headers: bearer(reused),
    expectStatus: 200,
  },
  {
    name: 'project: DPoP, reused token, fresh proof',
    server: project,
    path: '/dpop',
    headers: () => ({ authorization: `DPoP ${bound}`, dpop: dpopProof(dpopUrl, bound) }),
    expectStatus: 200,
  },
  {
    name: 'project: bad signature (401)',
    server: project,
    path: '/protected',
    headers: bearer(forged),
    expectStatus: 401,
  },
];
try {
  const report = await runInterleaved('JWT (Express, RS256)', baseline, scenarios);
  printTargets(report, [
    { label: 'public route / bare', a: 'project: public', b: baseline.name, atLeast: 0.95 },
    {
      label: 'reused token / own public route',
      a: 'project: reused token',
      b: 'project: public',
      atLeast: 0.9,
    },
    {
      label: 'never-seen token / jose guard never-seen',
      a: 'project: never-seen token',
      b: 'jose guard: never-seen token',
      atLeast: 1.25,
    },
  ]);
} finally {
  bare.stop();
  jose.stop();
  project.stop();
}
