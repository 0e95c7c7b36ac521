import 'reflect-metadata';
import { CommandFactory } from 'nest-commander';
import { exitOnUsageError } from './cli-command.base.js';
import { CliModule } from './cli.module.js';

/**
 * The sample CLI: `npm run cli -- login | logout | whoami | call`. See docs/cli.md for flags,
 * environment variables and exit codes. The file is named after the CLI because commander takes
 * the program name in `Usage:` lines from the script's file name (nest-commander's `cliName`
 * only names plugin configuration files).
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
