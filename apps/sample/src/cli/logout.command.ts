import { Command } from 'nest-commander';
import { CliCommand } from './cli-command.base.js';
import type { CommonFlags } from './cli-command.base.js';
import { ExitCode, type ExitCodeValue } from './cli-exit-codes.js';
import { CliRuntime } from './cli-runtime.js';
import { CliSessionFactory } from './cli-session.factory.js';

/** `logout`: revokes the refresh token where the issuer supports it, removes the cached tokens. */
@Command({
  name: 'logout',
  description: 'revoke the refresh token at the issuer and remove the cached tokens',
})
export class LogoutCommand extends CliCommand {
  constructor(
    runtime: CliRuntime,
    private readonly sessions: CliSessionFactory,
  ) {
    super(runtime);
  }

  protected async execute(flags: CommonFlags): Promise<ExitCodeValue> {
    const config = this.sessions.config(flags);
    const result = await this.sessions.create(config).logout({ signal: this.runtime.signal });
    if (!result.wasLoggedIn) {
      this.runtime.out(`Not logged in to ${config.issuer}; nothing to do.`);
      return ExitCode.Ok;
    }
    switch (result.revocation) {
      case 'revoked':
        this.runtime.out(`Logged out of ${config.issuer}: the session was revoked and removed.`);
        return ExitCode.Ok;
      case 'none':
        this.runtime.out(
          `Logged out of ${config.issuer}: removed the cached session, which held no token ` +
            'to revoke.',
        );
        return ExitCode.Ok;
      case 'unsupported':
        this.runtime.out(
          `Logged out: removed the cached tokens. ${config.issuer} does not support revocation, ` +
            'so the refresh token stays valid there until it expires.',
        );
        return ExitCode.Ok;
      case 'failed':
        this.runtime.err(
          `Removed the cached tokens, but the issuer could not revoke the refresh token ` +
            `(${result.error?.code ?? 'unknown'}): it stays valid there until it expires.`,
        );
        return ExitCode.Failure;
    }
  }
}
