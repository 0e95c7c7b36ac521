import { Command, Option } from 'nest-commander';
import { ReauthRequiredError } from '@nest-platform/client';
import { maskIdentity } from '@nest-platform/client/login';
import { CliUsageError } from './api-call.js';
import { CliCommand, type CommonFlags } from './cli-command.base.js';
import { ExitCode, type ExitCodeValue } from './cli-exit-codes.js';
import { CliRuntime } from './cli-runtime.js';
import { CliSessionFactory } from './cli-session.factory.js';
import { subjectOf } from './identity.format.js';
import { loginEventPrinter } from './login-event.printer.js';

interface LoginFlags extends CommonFlags {
  readonly device?: boolean;
  readonly relogin?: boolean;
  readonly acrValues?: string;
  readonly maxAge?: string;
}

/**
 * `login`: authorization code + PKCE in the browser with a loopback redirect, or the device
 * flow (forced with `--device`, automatic without a display, over SSH, when the ports are taken,
 * the browser cannot be launched or does not come back in time). Says who logged in with the
 * subject masked, as `whoami` shows it by default. `--acr-values` / `--max-age` step up (an API's
 * RFC 9470 `insufficient_user_authentication` challenge names what it needs): they are sent with
 * the authorization request, and a valid session does not stop a step-up login.
 */
@Command({
  name: 'login',
  description:
    'log in (browser with a loopback redirect, or the device flow); tokens go to the file cache',
})
export class LoginCommand extends CliCommand<LoginFlags> {
  constructor(
    runtime: CliRuntime,
    private readonly sessions: CliSessionFactory,
  ) {
    super(runtime);
  }

  @Option({
    flags: '--device',
    description: 'use the device flow even when a browser could be used',
  })
  parseDevice(): boolean {
    return true;
  }

  @Option({ flags: '--relogin', description: 'log in again even when a session is still valid' })
  parseRelogin(): boolean {
    return true;
  }

  @Option({
    flags: '--acr-values <values>',
    description:
      'step-up: authentication context classes to ask for (space-separated, preferred first)',
  })
  parseAcrValues(value: string): string {
    return value;
  }

  @Option({
    flags: '--max-age <seconds>',
    description: 'step-up: longest time since you last signed in, in seconds (0: sign in again)',
  })
  parseMaxAge(value: string): string {
    return value;
  }

  protected async execute(flags: LoginFlags): Promise<ExitCodeValue> {
    if (flags.maxAge !== undefined && !/^\d+$/.test(flags.maxAge)) {
      throw new CliUsageError('--max-age must be a whole number of seconds (0 or more).');
    }
    const stepUp = {
      ...(flags.acrValues !== undefined ? { acrValues: flags.acrValues } : {}),
      ...(flags.maxAge !== undefined ? { maxAgeS: Number(flags.maxAge) } : {}),
    };
    const steppingUp = Object.keys(stepUp).length > 0;
    const config = this.sessions.config(flags);
    const printer = loginEventPrinter(this.runtime);
    const session = this.sessions.create(config, printer.onEvent);
    const signal = this.runtime.signal;
    // Without the cache directory there is no session, and nothing to create before one exists.
    const cached = await this.sessions.hasCache(config);
    if (!flags.relogin && !steppingUp && cached && (await session.state()) !== 'none') {
      try {
        const identity = maskIdentity(await session.whoami({ signal, userInfo: false }));
        this.runtime.out(
          `Already logged in to ${config.issuer} as ${subjectOf(identity)}. ` +
            'Use --relogin to log in again.',
        );
        return ExitCode.Ok;
      } catch (error) {
        if (!(error instanceof ReauthRequiredError)) throw error;
        this.runtime.err('The cached session has expired; logging in again.');
      }
    }
    try {
      const result = await session.login({ device: flags.device === true, signal, ...stepUp });
      printer.finish();
      const identity = maskIdentity(result.identity);
      const { tenant } = identity;
      this.runtime.out(
        `Logged in to ${config.issuer} as ${subjectOf(identity)}` +
          (tenant ? ` (tenant ${tenant})` : '') +
          ` with the ${result.method === 'browser' ? 'browser' : 'device flow'}. ` +
          `Tokens are stored in ${config.cacheDir}.`,
      );
      return ExitCode.Ok;
    } finally {
      printer.finish();
    }
  }
}
