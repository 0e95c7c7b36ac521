import { CommandRunner, Option } from 'nest-commander';
import type { CliConfigFlags } from './cli-config.js';
import { ExitCode, type ExitCodeValue } from './cli-exit-codes.js';
import { type CliOutcome, failureOutcome } from './cli-outcome.js';
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

  async run(params: string[], flags: F = {} as F): Promise<void> {
    let code: ExitCodeValue;
    try {
      code = await this.execute(flags, params);
    } catch (error) {
      code = this.report(error);
    }
    process.exitCode = code;
  }

  /** The command itself, with its flags and positional arguments; returns the exit code. */
  protected abstract execute(flags: F, params: string[]): Promise<ExitCodeValue>;

  private report(error: unknown): ExitCodeValue {
    return this.print(failureOutcome(error, this.runtime.signal.aborted));
  }

  /** Writes the outcome's line where it belongs and returns its exit code. */
  protected print(outcome: CliOutcome): ExitCodeValue {
    if (outcome.stream === 'out') this.runtime.out(outcome.line);
    else this.runtime.err(outcome.line);
    return outcome.code;
  }
}

/** Commander's own exits: help and version are fine (0), anything else is a usage error (2). */
export function exitOnUsageError(error: Error): never {
  const { exitCode, code } = error as Error & { exitCode?: number; code?: string };
  const ok = exitCode === 0 || code === 'commander.helpDisplayed' || code === 'commander.version';
  process.exit(ok ? ExitCode.Ok : ExitCode.Usage);
}
