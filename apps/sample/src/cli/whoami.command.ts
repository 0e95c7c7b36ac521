import { Command, Option } from 'nest-commander';
import { CliCommand, type CommonFlags } from './cli-command.base.js';
import { ExitCode, type ExitCodeValue } from './cli-exit-codes.js';
import { CliRuntime } from './cli-runtime.js';
import { CliSessionFactory } from './cli-session.factory.js';
import { formatIdentity } from './identity.format.js';

interface WhoamiFlags extends CommonFlags {
  /** `--no-mask` sets it to false. */
  readonly mask?: boolean;
}

/** `whoami`: who is logged in, with name and email masked unless `--no-mask`. */
@Command({ name: 'whoami', description: 'show the logged-in user, tenant, roles and scopes' })
export class WhoamiCommand extends CliCommand<WhoamiFlags> {
  constructor(
    runtime: CliRuntime,
    private readonly sessions: CliSessionFactory,
  ) {
    super(runtime);
  }

  @Option({ flags: '--no-mask', description: 'show name and email unmasked' })
  parseMask(): boolean {
    return false;
  }

  protected async execute(flags: WhoamiFlags): Promise<ExitCodeValue> {
    const config = this.sessions.config(flags);
    const identity = await this.sessions.create(config).whoami({ signal: this.runtime.signal });
    for (const line of formatIdentity(identity, flags.mask !== false)) this.runtime.out(line);
    return ExitCode.Ok;
  }
}
