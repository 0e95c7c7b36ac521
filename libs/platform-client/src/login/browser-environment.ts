import type { DeviceFallbackReason } from './login-event.js';

/**
 * The parts of the process environment that decide whether a browser can be used. Passed in by
 * the application (the library never reads `process.env`).
 */
export interface LoginEnvironment {
  /** Environment variables (`DISPLAY`, `WAYLAND_DISPLAY`, `SSH_CONNECTION`, `SSH_TTY`, `BROWSER`). */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** @default process.platform */
  readonly platform?: NodeJS.Platform;
}

/**
 * Why no browser should be tried, or `undefined` when one may be: an SSH session
 * (`SSH_CONNECTION`, `SSH_CLIENT` or `SSH_TTY` set: a browser would open on the remote machine,
 * or nowhere), or no graphical display on Linux and other Unix systems (neither `DISPLAY` nor
 * `WAYLAND_DISPLAY`). macOS and Windows always have one outside SSH.
 */
export function browserBlocker(
  environment: LoginEnvironment,
): Extract<DeviceFallbackReason, 'ssh' | 'no-display'> | undefined {
  const { env } = environment;
  const platform = environment.platform ?? process.platform;
  if (isSet(env.SSH_CONNECTION) || isSet(env.SSH_CLIENT) || isSet(env.SSH_TTY)) return 'ssh';
  if (platform === 'darwin' || platform === 'win32') return undefined;
  return isSet(env.DISPLAY) || isSet(env.WAYLAND_DISPLAY) ? undefined : 'no-display';
}

function isSet(value: string | undefined): boolean {
  return value !== undefined && value.trim() !== '';
}
