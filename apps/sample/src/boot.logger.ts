import { ConsoleLogger } from '@nestjs/common';

/** The contexts whose errors end a boot: main.ts reports those itself, once, naming the variable. */
const BOOT_FAILURE_CONTEXTS = new Set(['ExceptionHandler', 'NestApplication']);

/**
 * Nest's console logger, except that while the sample boots, the errors Nest logs on its way to
 * failing (a provider factory's configuration error with its stack, `listen EADDRINUSE`) are left
 * to main.ts, which prints one message that names the variable to fix. Once listening, every
 * error is logged as usual.
 */
export class BootLogger extends ConsoleLogger {
  private booting = true;

  /** Called once the API listens: from then on errors are logged as usual. */
  booted(): void {
    this.booting = false;
  }

  override error(message: unknown, ...rest: unknown[]): void {
    const context = rest.at(-1);
    if (this.booting && typeof context === 'string' && BOOT_FAILURE_CONTEXTS.has(context)) return;
    super.error(message, ...(rest as [string?, string?]));
  }
}
