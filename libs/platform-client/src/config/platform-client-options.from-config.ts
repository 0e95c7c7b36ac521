import { readFileSync } from 'node:fs';
import type { ConfigService } from '@nestjs/config';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { REDIS_ENCRYPTION_KEY_BYTES } from '../caches/redis-token-cache.settings.js';
import { parseRedisUrl } from '../caches/redis-url.js';
import type { PlatformClientOptions } from '../http/platform-client.options.js';
import type { TokenCacheOptions } from '../tokens/token-source.factory.js';
import { withMaskedSerialization } from '../secrets/redact.js';
import { InvalidClientConfigurationError } from './invalid-client-configuration.error.js';
import {
  PLATFORM_CLIENT_VARIABLES,
  PlatformClientEnvironment,
} from './platform-client.environment.js';

/**
 * Maps the `PLATFORM_CLIENT_*` variables (and `HTTPS_PROXY` / `HTTP_PROXY` / `NO_PROXY`) read
 * through `ConfigService` onto {@link PlatformClientOptions}, validated with class-validator.
 * `PLATFORM_CLIENT_ISSUER` + `PLATFORM_CLIENT_ID` select the client-credentials grant; without
 * an issuer the client is unauthenticated. The result serialises with secrets masked.
 *
 * @example
 * ```ts
 * PlatformClientModule.forRootAsync({
 *   imports: [ConfigModule],
 *   inject: [ConfigService],
 *   useFactory: platformClientOptionsFromConfig,
 * })
 * ```
 * @throws InvalidClientConfigurationError (a `TypeError`) listing every bad variable by name
 *   (values are never echoed)
 */
export function platformClientOptionsFromConfig(config: ConfigService): PlatformClientOptions {
  const raw: Record<string, string> = {};
  for (const name of PLATFORM_CLIENT_VARIABLES) {
    const value = config.get<unknown>(name) ?? config.get<unknown>(name.toLowerCase());
    if (value !== undefined && value !== '') raw[name] = String(value);
  }
  const env = plainToInstance(PlatformClientEnvironment, raw);
  // Messages name the variable and the rule, never the value.
  const problems = validateSync(env).map((error) => {
    const message = Object.values(error.constraints ?? {})[0] ?? 'is invalid';
    return message.startsWith(error.property) ? message : `${error.property} ${message}`;
  });
  problems.push(...crossChecks(env));
  if (problems.length > 0) {
    throw new InvalidClientConfigurationError(problems);
  }
  return withMaskedSerialization(toOptions(env));
}

function crossChecks(env: PlatformClientEnvironment): string[] {
  const problems: string[] = [];
  const redis = env.PLATFORM_CLIENT_CACHE === 'redis';
  if (redis && env.PLATFORM_CLIENT_REDIS_URL === undefined) {
    problems.push('PLATFORM_CLIENT_REDIS_URL is required with PLATFORM_CLIENT_CACHE=redis');
  }
  if (redis && env.PLATFORM_CLIENT_REDIS_URL !== undefined) {
    try {
      parseRedisUrl(env.PLATFORM_CLIENT_REDIS_URL, 'PLATFORM_CLIENT_REDIS_URL');
    } catch (error) {
      // Names the variable and the accepted forms, never the URL (it may hold a password).
      problems.push((error as TypeError).message.replace(/\.$/, ''));
    }
  }
  for (const name of [
    'PLATFORM_CLIENT_REDIS_URL',
    'PLATFORM_CLIENT_REDIS_ENCRYPTION_KEY',
  ] as const) {
    if (env[name] !== undefined && !redis) {
      problems.push(`${name} is only used with PLATFORM_CLIENT_CACHE=redis`);
    }
  }
  const key = env.PLATFORM_CLIENT_REDIS_ENCRYPTION_KEY;
  if (key !== undefined && Buffer.from(key, 'base64').byteLength !== REDIS_ENCRYPTION_KEY_BYTES) {
    problems.push(
      `PLATFORM_CLIENT_REDIS_ENCRYPTION_KEY must be ${REDIS_ENCRYPTION_KEY_BYTES} bytes in base64 (openssl rand -base64 32)`,
    );
  }
  if (env.PLATFORM_CLIENT_CACHE === 'file' && env.PLATFORM_CLIENT_CACHE_DIR === undefined) {
    problems.push('PLATFORM_CLIENT_CACHE_DIR is required with PLATFORM_CLIENT_CACHE=file');
  }
  const hasIssuer = env.PLATFORM_CLIENT_ISSUER !== undefined;
  if (hasIssuer && env.PLATFORM_CLIENT_ID === undefined) {
    problems.push('PLATFORM_CLIENT_ID is required with PLATFORM_CLIENT_ISSUER');
  }
  for (const name of ['PLATFORM_CLIENT_ID', 'PLATFORM_CLIENT_SECRET'] as const) {
    if (!hasIssuer && env[name] !== undefined) {
      problems.push(`${name} needs PLATFORM_CLIENT_ISSUER`);
    }
  }
  return problems;
}

