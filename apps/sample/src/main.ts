import 'reflect-metadata';
import { ValidationPipe } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AppModule } from './app.module.js';
import { renderBanner } from './banner.js';
import { SampleEndpoints } from './config/sample-endpoints.js';

async function bootstrap(): Promise<void> {
  const app = await NestFactory.create(AppModule, { abortOnError: false });
  app.useGlobalPipes(new ValidationPipe({ whitelist: true, forbidNonWhitelisted: true }));
  app.enableShutdownHooks();
  const { api, issuer } = app.get(SampleEndpoints);
  await app.listen(api.port, '127.0.0.1');
  console.log(renderBanner(api, issuer));
}

try {
  await bootstrap();
} catch (error) {
  // Configuration errors name the variable and never carry a value, so the message is safe.
  console.error(`\nThe sample did not start: ${(error as Error).message}\n`);
  process.exit(1);
}
