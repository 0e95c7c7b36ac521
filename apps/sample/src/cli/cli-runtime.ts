import { Injectable } from '@nestjs/common';

/** Where the CLI writes. */
export interface CliStream {
  write(text: string): unknown;
  readonly isTTY?: boolean;
}

/**
 * The process surroundings of the CLI (environment, output streams, Ctrl-C), injected so the
 * commands never touch `process` themselves. Results go to stdout, instructions and progress to
 * stderr, so `whoami` output can be piped.
 */
@Injectable()
export class CliRuntime {
  /** Aborted on Ctrl-C (SIGINT) or SIGTERM. */
  readonly signal: AbortSignal;

  constructor(
    readonly env: Readonly<Record<string, string | undefined>>,
    readonly stdout: CliStream,
    readonly stderr: CliStream,
    signal?: AbortSignal,
  ) {
    this.signal = signal ?? new AbortController().signal;
  }

  /** The real process: `process.env`, stdout/stderr, SIGINT/SIGTERM. */
  static fromProcess(): CliRuntime {
    const controller = new AbortController();
    for (const name of ['SIGINT', 'SIGTERM'] as const) {
      process.once(name, () => controller.abort(new Error('interrupted')));
    }
    return new CliRuntime(process.env, process.stdout, process.stderr, controller.signal);
  }

  /** Writes a line to stdout. */
  out(line = ''): void {
    this.stdout.write(`${line}\n`);
  }

  /** Writes a line to stderr. */
  err(line = ''): void {
    this.stderr.write(`${line}\n`);
  }
}
