import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import {
  type ConfigurationProblem,
  InvalidConfigurationError,
} from '../errors/invalid-configuration.error.js';
import type { ClaimsProfileName } from '../jwt/claims/claims-profile.js';
import {
  JWT_ALGORITHMS,
  type JwtAlgorithm,
  type JwtAuthModuleOptions,
} from '../jwt/jwt-auth.options.js';
import { PLATFORM_AUTH_VARIABLES, PlatformAuthEnvironment } from './platform-auth.environment.js';

/** Anything with `get(name)`: `@nestjs/config`'s `ConfigService`, or a plain reader in tests. */
export interface ConfigReader {
  get<T = string>(name: string): T | undefined;
}

/**
 * Maps the `PLATFORM_AUTH_*` variables onto `JwtAuthModule` options, validated with
 * class-validator. The library itself never reads `process.env`: the values come from
 * `@nestjs/config`'s `ConfigService` (or any reader with `get`).
 *
 * @example
 * ```ts
 * JwtAuthModule.forRootAsync({
 *   imports: [ConfigModule.forRoot()],
 *   inject: [ConfigService],
 *   useFactory: jwtAuthOptionsFromConfig,
 * })
 * ```
 * @throws InvalidConfigurationError naming every invalid variable (values are never echoed).
 */
export function jwtAuthOptionsFromConfig(config: ConfigReader): JwtAuthModuleOptions {
  const raw: Record<string, unknown> = {};
  for (const name of PLATFORM_AUTH_VARIABLES) {
    const value = config.get<unknown>(name);
    if (value !== undefined && value !== '')
      raw[name] = typeof value === 'string' ? value.trim() : value;
  }
  const environment = plainToInstance(PlatformAuthEnvironment, raw);
  const problems: ConfigurationProblem[] = validateSync(environment).map((error) => ({
    variable: error.property,
    problem: Object.values(error.constraints ?? {})[0] ?? 'is invalid',
  }));
  const invalid = new Set(problems.map((problem) => problem.variable));

  const allowHttp = environment.PLATFORM_AUTH_ALLOW_HTTP === 'true';
  const issuers = invalid.has('PLATFORM_AUTH_ISSUER') ? [] : list(environment.PLATFORM_AUTH_ISSUER);
  for (const issuer of issuers) {
    const problem = urlProblem(issuer, allowHttp);
    if (problem) problems.push({ variable: 'PLATFORM_AUTH_ISSUER', problem });
  }
  const jwksUri = environment.PLATFORM_AUTH_JWKS_URI;
  if (jwksUri !== undefined && !invalid.has('PLATFORM_AUTH_JWKS_URI')) {
    const problem =
      issuers.length > 1
        ? 'applies to a single issuer; unset it to use discovery'
        : urlProblem(jwksUri, allowHttp);
    if (problem) problems.push({ variable: 'PLATFORM_AUTH_JWKS_URI', problem });
  }
  const algorithms = list(environment.PLATFORM_AUTH_ALGORITHMS ?? 'RS256,PS256,ES256,EdDSA');
  const unknown = invalid.has('PLATFORM_AUTH_ALGORITHMS')
    ? []
    : algorithms.filter((alg) => !(JWT_ALGORITHMS as readonly string[]).includes(alg));
  // `rs256` is RS256 in the wrong case: say so rather than that it is not asymmetric.
  const miscased = unknown.flatMap((alg) =>
    JWT_ALGORITHMS.filter((known) => known.toLowerCase() === alg.toLowerCase()),
  );
  if (miscased.length > 0) {
    problems.push({
      variable: 'PLATFORM_AUTH_ALGORITHMS',
      problem: `names algorithms case-sensitively, as JWA does (RFC 7518): write ${[...new Set(miscased)].join(', ')}`,
    });
  }
  if (unknown.length > miscased.length) {
    problems.push({
      variable: 'PLATFORM_AUTH_ALGORITHMS',
      problem: `allows only asymmetric algorithms (${JWT_ALGORITHMS.join(', ')})`,
    });
  }
  const tolerance = Number(environment.PLATFORM_AUTH_CLOCK_TOLERANCE_S ?? '30');
  if (tolerance > 300 && !invalid.has('PLATFORM_AUTH_CLOCK_TOLERANCE_S')) {
    problems.push({
      variable: 'PLATFORM_AUTH_CLOCK_TOLERANCE_S',
      problem: 'must be a whole number of seconds from 0 to 300',
    });
  }
  if (problems.length > 0) throw new InvalidConfigurationError(problems);

  const claims = (environment.PLATFORM_AUTH_CLAIMS_PROFILE ?? 'generic') as ClaimsProfileName;
  return {
    issuers: issuers.map((issuer) => ({
      issuer,
      audience: list(environment.PLATFORM_AUTH_AUDIENCE),
      algorithms: algorithms as JwtAlgorithm[],
      claims,
      ...(jwksUri !== undefined && { jwksUri }),
    })),
    clockToleranceS: tolerance,
    allowHttp,
  };
}

function list(value: string): string[] {
  return value
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item.length > 0);
}

function urlProblem(value: string, allowHttp: boolean): string | undefined {
  if (!URL.canParse(value)) return 'must be an absolute URL';
  const { protocol } = new URL(value);
  if (protocol === 'https:') return undefined;
  if (protocol === 'http:') {
    return allowHttp ? undefined : 'uses http://, refused unless PLATFORM_AUTH_ALLOW_HTTP=true';
  }
  return 'must be an https:// URL';
}
