import 'reflect-metadata';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { PlatformAuthModule } from '@nest-platform/auth';
import { JwtAuthModule, type JwtIssuerOptions } from '@nest-platform/auth/jwt';
import type { AddressInfo } from 'node:net';
import { BenchController } from './bench.controller.js';

// The issuers (with their public keys) come from the benchmark process, which mints the tokens.
const issuers = JSON.parse(process.env.BENCH_ISSUERS!) as JwtIssuerOptions[];

/** This project: PlatformAuthModule and JwtAuthModule as an app would import them. */
@Module({
  imports: [PlatformAuthModule.forRoot(), JwtAuthModule.forRoot({ issuers })],
  controllers: [BenchController],
})
class JwtBenchModule {}

const app = await NestFactory.create(JwtBenchModule, { logger: false });
await app.listen(0, '127.0.0.1');
const { port } = app.getHttpServer().address() as AddressInfo;
process.stdout.write(`${JSON.stringify({ port })}\n`);
process.on('SIGTERM', () => void app.close().then(() => process.exit(0)));
