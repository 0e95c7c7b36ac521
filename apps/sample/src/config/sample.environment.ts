import { plainToInstance } from 'class-transformer';
import { IsOptional, Matches, validateSync } from 'class-validator';
import type { ConfigService } from '@nestjs/config';
import { InvalidConfigurationError } from '@nest-platform/auth';
import { InvalidClientConfigurationError } from '@nest-platform/client/config';

const PORT_RULE = /^\d{1,5}$/;
const PORT_MESSAGE = 'must be a port number from 0 to 65535 (0 picks a free port)';

/** The sample's own variables, validated with class-validator (the libraries' are mapped by them). */
export class SampleEnvironment {
  /** API port. @default 3000 */
  @IsOptional()
  @Matches(PORT_RULE, { message: PORT_MESSAGE })
  PORT?: string;

  /** Embedded issuer port. @default 3001 */
  @IsOptional()
  @Matches(PORT_RULE, { message: PORT_MESSAGE })
  PLATFORM_SAMPLE_ISSUER_PORT?: string;
}

/** The sample's validated settings. */
export interface SampleSettings {
  readonly port: number;
  readonly issuerPort: number;
}

/**
 * Thrown at boot when variables are invalid: the sample's own and those the libraries map
 * (`PLATFORM_AUTH_*`, `PLATFORM_CLIENT_*`), all of them in one list. Names each variable, never
 * its value.
 */
export class SampleConfigurationError extends Error {
  override readonly name = 'SampleConfigurationError';

  constructor(readonly problems: readonly string[]) {
    super(['Invalid configuration:', ...problems.map((p) => `  - ${p}`)].join('\n'));
  }
}

/**
 * Runs one validation and adds its problems to `problems` instead of throwing, so that boot can
 * report every invalid variable at once. Returns the result, or `undefined` when it failed.
 * @throws whatever else `validate` throws
 */
export function collectProblems<T>(problems: string[], validate: () => T): T | undefined {
  try {
    return validate();
  } catch (error) {
    if (error instanceof SampleConfigurationError) problems.push(...error.problems);
    else if (error instanceof InvalidClientConfigurationError) problems.push(...error.problems);
    else if (error instanceof InvalidConfigurationError) {
      problems.push(...error.problems.map(({ variable, problem }) => `${variable} ${problem}`));
    } else throw error;
    return undefined;
  }
}

/**
 * Reads `PORT` and `PLATFORM_SAMPLE_ISSUER_PORT`.
 * @throws SampleConfigurationError naming each invalid variable
 */
export function sampleSettingsFromConfig(config: ConfigService): SampleSettings {
  const raw: Record<string, string> = {};
  for (const name of ['PORT', 'PLATFORM_SAMPLE_ISSUER_PORT'] as const) {
    const value = config.get<string>(name)?.trim();
    if (value) raw[name] = value;
  }
  const env = plainToInstance(SampleEnvironment, raw);
  const problems = validateSync(env).map(
    (error) => `${error.property} ${Object.values(error.constraints ?? {})[0] ?? 'is invalid'}`,
  );
  for (const name of ['PORT', 'PLATFORM_SAMPLE_ISSUER_PORT'] as const) {
    if (env[name] !== undefined && Number(env[name]) > 65535 && PORT_RULE.test(env[name])) {
      problems.push(`${name} ${PORT_MESSAGE}`);
    }
  }
  if (problems.length > 0) throw new SampleConfigurationError(problems);
  return {
    port: Number(env.PORT ?? 3000),
    issuerPort: Number(env.PLATFORM_SAMPLE_ISSUER_PORT ?? 3001),
  };
}
