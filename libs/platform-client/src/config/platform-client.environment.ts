// The entry can be imported first, before anything has loaded reflect-metadata (class-transformer's
// @Type() reads design types when it decorates).
import 'reflect-metadata';
import {
  IsBase64,
  IsBooleanString,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsOptional,
  IsPositive,
  IsString,
  IsUrl,
  Max,
  Min,
} from 'class-validator';
import { Type } from 'class-transformer';

const URL_OPTIONS = { require_tld: false, require_protocol: true, protocols: ['http', 'https'] };

/**
 * The environment variables of the outbound client, as `@nestjs/config` sees them. Validated
 * with class-validator by {@link platformClientOptionsFromConfig}; property names are the
 * variable names, so every error names its variable.
 */
export class PlatformClientEnvironment {
  @IsUrl(URL_OPTIONS, { message: 'must be an http(s) URL' })
  PLATFORM_CLIENT_BASE_URL!: string;

  @IsOptional()
  @IsUrl(URL_OPTIONS, { message: 'must be an http(s) URL' })
  PLATFORM_CLIENT_ISSUER?: string;

  @IsOptional()
  @IsString()
  @IsNotEmpty({ message: 'must not be empty' })
  PLATFORM_CLIENT_ID?: string;

  @IsOptional()
  @IsString()
  @IsNotEmpty({ message: 'must not be empty' })
  PLATFORM_CLIENT_SECRET?: string;

  @IsOptional()
  @IsString()
  PLATFORM_CLIENT_SCOPE?: string;

  @IsOptional()
  @IsString()
  @IsNotEmpty({ message: 'must not be empty' })
  PLATFORM_CLIENT_AUDIENCE?: string;

  @IsOptional()
  @IsIn(['memory', 'file', 'redis'], { message: 'must be one of: memory, file, redis' })
  PLATFORM_CLIENT_CACHE?: 'memory' | 'file' | 'redis';

  @IsOptional()
  @IsString()
  @IsNotEmpty({ message: 'must not be empty' })
  PLATFORM_CLIENT_CACHE_DIR?: string;

  @IsOptional()
  @IsString()
  @IsNotEmpty({ message: 'must not be empty' })
  PLATFORM_CLIENT_REDIS_URL?: string;

  @IsOptional()
  @IsBase64({ urlSafe: false }, { message: 'must be 32 bytes in base64 (openssl rand -base64 32)' })
  PLATFORM_CLIENT_REDIS_ENCRYPTION_KEY?: string;

  @IsOptional()
  @Type(() => Number)
  @IsPositive({ message: 'must be a positive number of seconds' })
  PLATFORM_CLIENT_TIMEOUT_S?: number;

  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'must be an integer between 0 and 10' })
  @Min(0, { message: 'must be an integer between 0 and 10' })
  @Max(10, { message: 'must be an integer between 0 and 10' })
  PLATFORM_CLIENT_RETRIES?: number;

  @IsOptional()
  @Type(() => Number)
  @IsPositive({ message: 'must be a positive number of seconds' })
  PLATFORM_CLIENT_BACKOFF_S?: number;

  @IsOptional()
  @IsBooleanString({ message: 'must be "true" or "false"' })
  PLATFORM_CLIENT_ALLOW_HTTP?: string;

  @IsOptional()
  @IsString()
  @IsNotEmpty({ message: 'must not be empty' })
  PLATFORM_CLIENT_CA_FILE?: string;

  @IsOptional()
  @IsUrl(URL_OPTIONS, { message: 'must be an http(s) proxy URL' })
  HTTPS_PROXY?: string;

  @IsOptional()
  @IsUrl(URL_OPTIONS, { message: 'must be an http(s) proxy URL' })
  HTTP_PROXY?: string;

  @IsOptional()
  @IsString()
  NO_PROXY?: string;
}

/** Every variable the mapping reads. */
export const PLATFORM_CLIENT_VARIABLES: readonly (keyof PlatformClientEnvironment)[] = [
  'PLATFORM_CLIENT_BASE_URL',
  'PLATFORM_CLIENT_ISSUER',
  'PLATFORM_CLIENT_ID',
  'PLATFORM_CLIENT_SECRET',
  'PLATFORM_CLIENT_SCOPE',
  'PLATFORM_CLIENT_AUDIENCE',
  'PLATFORM_CLIENT_CACHE',
  'PLATFORM_CLIENT_CACHE_DIR',
  'PLATFORM_CLIENT_REDIS_URL',
  'PLATFORM_CLIENT_REDIS_ENCRYPTION_KEY',
  'PLATFORM_CLIENT_TIMEOUT_S',
  'PLATFORM_CLIENT_RETRIES',
  'PLATFORM_CLIENT_BACKOFF_S',
  'PLATFORM_CLIENT_ALLOW_HTTP',
  'PLATFORM_CLIENT_CA_FILE',
  'HTTPS_PROXY',
  'HTTP_PROXY',
  'NO_PROXY',
];
