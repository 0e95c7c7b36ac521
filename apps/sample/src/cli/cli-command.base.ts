import { PlatformClientError } from '@platform/client';
import { CommandRunner, Option } from 'nest-commander';
import { CliConfigError, type CliConfigFlags } from './cli-config.js';
import { ExitCode, type ExitCodeValue } from './cli-exit-codes.js';
import type { CliRuntime } from './cli-runtime.js';

/** nest-commander's own commander `Command` (it bundles its commander version). */
type Commander = Parameters<CommandRunner['setCommand']>[0];

/** Flags every command accepts. */
export type CommonFlags = CliConfigFlags;

/**
 * Base of the sample CLI's commands: common flags, usage errors as exit code 2, and one place
 * that turns errors into a message a person can act on and an exit code. Messages never contain
 * a token: the library's errors are written not to, and nothing else here prints one.
 */
export abstract class CliCommand<F extends CommonFlags = CommonFlags> extends CommandRunner {
  constructor(protected readonly runtime: CliRuntime) {
    super();
  }

  override setCommand(command: Commander): this {
    command.exitOverride(exitOnUsageError);
    return super.setCommand(command);
  }

  @Option({ flags: '--issuer <url>', description: 'issuer URL (overrides PLATFORM_AUTH_ISSUER)' })
  parseIssuer(value: string): string {
    return value;
  }

  @Option({
    flags: '--client-id <id>',
    description: 'OAuth client id (overrides PLATFORM_CLI_CLIENT_ID)',
  })
  parseClientId(value: string): string {
    return value;
  }

  async run(_params: string[], flags: F = {} as F): Promise<void> {
    let code: ExitCodeValue;
    try {
      code = await this.execute(flags);
    } catch (error) {
      code = this.report(error);
    }
    process.exitCode = code;
  }

  /** The command itself; returns the exit code. */
  protected abstract execute(flags: F): Promise<ExitCodeValue>;

  private report(error: unknown): ExitCodeValue {
    if (this.runtime.signal.aborted) {
      this.runtime.err('Interrupted.');
      return ExitCode.Interrupted;
    }
    if (error instanceof CliConfigError) {
      this.runtime.err(`Configuration error: ${error.message}`);
      return ExitCode.Usage;
    }
    if (error instanceof PlatformClientError) {
      switch (error.code) {
        case 'NOT_LOGGED_IN':
          this.runtime.err('Not logged in. Run: npm run cli -- login');
          return ExitCode.NotLoggedIn;
        case 'REAUTH_REQUIRED':
          this.runtime.err(
            'Your session has expired or was revoked. Log in again: npm run cli -- login',
          );
          return ExitCode.NotLoggedIn;
        case 'ACCESS_DENIED':
        case 'DEVICE_CODE_EXPIRED':
        case 'AUTHORIZATION_FAILED':
          this.runtime.err(`Login failed: ${error.message}`);
          return ExitCode.LoginFailed;
        case 'TOKEN_ENDPOINT_UNAVAILABLE':
          this.runtime.err(
            `Could not talk to the issuer: ${error.message} ` +
              'Is it running (npm start starts the embedded one) and is PLATFORM_AUTH_ISSUER right?',
          );
          return ExitCode.Failure;
        default:
          this.runtime.err(`Error (${error.code}): ${error.message}`);
          return ExitCode.Failure;
      }
    }
    this.runtime.err(
      `Unexpected error: ${error instanceof Error ? `${error.name}: ${error.message}` : 'unknown'}`,
    );
    return ExitCode.Failure;
  }
}

/** Commander's own exits: help and version are fine (0), anything else is a usage error (2). */
export function exitOnUsageError(error: Error): never {
  const { exitCode, code } = error as Error & { exitCode?: number; code?: string };
  const ok = exitCode === 0 || code === 'commander.helpDisplayed' || code === 'commander.version';
  process.exit(ok ? ExitCode.Ok : ExitCode.Usage);
}
