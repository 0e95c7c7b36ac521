import { Command } from 'nest-commander';
import { CliCommand } from './cli-command.base.js';
import type { CommonFlags } from './cli-command.base.js';
import type { ExitCodeValue } from './cli-exit-codes.js';
import { logoutOutcome } from './cli-outcome.js';
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
    if (!(await this.sessions.hasCache(config))) {
      return this.print(logoutOutcome(config.issuer, { wasLoggedIn: false, revocation: 'none' }));
    }
    const result = await this.sessions.create(config).logout({ signal: this.runtime.signal });
    return this.print(logoutOutcome(config.issuer, result));
  }
}
