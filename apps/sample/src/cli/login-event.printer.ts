import type { LoginEvent } from '@nest-platform/client/login';
import type { CliRuntime } from './cli-runtime.js';

/**
 * Prints interactive-login progress on stderr. Shows the verification URI, the user code and the
 * authorization URL (meant for the person); never a device code, code verifier or token, which
 * no event carries anyway.
 */
export function loginEventPrinter(runtime: CliRuntime): {
  onEvent: (event: LoginEvent) => void;
  /** Ends an open progress line (TTY only). */
  finish: () => void;
} {
  const tty = runtime.stderr.isTTY === true;
  let pendingLine = false;
  const endPending = () => {
    if (pendingLine) runtime.stderr.write('\n');
    pendingLine = false;
  };
  const onEvent = (event: LoginEvent) => {
    switch (event.type) {
      case 'authorization-url':
        runtime.err('Opening your browser to log in. If it does not open, open this URL:');
        runtime.err(`  ${event.url}`);
        return;
      case 'browser-opened':
        runtime.err(
          `Waiting for the browser to complete the login (up to ${Math.round(event.timeoutMs / 1000)} s)...`,
        );
        return;
      case 'fallback':
        runtime.err(`Cannot use the browser: ${event.detail}. Using the device flow instead.`);
        return;
      case 'device-code':
        runtime.err('To log in, open this page on any device:');
        runtime.err(`  ${event.verificationUri}`);
        runtime.err(`and enter the code:  ${event.userCode}`);
        if (event.verificationUriComplete) {
          runtime.err(`(or open ${event.verificationUriComplete} , which fills in the code)`);
        }
        runtime.err(`The code expires in ${duration(event.expiresAt - Date.now())}.`);
        return;
      case 'device-pending': {
        if (event.slowDown) {
          endPending();
          runtime.err(
            `The issuer asked to poll more slowly: now every ${Math.round(event.intervalMs / 1000)} s.`,
          );
        }
        const line = `Waiting for approval... (check ${event.attempt}, code expires in ${duration(event.remainingMs)})`;
        if (tty) {
          runtime.stderr.write(`\r${line}`);
          pendingLine = true;
        } else {
          runtime.err(line);
        }
        return;
      }
    }
  };
  return { onEvent, finish: endPending };
}

function duration(ms: number): string {
  const total = Math.max(0, Math.round(ms / 1000));
  const minutes = Math.floor(total / 60);
  const seconds = total % 60;
  return minutes > 0 ? `${minutes} min ${String(seconds).padStart(2, '0')} s` : `${seconds} s`;
}
