import 'reflect-metadata';
import { Controller, Get, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import {
  type AuthContext,
  CurrentAuth,
  PlatformAuthModule,
  RequireDpop,
} from '@nest-platform/auth';
import { JwtAuthModule, type JwtIssuerOptions } from '@nest-platform/auth/jwt';
import type { AddressInfo } from 'node:net';
import { BenchController } from './bench.controller.js';

// The issuers (with their public keys) come from the benchmark process, which mints the tokens.
const issuers = JSON.parse(process.env.BENCH_ISSUERS!) as JwtIssuerOptions[];

/** A DPoP-bound route (RFC 9449): the token's signature may come from the cache, the proof never. */
@Controller()
class DpopBenchController {
  @Get('dpop')
  @RequireDpop()
  dpop(@CurrentAuth() auth: AuthContext) {
    return { ok: true, sub: auth.subject };
  }
}

/** This project: PlatformAuthModule and JwtAuthModule as an app would import them. */
@Module({
  imports: [PlatformAuthModule.forRoot({ dpop: {} }), JwtAuthModule.forRoot({ issuers })],
  controllers: [BenchController, DpopBenchController],
})
class JwtBenchModule {}

const app = await NestFactory.create(JwtBenchModule, { logger: false });
await app.listen(0, '127.0.0.1');
const { port } = app.getHttpServer().address() as AddressInfo;
process.stdout.write(`${JSON.stringify({ port })}\n`);
process.on('SIGTERM', () => void app.close().then(() => process.exit(0)));
