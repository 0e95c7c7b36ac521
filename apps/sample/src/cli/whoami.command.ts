import { Command, Option } from 'nest-commander';
import { NotLoggedInError } from '@nest-platform/client/login';
import { CliCommand, type CommonFlags } from './cli-command.base.js';
import { ExitCode, type ExitCodeValue } from './cli-exit-codes.js';
import { CliRuntime } from './cli-runtime.js';
import { CliSessionFactory } from './cli-session.factory.js';
import { formatIdentity } from './identity.format.js';

interface WhoamiFlags extends CommonFlags {
  /** `--no-mask` sets it to false. */
  readonly mask?: boolean;
}

/**
 * `whoami`: who is logged in, with the identifying fields (subject, name, email, username)
 * masked unless `--no-mask`. Not logged in: exit 3, and the cache directory is not created.
 */
@Command({ name: 'whoami', description: 'show the logged-in user, tenant, roles and scopes' })
export class WhoamiCommand extends CliCommand<WhoamiFlags> {
  constructor(
    runtime: CliRuntime,
    private readonly sessions: CliSessionFactory,
  ) {
    super(runtime);
  }

  @Option({
    flags: '--no-mask',
    description: 'show subject, name, email and username unmasked',
  })
  parseMask(): boolean {
    return false;
  }

  protected async execute(flags: WhoamiFlags): Promise<ExitCodeValue> {
    const config = this.sessions.config(flags);
    if (!(await this.sessions.hasCache(config))) throw new NotLoggedInError();
    const identity = await this.sessions.create(config).whoami({ signal: this.runtime.signal });
    for (const line of formatIdentity(identity, flags.mask !== false)) this.runtime.out(line);
    return ExitCode.Ok;
  }
}
