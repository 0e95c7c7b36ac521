/**
 * Thrown by `platformClientOptionsFromConfig` when `PLATFORM_CLIENT_*` (or proxy) variables are
 * invalid. A `TypeError`, as every invalid option of the client; `problems` lists each one
 * (variable and rule, never the value) so an app can report them together with its own.
 */
export class InvalidClientConfigurationError extends TypeError {
  override readonly name = 'InvalidClientConfigurationError';

  constructor(
    readonly problems: readonly string[],
    options?: ErrorOptions,
  ) {
    super(`Invalid platform client configuration: ${problems.join('; ')}.`, options);
  }
}
