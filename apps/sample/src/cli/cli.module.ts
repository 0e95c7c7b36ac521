import { Module } from '@nestjs/common';
import { CallCommand } from './call.command.js';
import { CliRuntime } from './cli-runtime.js';
import { CliSessionFactory } from './cli-session.factory.js';
import { LoginCommand } from './login.command.js';
import { LogoutCommand } from './logout.command.js';
import { WhoamiCommand } from './whoami.command.js';

/** The sample CLI: `login`, `logout`, `whoami`, `call` on platform-client's `CliSession`. */
@Module({
  providers: [
    { provide: CliRuntime, useFactory: () => CliRuntime.fromProcess() },
    CliSessionFactory,
    LoginCommand,
    LogoutCommand,
    WhoamiCommand,
    CallCommand,
  ],
})
export class CliModule {}