function toOptions(env: PlatformClientEnvironment): PlatformClientOptions {
  const allowHttp = env.PLATFORM_CLIENT_ALLOW_HTTP === 'true';
  const options: PlatformClientOptions = {
    baseUrl: env.PLATFORM_CLIENT_BASE_URL,
    ...(allowHttp ? { allowHttp } : {}),
  };
  if (env.PLATFORM_CLIENT_TIMEOUT_S !== undefined) {
    options.timeoutMs = env.PLATFORM_CLIENT_TIMEOUT_S * 1000;
  }
  if (env.PLATFORM_CLIENT_RETRIES !== undefined) options.retries = env.PLATFORM_CLIENT_RETRIES;
  if (env.PLATFORM_CLIENT_BACKOFF_S !== undefined) {
    options.backoffBaseMs = env.PLATFORM_CLIENT_BACKOFF_S * 1000;
  }
  if (env.HTTPS_PROXY || env.HTTP_PROXY) {
    options.proxy = {
      ...(env.HTTPS_PROXY ? { httpsProxy: env.HTTPS_PROXY } : {}),
      ...(env.HTTP_PROXY ? { httpProxy: env.HTTP_PROXY } : {}),
      ...(env.NO_PROXY ? { noProxy: env.NO_PROXY } : {}),
    };
  }
  if (env.PLATFORM_CLIENT_CA_FILE !== undefined) options.ca = readCa(env.PLATFORM_CLIENT_CA_FILE);
  if (env.PLATFORM_CLIENT_ISSUER !== undefined && env.PLATFORM_CLIENT_ID !== undefined) {
    const scope = env.PLATFORM_CLIENT_SCOPE?.split(/[\s,]+/).filter(Boolean);
    options.token = {
      provider: {
        grant: 'client_credentials',
        issuer: env.PLATFORM_CLIENT_ISSUER,
        clientId: env.PLATFORM_CLIENT_ID,
        ...(env.PLATFORM_CLIENT_SECRET ? { clientSecret: env.PLATFORM_CLIENT_SECRET } : {}),
        ...(scope?.length ? { scope } : {}),
        ...(env.PLATFORM_CLIENT_AUDIENCE ? { audience: env.PLATFORM_CLIENT_AUDIENCE } : {}),
        ...(allowHttp ? { allowHttp } : {}),
      },
      cache: cacheOptions(env),
    };
  }
  return options;
}

function cacheOptions(env: PlatformClientEnvironment): TokenCacheOptions {
  switch (env.PLATFORM_CLIENT_CACHE) {
    case 'file':
      return { kind: 'file', directory: env.PLATFORM_CLIENT_CACHE_DIR! };
    case 'redis': {
      const key = env.PLATFORM_CLIENT_REDIS_ENCRYPTION_KEY;
      return {
        kind: 'redis',
        url: env.PLATFORM_CLIENT_REDIS_URL!,
        ...(key !== undefined ? { encryptionKey: key } : {}),
      };
    }
    default:
      return { kind: 'memory' };
  }
}

function readCa(path: string): string {
  let pem: string;
  try {
    pem = readFileSync(path, 'utf8');
  } catch (error) {
    throw new InvalidClientConfigurationError(
      [
        `PLATFORM_CLIENT_CA_FILE cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})`,
      ],
      { cause: error },
    );
  }
  if (!pem.includes('-----BEGIN CERTIFICATE-----')) {
    throw new InvalidClientConfigurationError([
      'PLATFORM_CLIENT_CA_FILE is not a PEM certificate file',
    ]);
  }
  return pem;
}
