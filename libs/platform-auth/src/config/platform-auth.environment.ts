import { IsIn, IsNotEmpty, IsOptional, IsString, Matches } from 'class-validator';
import { CLAIMS_PROFILE_NAMES } from '../jwt/claims/claims-profile.js';

const BOOLEAN = ['true', 'false'];

/**
 * The `PLATFORM_AUTH_*` environment variables (README, Configuration), validated with
 * class-validator. Values stay strings here; {@link jwtAuthOptionsFromConfig} converts them.
 */
export class PlatformAuthEnvironment {
  @IsString({ message: 'is required (the issuer URL, comma-separated for several)' })
  @IsNotEmpty({ message: 'is required (the issuer URL, comma-separated for several)' })
  PLATFORM_AUTH_ISSUER!: string;

  @IsString({ message: 'is required (the audience the API accepts)' })
  @IsNotEmpty({ message: 'is required (the audience the API accepts)' })
  PLATFORM_AUTH_AUDIENCE!: string;

  @IsOptional()
  @IsString()
  PLATFORM_AUTH_JWKS_URI?: string;

  @IsOptional()
  @Matches(/^[A-Za-z0-9]+(,[A-Za-z0-9]+)*$/, {
    message: 'must be a comma-separated list of algorithms (e.g. RS256,ES256)',
  })
  PLATFORM_AUTH_ALGORITHMS?: string;

  @IsOptional()
  @IsIn(CLAIMS_PROFILE_NAMES, { message: `must be one of ${CLAIMS_PROFILE_NAMES.join(', ')}` })
  PLATFORM_AUTH_CLAIMS_PROFILE?: string;

  @IsOptional()
  @Matches(/^\d{1,3}$/, { message: 'must be a whole number of seconds from 0 to 300' })
  PLATFORM_AUTH_CLOCK_TOLERANCE_S?: string;

  @IsOptional()
  @IsIn(BOOLEAN, { message: 'must be "true" or "false"' })
  PLATFORM_AUTH_ALLOW_HTTP?: string;
}

/** The variable names, in table order. */
export const PLATFORM_AUTH_VARIABLES = [
  'PLATFORM_AUTH_ISSUER',
  'PLATFORM_AUTH_AUDIENCE',
  'PLATFORM_AUTH_JWKS_URI',
  'PLATFORM_AUTH_ALGORITHMS',
  'PLATFORM_AUTH_CLAIMS_PROFILE',
  'PLATFORM_AUTH_CLOCK_TOLERANCE_S',
  'PLATFORM_AUTH_ALLOW_HTTP',
] as const;
