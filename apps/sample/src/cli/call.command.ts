import { readFile } from 'node:fs/promises';
import { Command, Option } from 'nest-commander';
import { NotLoggedInError } from '@nest-platform/client/login';
import { answerOutput, apiRequest, callWithSession, CliUsageError } from './api-call.js';
import { CliCommand, type CommonFlags } from './cli-command.base.js';
import { ExitCode, type ExitCodeValue } from './cli-exit-codes.js';
import { CliRuntime } from './cli-runtime.js';
import { CliSessionFactory } from './cli-session.factory.js';

interface CallFlags extends CommonFlags {
  readonly data?: string;
  readonly header?: readonly string[];
  readonly apiUrl?: string;
}

/**
 * `call <method> <path>`: one request to the API as the logged-in user, with the session's
 * access token (refreshed when it expired, and once more when the API answers 401). Prints the
 * status line (and any `WWW-Authenticate` or `Location`) on stderr and the body on stdout, so
 * `call GET /documents | jq` works; never the token. Exit 0 for 1xx-3xx, 5 for 4xx-5xx, 3 when
 * not logged in or the session cannot be refreshed, 1 when the API cannot be reached.
 */
@Command({
  name: 'call',
  arguments: '<method> <path>',
  description: 'send one request to the API as the logged-in user; prints status and body',
  argsDescription: {
    method: 'GET, POST, PUT, PATCH, DELETE, HEAD or OPTIONS',
    path: 'path on the API, such as /documents',
  },
})
export class CallCommand extends CliCommand<CallFlags> {
  constructor(
    runtime: CliRuntime,
    private readonly sessions: CliSessionFactory,
  ) {
    super(runtime);
  }

  @Option({
    flags: '-d, --data <body>',
    description:
      'request body (JSON unless --header sets content-type); @file reads it from a file',
  })
  parseData(value: string): string {
    return value;
  }

  @Option({
    flags: '-H, --header <header>',
    description: 'extra request header "Name: value" (repeatable)',
  })
  parseHeader(value: string, previous: readonly string[] = []): readonly string[] {
    return [...previous, value];
  }

  @Option({
    flags: '--api-url <url>',
    description: 'base URL of the API (overrides PLATFORM_CLI_API_URL)',
  })
  parseApiUrl(value: string): string {
    return value;
  }

  protected async execute(flags: CallFlags, params: string[]): Promise<ExitCodeValue> {
    const config = this.sessions.config(flags);
    const [method = '', path = ''] = params;
    const request = apiRequest(config.apiUrl, {
      method,
      path,
      ...(flags.data !== undefined ? { data: await this.body(flags.data) } : {}),
      headers: flags.header ?? [],
    });
    if (!(await this.sessions.hasCache(config))) throw new NotLoggedInError();
    const session = this.sessions.create(config);
    const { answer, tokens } = await callWithSession(session, request, {
      signal: this.runtime.signal,
    });
    const output = answerOutput(answer, tokens);
    for (const line of output.status) this.runtime.err(line);
    if (output.body !== '') this.runtime.stdout.write(output.body.replace(/\n?$/, '\n'));
    return answer.status >= 400 ? ExitCode.HttpError : ExitCode.Ok;
  }

  /** `--data` as given, or the content of the file after `@`. */
  private async body(data: string): Promise<string> {
    if (!data.startsWith('@')) return data;
    try {
      return await readFile(data.slice(1), 'utf8');
    } catch (error) {
      throw new CliUsageError(
        `--data @file: cannot read the file (${(error as NodeJS.ErrnoException).code ?? 'error'}).`,
      );
    }
  }
}
