import { plainToInstance } from 'class-transformer';
import { IsOptional, Matches, validateSync } from 'class-validator';
import type { ConfigService } from '@nestjs/config';

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

/** Thrown at boot when a sample variable is invalid; names the variable, never the value. */
export class SampleConfigurationError extends Error {
  override readonly name = 'SampleConfigurationError';

  constructor(readonly problems: readonly string[]) {
    super(['Invalid sample configuration:', ...problems.map((p) => `  - ${p}`)].join('\n'));
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
