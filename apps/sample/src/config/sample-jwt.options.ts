import type { ConfigService } from '@nestjs/config';
import { type ConfigReader, jwtAuthOptionsFromConfig } from '@nest-platform/auth/config';
import type { JwtAuthModuleOptions } from '@nest-platform/auth/jwt';
import type { SampleEndpoints } from './sample-endpoints.js';

/**
 * `JwtAuthModule` options from the `PLATFORM_AUTH_*` variables, mapped and validated by
 * `jwtAuthOptionsFromConfig`. In embedded mode the issuer, audience and `allowHttp` come from
 * the embedded issuer; the other variables (algorithms, clock tolerance, …) still apply and are
 * still validated. With the `generic` profile, the tenant is read from the `tenant` claim.
 * @throws InvalidConfigurationError naming every invalid variable
 */
export function sampleJwtOptions(
  config: ConfigService,
  endpoints: SampleEndpoints,
): JwtAuthModuleOptions {
  const { issuer } = endpoints;
  const reader: ConfigReader =
    issuer.mode === 'external'
      ? config
      : {
          get: <T>(name: string) => {
            const embedded: Record<string, string | undefined> = {
              PLATFORM_AUTH_ISSUER: issuer.url,
              PLATFORM_AUTH_AUDIENCE: issuer.audience,
              PLATFORM_AUTH_JWKS_URI: undefined,
              PLATFORM_AUTH_ALLOW_HTTP: 'true',
            };
            return (name in embedded ? embedded[name] : config.get<T>(name)) as T | undefined;
          },
        };
  const options = jwtAuthOptionsFromConfig(reader);
  return {
    ...options,
    issuers: options.issuers.map((entry) =>
      entry.claims === 'generic'
        ? { ...entry, claims: { profile: 'generic', tenant: 'tenant' } }
        : entry,
    ),
  };
}
