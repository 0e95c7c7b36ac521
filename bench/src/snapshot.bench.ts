/**
 * Snapshot sign + verify (AuthSnapshotSigner / AuthSnapshotVerifier with their defaults:
 * ES256, replay protection in memory) against a bare jose SignJWT + jwtVerify of the same
 * claims with the same key, in-process, in interleaved rounds of a fixed iteration count.
 * Target: ratio >= 0.9.
 */
import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { NestFactory } from '@nestjs/core';
import { AuthSnapshotSigner, AuthSnapshotVerifier } from '@nest-platform/auth';
import { AuthSnapshotModule } from '@nest-platform/auth/snapshots';
// The signer mints only from authenticated contexts; outside a request, the testing helper.
import { authenticatedContext } from '@nest-platform/auth/testing';
import { exportJWK, generateKeyPair, jwtVerify, SignJWT } from 'jose';

const ITERATIONS = Number(process.env.BENCH_ITERATIONS ?? 1000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 15);

async function main(): Promise<void> {
  const { privateKey, publicKey } = await generateKeyPair('ES256');
  const publicJwk = { ...(await exportJWK(publicKey)), kid: 'bench-1', alg: 'ES256' };
  const app = await NestFactory.createApplicationContext(
    AuthSnapshotModule.forRoot({
      trustDomain: 'urn:bench:domain',
      issuer: 'bench-service',
      signingKey: { kid: 'bench-1', privateKey },
      verificationKeys: { keys: [publicJwk] },
    }),
    { logger: false },
  );
  const signer = app.get(AuthSnapshotSigner);
  const verifier = app.get(AuthSnapshotVerifier);
  const context = authenticatedContext({
    subject: 'alice',
    issuer: 'https://issuer.example',
    principalType: 'user',
    clientId: 'web',
    tenant: 'acme',
    scopes: ['orders:read', 'orders:write'],
    roles: ['clerk'],
    expiresAt: Math.floor(Date.now() / 1000) + 3600,
    delegation: [{ subject: 'gateway', clientId: 'gw' }],
  });
  // Bound like a message snapshot; the bare side signs the very same claims (bnd included).
  const binding = 'msg orders.get 47DEQpj8HBSa-_TImW-5JCeuQeRkm5NMpJWZG3hSuFU';
  const sample = await signer.sign(context, { correlationId: 'req-1', binding });
  const claims = JSON.parse(Buffer.from(sample.split('.')[1], 'base64url').toString()) as Record<
    string,
    unknown
  >;

  const library = async () => {
    const snapshot = await signer.sign(context, { correlationId: 'req-1', binding });
    const result = await verifier.verify(snapshot, { binding });
    if (!('subject' in result)) throw new Error(`refused: ${String(result)}`);
  };
  const bare = async () => {
    const iat = Math.floor(Date.now() / 1000);
    const jws = await new SignJWT({ ...claims, iat, exp: iat + 60, jti: randomUUID() })
      .setProtectedHeader({ alg: 'ES256', kid: 'bench-1', typ: 'auth-snapshot+jwt' })
      .sign(privateKey);
    await jwtVerify(jws, publicKey, {
      algorithms: ['ES256'],
      typ: 'auth-snapshot+jwt',
      issuer: 'bench-service',
      audience: 'urn:bench:domain',
      requiredClaims: ['iss', 'aud', 'sub', 'iat', 'exp', 'jti'],
    });
  };

  const run = async (fn: () => Promise<void>) => {
    const start = process.hrtime.bigint();
    for (let i = 0; i < ITERATIONS; i++) await fn();
    return ITERATIONS / (Number(process.hrtime.bigint() - start) / 1e9);
  };
  for (let i = 0; i < 200; i++) {
    await library();
    await bare();
  }
  // Short interleaved rounds, the order alternating, so that a noisy neighbour slows both sides
  // of a round alike; the figure is the median of the per-round ratios.
  const results = { library: [] as number[], bare: [] as number[], ratio: [] as number[] };
  for (let round = 0; round < ROUNDS; round++) {
    const [bareOps, libraryOps] =
      round % 2 === 0
        ? [await run(bare), await run(library)]
        : [await run(library), await run(bare)].reverse();
    results.bare.push(bareOps);
    results.library.push(libraryOps);
    results.ratio.push(libraryOps / bareOps);
  }
  const median = (values: number[]) => [...values].sort((x, y) => x - y)[values.length >> 1];
  const ratios = [...results.ratio].sort((x, y) => x - y);
  console.log(`snapshot sign+verify (${ITERATIONS} ops x ${ROUNDS} rounds, medians)`);
  console.log(`  bare jose SignJWT + jwtVerify : ${median(results.bare).toFixed(0)} ops/s`);
  console.log(`  AuthSnapshotSigner + Verifier : ${median(results.library).toFixed(0)} ops/s`);
  console.log(
    `  ratio (median of rounds)      : ${median(ratios).toFixed(3)} (target >= 0.9; ` +
      `rounds ${ratios[0].toFixed(2)}-${ratios[ratios.length - 1].toFixed(2)})`,
  );
  await app.close();
}

void main();
