import { spawn } from 'node:child_process';
import { BrowserUnavailableError } from '../errors/browser-unavailable.error.js';
import type { LoginEnvironment } from './browser-environment.js';

/**
 * Opens `url` in the person's browser. Resolves once the browser was launched; rejects with
 * {@link BrowserUnavailableError} when it could not be (interactive login then falls back to the
 * device flow). Inject a fake in tests.
 */
export type BrowserOpener = (url: string) => Promise<void>;

/** Options of {@link systemBrowserOpener}. */
export interface SystemBrowserOpenerOptions extends LoginEnvironment {
  /**
   * A launcher still running after this long is taken as a browser that opened (a browser named
   * in `BROWSER` may only exit when closed); one that exits sooner must exit with status 0.
   * @default 3000
   */
  readonly graceMs?: number;
}

/**
 * The platform's way of opening a URL, with no dependency and no shell:
 *
 * - `BROWSER` set (as many CLIs honour it): its first `:`-separated entry, split on whitespace;
 *   `%s` in an argument is replaced by the URL, otherwise the URL is appended;
 * - macOS: `open <url>`; Windows: `rundll32 url.dll,FileProtocolHandler <url>`;
 * - elsewhere: `xdg-open <url>`.
 *
 * A command that cannot be started (not installed) or exits non-zero within `graceMs` is a
 * {@link BrowserUnavailableError}.
 */
export function systemBrowserOpener(options: SystemBrowserOpenerOptions): BrowserOpener {
  const graceMs = options.graceMs ?? 3000;
  return (url) => {
    const [command, ...args] = browserCommand(url, options);
    return new Promise<void>((resolve, reject) => {
      let settled = false;
      const settle = (error?: BrowserUnavailableError) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        if (error) reject(error);
        else resolve();
      };
      const child = spawn(command, args, { detached: true, stdio: 'ignore', shell: false });
      child.once('error', () => settle(new BrowserUnavailableError(`could not start ${command}`)));
      child.once('exit', (code) =>
        settle(
          code === 0
            ? undefined
            : new BrowserUnavailableError(`${command} exited with status ${code}`),
        ),
      );
      const timer = setTimeout(() => {
        child.unref();
        settle();
      }, graceMs);
    });
  };
}

/** The argv that opens `url` (exported for tests). */
export function browserCommand(url: string, environment: LoginEnvironment): string[] {
  const custom = environment.env.BROWSER?.split(':')[0]?.trim();
  if (custom) {
    const parts = custom.split(/\s+/);
    return parts.some((part) => part.includes('%s'))
      ? parts.map((part) => part.replaceAll('%s', url))
      : [...parts, url];
  }
  switch (environment.platform ?? process.platform) {
    case 'darwin':
      return ['open', url];
    case 'win32':
      return ['rundll32', 'url.dll,FileProtocolHandler', url];
    default:
      return ['xdg-open', url];
  }
}
