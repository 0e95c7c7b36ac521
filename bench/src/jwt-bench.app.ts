import 'reflect-metadata';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ContextScopeChecker, PlatformAuthModule } from '@nest-platform/auth';
import { JwtAuthModule, type JwtIssuerOptions } from '@nest-platform/auth/jwt';
import type { AddressInfo } from 'node:net';
import { BenchController } from './bench.controller.js';
import { referenceController, signatureOnlyProvider } from './reference-jose.guard.js';

// The issuers (with their public keys) come from the benchmark process, which mints the tokens.
const issuers = JSON.parse(process.env.BENCH_ISSUERS!) as JwtIssuerOptions[];
const verificationCache = process.env.BENCH_CACHE === 'off' ? false : undefined;
// `signature-only`: the JWT provider replaced by the bench's compactVerify-only provider.
const signatureOnly = process.env.BENCH_PROVIDER === 'signature-only';

@Module({
  imports: [
    PlatformAuthModule.forRoot(),
    ...(signatureOnly
      ? []
      : [
          JwtAuthModule.forRoot({
            issuers,
            ...(verificationCache === false && { verificationCache }),
          }),
        ]),
  ],
  providers: signatureOnly
    ? [await signatureOnlyProvider({ jwks: issuers[0].jwks! }), ContextScopeChecker]
    : [],
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
