/**
 * The cost of a never-seen RS256 token in one process on one core (issue #19), no HTTP: what
 * bounds the `bench:jwt` never-seen ratio from above. Two pairs, each run in alternating
 * rounds (CONVENTIONS 16), reported as the median of per-round ratios with the IQR:
 *
 * 1. the signature primitive: `node:crypto.verify` (synchronous, a `KeyObject`: what
 *    `jose/signature-fast-path.ts` uses) against WebCrypto's `subtle.verify` (what jose uses,
 *    run in Node's thread pool; 32 in flight, as 32 connections would keep it);
 * 2. the whole verification: a minimal `jose.jwtVerify` (local key set; issuer, audience, `typ`)
 *    against `JwtAuthenticationProvider.authenticate` (this project: decode, header rules, key,
 *    signature, claim rules, the frozen context), 32 in flight, every token one neither has seen.
 *
 * Run on one core: `taskset -c 0 node bench/dist/signature.bench.js` (`npm run bench:signature`),
 * with another Node line: `taskset -c 0 <node> bench/dist/signature.bench.js`.
 */
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { Module } from '@nestjs/common';
import { createPublicKey, type JsonWebKey, verify, webcrypto } from 'node:crypto';
import { createLocalJWKSet, jwtVerify } from 'jose';
import { Credentials, PlatformAuthModule } from '@nest-platform/auth';
import { JwtAuthenticationProvider, JwtAuthModule } from '@nest-platform/auth/jwt';
import { TestIssuer } from '@nest-platform/auth/testing';
import { quantile, summarise, type RatioSummary } from './harness.js';
import { rs256Minter } from './rs256-tokens.js';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 9);
const PER_ROUND = Number(process.env.BENCH_PER_ROUND ?? 2000);
const IN_FLIGHT = 32;
const ISSUER = 'https://rs256.bench';
const AUDIENCE = 'urn:bench-api';

const issuer = await TestIssuer.create({ issuer: ISSUER, audience: AUDIENCE });

/** Runs `task` on every item, IN_FLIGHT at a time; µs per item. */
async function perItem<T>(items: readonly T[], task: (item: T) => unknown): Promise<number> {
  const started = process.hrtime.bigint();
  let next = 0;
  await Promise.all(
    Array.from({ length: IN_FLIGHT }, async () => {
      while (next < items.length) await task(items[next++]!);
    }),
  );
  return Number(process.hrtime.bigint() - started) / 1e3 / items.length;
}

/** Rounds of `a` and `b` (each on its own slice of items, the first side alternating); µs medians and ratio b/a. */
async function pair(
  a: (round: number) => Promise<number>,
  b: (round: number) => Promise<number>,
): Promise<{ a: number; b: number; ratio: RatioSummary }> {
  await a(-1);
  await b(-1); // warm-up
  const as: number[] = [];
  const bs: number[] = [];
  for (let round = 0; round < ROUNDS; round += 1) {
    // Alternate which side goes first, so neither always runs on the warmer half of a round.
    if (round % 2 === 0) {
      as.push(await a(round));
      bs.push(await b(round));
    } else {
      bs.push(await b(round));
      as.push(await a(round));
    }
  }
  return {
    a: quantile(as, 0.5),
    b: quantile(bs, 0.5),
    ratio: summarise(bs.map((value, i) => value / as[i]!)),
  };
}

const tokens = await rs256Minter(issuer, ISSUER, AUDIENCE).pool((ROUNDS + 1) * PER_ROUND);
const slice = (round: number) => tokens.slice((round + 1) * PER_ROUND, (round + 2) * PER_ROUND);

// 1. The primitive, over the tokens' own signing inputs and signatures.
const signed = tokens.map((token) => {
  const end = token.lastIndexOf('.');
  return {
    data: Buffer.from(token.slice(0, end), 'latin1'),
    signature: Buffer.from(token.slice(end + 1), 'base64url'),
  };
});
const options = issuer.issuerOptions();
const publicJwk = options.jwks!.keys[0]!;
const keyObject = createPublicKey({ key: publicJwk as JsonWebKey, format: 'jwk' });
const cryptoKey = await webcrypto.subtle.importKey(
  'jwk',
  publicJwk as JsonWebKey,
  { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' },
  false,
  ['verify'],
);
const signedSlice = (round: number) =>
  signed.slice((round + 1) * PER_ROUND, (round + 2) * PER_ROUND);
const primitive = await pair(
  async (round) =>
    perItem(signedSlice(round), ({ data, signature }) => {
      if (!verify('sha256', data, keyObject, signature)) throw new Error('node:crypto refused');
    }),
  async (round) =>
    perItem(signedSlice(round), async ({ data, signature }) => {
      if (!(await webcrypto.subtle.verify('RSASSA-PKCS1-v1_5', cryptoKey, signature, data))) {
        throw new Error('WebCrypto refused');
      }
    }),
);

// 2. The whole verification of a never-seen token.
const keys = createLocalJWKSet(options.jwks!);
@Module({
  imports: [PlatformAuthModule.forRoot({}), JwtAuthModule.forRoot({ issuers: [options] })],
})
class SignatureBenchModule {}
const app = await NestFactory.createApplicationContext(SignatureBenchModule, { logger: false });
const provider = app.get(JwtAuthenticationProvider);
const whole = await pair(
  async (round) =>
    perItem(slice(round), async (value) => {
      const context = await provider.authenticate(
        new Credentials('bearer', value, 'authorization-header'),
      );
      if (!('subject' in context)) throw new Error('the provider refused a good token');
    }),
  async (round) =>
    perItem(slice(round), async (token) => {
      await jwtVerify(token, keys, { issuer: ISSUER, audience: AUDIENCE, typ: 'at+jwt' });
    }),
);
await app.close();

const fmt = ({ median, q1, q3 }: RatioSummary) =>
  `${median.toFixed(2)} (IQR ${q1.toFixed(2)}–${q3.toFixed(2)})`;
console.log(
  `\nNever-seen RS256 in one process, Node ${process.version}, ${ROUNDS} rounds × ${PER_ROUND} ` +
    `tokens, ${IN_FLIGHT} in flight`,
);
console.log('| pair | a: µs per token | b: µs per token | b / a (median of rounds) |');
console.log('|---|---:|---:|---:|');
console.log(
  `| a node:crypto.verify, b WebCrypto subtle.verify | ${primitive.a.toFixed(1)} | ` +
    `${primitive.b.toFixed(1)} | ${fmt(primitive.ratio)} |`,
);
console.log(
  `| a JwtAuthenticationProvider.authenticate, b jose jwtVerify | ${whole.a.toFixed(1)} | ` +
    `${whole.b.toFixed(1)} | ${fmt(whole.ratio)} |`,
);
