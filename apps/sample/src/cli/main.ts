import 'reflect-metadata';
import { CommandFactory } from 'nest-commander';
import { exitOnUsageError } from './cli-command.base.js';
import { CliModule } from './cli.module.js';

/**
 * The sample CLI: `npm run cli -- login | logout | whoami`. See docs/cli.md for flags,
 * environment variables and exit codes.
 */
await CommandFactory.run(CliModule, {
  cliName: 'platform-sample',
  logger: false,
  errorHandler: exitOnUsageError,
  serviceErrorHandler: (error) => {
    process.stderr.write(`Unexpected error: ${error.name}\n`);
    process.exitCode = 1;
  },
});
