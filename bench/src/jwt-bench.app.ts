import 'reflect-metadata';
import { Controller, Get, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import {
  type AuthContext,
  CurrentAuth,
  JwtAuthModule,
  type JwtIssuerOptions,
  PlatformAuthModule,
  Protected,
  Public,
  RequireScope,
} from '@platform/auth';
import type { AddressInfo } from 'node:net';

@Controller()
class BenchController {
  @Get('public')
  @Public()
  open() {
    return { ok: true };
  }

  @Get('protected')
  @Protected()
  protectedRoute(@CurrentAuth() auth: AuthContext) {
    return { ok: true, sub: auth.subject };
  }

  @Get('scoped')
  @RequireScope('bench:read')
  scoped(@CurrentAuth() auth: AuthContext) {
    return { ok: true, sub: auth.subject };
  }
}

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
  controllers: [BenchController],
})
class JwtBenchModule {}

const app = await NestFactory.create(JwtBenchModule, { logger: false });
await app.listen(0, '127.0.0.1');
const { port } = app.getHttpServer().address() as AddressInfo;
process.stdout.write(`${JSON.stringify({ port })}\n`);
process.on('SIGTERM', () => void app.close().then(() => process.exit(0)));
