import 'reflect-metadata';
import { Injectable, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import {
  AuthCapability,
  AuthorizationDecision,
  AuthProvider,
  ContextScopeChecker,
  PlatformAuthModule,
  type AuthenticationProvider,
  type Credentials,
} from '@nest-platform/auth';
import type { AddressInfo } from 'node:net';
import { BENCH_CALLER } from './bench-caller.js';
import { BenchController } from './bench.controller.js';
import { BENCH_TOKEN } from './guard-bench.constants.js';

/** In-memory authentication: measures the framework (extraction, plan, ports, ALS), not crypto. */
@Injectable()
@AuthProvider(AuthCapability.Authentication)
class InMemoryAuthentication implements AuthenticationProvider {
  async authenticate(credentials: Credentials) {
    return credentials.value === BENCH_TOKEN
      ? BENCH_CALLER
      : AuthorizationDecision.challenge('TOKEN_INVALID');
  }
}

@Module({
  imports: [PlatformAuthModule.forRoot()],
  controllers: [BenchController],
  providers: [InMemoryAuthentication, ContextScopeChecker],
})
class BenchModule {}

/** The same controller without PlatformAuthModule: the baseline for the public route's cost. */
@Module({ controllers: [BenchController] })
class BaselineModule {}

const withAuth = process.env.BENCH_VARIANT !== 'baseline';
const app = await NestFactory.create(withAuth ? BenchModule : BaselineModule, { logger: false });
await app.listen(0, '127.0.0.1');
const { port } = app.getHttpServer().address() as AddressInfo;
process.stdout.write(`${JSON.stringify({ port })}\n`);
process.on('SIGTERM', () => void app.close().then(() => process.exit(0)));
