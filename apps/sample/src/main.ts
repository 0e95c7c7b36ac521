import 'reflect-metadata';
import { ValidationPipe } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AppModule } from './app.module.js';
import { renderBanner } from './banner.js';
import { BootLogger } from './boot.logger.js';
import { PortInUseError, portInUse, SampleEndpoints } from './config/sample-endpoints.js';
import { SampleConfigurationError } from './config/sample.environment.js';

const logger = new BootLogger();

async function bootstrap(): Promise<void> {
  const app = await NestFactory.create(AppModule, { abortOnError: false, logger });
  app.useGlobalPipes(new ValidationPipe({ whitelist: true, forbidNonWhitelisted: true }));
  app.enableShutdownHooks();
  const { api, issuer } = app.get(SampleEndpoints);
  try {
    await app.listen(api.port, '127.0.0.1');
  } catch (error) {
    await app.close();
    throw portInUse(error, 'PORT', api.port) ?? error;
  }
  logger.booted();
  console.log(renderBanner(api, issuer));
}

/** Errors whose message says what to fix (naming the variable, never its value). */
function isConfigurationError(error: unknown): boolean {
  return (
    error instanceof PortInUseError ||
    error instanceof SampleConfigurationError ||
    error instanceof TypeError ||
    (error as { code?: unknown } | null)?.code === 'INVALID_CONFIGURATION'
  );
}

try {
  await bootstrap();
} catch (error) {
  // Configuration errors name the variable and never carry a value, so the message is safe;
  // anything else also gets its stack (Nest's own error log is held back while booting).
  const detail = isConfigurationError(error) ? '' : `\n${(error as Error).stack ?? ''}`;
  console.error(`\nThe sample did not start: ${(error as Error).message}${detail}\n`);
  process.exit(1);
}
