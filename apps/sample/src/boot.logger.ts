import { ConsoleLogger } from '@nestjs/common';

/** The contexts whose errors end a boot: main.ts reports those itself, once, naming the variable. */
const BOOT_FAILURE_CONTEXTS = new Set(['ExceptionHandler', 'NestApplication']);
/** Nest logs "Nest application successfully started" under this context at the end of `init()`. */
const APPLICATION_CONTEXT = 'NestApplication';

/**
 * Nest's console logger, with two changes while the sample boots:
 * - the errors Nest logs on its way to failing (a provider factory's configuration error with
 *   its stack, `listen EADDRINUSE`) are left to main.ts, which prints one message that names the
 *   variable to fix;
 * - "Nest application successfully started", which Nest logs before it binds the port, is held
 *   back until the API listens ({@link booted}), and dropped when listening fails.
 * Once listening, every message is logged as usual.
 */
export class BootLogger extends ConsoleLogger {
  private booting = true;
  private readonly held: Array<[unknown, unknown[]]> = [];

  /** Called once the API listens: logs what was held back; from then on everything as usual. */
  booted(): void {
    this.booting = false;
    for (const [message, rest] of this.held.splice(0)) super.log(message, ...(rest as [string?]));
  }

  override log(message: unknown, ...rest: unknown[]): void {
    if (this.booting && rest.at(-1) === APPLICATION_CONTEXT) {
      this.held.push([message, rest]);
      return;
    }
    super.log(message, ...(rest as [string?]));
  }

  override error(message: unknown, ...rest: unknown[]): void {
    const context = rest.at(-1);
    if (this.booting && typeof context === 'string' && BOOT_FAILURE_CONTEXTS.has(context)) return;
    super.error(message, ...(rest as [string?, string?]));
  }
}
