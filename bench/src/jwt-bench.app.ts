import 'reflect-metadata';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { JwtAuthModule, type JwtIssuerOptions, PlatformAuthModule } from '@platform/auth';
import type { AddressInfo } from 'node:net';
import { BenchController } from './bench.controller.js';
import { referenceController } from './reference-jose.guard.js';

// The issuers (with their public keys) come from the benchmark process, which mints the tokens.
const issuers = JSON.parse(process.env.BENCH_ISSUERS!) as JwtIssuerOptions[];
const verificationCache = process.env.BENCH_CACHE === 'off' ? false : undefined;

@Module({
  imports: [
    PlatformAuthModule.forRoot(),
    JwtAuthModule.forRoot({
      issuers,
      ...(verificationCache === false && { verificationCache }),
    }),
  ],
  controllers: [
    BenchController,
    await referenceController({
      issuer: issuers[0].issuer,
      audience: issuers[0].audience as string,
      jwks: issuers[0].jwks!,
    }),
  ],
})
class JwtBenchModule {}

const app = await NestFactory.create(JwtBenchModule, { logger: false });
await app.listen(0, '127.0.0.1');
const { port } = app.getHttpServer().address() as AddressInfo;
process.stdout.write(`${JSON.stringify({ port })}\n`);
process.on('SIGTERM', () => void app.close().then(() => process.exit(0)));
