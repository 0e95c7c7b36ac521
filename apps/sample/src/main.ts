import 'reflect-metadata';
import { ValidationPipe } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AppModule } from './app.module.js';
import type { DemoPrincipal } from './demo-auth/demo-principals.js';
import { DEMO_PRINCIPALS } from './demo-auth/demo-token.authentication.js';

const DEFAULT_PORT = 3000;

function portFromEnv(value: string | undefined): number {
  if (value === undefined || value === '') return DEFAULT_PORT;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new TypeError(
      `PORT must be an integer between 0 and 65535, got ${JSON.stringify(value)}.`,
    );
  }
  return port;
}

async function bootstrap(): Promise<void> {
  const port = portFromEnv(process.env.PORT);
  const app = await NestFactory.create(AppModule);
  app.useGlobalPipes(new ValidationPipe({ whitelist: true, forbidNonWhitelisted: true }));
  app.enableShutdownHooks();
  await app.listen(port, '127.0.0.1');

  const url = `http://127.0.0.1:${(app.getHttpServer().address() as { port: number }).port}`;
  const principals = app.get<Map<string, DemoPrincipal>>(DEMO_PRINCIPALS);
  const lines = [
    '',
    `Sample API listening on ${url}`,
    'Demo tokens for this run (random, loopback only; the embedded OIDC issuer replaces them later):',
    ...[...principals].map(
      ([token, p]) => `  ${p.name.padEnd(7)} ${p.description}\n          TOKEN=${token}`,
    ),
    '',
    'Try:',
    `  curl -i ${url}/health`,
    `  curl -i ${url}/documents                                  # 401, WWW-Authenticate: Bearer realm="platform-sample"`,
    `  curl -i -H "Authorization: Bearer $TOKEN" ${url}/documents`,
    `  curl -i -H "Authorization: Bearer $TOKEN" ${url}/me`,
    '',
  ];
  console.log(lines.join('\n'));
}

await bootstrap();
