import { PlatformAuthError } from './platform-auth.error.js';

/** One environment variable that failed validation. */
export interface ConfigurationProblem {
  readonly variable: string;
  readonly problem: string;
}

/**
 * Thrown at boot when environment variables mapped onto the options are invalid. Names every
 * offending variable; never echoes a value.
 */
export class InvalidConfigurationError extends PlatformAuthError<'INVALID_CONFIGURATION'> {
  override readonly name = 'InvalidConfigurationError';

  constructor(readonly problems: readonly ConfigurationProblem[]) {
    super(
      'INVALID_CONFIGURATION',
      [
        'Invalid platform-auth configuration:',
        ...problems.map(({ variable, problem }) => `  - ${variable} ${problem}`),
      ].join('\n'),
    );
  }
}
